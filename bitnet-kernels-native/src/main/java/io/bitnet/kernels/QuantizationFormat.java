package io.bitnet.kernels;

/**
 * The packed ternary weight formats. Layouts and formulas are in {@code docs/formats.md}.
 *
 * <p>Every format packs columns in blocks of {@link #BLOCK_SIZE} weights, so a tensor's column count
 * must be a multiple of it.
 */
public enum QuantizationFormat {
  /** bitnet.cpp's x86 I2_S layout: four 2-bit codes per byte, 128-weight blocks. */
  I2_S,
  /** Lookup-table format: a 4-bit index per pair of weights. */
  TL1,
  /** Lookup-table format: a 4-bit magnitude index plus a sign bit per three weights. */
  TL2;

  /** Columns per block, for every format. */
  public static final int BLOCK_SIZE = 128;

  /** The largest column count whose int32 accumulation every kernel keeps exact. */
  public static final int MAX_COLS = 65536;

  /**
   * Size in bytes of the canonical packed form of a {@code rows x cols} tensor, as returned by
   * {@link TernaryTensor#packedBytes()} and accepted by {@link BitNetKernels#fromPacked}.
   */
  public long packedSize(int rows, int cols) {
    if (this == TL2) {
      return (long) rows * tl2RowBytes(cols);
    }
    return (long) rows * cols / 4;
  }

  /** Lower-case name as used in telemetry labels: {@code i2_s}, {@code tl1}, {@code tl2}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Columns of a TL2 row that are coded as three-weight groups; the rest are TL1 pairs. */
  static int tl2ThreeCols(int cols) {
    return (cols / 96) * 96;
  }

  static long tl2RowBytes(int cols) {
    int groups = tl2ThreeCols(cols) / 3;
    return groups / 2 + groups / 8 + (cols - tl2ThreeCols(cols)) / 4;
  }
}
