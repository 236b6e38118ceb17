package io.bitnet.kernels.internal;

import com.sun.jna.Pointer;
import io.bitnet.kernels.KernelBackend;

/**
 * Where an int8 matrix lives and the kernels that run on it: in the C library for native backends,
 * on the heap for the Java backend. The public API validates every argument before it calls in.
 */
public abstract sealed class Int8Storage permits Int8Storage.Native, Int8Storage.Heap {

  final int rows;
  final int cols;

  Int8Storage(int rows, int cols) {
    this.rows = rows;
    this.cols = cols;
  }

  /** Copies validated values (in [-127, 127]) and row scales in. */
  public static Int8Storage create(KernelBackend backend, byte[] values, float[] scales, int rows, int cols) {
    if (backend.isNative()) {
      Pointer handle = NativeKernels.bitnet_q8_create(backend.isa(), values, scales, rows, cols);
      if (handle == null) {
        throw new IllegalStateException("native memory exhausted allocating a " + rows + "x" + cols + " int8 matrix");
      }
      return new Native(handle, rows, cols);
    }
    return new Heap(values.clone(), scales.clone(), rows, cols);
  }

  /** Row {@code r} as floats into {@code out[off ..]}. */
  public abstract void row(int r, float[] out, int off);

  /** {@code output[v * rows + r]}, with each input vector quantized to int8 (absmax). */
  public abstract void matmul(float[] input, int batch, float[] output, RowExecutor executor);

  public abstract void free();

  static final class Native extends Int8Storage {
    private final Pointer handle;

    Native(Pointer handle, int rows, int cols) {
      super(rows, cols);
      this.handle = handle;
    }

    @Override
    public void row(int r, float[] out, int off) {
      try (com.sun.jna.Memory m = new com.sun.jna.Memory((long) cols * Float.BYTES)) {
        NativeKernels.bitnet_q8_row(handle, r, m);
        m.read(0, out, off, cols);
      }
    }

    @Override
    public void matmul(float[] input, int batch, float[] output, RowExecutor executor) {
      try (NativeActivations a = new NativeActivations(input, batch, cols, 0, (long) batch * rows * 4)) {
        executor.forRows(rows, (long) cols * batch,
            (r0, r1) -> NativeKernels.bitnet_q8_matmul_rows(handle, a.q, a.scales, batch, r0, r1, a.out));
        a.out.read(0, output, 0, batch * rows);
      }
    }

    @Override
    public void free() {
      NativeKernels.bitnet_q8_free(handle);
    }
  }

  static final class Heap extends Int8Storage {
    private final byte[] values;
    private final float[] scales;

    Heap(byte[] values, float[] scales, int rows, int cols) {
      super(rows, cols);
      this.values = values;
      this.scales = scales;
    }

    @Override
    public void row(int r, float[] out, int off) {
      for (int c = 0; c < cols; c++) {
        out[off + c] = values[r * cols + c] * scales[r];
      }
    }

    @Override
    public void matmul(float[] input, int batch, float[] output, RowExecutor executor) {
      byte[] q = new byte[batch * cols];
      float[] actScales = new float[batch];
      TernaryCodec.quantizeActivations(input, batch, cols, q, actScales, new int[batch]);
      executor.forRows(rows, (long) cols * batch, (r0, r1) -> {
        for (int v = 0; v < batch; v++) {
          for (int r = r0; r < r1; r++) {
            int acc = 0;
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
              acc += values[base + c] * q[v * cols + c];
            }
            output[v * rows + r] = (float) acc * scales[r] / actScales[v];
          }
        }
      });
    }

    @Override
    public void free() {
      // heap memory: the garbage collector reclaims it
    }
  }
}
