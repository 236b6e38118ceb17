package io.bitnet.agent.anomaly;

/**
 * An exponentially weighted mean and variance (West's incremental form). Not thread-safe: the detector
 * guards it.
 */
final class EwmaBaseline {

  private final double alpha;
  private double mean;
  private double variance;
  private long count;

  EwmaBaseline(double alpha) {
    this.alpha = alpha;
  }

  void add(double value) {
    if (count++ == 0) {
      mean = value;
      variance = 0;
      return;
    }
    double diff = value - mean;
    double increment = alpha * diff;
    mean += increment;
    variance = (1 - alpha) * (variance + diff * increment);
  }

  double mean() {
    return mean;
  }

  double standardDeviation() {
    return Math.sqrt(variance);
  }

  long count() {
    return count;
  }
}
