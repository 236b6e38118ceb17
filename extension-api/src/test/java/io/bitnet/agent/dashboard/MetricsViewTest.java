package io.bitnet.agent.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsViewTest {

  private static final List<Double> BOUNDS = List.of(0.1, 0.2, 0.5, 1.0);

  @Test
  void quantilesInterpolateInsideTheBucketAsHistogramQuantileDoes() {
    // 10 values in (0, 0.1], 10 in (0.1, 0.2], 0 in (0.2, 0.5], 0 in (0.5, 1], 0 above
    MetricsView.Histogram h = new MetricsView.Histogram(BOUNDS, new long[] {10, 10, 0, 0, 0}, 2.5, 20);
    assertEquals(0.1, h.quantile(0.5), 1e-12); // rank 10: the top of the first bucket
    assertEquals(0.19, h.quantile(0.95), 1e-12); // rank 19: 9/10 of the way through (0.1, 0.2]
    assertEquals(0.125, h.mean(), 1e-12);
  }

  @Test
  void theOpenLastBucketAnswersItsLowerBoundAndAnEmptyHistogramNaN() {
    MetricsView.Histogram h = new MetricsView.Histogram(BOUNDS, new long[] {0, 0, 0, 0, 4}, 20, 4);
    assertEquals(1.0, h.quantile(0.99), 1e-12);
    assertTrue(Double.isNaN(MetricsView.Histogram.EMPTY.quantile(0.5)));
  }

  @Test
  void aDeltaIsTheDifferenceOfTwoCumulativeHistograms() {
    MetricsView.Histogram before = new MetricsView.Histogram(BOUNDS, new long[] {1, 2, 3, 0, 0}, 1.5, 6);
    MetricsView.Histogram after = new MetricsView.Histogram(BOUNDS, new long[] {1, 5, 3, 1, 0}, 2.6, 10);
    MetricsView.Histogram delta = after.minus(before);
    assertEquals(4, delta.count());
    assertEquals(1.1, delta.sum(), 1e-12);
    assertEquals(List.of(0L, 3L, 0L, 1L, 0L), java.util.Arrays.stream(delta.counts()).boxed().toList());
  }
}
