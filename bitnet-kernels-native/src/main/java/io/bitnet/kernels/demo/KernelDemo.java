package io.bitnet.kernels.demo;

import io.bitnet.kernels.BitNetKernels;
import io.bitnet.kernels.KernelBackend;
import io.bitnet.kernels.QuantizationFormat;
import io.bitnet.kernels.TernaryTensor;
import java.util.Locale;
import java.util.Random;

/**
 * The kernel demo: quantizes a random matrix of the BitNet b1.58 2B-4T attention shape in every format
 * on every backend this machine supports, runs matmul, and prints packed sizes, the error against
 * FP32 and timings. Run it with {@code ./mvnw -q -pl bitnet-kernels-native package exec:java}.
 */
public final class KernelDemo {

  private static final int ROWS = 2560;
  private static final int COLS = 2560;
  private static final int RUNS = 20;

  private KernelDemo() {}

  public static void main(String[] args) {
    BitNetKernels defaults = BitNetKernels.getDefault();
    System.out.println("bitnet-kernels demo: " + ROWS + "x" + COLS + " random Gaussian weights, batch 1");
    System.out.println("default backend: " + defaults.backend() + ", threads: " + defaults.threads());
    System.out.println("supported backends: " + BitNetKernels.supportedBackends());

    Random random = new Random(42);
    float[] weights = new float[ROWS * COLS];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) (random.nextGaussian() * 0.02);
    }
    float[] input = new float[COLS];
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) random.nextGaussian();
    }
    float[] reference = fp32Gemv(weights, input);
    long fp32Nanos = time(() -> fp32Gemv(weights, input));
    System.out.printf(Locale.ROOT, "FP32 Java GEMV: %.1f us (%.2f Gweights/s), %.1f MiB of weights%n%n",
        fp32Nanos / 1e3, (double) ROWS * COLS / fp32Nanos, weights.length * 4 / 1048576.0);

    System.out.printf(Locale.ROOT, "%-14s %-5s %10s %8s %12s %12s %10s %12s%n",
        "backend", "fmt", "packed KiB", "bits/w", "quantize ms", "matmul us", "Gweights/s", "rel. error");
    for (KernelBackend backend : BitNetKernels.supportedBackends()) {
      try (BitNetKernels kernels = BitNetKernels.builder().backend(backend).threads(1).build()) {
        for (QuantizationFormat format : QuantizationFormat.values()) {
          long q0 = System.nanoTime();
          try (TernaryTensor tensor = kernels.quantize("demo." + format.label(), weights, ROWS, COLS, format)) {
            long quantizeNanos = System.nanoTime() - q0;
            float[] out = new float[ROWS];
            long matmulNanos = time(() -> kernels.matmul(tensor, input, 1, out));
            System.out.printf(Locale.ROOT, "%-14s %-5s %10.1f %8.3f %12.1f %12.1f %10.2f %12.4f%n",
                backend, format, tensor.sizeBytes() / 1024.0, tensor.sizeBytes() * 8.0 / weights.length,
                quantizeNanos / 1e6, matmulNanos / 1e3, (double) ROWS * COLS / matmulNanos,
                relativeError(out, reference));
          }
        }
      }
    }
    System.out.println();
    System.out.println("rel. error = |ternary output - FP32 output| / |FP32 output|; matmul is the best of "
        + RUNS + " single-thread runs.");
  }

  private static float[] fp32Gemv(float[] w, float[] x) {
    float[] y = new float[ROWS];
    for (int r = 0; r < ROWS; r++) {
      float acc = 0;
      for (int k = 0; k < COLS; k++) {
        acc += w[r * COLS + k] * x[k];
      }
      y[r] = acc;
    }
    return y;
  }

  private static long time(Runnable op) {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < RUNS; i++) {
      long t0 = System.nanoTime();
      op.run();
      best = Math.min(best, System.nanoTime() - t0);
    }
    return best;
  }

  private static double relativeError(float[] got, float[] want) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < got.length; i++) {
      num += (got[i] - want[i]) * (double) (got[i] - want[i]);
      den += want[i] * (double) want[i];
    }
    return Math.sqrt(num / den);
  }
}
