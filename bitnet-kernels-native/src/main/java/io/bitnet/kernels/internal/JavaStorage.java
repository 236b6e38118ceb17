package io.bitnet.kernels.internal;

import io.bitnet.kernels.KernelBackend;
import io.bitnet.kernels.QuantizationFormat;

/**
 * The pure-Java backend: canonical packed bytes on the heap, and kernels with the same exact integer
 * results as the C ones. Every format uses the lookup-table method, with tables built once per
 * activation vector (see {@link #prepare}).
 */
public final class JavaStorage implements TensorStorage {

  private final QuantizationFormat format;
  private final int rows;
  private final int cols;
  private final float scale;
  private final byte[] packed;
  private final int rowBytes;

  public JavaStorage(QuantizationFormat format, int rows, int cols, byte[] packed, float scale) {
    this.format = format;
    this.rows = rows;
    this.cols = cols;
    this.packed = packed;
    this.scale = scale;
    this.rowBytes = (int) format.packedSize(1, cols);
  }

  @Override
  public KernelBackend backend() {
    return KernelBackend.JAVA;
  }

  @Override
  public long sizeBytes() {
    return packed.length;
  }

  @Override
  public byte[] packedBytes() {
    return packed.clone();
  }

  @Override
  public void dequantize(float[] out) {
    byte[] t = TernaryCodec.unpack(format, packed, rows, cols);
    for (int i = 0; i < t.length; i++) {
      out[i] = t[i] * scale;
    }
  }

  @Override
  public void matmul(float[] input, int batch, float[] output, RowExecutor executor) {
    byte[] q = new byte[batch * cols];
    float[] scales = new float[batch];
    int[] sums = new int[batch];
    TernaryCodec.quantizeActivations(input, batch, cols, q, scales, sums);
    int[] dots = new int[batch * rows];
    dot(q, batch, dots, executor);
    for (int v = 0; v < batch; v++) {
      float s = scales[v];
      for (int r = 0; r < rows; r++) {
        output[v * rows + r] = (float) dots[v * rows + r] / s * scale;
      }
    }
  }

  /**
   * Lookup-table positions per pass over a slice of rows: 64 byte positions are a 32 KiB slice of the
   * tables (TL2: 256 positions of 128 B), so the lookups of every row in the slice hit L1 instead of
   * streaming the whole table (0.9 MiB at 6912 columns) once per row.
   */
  private static final int TABLE_BYTES_PER_PASS = 32 * 1024;

  @Override
  public void dot(byte[] activations, int batch, int[] out, RowExecutor executor) {
    short[][] prepared = new short[batch][];
    for (int v = 0; v < batch; v++) {
      prepared[v] = prepare(activations, v * cols);
    }
    executor.forRows(
        rows,
        (long) cols * batch,
        (r0, r1) -> {
          int[] acc = new int[r1 - r0];
          for (int v = 0; v < batch; v++) {
            java.util.Arrays.fill(acc, 0);
            if (format == QuantizationFormat.TL2) {
              tl2Dot(prepared[v], r0, r1, acc);
            } else {
              byteTableDot(0, rowBytes, prepared[v], 0, r0, r1, acc);
            }
            System.arraycopy(acc, 0, out, v * rows + r0, r1 - r0);
          }
        });
  }

  @Override
  public void free() {
    // heap memory: the garbage collector reclaims it
  }

  /**
   * Builds the lookup tables of one activation vector. I2_S and TL1 both hold four weights per byte,
   * so their tables have one entry per (byte position, byte value): a row's dot product is then one
   * lookup per byte. TL2 gets 32 entries per three-weight group (the 14 magnitudes, then their
   * negations, indexed by the sign bit), plus byte tables for its TL1 remainder.
   */
  private short[] prepare(byte[] a, int off) {
    return switch (format) {
      case I2_S, TL1 -> byteTables(format, a, off);
      case TL2 -> tl2Tables(a, off);
    };
  }

  /**
   * Byte tables of one vector: {@code t[256 * p + b]} is the dot product of
   * the four weights that byte value {@code b} encodes at byte position {@code p} with their
   * activations. Only the 81 byte values that encode four ternary weights are filled.
   */
  private short[] byteTables(QuantizationFormat layout, byte[] a, int off) {
    int positions = cols / 4;
    short[] t = new short[256 * positions];
    fillByteTables(layout, a, off, positions, t, 0);
    return t;
  }

