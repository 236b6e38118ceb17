package io.bitnet.kernels.internal;

import com.sun.jna.Pointer;
import io.bitnet.kernels.KernelBackend;
import io.bitnet.kernels.QuantizationFormat;

/**
 * Weights held by the C library. Only activations and outputs cross JNA per call; the weights were
 * copied in once, by quantize or fromPacked.
 */
public final class NativeStorage implements TensorStorage {

  private final KernelBackend backend;
  private final QuantizationFormat format;
  private final int rows;
  private final int cols;
  private final Pointer handle;
  private final long preparedSize;

  private NativeStorage(KernelBackend backend, QuantizationFormat format, int rows, int cols, Pointer handle) {
    this.backend = backend;
    this.format = format;
    this.rows = rows;
    this.cols = cols;
    this.handle = handle;
    this.preparedSize = NativeKernels.bitnet_prepared_size(handle);
  }

  /** Ternarises and packs validated weights; the scale is written to {@code scaleOut[0]}. */
  public static NativeStorage quantize(
      KernelBackend backend, QuantizationFormat format, float[] weights, int rows, int cols, float[] scaleOut) {
    Pointer handle =
        NativeKernels.bitnet_tensor_quantize(backend.isa(), format.ordinal(), weights, rows, cols, scaleOut);
    return new NativeStorage(backend, format, rows, cols, requireAllocated(handle, rows, cols));
  }

  /** Adopts validated canonical packed bytes. */
  public static NativeStorage fromPacked(
      KernelBackend backend, QuantizationFormat format, int rows, int cols, byte[] packed, float scale) {
    Pointer handle =
        NativeKernels.bitnet_tensor_from_packed(backend.isa(), format.ordinal(), rows, cols, packed, scale);
    return new NativeStorage(backend, format, rows, cols, requireAllocated(handle, rows, cols));
  }

  private static Pointer requireAllocated(Pointer handle, int rows, int cols) {
    if (handle == null) {
      throw new IllegalStateException(
          "native memory exhausted allocating a " + rows + "x" + cols + " ternary tensor");
    }
    return handle;
  }

  @Override
  public KernelBackend backend() {
    return backend;
  }

  @Override
  public long sizeBytes() {
    return format.packedSize(rows, cols);
  }

  @Override
  public byte[] packedBytes() {
    byte[] out = new byte[Math.toIntExact(format.packedSize(rows, cols))];
    NativeKernels.bitnet_tensor_packed(handle, out);
    return out;
  }

  @Override
  public void dequantize(float[] out) {
    NativeKernels.bitnet_tensor_dequantize(handle, out);
  }

  @Override
  public void matmul(float[] input, int batch, float[] output, RowExecutor executor) {
    try (NativeActivations a = new NativeActivations(input, batch, cols, preparedSize * batch, (long) batch * rows * 4)) {
      NativeKernels.bitnet_prepare_activations(handle, a.q, batch, a.prepared);
      executor.forRows(
          rows,
          (long) cols * batch,
          (r0, r1) -> NativeKernels.bitnet_matmul_rows(handle, a.prepared, a.scales, batch, r0, r1, a.out));
      a.out.read(0, output, 0, batch * rows);
    }
  }

  @Override
  public void dot(byte[] activations, int batch, int[] out, RowExecutor executor) {
    long qBytes = NativeActivations.align((long) batch * cols);
    long prepBytes = preparedSize * batch;
    try (NativeScratch scratch = NativeScratch.lease(qBytes + prepBytes + (long) batch * rows * 4)) {
      Pointer q = scratch.at(0);
      Pointer prepared = scratch.at(qBytes);
      Pointer dots = scratch.at(qBytes + prepBytes);
      q.write(0, activations, 0, batch * cols);
      NativeKernels.bitnet_prepare_activations(handle, q, batch, prepared);
      executor.forRows(
          rows, (long) cols * batch, (r0, r1) -> NativeKernels.bitnet_dot_rows(handle, prepared, batch, r0, r1, dots));
      dots.read(0, out, 0, batch * rows);
    }
  }

  @Override
  public void free() {
    NativeKernels.bitnet_tensor_free(handle);
  }
}
