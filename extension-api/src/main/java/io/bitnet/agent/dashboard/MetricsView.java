package io.bitnet.agent.dashboard;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Reads values by metric name (OpenTelemetry names) out of one collection. */
final class MetricsView {

  /** A histogram summed over its points: cumulative bucket counts, sum and count. */
  record Histogram(List<Double> boundaries, long[] counts, double sum, long count) {

    static final Histogram EMPTY = new Histogram(List.of(), new long[0], 0, 0);

    /** This minus an earlier cumulative value of the same histogram (or itself when the buckets differ). */
    Histogram minus(Histogram earlier) {
      if (earlier == null || earlier.counts.length != counts.length) {
        return this;
      }
      long[] d = new long[counts.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = Math.max(0, counts[i] - earlier.counts[i]);
      }
      return new Histogram(boundaries, d, sum - earlier.sum, Math.max(0, count - earlier.count));
    }

    /**
     * The q-quantile by linear interpolation inside the bucket, as Prometheus' histogram_quantile
     * does; NaN when empty. The open last bucket answers its lower bound.
     */
    double quantile(double q) {
      if (count <= 0 || counts.length == 0) {
        return Double.NaN;
      }
      double rank = q * count;
      long seen = 0;
      for (int i = 0; i < counts.length; i++) {
        if (seen + counts[i] >= rank && counts[i] > 0) {
          double lower = i == 0 ? 0 : boundaries.get(i - 1);
          if (i >= boundaries.size()) {
            return lower;
          }
          double upper = boundaries.get(i);
          return lower + (upper - lower) * (rank - seen) / counts[i];
        }
        seen += counts[i];
      }
      return boundaries.isEmpty() ? Double.NaN : boundaries.get(boundaries.size() - 1);
    }

    double mean() {
      return count > 0 ? sum / count : Double.NaN;
    }
  }

  private final Map<String, MetricData> byName = new HashMap<>();

  MetricsView(Collection<MetricData> metrics) {
    for (MetricData m : metrics) {
      byName.putIfAbsent(m.getName(), m);
    }
  }

  /** Sum of a counter's or gauge's points that match; 0 when absent. */
  double sum(String name, Predicate<PointData> filter) {
    MetricData m = byName.get(name);
    if (m == null) {
      return 0;
    }
    double total = 0;
    for (PointData p : m.getData().getPoints()) {
      if (!filter.test(p)) {
        continue;
      }
      if (p instanceof LongPointData l) {
        total += l.getValue();
      } else if (p instanceof DoublePointData d) {
        total += d.getValue();
      }
    }
    return total;
  }

  double sum(String name) {
    return sum(name, p -> true);
  }

  /** Sums grouped by the value of one attribute. */
  Map<String, Double> sumBy(String name, AttributeKey<String> key, Predicate<PointData> filter) {
    Map<String, Double> out = new HashMap<>();
    MetricData m = byName.get(name);
    if (m == null) {
      return out;
    }
    for (PointData p : m.getData().getPoints()) {
      String k = p.getAttributes().get(key);
      if (k == null || !filter.test(p)) {
        continue;
      }
      double v = p instanceof LongPointData l ? l.getValue() : p instanceof DoublePointData d ? d.getValue() : 0;
      out.merge(k, v, Double::sum);
    }
    return out;
  }

  /** A histogram's points that match, merged (points with other bucket boundaries are skipped). */
  Histogram histogram(String name, Predicate<PointData> filter) {
    MetricData m = byName.get(name);
    if (m == null) {
      return Histogram.EMPTY;
    }
    List<Double> boundaries = null;
    long[] counts = null;
    double sum = 0;
    long count = 0;
    for (PointData p : m.getData().getPoints()) {
      if (!(p instanceof HistogramPointData h) || !filter.test(p)) {
        continue;
      }
      if (boundaries == null) {
        boundaries = h.getBoundaries();
        counts = new long[h.getCounts().size()];
      } else if (!boundaries.equals(h.getBoundaries())) {
        continue;
      }
      for (int i = 0; i < counts.length; i++) {
        counts[i] += h.getCounts().get(i);
      }
      sum += h.getSum();
      count += h.getCount();
    }
    return boundaries == null ? Histogram.EMPTY : new Histogram(boundaries, counts, sum, count);
  }

  /** Histograms merged per value of one attribute. */
  Map<String, Histogram> histogramsBy(String name, AttributeKey<String> key) {
    Map<String, Histogram> out = new HashMap<>();
    MetricData m = byName.get(name);
    if (m == null) {
      return out;
    }
    for (PointData p : m.getData().getPoints()) {
      String k = p.getAttributes().get(key);
      if (k != null) {
        out.computeIfAbsent(k, x -> histogram(name, q -> k.equals(q.getAttributes().get(key))));
      }
    }
    return out;
  }

  /** Each point's value by one attribute (a gauge per core, say). */
  Map<String, Double> gaugeBy(String name, AttributeKey<String> key) {
    return sumBy(name, key, p -> true);
  }

  /** The value of attribute {@code wanted} on the first point whose {@code key} is {@code value}, or "". */
  String attributeWhere(String name, AttributeKey<String> key, String value, AttributeKey<String> wanted) {
    MetricData m = byName.get(name);
    if (m != null) {
      for (PointData p : m.getData().getPoints()) {
        if (value.equals(p.getAttributes().get(key))) {
          String w = p.getAttributes().get(wanted);
          return w == null ? "" : w;
        }
      }
    }
    return "";
  }
}
