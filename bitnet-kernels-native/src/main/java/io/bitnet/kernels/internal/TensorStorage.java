package io.bitnet.kernels.internal;

import io.bitnet.kernels.KernelBackend;

/**
 * Where a tensor's packed weights live and the kernels that run on them. The public API validates
 * every argument before it calls in, and guarantees that {@link #free()} runs once, after the last
 * operation has finished.
 */
public interface TensorStorage {

  /** The backend whose kernels run on this storage. */
  KernelBackend backend();

  /** Bytes held for the weights. */
  long sizeBytes();

  /** A copy of the weights in the format's canonical packed layout. */
  byte[] packedBytes();

  /** Writes {@code ternary * scale} for every weight, row-major, into {@code out}. */
  void dequantize(float[] out);

  /**
   * {@code output[v * rows + r]} = the scaled product of row {@code r} with input vector {@code v},
   * after int8 quantisation of each input vector.
   */
  void matmul(float[] input, int batch, float[] output, RowExecutor executor);

  /** Exact ternary dot products of every row with {@code batch} int8 vectors: {@code out[v * rows + r]}. */
  void dot(byte[] activations, int batch, int[] out, RowExecutor executor);

  /** Releases the weights. */
  void free();
}
