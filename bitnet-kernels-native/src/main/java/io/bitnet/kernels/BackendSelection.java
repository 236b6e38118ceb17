package io.bitnet.kernels;

import java.util.Objects;
import java.util.Optional;

/**
 * The backend a {@link BitNetKernels} runs, and why.
 *
 * @param backend the backend that runs
 * @param requested the backend that was asked for, or empty for automatic selection
 * @param fallbackReason why a better or requested backend does not run, or empty when nothing fell back
 * @param cpuFeatures the CPU features the native library detected, e.g. {@code avx512f,avx512vnni,avx2};
 *     empty when the native library is not loaded
 */
public record BackendSelection(
    KernelBackend backend,
    Optional<KernelBackend> requested,
    Optional<String> fallbackReason,
    String cpuFeatures) {

  public BackendSelection {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(requested, "requested");
    Objects.requireNonNull(fallbackReason, "fallbackReason");
    Objects.requireNonNull(cpuFeatures, "cpuFeatures");
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
