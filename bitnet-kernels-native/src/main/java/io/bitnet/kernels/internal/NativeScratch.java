package io.bitnet.kernels.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Native scratch memory for one kernel call, 64-byte aligned, leased from a buffer that the calling
 * thread keeps and grows as needed. A decode step makes hundreds of matmul calls: a JNA {@link Memory}
 * per call costs a malloc, a cleaner registration and a free each time (about a fifth of a small
 * matmul), and its large constructor made the JIT's inlining of the call path fragile.
 *
 * <p>A nested lease on the same thread (none happens in this library; kept safe anyway) gets memory of
 * its own. A thread's buffer is freed by JNA's cleaner once the thread has ended and the buffer is
 * unreachable.
 */
final class NativeScratch implements AutoCloseable {

  /** One per thread: a per-thread cache, not shared state. */
  private static final ThreadLocal<Buffer> BUFFERS = ThreadLocal.withInitial(Buffer::new);

  private static final class Buffer {
    Memory memory;
    boolean leased;
  }

  private final Buffer buffer; // null when this lease has memory of its own
  private final Memory own;
  private final long base;

  private NativeScratch(Buffer buffer, Memory memory) {
    this.buffer = buffer;
    this.own = buffer == null ? memory : null;
    this.base = (Pointer.nativeValue(memory) + 63) & ~63L;
  }

  /** At least {@code bytes} of scratch until {@link #close()}. */
  static NativeScratch lease(long bytes) {
    long size = bytes + 64; // room to align the start
    Buffer b = BUFFERS.get();
    if (b.leased) {
      return new NativeScratch(null, new Memory(size));
    }
    if (b.memory == null || b.memory.size() < size) {
      long grown = b.memory == null ? size : Math.max(size, b.memory.size() * 2);
      if (b.memory != null) {
        b.memory.close();
      }
      b.memory = new Memory(grown);
    }
    b.leased = true;
    return new NativeScratch(b, b.memory);
  }

  /** A pointer {@code offset} bytes into the scratch. */
  Pointer at(long offset) {
    return new Pointer(base + offset);
  }

  @Override
  public void close() {
    if (buffer != null) {
      buffer.leased = false;
    } else {
      own.close();
    }
  }
}
