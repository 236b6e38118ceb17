package io.bitnet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Int8 matrices (the runtime's embedding and LM head): exact on every backend, validated, closable. */
class Int8MatrixTest {

  static Stream<KernelBackend> backends() {
    return Backends.supportedStream();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void matmulIsTheExactInt32DotTimesTheScales(KernelBackend backend) {
    Random random = new Random(3);
    int rows = 37;
    int cols = 320;
    byte[] values = new byte[rows * cols];
    float[] scales = new float[rows];
    for (int i = 0; i < values.length; i++) {
      values[i] = (byte) (random.nextInt(255) - 127);
    }
    values[0] = 127;
    values[1] = -127;
    for (int r = 0; r < rows; r++) {
      scales[r] = 0.001f * (r + 1);
    }
    float[] x = RoundTripTest.randomWeights(3, cols, 4);
    try (BitNetKernels k = Backends.kernels(backend, 2);
        Int8Matrix m = k.int8Matrix("emb", values, scales, rows, cols)) {
      QuantizedActivations a = k.quantizeActivations(x, 3, cols);
      float[] out = new float[3 * rows];
      k.matmul(m, x, 3, out);
      for (int v = 0; v < 3; v++) {
        for (int r = 0; r < rows; r++) {
          int dot = 0;
          for (int c = 0; c < cols; c++) {
            dot += values[r * cols + c] * a.values()[v * cols + c];
          }
          assertEquals((float) dot * scales[r] / a.scales()[v], out[v * rows + r], 0f, backend + " v" + v + " r" + r);
        }
      }
      float[] row = new float[cols + 2];
      m.row(5, row, 2);
      for (int c = 0; c < cols; c++) {
        assertEquals(values[5 * cols + c] * scales[5], row[c + 2], 0f);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void badInputIsRejected(KernelBackend backend) {
    try (BitNetKernels k = Backends.kernels(backend, 1)) {
      byte[] v = new byte[2 * 64];
      float[] s = {1f, 1f};
      assertThrows(IllegalArgumentException.class, () -> k.int8Matrix("m", null, s, 2, 64));
      assertThrows(IllegalArgumentException.class, () -> k.int8Matrix("m", v, null, 2, 64));
      assertThrows(IllegalArgumentException.class, () -> k.int8Matrix("m", v, s, 2, 100));
      assertThrows(IllegalArgumentException.class, () -> k.int8Matrix("m", v, s, 3, 64));
      assertThrows(IllegalArgumentException.class, () -> k.int8Matrix("m", v, new float[] {1f, Float.NaN}, 2, 64));
      byte[] min = v.clone();
      min[7] = Byte.MIN_VALUE;
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> k.int8Matrix("m", min, s, 2, 64));
      assertTrue(e.getMessage().contains("values[7]"), e.getMessage());
      Int8Matrix m = k.int8Matrix("m", v, s, 2, 64);
      assertThrows(IllegalArgumentException.class, () -> m.row(2, new float[64], 0));
      assertThrows(IllegalArgumentException.class, () -> m.row(0, new float[63], 0));
      assertThrows(IllegalArgumentException.class, () -> k.matmul(m, new float[63], 1, new float[2]));
      assertThrows(IllegalArgumentException.class, () -> k.matmul(m, new float[64], 1, new float[1]));
      m.close();
      assertThrows(IllegalStateException.class, () -> k.matmul(m, new float[64], 1, new float[2]));
      assertThrows(IllegalStateException.class, () -> m.row(0, new float[64], 0));
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void everyBackendAgreesWithJava(KernelBackend backend) {
    int rows = 130;
    int cols = 2560;
    Random random = new Random(9);
    byte[] values = new byte[rows * cols];
    float[] scales = new float[rows];
    for (int i = 0; i < values.length; i++) {
      values[i] = (byte) (random.nextInt(255) - 127);
    }
    java.util.Arrays.fill(scales, 0.01f);
    float[] x = RoundTripTest.randomWeights(2, cols, 10);
    float[] expected = new float[2 * rows];
    float[] got = new float[2 * rows];
    try (BitNetKernels java = Backends.kernels(KernelBackend.JAVA, 1);
        BitNetKernels k = Backends.kernels(backend, 2);
        Int8Matrix a = java.int8Matrix("a", values, scales, rows, cols);
        Int8Matrix b = k.int8Matrix("b", values, scales, rows, cols)) {
      java.matmul(a, x, 2, expected);
      k.matmul(b, x, 2, got);
      assertArrayEquals(expected, got, 0f);
    }
  }
}
