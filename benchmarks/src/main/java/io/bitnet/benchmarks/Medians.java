package io.bitnet.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
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
    return bootstrapIntervalOfSets(values.stream().map(List::of).toList());
  }

  /**
   * The same interval for rounds that come in sets which share a cause of variation, such as the
   * windows measured on one set of servers: two-stage resampling, the sets with replacement, then the
   * rounds within each chosen set with replacement, the median taken over all the rounds drawn. Rounds
   * of one set are not independent, and resampling them as if they were makes the interval as narrow
   * as one set's spread however much the sets differ. Sets of one round give {@link
   * #bootstrapInterval(List)}'s interval, draw for draw.
   */
  static Interval bootstrapIntervalOfSets(Collection<? extends List<Double>> sets) {
    List<List<Double>> clusters = List.copyOf(sets);
    SplittableRandom random = new SplittableRandom(1);
    int k = clusters.size();
    double[] medians = new double[RESAMPLES];
    List<Double> sample = new ArrayList<>();
    for (int r = 0; r < RESAMPLES; r++) {
      sample.clear();
      for (int c = 0; c < k; c++) {
        List<Double> set = clusters.get(random.nextInt(k));
        if (set.size() == 1) {
          sample.add(set.get(0)); // no second draw, so that sets of one round resample as single rounds do
        } else {
          for (int i = 0; i < set.size(); i++) {
            sample.add(set.get(random.nextInt(set.size())));
          }
        }
      }
      medians[r] = median(sample);
    }
    Arrays.sort(medians);
    return new Interval(medians[(int) (RESAMPLES * 0.025)], medians[(int) (RESAMPLES * 0.975) - 1]);
  }
}
