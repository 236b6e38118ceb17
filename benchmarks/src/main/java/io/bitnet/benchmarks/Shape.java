package io.bitnet.benchmarks;

/** A weight-matrix shape written {@code ROWSxCOLS}, e.g. {@code 6912x2560}. */
record Shape(int rows, int cols) {

  static Shape parse(String text) {
    String[] parts = text.split("x");
    if (parts.length != 2) {
      throw new IllegalArgumentException("shape must be ROWSxCOLS, got " + text);
    }
    return new Shape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
  }

  long weights() {
    return (long) rows * cols;
  }

  /** Deterministic Gaussian-ish weights; the values do not change the kernels' speed. */
  float[] randomWeights(long seed) {
    java.util.Random r = new java.util.Random(seed);
    float[] w = new float[rows * cols];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (r.nextGaussian() * 0.02);
    }
    return w;
  }
}
