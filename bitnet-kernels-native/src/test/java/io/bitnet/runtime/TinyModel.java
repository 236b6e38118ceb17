package io.bitnet.runtime;

import io.bitnet.kernels.BitNetKernels;

/** The tiny preset, loaded once per test class that needs it. */
final class TinyModel {

  private TinyModel() {}

  static BitNetModel load() {
    return BitNetModel.synthetic(ModelConfig.TINY, 7, BitNetKernels.getDefault(), BitNetModel.LoadProgress.NONE);
  }
}
