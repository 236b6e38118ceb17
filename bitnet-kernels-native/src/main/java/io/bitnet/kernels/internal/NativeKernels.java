package io.bitnet.kernels.internal;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * JNA direct mapping of {@code libbitnetkernels.so} (see {@code src/main/c/bitnet_kernels.h}). The
 * library is found the JNA way: {@code jna.library.path}, the system paths, then the classpath
 * resource {@code linux-x86-64/libbitnetkernels.so} that the build puts in the jar.
 *
 * <p>Loading never throws: when it fails, {@link #loadError()} says why and the Java backend runs.
 */
public final class NativeKernels {

  /** The library name JNA resolves to {@code libbitnetkernels.so}. */
  public static final String LIBRARY = "bitnetkernels";

  private static final String LOAD_ERROR = load();

  private NativeKernels() {}

  private static String load() {
    try {
      Native.register(NativeKernels.class, LIBRARY);
      return null;
    } catch (UnsatisfiedLinkError | NoClassDefFoundError | IllegalStateException e) {
      return "cannot load native library '" + LIBRARY + "': " + e.getMessage();
    }
  }

  /** True when the library is loaded and its functions are bound. */
  public static boolean isLoaded() {
    return LOAD_ERROR == null;
  }

  /** Why the library did not load, or null when it did. */
  public static String loadError() {
    return LOAD_ERROR;
  }

  static native int bitnet_best_isa();

  static native int bitnet_isa_supported(int isa);

  static native String bitnet_cpu_features();

  static native String bitnet_kernel_name(int format, int isa);

  static native Pointer bitnet_tensor_quantize(
      int isa, int format, float[] weights, int rows, int cols, float[] scaleOut);

  static native Pointer bitnet_tensor_from_packed(
      int isa, int format, int rows, int cols, byte[] packed, float scale);

  static native void bitnet_tensor_packed(Pointer tensor, byte[] packedOut);

  static native void bitnet_tensor_dequantize(Pointer tensor, float[] out);

  static native void bitnet_tensor_free(Pointer tensor);

  static native long bitnet_live_bytes();

  static native void bitnet_quantize_activations(
      Pointer x, int n, int cols, Pointer q, Pointer scales, Pointer sums);

  static native long bitnet_prepared_size(Pointer tensor);

  static native void bitnet_prepare_activations(Pointer tensor, Pointer q, int n, Pointer prepared);

  static native void bitnet_dot_rows(Pointer tensor, Pointer prepared, int n, int row0, int row1, Pointer dots);

  static native void bitnet_matmul_rows(
      Pointer tensor, Pointer prepared, Pointer scales, int n, int row0, int row1, Pointer out);

  static native Pointer bitnet_q8_create(int isa, byte[] values, float[] scales, int rows, int cols);

  static native void bitnet_q8_free(Pointer matrix);

  static native void bitnet_q8_row(Pointer matrix, int row, Pointer out);

  static native void bitnet_q8_matmul_rows(
      Pointer matrix, Pointer q, Pointer actScales, int n, int row0, int row1, Pointer out);

  /** Best instruction set of this CPU: 0 scalar, 1 AVX2, 2 AVX-512 VNNI. Requires {@link #isLoaded()}. */
  public static int bestIsa() {
    return bitnet_best_isa();
  }

  /** Whether this CPU and OS support the instruction set. Requires {@link #isLoaded()}. */
  public static boolean isaSupported(int isa) {
    return bitnet_isa_supported(isa) != 0;
  }

  /** CPU features the library detected. Requires {@link #isLoaded()}. */
  public static String cpuFeatures() {
    return bitnet_cpu_features();
  }

  /** The C kernel serving a format on an instruction set, e.g. {@code tl1_avx2}. */
  public static String kernelName(int format, int isa) {
    return bitnet_kernel_name(format, isa);
  }

  /** Bytes held by live native tensors, for leak checks. Requires {@link #isLoaded()}. */
  public static long liveBytes() {
    return bitnet_live_bytes();
  }
}
