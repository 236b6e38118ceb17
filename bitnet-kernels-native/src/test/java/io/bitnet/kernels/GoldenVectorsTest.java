package io.bitnet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** bitnet.cpp's I2_S golden vectors, on every backend this CPU supports. */
class GoldenVectorsTest {

  static List<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (KernelBackend backend : Backends.supported()) {
      for (String name : GoldenVector.NAMES) {
        cases.add(Arguments.of(backend, GoldenVector.load(name)));
      }
    }
    return cases;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void quantizeProducesBitnetCppPackedBytesAndScale(KernelBackend backend, GoldenVector g) {
    try (BitNetKernels k = Backends.kernels(backend, 1);
        TernaryTensor t = k.quantize("golden", g.weights(), g.rows(), g.cols(), QuantizationFormat.I2_S)) {
      assertArrayEquals(g.packed(), t.packedBytes(), "packed I2_S bytes");
      assertEquals(Float.floatToIntBits(g.scale()), Float.floatToIntBits(t.scale()), "scale");
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void activationsQuantizeExactly(KernelBackend backend, GoldenVector g) {
    try (BitNetKernels k = Backends.kernels(backend, 1)) {
      QuantizedActivations a = k.quantizeActivations(g.activations(), g.batch(), g.cols());
      assertArrayEquals(g.act(), a.values(), "int8 activations");
      assertArrayEquals(g.actScale(), a.scales(), "activation scales");
      assertArrayEquals(g.actSum(), a.sums(), "activation sums");
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void dotProductsAreExactInEveryFormat(KernelBackend backend, GoldenVector g) {
    try (BitNetKernels k = Backends.kernels(backend, 2)) {
      QuantizedActivations a = k.quantizeActivations(g.activations(), g.batch(), g.cols());
      for (QuantizationFormat format : QuantizationFormat.values()) {
        try (TernaryTensor t = k.quantize("golden", g.weights(), g.rows(), g.cols(), format)) {
          int[] dots = new int[g.batch() * g.rows()];
          k.dot(t, a, dots);
          assertArrayEquals(g.dotsByVector(), dots, format + " dot products");
        }
      }
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void matmulOutputsMatchWithinOnePpm(KernelBackend backend, GoldenVector g) {
    try (BitNetKernels k = Backends.kernels(backend, 2);
        TernaryTensor t = k.fromPacked("golden", QuantizationFormat.I2_S, g.rows(), g.cols(), g.packed(), g.scale())) {
      float[] out = new float[g.batch() * g.rows()];
      k.matmul(t, g.activations(), g.batch(), out);
      float[] want = g.outByVector();
      for (int i = 0; i < want.length; i++) {
        double tolerance = 1e-6 * Math.abs(want[i]);
        assertTrue(Math.abs(out[i] - want[i]) <= tolerance,
            "out[" + i + "] = " + out[i] + ", want " + want[i] + " within 1e-6 relative");
      }
    }
  }
}
