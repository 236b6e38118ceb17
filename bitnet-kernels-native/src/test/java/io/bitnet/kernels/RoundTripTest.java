package io.bitnet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** quantize, dequantize, packedBytes and fromPacked agree with each other and with the formulas. */
class RoundTripTest {

  static java.util.stream.Stream<KernelBackend> backends() {
    return Backends.supportedStream();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void dequantizeIsTernaryTimesScale(KernelBackend backend) {
    float[] w = randomWeights(24, 384, 7);
    float expectedScale = absmean(w);
    try (BitNetKernels k = Backends.kernels(backend, 1)) {
      for (QuantizationFormat format : QuantizationFormat.values()) {
        try (TernaryTensor t = k.quantize("rt", w, 24, 384, format)) {
          assertEquals(expectedScale, t.scale(), "scale is the absmean");
          float[] d = k.dequantize(t);
          float s = (float) (1.0 / Math.max(absmeanDouble(w), 1e-5));
          for (int i = 0; i < w.length; i++) {
            float ternary = (float) Math.max(-1, Math.min(1, Math.rint(w[i] * s)));
            assertEquals(ternary * t.scale(), d[i], 0f, format + " weight " + i);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void fromPackedReproducesTheTensor(KernelBackend backend) {
    float[] w = randomWeights(33, 2560, 11);
    float[] x = randomWeights(2, 2560, 12);
    try (BitNetKernels k = Backends.kernels(backend, 2)) {
      for (QuantizationFormat format : QuantizationFormat.values()) {
        try (TernaryTensor a = k.quantize("a", w, 33, 2560, format);
            TernaryTensor b = k.fromPacked("b", format, 33, 2560, a.packedBytes(), a.scale())) {
          assertEquals(format.packedSize(33, 2560), a.packedBytes().length);
          assertArrayEquals(a.packedBytes(), b.packedBytes(), format + " packed bytes");
          assertArrayEquals(k.dequantize(a), k.dequantize(b), 0f, format + " dequantized");
          float[] ya = new float[66];
          float[] yb = new float[66];
          k.matmul(a, x, 2, ya);
          k.matmul(b, x, 2, yb);
          assertArrayEquals(ya, yb, 0f, format + " matmul");
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void packedBytesMoveBetweenBackends(KernelBackend backend) {
    float[] w = randomWeights(8, 640, 13);
    try (BitNetKernels k = Backends.kernels(backend, 1);
        BitNetKernels java = Backends.kernels(KernelBackend.JAVA, 1)) {
      for (QuantizationFormat format : QuantizationFormat.values()) {
        try (TernaryTensor a = k.quantize("a", w, 8, 640, format);
            TernaryTensor b = java.quantize("b", w, 8, 640, format)) {
          assertArrayEquals(b.packedBytes(), a.packedBytes(), format + " packed bytes, " + backend + " vs JAVA");
        }
      }
    }
  }

  static float[] randomWeights(int rows, int cols, long seed) {
    Random r = new Random(seed);
    float[] w = new float[rows * cols];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) r.nextGaussian();
    }
    return w;
  }

  private static double absmeanDouble(float[] w) {
    double s = 0;
    for (float v : w) {
      s += Math.abs((double) v);
    }
    return s / w.length;
  }

  private static float absmean(float[] w) {
    return 1.0f / (float) (1.0 / Math.max(absmeanDouble(w), 1e-5));
  }
}
