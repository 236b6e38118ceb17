package io.bitnet.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Medians of benchmark rounds, and how far a median of few noisy rounds can be trusted. */
final class Medians {

  private static final int RESAMPLES = 10_000;

  /** A two-sided 95% interval. */
  record Interval(double low, double high) {}

  private Medians() {}

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /**
   * 95% percentile-bootstrap interval of the median: the rounds resampled with replacement. A target
   * such as "at least 0.99×" is met only when the whole interval clears it. The seed is fixed, so that
   * the same rounds always print the same interval.
   */
  static Interval bootstrapInterval(List<Double> values) {
    SplittableRandom random = new SplittableRandom(1);
    int n = values.size();
    double[] medians = new double[RESAMPLES];
    List<Double> sample = new ArrayList<>(n);
    for (int r = 0; r < RESAMPLES; r++) {
      sample.clear();
      for (int i = 0; i < n; i++) {
        sample.add(values.get(random.nextInt(n)));
      }
      medians[r] = median(sample);
    }
    Arrays.sort(medians);
    return new Interval(medians[(int) (RESAMPLES * 0.025)], medians[(int) (RESAMPLES * 0.975) - 1]);
  }
}
