package io.bitnet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * For random shapes and seeds, every format on every backend gives exactly the int32 dot products of
 * a naive ternary reference, and the same float outputs.
 */
class CrossBackendPropertyTest {

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
  void everyFormatAndBackendAgreesExactly(long seed) {
    Random random = new Random(seed);
    int rows = 1 + random.nextInt(70);
    int cols = 128 * (1 + random.nextInt(24));
    int batch = 1 + random.nextInt(9);
    float[] weights = new float[rows * cols];
    float[] input = new float[batch * cols];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) random.nextGaussian() * (seed % 3 == 0 ? 10f : 0.02f);
    }
    for (int i = 0; i < input.length; i++) {
      input[i] = (float) (random.nextGaussian() * 3);
    }
    String shape = rows + "x" + cols + " batch " + batch;

    BitNetKernels java = Backends.kernels(KernelBackend.JAVA, 1);
    QuantizedActivations acts = java.quantizeActivations(input, batch, cols);
    int[] expectedDots = naiveDots(java, weights, rows, cols, acts);
    float[] expectedOut = null;

    for (KernelBackend backend : Backends.supported()) {
      try (BitNetKernels k = Backends.kernels(backend, 2)) {
        for (QuantizationFormat format : QuantizationFormat.values()) {
          try (TernaryTensor t = k.quantize("w", weights, rows, cols, format)) {
            int[] dots = new int[batch * rows];
            k.dot(t, acts, dots);
            assertArrayEquals(expectedDots, dots, backend + " " + format + " dots, " + shape);
            float[] out = new float[batch * rows];
            k.matmul(t, input, batch, out);
            if (expectedOut == null) {
              expectedOut = out;
            }
            assertArrayEquals(expectedOut, out, 0f, backend + " " + format + " outputs, " + shape);
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "weights {0}")
  @ValueSource(floats = {1f, -1f})
  void extremeValuesAtTheLargestColumnCountDoNotWrap(float weight) {
    int rows = 5;
    int cols = QuantizationFormat.MAX_COLS;
    float[] weights = new float[rows * cols];
    java.util.Arrays.fill(weights, weight);
    byte[] q = new byte[cols];
    java.util.Arrays.fill(q, (byte) -128);
    QuantizedActivations acts = new QuantizedActivations(1, cols, q, new float[] {1f}, new int[] {-128 * cols});
    int[] expected = new int[rows];
    java.util.Arrays.fill(expected, (int) weight * -128 * cols);
    for (KernelBackend backend : Backends.supported()) {
      try (BitNetKernels k = Backends.kernels(backend, 2)) {
        for (QuantizationFormat format : QuantizationFormat.values()) {
          try (TernaryTensor t = k.quantize("extreme", weights, rows, cols, format)) {
            int[] dots = new int[rows];
            k.dot(t, acts, dots);
            assertArrayEquals(expected, dots, backend + " " + format);
          }
        }
      }
    }
  }

  /** sum_k ternary[r][k] * q[v][k], with the ternary values taken from dequantize(). */
  private static int[] naiveDots(BitNetKernels k, float[] weights, int rows, int cols, QuantizedActivations a) {
    int[] out = new int[a.batch() * rows];
    try (TernaryTensor t = k.quantize("reference", weights, rows, cols, QuantizationFormat.I2_S)) {
      float[] d = k.dequantize(t);
      for (int v = 0; v < a.batch(); v++) {
        for (int r = 0; r < rows; r++) {
          int s = 0;
          for (int c = 0; c < cols; c++) {
            s += Math.round(d[r * cols + c] / t.scale()) * a.values()[v * cols + c];
          }
          out[v * rows + r] = s;
        }
      }
    }
    return out;
  }
}
