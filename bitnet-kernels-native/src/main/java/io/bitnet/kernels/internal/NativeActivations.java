package io.bitnet.kernels.internal;

import com.sun.jna.Pointer;

/**
 * Native scratch for one matmul call: the input floats, their int8 quantisation with scales and sums,
 * and room for the kernel's prepared activations and the output. One lease of the thread's
 * {@link NativeScratch}, returned on close.
 */
final class NativeActivations implements AutoCloseable {

  private final NativeScratch scratch;
  final Pointer q;
  final Pointer scales;
  final Pointer prepared;
  final Pointer out;

  /**
   * Copies {@code batch} vectors of {@code cols} floats in and quantizes them natively.
   *
   * @param preparedBytes room for prepared activations (0 when the kernel reads q directly)
   * @param outBytes room for the output
   */
  NativeActivations(float[] input, int batch, int cols, long preparedBytes, long outBytes) {
    long inputBytes = align((long) batch * cols * Float.BYTES);
    long qBytes = align((long) batch * cols);
    long vecBytes = align((long) batch * Float.BYTES);
    scratch = NativeScratch.lease(inputBytes + qBytes + 2 * vecBytes + align(preparedBytes) + outBytes);
    Pointer x = scratch.at(0);
    q = scratch.at(inputBytes);
    scales = scratch.at(inputBytes + qBytes);
    Pointer sums = scratch.at(inputBytes + qBytes + vecBytes);
    prepared = scratch.at(inputBytes + qBytes + 2 * vecBytes);
    out = scratch.at(inputBytes + qBytes + 2 * vecBytes + align(preparedBytes));
    x.write(0, input, 0, batch * cols);
    NativeKernels.bitnet_quantize_activations(x, batch, cols, q, scales, sums);
  }

  @Override
  public void close() {
    scratch.close();
  }

  static long align(long n) {
    return (n + 63) & ~63L;
  }
}
