package io.bitnet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One tensor, many threads: identical results, and closing under load is safe. */
class ConcurrencyTest {

  static Stream<KernelBackend> backends() {
    return Backends.supportedStream();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void eightThreadsGetIdenticalResults(KernelBackend backend) throws Exception {
    int rows = 300;
    int cols = 1024;
    float[] x = RoundTripTest.randomWeights(2, cols, 5);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (BitNetKernels k = Backends.kernels(backend, 2)) {
      for (QuantizationFormat format : QuantizationFormat.values()) {
        try (TernaryTensor t = k.quantize("shared", RoundTripTest.randomWeights(rows, cols, 4), rows, cols, format)) {
          float[] expected = new float[2 * rows];
          k.matmul(t, x, 2, expected);
          CountDownLatch start = new CountDownLatch(1);
          List<Future<float[]>> results = new ArrayList<>();
          for (int i = 0; i < 8; i++) {
            results.add(pool.submit(() -> {
              start.await();
              float[] out = new float[2 * rows];
              for (int rep = 0; rep < 50; rep++) {
                k.matmul(t, x, 2, out);
              }
              return out;
            }));
          }
          start.countDown();
          for (Future<float[]> f : results) {
            assertArrayEquals(expected, f.get(60, TimeUnit.SECONDS), 0f, backend + " " + format);
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void closingWhileOtherThreadsRunIsSafe(KernelBackend backend) throws Exception {
    int rows = 256;
    int cols = 2048;
    float[] x = RoundTripTest.randomWeights(1, cols, 9);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (BitNetKernels k = Backends.kernels(backend, 1)) {
      TernaryTensor t = k.quantize("closing", RoundTripTest.randomWeights(rows, cols, 8), rows, cols, QuantizationFormat.I2_S);
      AtomicInteger completed = new AtomicInteger();
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        futures.add(pool.submit(() -> {
          float[] out = new float[rows];
          while (true) {
            try {
              k.matmul(t, x, 1, out);
              completed.incrementAndGet();
            } catch (IllegalStateException closed) {
              return;
            }
          }
        }));
      }
      while (completed.get() < 20) {
        Thread.onSpinWait();
      }
      t.close();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS); // every worker saw the IllegalStateException and stopped
      }
      assertTrue(t.isClosed());
      assertThrows(IllegalStateException.class, () -> k.matmul(t, x, 1, new float[rows]));
      assertEquals(true, completed.get() >= 20);
    } finally {
      pool.shutdownNow();
    }
  }
}
