package io.bitnet.agent.instrumentation.kernels;

import io.bitnet.kernels.BitNetKernels;
import io.bitnet.kernels.QuantizedActivations;
import io.bitnet.kernels.TernaryTensor;

/**
 * Sampled accuracy of quantized results, as cosine similarity against FP32.
 *
 * <p>Quantize: the weights against their ternary reconstruction {@code t * scale}. The scale cancels in
 * a cosine, so only the ternary values are needed, computed with the library's formula.
 *
 * <p>Matmul: the quantized output against dequantized weights times the FP32 input. The difference
 * between the two is the weights times the activation-quantisation residual {@code x - q / s}, so the
 * reference is the output plus one more matmul of that residual: no FP32 copy of the weights is made.
 * (The residual's own int8 rounding leaves the reference within about 1e-4 of exact, far below the
 * histogram's finest bucket.)
 */
final class Accuracy {

  private Accuracy() {}

  static double ofTernarisation(float[] w) {
    double sum = 0;
    for (float v : w) {
      sum += Math.abs((double) v);
    }
    float s = (float) (1.0 / Math.max(sum / w.length, 1e-5));
    double dot = 0;
    double ww = 0;
    double tt = 0;
    for (float v : w) {
      double t = Math.max(-1, Math.min(1, Math.rint(v * s)));
      dot += v * t;
      ww += (double) v * v;
      tt += t * t;
    }
    return cosine(dot, ww, tt);
  }

  static double ofMatmul(BitNetKernels kernels, TernaryTensor tensor, float[] input, int batch, float[] output) {
    int cols = tensor.cols();
    int rows = tensor.rows();
    QuantizedActivations q = kernels.quantizeActivations(input, batch, cols);
    float[] residual = new float[batch * cols];
    for (int v = 0; v < batch; v++) {
      float s = q.scales()[v];
      for (int c = 0; c < cols; c++) {
        residual[v * cols + c] = input[v * cols + c] - q.values()[v * cols + c] / s;
      }
    }
    float[] correction = new float[batch * rows];
    kernels.matmul(tensor, residual, batch, correction);
    double dot = 0;
    double yy = 0;
    double rr = 0;
    for (int i = 0; i < batch * rows; i++) {
      double y = output[i];
      double ref = output[i] + (double) correction[i];
      dot += y * ref;
      yy += y * y;
      rr += ref * ref;
    }
    return cosine(dot, yy, rr);
  }

  private static double cosine(double dot, double aa, double bb) {
    if (aa == 0 && bb == 0) {
      return 1.0;
    }
    if (aa == 0 || bb == 0) {
      return 0.0;
    }
    return Math.max(-1.0, Math.min(1.0, dot / Math.sqrt(aa * bb)));
  }
}
