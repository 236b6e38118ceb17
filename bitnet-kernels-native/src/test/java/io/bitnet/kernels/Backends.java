package io.bitnet.kernels;

import java.util.List;
import java.util.stream.Stream;

/** Test helpers: every backend this CPU runs, as kernel instances. */
final class Backends {

  private Backends() {}

  static List<KernelBackend> supported() {
    return List.copyOf(BitNetKernels.supportedBackends());
  }

  static Stream<KernelBackend> supportedStream() {
    return supported().stream();
  }

  static BitNetKernels kernels(KernelBackend backend, int threads) {
    BitNetKernels k = BitNetKernels.builder().backend(backend).threads(threads).build();
    if (k.backend().backend() != backend) {
      throw new IllegalStateException("asked for " + backend + " but got " + k.backend());
    }
    return k;
  }
}
