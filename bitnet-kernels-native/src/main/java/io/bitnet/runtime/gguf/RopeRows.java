package io.bitnet.runtime.gguf;

/**
 * The row order of query and key projections. The runtime's RoPE rotates consecutive pairs
 * {@code (2i, 2i + 1)} of each head; bitnet-b1.58 GGUF files are converted without llama.cpp's LLaMA
 * permutation and llama.cpp rotates them "NeoX" style, pairing {@code (i, i + headDim / 2)}. Reordering
 * the rows of each head once at load makes the two the same computation: a matmul computes each
 * output row on its own, so moving whole rows moves outputs and nothing else, and q and k move alike,
 * so every q·k dot product is unchanged.
 */
public final class RopeRows {

  private RopeRows() {}

  /**
   * For each runtime row (pairs interleaved), the file row (pairs in halves) it comes from: in each
   * head, runtime row {@code 2i} is file row {@code i} and runtime row {@code 2i + 1} is file row
   * {@code i + headDim / 2}.
   *
   * @param rows a multiple of {@code headDim}
   * @param headDim even
   */
  public static int[] fromHalves(int rows, int headDim) {
    if (headDim <= 0 || headDim % 2 != 0 || rows % headDim != 0) {
      throw new IllegalArgumentException(rows + " rows do not split into heads of even size " + headDim);
    }
    int half = headDim / 2;
    int[] order = new int[rows];
    for (int base = 0; base < rows; base += headDim) {
      for (int i = 0; i < half; i++) {
        order[base + 2 * i] = base + i;
        order[base + 2 * i + 1] = base + half + i;
      }
    }
    return order;
  }

  /** The inverse permutation: {@code inverse(order)[order[r]] == r}. */
  public static int[] inverse(int[] order) {
    int[] inv = new int[order.length];
    for (int r = 0; r < order.length; r++) {
      inv[order[r]] = r;
    }
    return inv;
  }

  /** Row {@code r} of the result is row {@code order[r]} of {@code data}, each row {@code rowBytes} long. */
  public static byte[] reorder(byte[] data, int[] order, int rowBytes) {
    return copyRows(data, new byte[data.length], data.length, order, rowBytes);
  }

  /** As {@link #reorder(byte[], int[], int)} for float rows of {@code cols} values. */
  public static float[] reorder(float[] data, int[] order, int cols) {
    return copyRows(data, new float[data.length], data.length, order, cols);
  }

  private static <A> A copyRows(A from, A to, int length, int[] order, int rowLength) {
    if ((long) order.length * rowLength != length) {
      throw new IllegalArgumentException(length + " elements are not " + order.length + " rows of " + rowLength);
    }
    for (int r = 0; r < order.length; r++) {
      System.arraycopy(from, order[r] * rowLength, to, r * rowLength, rowLength);
    }
    return to;
  }
}
