package io.bitnet.kernels;

import java.util.Locale;
import java.util.Optional;

/** Which implementation runs the kernels. */
public enum KernelBackend {
  /** C kernels using AVX-512 with VNNI ({@code vpdpbusd}). */
  NATIVE_AVX512(2),
  /** C kernels using AVX2. */
  NATIVE_AVX2(1),
  /** Portable C kernels. */
  NATIVE_SCALAR(0),
  /** The pure-Java implementation, used when the native library cannot load or when forced. */
  JAVA(-1);

  private final int isa;

  KernelBackend(int isa) {
    this.isa = isa;
  }

  /** True for the C backends. */
  public boolean isNative() {
    return isa >= 0;
  }

  /** The instruction-set code of the C library (0 scalar, 1 AVX2, 2 AVX-512); -1 for {@link #JAVA}. */
  public int isa() {
    return isa;
  }

  /** The SIMD level in telemetry terms: {@code avx512}, {@code avx2}, {@code scalar} or {@code java}. */
  public String simd() {
    return isNative() ? name().substring("NATIVE_".length()).toLowerCase(Locale.ROOT) : "java";
  }

  /**
   * Parses the value of {@code -Dbitnet.kernels.backend}: {@code avx512}, {@code avx2}, {@code scalar}
   * or {@code java} (case-insensitive), or an enum name such as {@code NATIVE_AVX2}.
   */
  public static Optional<KernelBackend> parse(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    for (KernelBackend b : values()) {
      if (b.simd().equals(v) || b.name().toLowerCase(Locale.ROOT).equals(v)) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }
}
