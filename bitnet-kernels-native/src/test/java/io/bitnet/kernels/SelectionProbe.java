package io.bitnet.kernels;

/** Run in a child JVM by {@link BackendSelectionTest}: prints the default selection and a checksum. */
public final class SelectionProbe {

  private SelectionProbe() {}

  public static void main(String[] args) {
    BitNetKernels k = BitNetKernels.getDefault();
    BackendSelection s = k.backend();
    System.out.println("backend=" + s.backend());
    System.out.println("fallback=" + s.fallbackReason().orElse(""));
    System.out.println("threads=" + k.threads());
    float[] w = RoundTripTest.randomWeights(8, 256, 1);
    float[] x = RoundTripTest.randomWeights(1, 256, 2);
    float[] out = new float[8];
    try (TernaryTensor t = k.quantize("probe", w, 8, 256, QuantizationFormat.TL1)) {
      k.matmul(t, x, 1, out);
    }
    System.out.println("out0=" + out[0]);
  }
}
