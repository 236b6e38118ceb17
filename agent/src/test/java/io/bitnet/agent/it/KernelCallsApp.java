package io.bitnet.agent.it;

import io.bitnet.kernels.BitNetKernels;
import io.bitnet.kernels.QuantizationFormat;
import io.bitnet.kernels.TernaryTensor;

/**
 * A plain application for child-JVM tests of the kernel instrumentation, with no HTTP and no trace:
 * {@code tensors N} quantizes N tensors with distinct names; {@code ops} quantizes one tensor per
 * format, dequantizes each twice, adopts one from packed bytes and runs five matmuls. It prints
 * "done", then stays up until its stdin closes so the test can scrape it.
 */
public final class KernelCallsApp {

  private KernelCallsApp() {}

  public static void main(String[] args) throws Exception {
    BitNetKernels kernels = BitNetKernels.getDefault();
    float[] w = new float[64 * 256];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) Math.sin(i);
    }
    if (args[0].equals("tensors")) {
      int count = Integer.parseInt(args[1]);
      float[] row = java.util.Arrays.copyOf(w, 256);
      for (int i = 0; i < count; i++) {
        try (TernaryTensor t = kernels.quantize("tensor." + i, row, 1, 256, QuantizationFormat.I2_S)) {
          t.scale();
        }
      }
    } else {
      TernaryTensor last = null;
      for (QuantizationFormat f : QuantizationFormat.values()) {
        last = kernels.quantize("ops." + f.label(), w, 64, 256, f);
        kernels.dequantize(last);
        kernels.dequantize(last);
      }
      TernaryTensor adopted = kernels.fromPacked("ops.adopted", last.format(), 64, 256, last.packedBytes(), last.scale());
      float[] x = new float[256];
      java.util.Arrays.fill(x, 0.5f);
      float[] y = new float[64];
      for (int i = 0; i < 5; i++) {
        kernels.matmul(adopted, x, 1, y);
      }
    }
    System.out.println("done");
    System.out.flush();
    while (System.in.read() >= 0) {
      // wait for the test to finish scraping
    }
  }
}