  private static void fillByteTables(QuantizationFormat layout, byte[] a, int off, int positions, short[] t, int tOff) {
    int[] cols = new int[4];
    for (int p = 0; p < positions; p++) {
      if (layout == QuantizationFormat.I2_S) {
        int c = 128 * (p / 32) + p % 32;
        cols[0] = c;
        cols[1] = c + 32;
        cols[2] = c + 64;
        cols[3] = c + 96;
      } else {
        for (int i = 0; i < 4; i++) {
          cols[i] = 4 * p + i;
        }
      }
      int a0 = a[off + cols[0]];
      int a1 = a[off + cols[1]];
      int a2 = a[off + cols[2]];
      int a3 = a[off + cols[3]];
      ByteCodes codes = layout == QuantizationFormat.I2_S ? ByteCodes.I2_S : ByteCodes.TL1;
      int base = tOff + 256 * p;
      for (int i = 0; i < ByteCodes.COUNT; i++) {
        t[base + codes.value(i)] =
            (short) (codes.weight(i, 0) * a0 + codes.weight(i, 1) * a1 + codes.weight(i, 2) * a2 + codes.weight(i, 3) * a3);
      }
    }
  }

  /**
   * Adds, for rows [r0, r1), the lookups of byte positions [0, to) of each row (whose bytes start at
   * {@code rowOffset} within the row) in tables starting at {@code tOff}, a cache-sized slice at a time.
   */
  private void byteTableDot(int rowOffset, int to, short[] t, int tOff, int r0, int r1, int[] acc) {
    int step = TABLE_BYTES_PER_PASS / 512;
    for (int p0 = 0; p0 < to; p0 += step) {
      int p1 = Math.min(to, p0 + step);
      for (int r = r0; r < r1; r++) {
        int base = r * rowBytes + rowOffset;
        int sum = 0;
        for (int j = p0; j < p1; j++) {
          sum += t[tOff + (j << 8) + (packed[base + j] & 0xFF)];
        }
        acc[r - r0] += sum;
      }
    }
  }

  private short[] tl2Tables(byte[] a, int off) {
    int groups = TernaryCodec.tl2Groups(cols);
    int tailPositions = (cols - 3 * groups) / 4;
    short[] t = new short[32 * groups + 256 * tailPositions];
    for (int g = 0; g < groups; g++) {
      int a0 = a[off + 3 * g];
      int a1 = a[off + 3 * g + 1];
      int a2 = a[off + 3 * g + 2];
      for (int m = 0; m < 14; m++) {
        int v = (m / 9 - 1) * a0 + (m / 3 % 3 - 1) * a1 + (m % 3 - 1) * a2;
        t[32 * g + m] = (short) v;
        t[32 * g + 16 + m] = (short) -v;
      }
    }
    fillByteTables(QuantizationFormat.TL1, a, off + 3 * groups, tailPositions, t, 32 * groups);
    return t;
  }

  /** TL2: the three-weight groups (signed 32-entry tables, two groups per byte), then the TL1 tail. */
  private void tl2Dot(short[] t, int r0, int r1, int[] acc) {
    int groups = TernaryCodec.tl2Groups(cols);
    int nibbleBytes = groups / 2;
    int step = TABLE_BYTES_PER_PASS / 128;
    for (int j0 = 0; j0 < nibbleBytes; j0 += step) {
      int j1 = Math.min(nibbleBytes, j0 + step);
      for (int r = r0; r < r1; r++) {
        int base = r * rowBytes;
        int signs = base + nibbleBytes;
        int sum = 0;
        for (int j = j0; j < j1; j++) {
          int nib = packed[base + j];
          int s = packed[signs + (j >> 2)] >> ((j & 3) << 1);
          sum += t[(j << 6) + ((nib >> 4) & 15) + ((s & 1) << 4)];
          sum += t[(j << 6) + 32 + (nib & 15) + ((s & 2) << 3)];
        }
        acc[r - r0] += sum;
      }
    }
    byteTableDot(nibbleBytes + groups / 8, (cols - 3 * groups) / 4, t, 32 * groups, r0, r1, acc);
  }
}
