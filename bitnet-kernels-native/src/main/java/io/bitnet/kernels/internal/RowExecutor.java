package io.bitnet.kernels.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splits the rows of a matmul over a fixed pool of daemon threads. The calling thread computes the
 * first slice itself, so {@code threads = 1} runs everything on the caller with no hand-off.
 */
public final class RowExecutor implements AutoCloseable {

  /** Work below this many weight-vector products (2M) runs on the caller: the hand-off costs more. */
  private static final long MIN_PARALLEL_WORK = 1L << 21;

  /** Slices start on multiples of this many rows, so SIMD kernels see whole row tiles. */
  private static final int ROW_ALIGN = 64;

  /** One slice of rows. */
  @FunctionalInterface
  public interface RowTask {
    void run(int row0, int row1);
  }

  private final int threads;
  private final ExecutorService pool;

  public RowExecutor(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.threads = threads;
    this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, daemonThreads());
  }

  public int threads() {
    return threads;
  }

  /**
   * Runs {@code task} over {@code [0, rows)}. {@code workPerRow} (columns times batch) decides whether
   * splitting pays. Returns when every slice has finished, even if the caller is interrupted, because
   * the slices share the caller's buffers.
   */
  public void forRows(int rows, long workPerRow, RowTask task) {
    int slices = Math.min(threads, (rows + ROW_ALIGN - 1) / ROW_ALIGN);
    if (pool == null || slices < 2 || rows * workPerRow < MIN_PARALLEL_WORK) {
      task.run(0, rows);
      return;
    }
    int per = ((rows + slices - 1) / slices + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN;
    Future<?>[] futures = new Future<?>[slices];
    for (int s = 1; s < slices; s++) {
      int r0 = Math.min(rows, s * per);
      int r1 = Math.min(rows, r0 + per);
      futures[s] = pool.submit(() -> task.run(r0, r1));
    }
    RuntimeException failure = null;
    try {
      task.run(0, Math.min(rows, per));
    } catch (RuntimeException e) {
      failure = e;
    }
    boolean interrupted = false;
    for (int s = 1; s < slices; s++) {
      while (true) {
        try {
          futures[s].get();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (java.util.concurrent.ExecutionException e) {
          if (failure == null) {
            failure = e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
          }
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdown();
    }
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "bitnet-kernels-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
