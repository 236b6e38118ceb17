package io.bitnet.runtime.gguf;

import java.util.Arrays;

/**
 * One tensor's entry in a GGUF file.
 *
 * @param name the tensor name, e.g. {@code blk.0.attn_q.weight}
 * @param dims the ggml dimensions, innermost first: {@code dims[0]} is the number of columns
 * @param type the element type
 * @param offset where the data starts, relative to the file's data section
 * @param size bytes of data
 */
public record GgufTensorInfo(String name, long[] dims, GgufTensorType type, long offset, long size) {

  public GgufTensorInfo {
    dims = dims.clone();
  }

  @Override
  public long[] dims() {
    return dims.clone();
  }

  /** The product of the dimensions. */
  public long elements() {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    return n;
  }

  /** Columns: {@code dims[0]}. */
  public long cols() {
    return dims[0];
  }

  /** Rows of a matrix: {@code dims[1]}, or 1 for a vector. */
  public long rows() {
    return dims.length > 1 ? dims[1] : 1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GgufTensorInfo t && name.equals(t.name) && Arrays.equals(dims, t.dims) && type == t.type
        && offset == t.offset && size == t.size;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return name + " " + type + " " + Arrays.toString(dims);
  }
}
