package io.bitnet.kernels;

import io.bitnet.kernels.internal.Int8Storage;

/**
 * A matrix of int8 rows with one float scale per row, for weights that stay 8-bit: a token embedding
 * that is also the LM head. Native backends keep it in native memory, released by {@link #close()}
 * (a Cleaner is the safety net). Safe for concurrent reads.
 */
public final class Int8Matrix extends NativeResource<Int8Storage> {

  private final String name;
  private final int rows;
  private final int cols;
  private final KernelBackend backend;

  Int8Matrix(String name, int rows, int cols, KernelBackend backend, Int8Storage storage) {
    super(storage, storage::free);
    this.name = name;
    this.rows = rows;
    this.cols = cols;
    this.backend = backend;
  }

  public String name() {
    return name;
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** The backend whose kernels run on this matrix. */
  public KernelBackend backend() {
    return backend;
  }

  /** Bytes of int8 values. */
  public long sizeBytes() {
    return (long) rows * cols;
  }

  /**
   * Writes row {@code row} as floats (values times the row's scale) into {@code out[offset ..]}.
   *
   * @throws IllegalArgumentException for a row outside the matrix or an output too small
   * @throws IllegalStateException if the matrix is closed
   */
  public void row(int row, float[] out, int offset) {
    if (row < 0 || row >= rows) {
      throw new IllegalArgumentException("row " + row + " is outside 0.." + (rows - 1) + " of '" + name + "'");
    }
    if (out == null) {
      throw new IllegalArgumentException("out must not be null");
    }
    if (offset < 0 || (long) offset + cols > out.length) {
      throw new IllegalArgumentException("out.length (" + out.length + ") cannot hold " + cols + " values at offset " + offset);
    }
    Int8Storage s = acquire();
    try {
      s.row(row, out, offset);
    } finally {
      release();
    }
  }



  @Override
  String describe() {
    return "int8 matrix '" + name + "'";
  }

  @Override
  public String toString() {
    return "Int8Matrix[" + name + ", " + rows + "x" + cols + ", " + backend + (isClosed() ? ", closed" : "") + "]";
  }
}
