package io.bitnet.kernels.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Per-call native scratch for a matmul: the input floats, their int8 quantisation with scales and
 * sums, and room for the kernel's prepared activations and the output. One allocation, freed on close.
 */
final class NativeActivations implements AutoCloseable {

  private final Memory memory;
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
    memory = new Memory(64 + inputBytes + qBytes + 2 * vecBytes + align(preparedBytes) + outBytes);
    Pointer base = memory.align(64);
    Pointer x = base;
    q = base.share(inputBytes);
    scales = base.share(inputBytes + qBytes);
    Pointer sums = base.share(inputBytes + qBytes + vecBytes);
    prepared = base.share(inputBytes + qBytes + 2 * vecBytes);
    out = base.share(inputBytes + qBytes + 2 * vecBytes + align(preparedBytes));
    x.write(0, input, 0, batch * cols);
    NativeKernels.bitnet_quantize_activations(x, batch, cols, q, scales, sums);
  }

  @Override
  public void close() {
    memory.close();
  }

  static long align(long n) {
    return (n + 63) & ~63L;
  }
}
