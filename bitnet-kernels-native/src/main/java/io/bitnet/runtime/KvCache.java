package io.bitnet.runtime;

/** Keys and values of one sequence, per layer, for positions {@code 0 .. capacity). */
final class KvCache {

  final float[][] keys;
  final float[][] values;
  final int capacity;
  final int kvDim;

  KvCache(ModelConfig config, int capacity) {
    this.capacity = capacity;
    this.kvDim = config.kvDim();
    this.keys = new float[config.layers()][capacity * kvDim];
    this.values = new float[config.layers()][capacity * kvDim];
  }

  long bytes() {
    return 2L * keys.length * capacity * kvDim * Float.BYTES;
  }
}
