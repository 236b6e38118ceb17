package io.bitnet.agent.it;

import io.bitnet.kernels.BitNetKernels;
import io.bitnet.kernels.QuantizationFormat;
import io.bitnet.kernels.TernaryTensor;

/**
 * A child-JVM application for the cardinality test: quantizes tensors with 10,000 distinct names,
 * prints "quantized", then stays up until its stdin closes so the test can scrape it.
 */
public final class ManyTensorsApp {

  private ManyTensorsApp() {}

  public static void main(String[] args) throws Exception {
    int count = Integer.parseInt(args[0]);
    float[] w = new float[128];
    for (int i = 0; i < w.length; i++) {
      w[i] = (i % 3) - 1;
    }
    BitNetKernels kernels = BitNetKernels.getDefault();
    for (int i = 0; i < count; i++) {
      try (TernaryTensor t = kernels.quantize("tensor." + i, w, 1, 128, QuantizationFormat.I2_S)) {
        t.scale();
      }
    }
    System.out.println("quantized " + count);
    System.out.flush();
    while (System.in.read() >= 0) {
      // wait for the test to finish scraping
    }
  }
}
