package io.bitnet.runtime;

import java.util.SplittableRandom;

/**
 * A matrix kept as int8 rows with one float scale per row: the token embedding, which is also the
 * tied LM head. A quarter of FP32's memory, and the LM head runs as an exact int32 dot product.
 */
final class Int8Rows {

  private final int rows;
  private final int cols;
  private final byte[] values;
  private final float[] scales;

  private Int8Rows(int rows, int cols, byte[] values, float[] scales) {
    this.rows = rows;
    this.cols = cols;
    this.values = values;
    this.scales = scales;
  }

  /** Random rows, uniform in [-amplitude, amplitude], quantized per row (absmax). */
  static Int8Rows random(int rows, int cols, float amplitude, SplittableRandom random) {
    if ((long) rows * cols > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("embedding of " + rows + "x" + cols + " is too large");
    }
    byte[] values = new byte[rows * cols];
    float[] scales = new float[rows];
    float[] row = new float[cols];
    for (int r = 0; r < rows; r++) {
      float max = 1e-12f;
      for (int c = 0; c < cols; c++) {
        row[c] = (float) ((random.nextDouble() * 2 - 1) * amplitude);
        max = Math.max(max, Math.abs(row[c]));
      }
      float s = 127f / max;
      for (int c = 0; c < cols; c++) {
        values[r * cols + c] = (byte) Math.round(row[c] * s);
      }
      scales[r] = max / 127f;
    }
    return new Int8Rows(rows, cols, values, scales);
  }

  long bytes() {
    return values.length + 4L * scales.length;
  }

  /** Dequantizes row {@code r} into {@code out[off ..]}. */
  void row(int r, float[] out, int off) {
    if (r < 0 || r >= rows) {
      throw new IllegalArgumentException("token " + r + " is outside the vocabulary of " + rows);
    }
    float s = scales[r];
    int base = r * cols;
    for (int c = 0; c < cols; c++) {
      out[off + c] = values[base + c] * s;
    }
  }

  /** {@code out[r] = row_r . x}, with x quantized to int8 per vector. */
  void multiply(float[] x, float[] out) {
    float max = 1e-12f;
    for (int c = 0; c < cols; c++) {
      max = Math.max(max, Math.abs(x[c]));
    }
    float xs = max / 127f;
    byte[] xq = new byte[cols];
    for (int c = 0; c < cols; c++) {
      xq[c] = (byte) Math.round(x[c] / xs);
    }
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      int acc = 0;
      for (int c = 0; c < cols; c++) {
        acc += values[base + c] * xq[c];
      }
      out[r] = acc * scales[r] * xs;
    }
  }
}
