package io.bitnet.kernels.internal;

import io.bitnet.kernels.KernelBackend;
import io.bitnet.kernels.QuantizationFormat;

/**
 * The pure-Java backend: canonical packed bytes on the heap, and kernels with the same exact integer
 * results as the C ones. I2_S decodes the 2-bit codes inline; TL1 and TL2 use the lookup-table method,
 * with tables built once per activation vector.
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

  @Override
  public void dot(byte[] activations, int batch, int[] out, RowExecutor executor) {
    Object[] prepared = new Object[batch];
    int[] sums = new int[batch];
    for (int v = 0; v < batch; v++) {
      prepared[v] = prepare(activations, v * cols);
      for (int i = 0; i < cols; i++) {
        sums[v] += activations[v * cols + i];
      }
    }
    executor.forRows(
        rows,
        (long) cols * batch,
        (r0, r1) -> {
          for (int v = 0; v < batch; v++) {
            for (int r = r0; r < r1; r++) {
              out[v * rows + r] = rowDot(r, prepared[v], activations, v * cols, sums[v]);
            }
          }
        });
  }

  @Override
  public void free() {
    // heap memory: the garbage collector reclaims it
  }

  /** I2_S needs the plain vector; TL1 and TL2 need their lookup tables. */
  private Object prepare(byte[] a, int off) {
    return switch (format) {
      case I2_S -> null;
      case TL1 -> tl1Tables(a, off, cols / 2);
      case TL2 -> tl2Tables(a, off);
    };
  }

  private int rowDot(int r, Object prepared, byte[] a, int aOff, int sum) {
    int base = r * rowBytes;
    return switch (format) {
      case I2_S -> i2sRowDot(base, a, aOff) - sum;
      case TL1 -> tl1RowDot(base, cols / 2, (short[]) prepared, 0);
      case TL2 -> tl2RowDot(base, (short[]) prepared);
    };
  }

  private int i2sRowDot(int base, byte[] a, int aOff) {
    int acc = 0;
    for (int b = 0; b < cols / 128; b++) {
      int w = base + 32 * b;
      int x = aOff + 128 * b;
      for (int j = 0; j < 32; j++) {
        int code = packed[w + j];
        acc += ((code >> 6) & 3) * a[x + j]
            + ((code >> 4) & 3) * a[x + j + 32]
            + ((code >> 2) & 3) * a[x + j + 64]
            + (code & 3) * a[x + j + 96];
      }
    }
    return acc;
  }

  /** tables[9 * g + i] = (i / 3 - 1) * a[2g] + (i % 3 - 1) * a[2g + 1]. */
  private static short[] tl1Tables(byte[] a, int off, int pairs) {
    short[] t = new short[9 * pairs];
    fillTl1Tables(a, off, pairs, t, 0);
    return t;
  }

  private static void fillTl1Tables(byte[] a, int off, int pairs, short[] t, int tOff) {
    for (int g = 0; g < pairs; g++) {
      int a0 = a[off + 2 * g];
      int a1 = a[off + 2 * g + 1];
      for (int i = 0; i < 9; i++) {
        t[tOff + 9 * g + i] = (short) ((i / 3 - 1) * a0 + (i % 3 - 1) * a1);
      }
    }
  }

  private int tl1RowDot(int base, int pairs, short[] t, int tOff) {
    int acc = 0;
    for (int j = 0; j < pairs / 2; j++) {
      int b = packed[base + j];
      acc += t[tOff + 18 * j + ((b >> 4) & 15)] + t[tOff + 18 * j + 9 + (b & 15)];
    }
    return acc;
  }

  /** 14 magnitudes per three-weight group, then TL1 tables for the remainder. */
  private short[] tl2Tables(byte[] a, int off) {
    int groups = TernaryCodec.tl2Groups(cols);
    int tailPairs = (cols - 3 * groups) / 2;
    short[] t = new short[14 * groups + 9 * tailPairs];
    for (int g = 0; g < groups; g++) {
      int a0 = a[off + 3 * g];
      int a1 = a[off + 3 * g + 1];
      int a2 = a[off + 3 * g + 2];
      for (int m = 0; m < 14; m++) {
        t[14 * g + m] = (short) ((m / 9 - 1) * a0 + (m / 3 % 3 - 1) * a1 + (m % 3 - 1) * a2);
      }
    }
    fillTl1Tables(a, off + 3 * groups, tailPairs, t, 14 * groups);
    return t;
  }

  private int tl2RowDot(int base, short[] t) {
    int groups = TernaryCodec.tl2Groups(cols);
    int signs = base + groups / 2;
    int acc = 0;
    for (int g = 0; g < groups; g += 2) {
      int nib = packed[base + g / 2];
      int s = packed[signs + g / 8] >> (g % 8);
      int hi = t[14 * g + ((nib >> 4) & 15)];
      int lo = t[14 * (g + 1) + (nib & 15)];
      acc += ((s & 1) != 0 ? -hi : hi) + ((s & 2) != 0 ? -lo : lo);
    }
    return acc + tl1RowDot(signs + groups / 8, (cols - 3 * groups) / 2, t, 14 * groups);
  }
}
