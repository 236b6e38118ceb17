package io.bitnet.kernels;

import java.util.Objects;
import java.util.Optional;

/**
 * The backend a {@link BitNetKernels} runs, and why.
 *
 * @param backend the backend that runs
 * @param requested the backend that was asked for, or empty for automatic selection
 * @param fallbackKind what kind of fallback happened, or empty when nothing fell back
 * @param fallbackReason why a better or requested backend does not run, or empty when nothing fell back
 * @param cpuFeatures the CPU features the native library detected, e.g. {@code avx512f,avx512vnni,avx2};
 *     empty when the native library is not loaded
 */
public record BackendSelection(
    KernelBackend backend,
    Optional<KernelBackend> requested,
    Optional<FallbackKind> fallbackKind,
    Optional<String> fallbackReason,
    String cpuFeatures) {

  public BackendSelection {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(requested, "requested");
    Objects.requireNonNull(fallbackKind, "fallbackKind");
    Objects.requireNonNull(fallbackReason, "fallbackReason");
    if (fallbackKind.isPresent() != fallbackReason.isPresent()) {
      throw new IllegalArgumentException("a fallback needs both its kind and its reason");
    }
    Objects.requireNonNull(cpuFeatures, "cpuFeatures");
  }

  /** Why a backend other than the requested or best one runs; stable, for telemetry labels. */
  public enum FallbackKind {
    /** The native library could not load: the Java backend runs. */
    NATIVE_LIBRARY_UNAVAILABLE,
    /** The CPU lacks the requested instruction set: the best supported one runs. */
    CPU_UNSUPPORTED,
    /** The requested backend's name was not valid: the best supported one runs. */
    INVALID_CONFIGURATION;

    /** Lower-case name for labels, e.g. {@code cpu_unsupported}. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** True when the backend that runs is not the one requested or, unrequested, not the best one. */
  public boolean isFallback() {
    return fallbackReason.isPresent();
  }

  @Override
  public String toString() {
    return backend
        + fallbackReason.map(r -> " (fallback: " + r + ")").orElse("")
        + (cpuFeatures.isEmpty() ? "" : " [cpu: " + cpuFeatures + "]");
  }
}
