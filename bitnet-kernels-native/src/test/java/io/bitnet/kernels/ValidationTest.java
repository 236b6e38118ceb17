package io.bitnet.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every public method rejects bad input with a message that names the argument. */
class ValidationTest {

  static Stream<KernelBackend> backends() {
    return Backends.supportedStream();
  }

  private static void rejects(Class<? extends RuntimeException> type, String mentions, Executable call) {
    RuntimeException e = assertThrows(type, call);
    assertTrue(e.getMessage() != null && e.getMessage().contains(mentions),
        "message '" + e.getMessage() + "' should mention '" + mentions + "'");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void quantizeRejectsBadArguments(KernelBackend backend) {
    try (BitNetKernels k = Backends.kernels(backend, 1)) {
      float[] w = new float[4 * 128];
      QuantizationFormat f = QuantizationFormat.I2_S;
      Class<IllegalArgumentException> iae = IllegalArgumentException.class;
      rejects(iae, "name", () -> k.quantize(null, w, 4, 128, f));
      rejects(iae, "name", () -> k.quantize(" ", w, 4, 128, f));
      rejects(iae, "name", () -> k.quantize("x".repeat(300), w, 4, 128, f));
      rejects(iae, "weights", () -> k.quantize("w", null, 4, 128, f));
      rejects(iae, "format", () -> k.quantize("w", w, 4, 128, null));
      rejects(iae, "rows", () -> k.quantize("w", w, 0, 128, f));
      rejects(iae, "rows", () -> k.quantize("w", w, -4, 128, f));
      rejects(iae, "cols", () -> k.quantize("w", w, 4, 0, f));
      rejects(iae, "cols", () -> k.quantize("w", new float[4 * 100], 4, 100, f));
      rejects(iae, "cols", () -> k.quantize("w", new float[131072], 1, 131072, f));
      rejects(iae, "weights.length", () -> k.quantize("w", w, 3, 128, f));
      rejects(iae, "rows * cols", () -> k.quantize("w", w, 1 << 20, 65536, f));
      float[] nan = new float[4 * 128];
      nan[77] = Float.NaN;
      rejects(iae, "weights[77]", () -> k.quantize("w", nan, 4, 128, QuantizationFormat.TL1));
      float[] inf = new float[4 * 128];
      inf[5] = Float.NEGATIVE_INFINITY;
      rejects(iae, "weights[5]", () -> k.quantize("w", inf, 4, 128, QuantizationFormat.TL2));
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void fromPackedRejectsBadArguments(KernelBackend backend) {
    try (BitNetKernels k = Backends.kernels(backend, 1)) {
      Class<IllegalArgumentException> iae = IllegalArgumentException.class;
      byte[] ok = new byte[(int) QuantizationFormat.I2_S.packedSize(2, 128)];
      java.util.Arrays.fill(ok, (byte) 0x55); // every code 1: ternary 0
      rejects(iae, "packed", () -> k.fromPacked("p", QuantizationFormat.I2_S, 2, 128, null, 1f));
      rejects(iae, "packed.length", () -> k.fromPacked("p", QuantizationFormat.I2_S, 3, 128, ok, 1f));
      rejects(iae, "scale", () -> k.fromPacked("p", QuantizationFormat.I2_S, 2, 128, ok, Float.NaN));
      rejects(iae, "scale", () -> k.fromPacked("p", QuantizationFormat.I2_S, 2, 128, ok, -1f));
      rejects(iae, "format", () -> k.fromPacked("p", null, 2, 128, ok, 1f));
      byte[] badI2s = ok.clone();
      badI2s[9] = (byte) 0x57; // a 2-bit code of 3
      rejects(iae, "packed[9]", () -> k.fromPacked("p", QuantizationFormat.I2_S, 2, 128, badI2s, 1f));
      byte[] badTl1 = new byte[(int) QuantizationFormat.TL1.packedSize(2, 128)];
      badTl1[3] = (byte) 0x49; // index 9
      rejects(iae, "packed[3]", () -> k.fromPacked("p", QuantizationFormat.TL1, 2, 128, badTl1, 1f));
      byte[] badTl2 = new byte[(int) QuantizationFormat.TL2.packedSize(1, 128)];
      badTl2[0] = (byte) 0xE0; // magnitude 14
      rejects(iae, "packed[0]", () -> k.fromPacked("p", QuantizationFormat.TL2, 1, 128, badTl2, 1f));
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void matmulDotAndDequantizeRejectBadArguments(KernelBackend backend) {
    try (BitNetKernels k = Backends.kernels(backend, 1)) {
      Class<IllegalArgumentException> iae = IllegalArgumentException.class;
      TernaryTensor t = k.quantize("m", RoundTripTest.randomWeights(4, 256, 1), 4, 256, QuantizationFormat.TL2);
      float[] in = new float[2 * 256];
      float[] out = new float[2 * 4];
      rejects(iae, "tensor", () -> k.matmul((TernaryTensor) null, in, 1, out));
      rejects(iae, "input", () -> k.matmul(t, null, 1, out));
      rejects(iae, "output", () -> k.matmul(t, in, 1, null));
      rejects(iae, "batch", () -> k.matmul(t, in, 0, out));
      rejects(iae, "input.length", () -> k.matmul(t, in, 3, new float[12]));
      rejects(iae, "output.length", () -> k.matmul(t, in, 2, new float[7]));
      float[] nan = new float[256];
      nan[200] = Float.NaN;
      rejects(iae, "input[200]", () -> k.matmul(t, nan, 1, out));
      rejects(iae, "tensor", () -> k.dequantize(null));

      QuantizedActivations a = k.quantizeActivations(in, 2, 256);
      rejects(iae, "activations", () -> k.dot(t, null, new int[8]));
      rejects(iae, "output", () -> k.dot(t, a, null));
      rejects(iae, "output.length", () -> k.dot(t, a, new int[7]));
      QuantizedActivations wrongCols = k.quantizeActivations(in, 1, 512);
      rejects(iae, "activations.cols", () -> k.dot(t, wrongCols, new int[8]));
      rejects(iae, "input", () -> k.quantizeActivations(null, 1, 256));
      rejects(iae, "cols", () -> k.quantizeActivations(in, 1, 0));
      rejects(iae, "input.length", () -> k.quantizeActivations(in, 3, 256));

      t.close();
      Class<IllegalStateException> ise = IllegalStateException.class;
      rejects(ise, "closed", () -> k.matmul(t, in, 1, out));
      rejects(ise, "closed", () -> k.dequantize(t));
      rejects(ise, "closed", () -> k.dot(t, a, new int[8]));
      rejects(ise, "closed", t::packedBytes);
      t.close(); // idempotent
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void builderRejectsBadThreads(KernelBackend backend) {
    rejects(IllegalArgumentException.class, "threads", () -> BitNetKernels.builder().backend(backend).threads(0));
  }
}
