package io.bitnet.kernels;

import io.bitnet.kernels.internal.TensorStorage;

/**
 * Quantized ternary weights: a {@code rows x cols} matrix in one {@link QuantizationFormat}, with one
 * per-tensor scale. Native backends keep the packed weights in native memory owned by the tensor;
 * {@link #close()} releases it, and a {@link java.lang.ref.Cleaner} does so if the tensor is dropped unclosed.
 *
 * <p>Safe for concurrent reads: any number of threads may run kernels on one tensor at once. Closing
 * a tensor while kernels run on it is safe too: the memory is released when the last one finishes,
 * and later calls throw {@link IllegalStateException}.
 */
public final class TernaryTensor extends NativeResource<TensorStorage> {

  private final String name;
  private final QuantizationFormat format;
  private final int rows;
  private final int cols;
  private final float scale;

  TernaryTensor(String name, QuantizationFormat format, int rows, int cols, float scale, TensorStorage storage) {
    super(storage, storage::free);
    this.name = name;
    this.format = format;
    this.rows = rows;
    this.cols = cols;
    this.scale = scale;
  }

  /** The name given at creation, e.g. {@code blk.0.attn_q.weight}. */
  public String name() {
    return name;
  }

  public QuantizationFormat format() {
    return format;
  }

  /** Output features. */
  public int rows() {
    return rows;
  }

  /** Input features. */
  public int cols() {
    return cols;
  }

  /** The per-tensor weight scale (the absmean of the weights it was quantized from). */
  public float scale() {
    return scale;
  }

  /** Bytes of packed weights, in the canonical layout. */
  public long sizeBytes() {
    return format.packedSize(rows, cols);
  }

  /** The backend whose kernels run on this tensor. */
  public KernelBackend backend() {
    return storage().backend();
  }

  /**
   * A copy of the packed weights in the format's canonical layout (for I2_S, bitnet.cpp's x86
   * layout), as {@link BitNetKernels#fromPacked} accepts them.
   *
   * @throws IllegalStateException if the tensor is closed
   */
  public byte[] packedBytes() {
    TensorStorage s = acquire();
    try {
      return s.packedBytes();
    } finally {
      release();
    }
  }



  @Override
  String describe() {
    return "tensor '" + name + "'";
  }

  @Override
  public String toString() {
    return "TernaryTensor[" + name + ", " + format + ", " + rows + "x" + cols + ", scale=" + scale
        + ", " + backend() + (isClosed() ? ", closed" : "") + "]";
  }
}
