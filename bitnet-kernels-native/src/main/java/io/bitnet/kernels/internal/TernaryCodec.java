package io.bitnet.kernels.internal;

import io.bitnet.kernels.QuantizationFormat;

/**
 * The Java twin of the C library's packing code: absmean ternarisation, per-vector int8 activation
 * quantisation, and each format's canonical layout (docs/formats.md). Results are bit-identical to C.
 */
public final class TernaryCodec {

  private TernaryCodec() {}

  /**
   * Absmean ternarisation: {@code s = (float) (1 / max(mean|w|, 1e-5))}, {@code t = clamp(rint(w * s), -1, 1)}.
   * Returns the scale {@code 1 / s}.
   */
  public static float ternarise(float[] w, int n, byte[] t) {
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
      sum += Math.abs((double) w[i]);
    }
    double mean = sum / n;
    float s = (float) (1.0 / Math.max(mean, 1e-5));
    for (int i = 0; i < n; i++) {
      double v = Math.rint(w[i] * s);
      t[i] = (byte) (v > 1 ? 1 : v < -1 ? -1 : (int) v);
    }
    return 1.0f / s;
  }

  /** Per-vector absmax int8 quantisation of {@code batch} vectors of {@code cols} floats. */
  public static void quantizeActivations(
      float[] x, int batch, int cols, byte[] q, float[] scales, int[] sums) {
    for (int v = 0; v < batch; v++) {
      int off = v * cols;
      double max = 1e-5;
      for (int i = 0; i < cols; i++) {
        max = Math.max(max, Math.abs((double) x[off + i]));
      }
      float s = (float) (127.0 / max);
      int sum = 0;
      for (int i = 0; i < cols; i++) {
        double r = Math.rint(x[off + i] * s);
        int iv = r > 127 ? 127 : r < -128 ? -128 : (int) r;
        q[off + i] = (byte) iv;
        sum += iv;
      }
      scales[v] = s;
      sums[v] = sum;
    }
  }

  /** Packs row-major ternary values into the format's canonical layout. */
  public static byte[] pack(QuantizationFormat format, byte[] t, int rows, int cols) {
    byte[] out = new byte[Math.toIntExact(format.packedSize(rows, cols))];
    switch (format) {
      case I2_S -> packI2s(t, 0, rows * cols, out, 0);
      case TL1 -> packTl1(t, 0, rows * cols, out, 0);
      case TL2 -> {
        int rowBytes = (int) QuantizationFormat.TL2.packedSize(1, cols);
        for (int r = 0; r < rows; r++) {
          packTl2Row(t, r * cols, cols, out, r * rowBytes);
        }
      }
    }
    return out;
  }

  /** Unpacks the canonical layout into row-major ternary values. */
  public static byte[] unpack(QuantizationFormat format, byte[] packed, int rows, int cols) {
    byte[] t = new byte[rows * cols];
    switch (format) {
      case I2_S -> unpackI2s(packed, 0, rows * cols, t, 0);
      case TL1 -> unpackTl1(packed, 0, rows * cols, t, 0);
      case TL2 -> {
        int rowBytes = (int) QuantizationFormat.TL2.packedSize(1, cols);
        for (int r = 0; r < rows; r++) {
          unpackTl2Row(packed, r * rowBytes, cols, t, r * cols);
        }
      }
    }
    return t;
  }

  /**
   * The offset of the first byte holding a code that no ternary group produces (an I2_S code of 3, a
   * TL1 index above 8, a TL2 magnitude above 13), or -1 when every code is valid.
   */
  public static int firstInvalidByte(QuantizationFormat format, byte[] packed, int rows, int cols) {
    switch (format) {
      case I2_S -> {
        for (int i = 0; i < packed.length; i++) {
          int b = packed[i] & 0xFF;
          // a 2-bit field equal to 3 has both bits set
          if (((b & (b >>> 1)) & 0x55) != 0) {
            return i;
          }
        }
        return -1;
      }
      case TL1 -> {
        return firstNibbleAbove(packed, 0, packed.length, 8);
      }
      default -> {
        int groups = tl2Groups(cols);
        int rowBytes = (int) QuantizationFormat.TL2.packedSize(1, cols);
        for (int r = 0; r < rows; r++) {
          int base = r * rowBytes;
          int bad = firstNibbleAbove(packed, base, base + groups / 2, 13);
          if (bad < 0) {
            bad = firstNibbleAbove(packed, base + groups / 2 + groups / 8, base + rowBytes, 8);
          }
          if (bad >= 0) {
            return bad;
          }
        }
        return -1;
      }
    }
  }

  private static int firstNibbleAbove(byte[] p, int from, int to, int max) {
    for (int i = from; i < to; i++) {
      if (((p[i] >> 4) & 15) > max || (p[i] & 15) > max) {
        return i;
      }
    }
    return -1;
  }

  static int tl2Groups(int cols) {
    return (cols / 96) * 96 / 3;
  }

  private static void packI2s(byte[] t, int from, int count, byte[] out, int outOff) {
    for (int b = 0; b < count / 128; b++) {
      int s = from + 128 * b;
      for (int j = 0; j < 32; j++) {
        out[outOff + 32 * b + j] =
            (byte) (((t[s + j] + 1) << 6) | ((t[s + j + 32] + 1) << 4) | ((t[s + j + 64] + 1) << 2) | (t[s + j + 96] + 1));
      }
    }
  }

  private static void unpackI2s(byte[] p, int pOff, int count, byte[] t, int tOff) {
    for (int b = 0; b < count / 128; b++) {
      int d = tOff + 128 * b;
      for (int j = 0; j < 32; j++) {
        int x = p[pOff + 32 * b + j];
        t[d + j] = (byte) (((x >> 6) & 3) - 1);
        t[d + j + 32] = (byte) (((x >> 4) & 3) - 1);
        t[d + j + 64] = (byte) (((x >> 2) & 3) - 1);
        t[d + j + 96] = (byte) ((x & 3) - 1);
      }
    }
  }

  private static void packTl1(byte[] t, int from, int count, byte[] out, int outOff) {
    for (int j = 0; j < count / 4; j++) {
      int s = from + 4 * j;
      int hi = 3 * (t[s] + 1) + (t[s + 1] + 1);
      int lo = 3 * (t[s + 2] + 1) + (t[s + 3] + 1);
      out[outOff + j] = (byte) ((hi << 4) | lo);
    }
  }

  private static void unpackTl1(byte[] p, int pOff, int count, byte[] t, int tOff) {
    for (int j = 0; j < count / 4; j++) {
      int hi = (p[pOff + j] >> 4) & 15;
      int lo = p[pOff + j] & 15;
      int d = tOff + 4 * j;
      t[d] = (byte) (hi / 3 - 1);
      t[d + 1] = (byte) (hi % 3 - 1);
      t[d + 2] = (byte) (lo / 3 - 1);
      t[d + 3] = (byte) (lo % 3 - 1);
    }
  }

  private static void packTl2Row(byte[] t, int from, int cols, byte[] out, int outOff) {
    int groups = tl2Groups(cols);
    int signOff = outOff + groups / 2;
    for (int g = 0; g < groups; g++) {
      int s = from + 3 * g;
      int v = 9 * (t[s] + 1) + 3 * (t[s + 1] + 1) + (t[s + 2] + 1);
      boolean negative = v > 13;
      int m = negative ? 26 - v : v;
      out[outOff + g / 2] |= (byte) (g % 2 == 0 ? m << 4 : m);
      if (negative) {
        out[signOff + g / 8] |= (byte) (1 << (g % 8));
      }
    }
    packTl1(t, from + 3 * groups, cols - 3 * groups, out, signOff + groups / 8);
  }

  private static void unpackTl2Row(byte[] p, int pOff, int cols, byte[] t, int tOff) {
    int groups = tl2Groups(cols);
    int signOff = pOff + groups / 2;
    for (int g = 0; g < groups; g++) {
      int nib = p[pOff + g / 2];
      int m = g % 2 == 0 ? (nib >> 4) & 15 : nib & 15;
      int v = ((p[signOff + g / 8] >> (g % 8)) & 1) != 0 ? 26 - m : m;
      int d = tOff + 3 * g;
      t[d] = (byte) (v / 9 - 1);
      t[d + 1] = (byte) (v / 3 % 3 - 1);
      t[d + 2] = (byte) (v % 3 - 1);
    }
    unpackTl1(p, signOff + groups / 8, cols - 3 * groups, t, tOff + 3 * groups);
  }
}
