package io.bitnet.kernels.internal;

import io.bitnet.kernels.KernelBackend;
import io.bitnet.kernels.QuantizationFormat;

/**
 * The pure-Java backend: packed bytes on the heap, and kernels with the same exact integer results as
 * the C ones. Every format uses the lookup-table method, with tables built once per activation vector
 * (see {@link #prepare}). I2_S and TL1 keep their canonical layout. TL2 is re-tiled at load into TL1
 * pairs (2 bits per weight instead of 1.67): its sign bits cost the JIT a lookup and a shift per three
 * weights, and as pairs it runs at TL1's speed with the same integers. packedBytes() converts back.
 */
public final class JavaStorage implements TensorStorage {

  private final QuantizationFormat format;
  /** The layout the kernels read: TL2 is re-tiled as TL1 pairs at load (see the class comment). */
  private final QuantizationFormat layout;
  private final int rows;
  private final int cols;
  private final float scale;
  private final byte[] packed;
  private final int rowBytes;

  public JavaStorage(QuantizationFormat format, int rows, int cols, byte[] packed, float scale) {
    this.format = format;
    this.layout = format == QuantizationFormat.TL2 ? QuantizationFormat.TL1 : format;
    this.rows = rows;
    this.cols = cols;
    this.packed = layout == format
        ? packed
        : TernaryCodec.pack(layout, TernaryCodec.unpack(format, packed, rows, cols), rows, cols);
    this.scale = scale;
    this.rowBytes = (int) layout.packedSize(1, cols);
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
    return layout == format
        ? packed.clone()
        : TernaryCodec.pack(format, TernaryCodec.unpack(layout, packed, rows, cols), rows, cols);
  }

  @Override
  public void dequantize(float[] out) {
    byte[] t = TernaryCodec.unpack(layout, packed, rows, cols);
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
   * Lookup-table bytes per pass over a slice of rows: 64 byte positions are a 32 KiB slice of the
   * tables, so the lookups of every row in the slice hit L1 instead of streaming the whole table
   * (0.9 MiB at 6912 columns) once per row.
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
            byteTableDot(prepared[v], r0, r1, acc);
            System.arraycopy(acc, 0, out, v * rows + r0, r1 - r0);
          }
        });
  }

  @Override
  public void free() {
    // heap memory: the garbage collector reclaims it
  }

  /**
   * Builds the lookup tables of one activation vector. Both layouts hold four weights per byte, so the
   * tables have one entry per (byte position, byte value): a row's dot product is then one lookup per
   * byte.
   */
  private short[] prepare(byte[] a, int off) {
    short[] t = new short[256 * rowBytes];
    fillByteTables(layout, a, off, rowBytes, t, 0);
    return t;
  }

  /**
   * Byte tables of one vector: {@code t[256 * p + b]} is the dot product of
   * the four weights that byte value {@code b} encodes at byte position {@code p} with their
   * activations. Only the 81 byte values that encode four ternary weights are filled.
   */
  private static void fillByteTables(QuantizationFormat codesOf, byte[] a, int off, int positions, short[] t, int tOff) {
    int[] cols = new int[4];
    for (int p = 0; p < positions; p++) {
      if (codesOf == QuantizationFormat.I2_S) {
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
      ByteCodes codes = codesOf == QuantizationFormat.I2_S ? ByteCodes.I2_S : ByteCodes.TL1;
      int base = tOff + 256 * p;
      for (int i = 0; i < ByteCodes.COUNT; i++) {
        t[base + codes.value(i)] =
            (short) (codes.weight(i, 0) * a0 + codes.weight(i, 1) * a1 + codes.weight(i, 2) * a2 + codes.weight(i, 3) * a3);
      }
    }
  }

  /** Adds to {@code acc} each row's lookups in {@code t}, for rows [r0, r1), a cache-sized slice at a time. */
  private void byteTableDot(short[] t, int r0, int r1, int[] acc) {
    int step = TABLE_BYTES_PER_PASS / 512;
    for (int p0 = 0; p0 < rowBytes; p0 += step) {
      int p1 = Math.min(rowBytes, p0 + step);
      for (int r = r0; r < r1; r++) {
        int base = r * rowBytes;
        int sum = 0;
        for (int j = p0; j < p1; j++) {
          sum += t[(j << 8) + (packed[base + j] & 0xFF)];
        }
        acc[r - r0] += sum;
      }
    }
  }
}
