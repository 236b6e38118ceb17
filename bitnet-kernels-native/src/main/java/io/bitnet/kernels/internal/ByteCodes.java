package io.bitnet.kernels.internal;

/**
 * The 81 byte values that encode four ternary weights, in the two formats that pack four weights per
 * byte, with the weights each one encodes (in the order of the byte's columns).
 */
enum ByteCodes {
  /** Four 2-bit codes (ternary + 1), most significant first. */
  I2_S,
  /** Two 4-bit pair indices 3 (t0 + 1) + (t1 + 1), high nibble first. */
  TL1;

  static final int COUNT = 81;

  private final int[] values = new int[COUNT];
  private final byte[] weights = new byte[4 * COUNT];

  ByteCodes() {
    int i = 0;
    for (int w0 = -1; w0 <= 1; w0++) {
      for (int w1 = -1; w1 <= 1; w1++) {
        for (int w2 = -1; w2 <= 1; w2++) {
          for (int w3 = -1; w3 <= 1; w3++) {
            values[i] = ordinal() == 0
                ? ((w0 + 1) << 6) | ((w1 + 1) << 4) | ((w2 + 1) << 2) | (w3 + 1)
                : ((3 * (w0 + 1) + (w1 + 1)) << 4) | (3 * (w2 + 1) + (w3 + 1));
            weights[4 * i] = (byte) w0;
            weights[4 * i + 1] = (byte) w1;
            weights[4 * i + 2] = (byte) w2;
            weights[4 * i + 3] = (byte) w3;
            i++;
          }
        }
      }
    }
  }

  /** The byte value of combination {@code i}. */
  int value(int i) {
    return values[i];
  }

  /** Weight {@code k} (0..3) of combination {@code i}. */
  int weight(int i, int k) {
    return weights[4 * i + k];
  }
}
