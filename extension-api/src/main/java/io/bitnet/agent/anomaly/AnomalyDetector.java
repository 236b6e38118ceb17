package io.bitnet.agent.anomaly;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trend and anomaly analysis of a few key figures. Each metric keeps an EWMA baseline with variance and
 * a fast EWMA of recent values (so that one odd request does not count as a deviation). A deviation is
 * the fast value being more than {@code zThreshold} baseline standard deviations and more than
 * {@code minRelativeChange} of the baseline away from it; it is flagged once it has lasted
 * {@code minDuration}, never during the warm-up, and cleared once the metric has been back for
 * {@code minDuration}. The baseline does not learn from deviating values, so a slowdown does not become
 * the new normal. Also keeps the slope per minute of each metric over the trend window.
 *
 * <p>Thread-safe; cheap (a few arithmetic operations per observation under one lock per metric).
 */
public final class AnomalyDetector {

  /** Weight of a new value in the fast EWMA: about the last five observations. */
  private static final double FAST_ALPHA = 0.3;
  /** Observations needed, besides the warm-up time, before a metric can be flagged. */
  private static final int MIN_OBSERVATIONS = 20;
  /** A cap on the points a trend keeps, however short the observation interval. */
  private static final int MAX_TREND_POINTS = 4096;

  private final AnomalySettings settings;
  private final Map<String, MetricState> metrics = new HashMap<>(); // guarded by itself

  public AnomalyDetector(AnomalySettings settings) {
    this.settings = settings;
  }

  public AnomalySettings settings() {
    return settings;
  }

  /**
   * Adds one observation of a metric (e.g. one request's latency) at {@code nowMillis}; returns the
   * flag raised or cleared by it, if any.
   */
  public Optional<AnomalyEvent> observe(String metric, double value, long nowMillis) {
    return observe(metric, value, 0, nowMillis);
  }

  /**
   * As {@link #observe(String, double, long)}, where a deviation must also be at least
   * {@code minAbsoluteChange} (for ratios whose baseline can be exactly 0, such as the error ratio).
   */
  public Optional<AnomalyEvent> observe(String metric, double value, double minAbsoluteChange, long nowMillis) {
    if (!settings.enabled() || !Double.isFinite(value)) {
      return Optional.empty();
    }
    MetricState state;
    synchronized (metrics) {
      state = metrics.computeIfAbsent(metric, m -> new MetricState(m, settings, nowMillis));
    }
    synchronized (state) {
      return Optional.ofNullable(state.observe(value, minAbsoluteChange, nowMillis));
    }
  }

  /** The slope per minute of each metric over the trend window (metrics with fewer than two points left out). */
  public Map<String, Double> trends(long nowMillis) {
    Map<String, Double> out = new HashMap<>();
    for (MetricState s : states()) {
      synchronized (s) {
        s.trend.slopePerMinute(nowMillis).ifPresent(v -> out.put(s.metric, v));
      }
    }
    return out;
  }

  /** Metrics flagged now. */
  public List<String> active() {
    List<String> out = new ArrayList<>();
    for (MetricState s : states()) {
      synchronized (s) {
        if (s.flagged) {
          out.add(s.metric);
        }
      }
    }
    return out;
  }

  private List<MetricState> states() {
    synchronized (metrics) {
      return new ArrayList<>(metrics.values());
    }
  }

  private static final class MetricState {
    final String metric;
    final AnomalySettings settings;
    final long firstMillis;
    final EwmaBaseline baseline;
    final Trend trend;
    double fast = Double.NaN;
    long deviatingSince = -1;
    int deviatingDirection;
    long normalSince = -1;
    boolean flagged;
    int flaggedDirection;

    MetricState(String metric, AnomalySettings settings, long nowMillis) {
      this.metric = metric;
      this.settings = settings;
      this.firstMillis = nowMillis;
      this.baseline = new EwmaBaseline(settings.baselineAlpha());
      this.trend = new Trend(settings.trendWindow().toMillis());
    }

    AnomalyEvent observe(double value, double minAbsoluteChange, long now) {
      trend.add(now, value);
      fast = Double.isNaN(fast) ? value : fast + FAST_ALPHA * (value - fast);
      boolean warm = baseline.count() >= MIN_OBSERVATIONS && now - firstMillis >= settings.warmup().toMillis();
      double mean = baseline.mean();
      double sd = baseline.standardDeviation();
      double diff = fast - mean;
      double z = sd > 0 ? diff / sd : (diff == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, diff));
      boolean deviating = warm && Math.abs(z) >= settings.zThreshold()
          && Math.abs(diff) >= settings.minRelativeChange() * Math.abs(mean)
          && Math.abs(diff) >= minAbsoluteChange && diff != 0;
      long hold = settings.minDuration().toMillis();
      if (deviating) {
        int direction = diff > 0 ? 1 : -1;
        normalSince = -1;
        if (deviatingSince < 0 || direction != deviatingDirection) {
          deviatingSince = now;
          deviatingDirection = direction;
        }
        if (!flagged && now - deviatingSince >= hold) {
          flagged = true;
          flaggedDirection = direction;
          return new AnomalyEvent(now, metric, direction > 0 ? "up" : "down", finite(z), fast, mean, false);
        }
        return null;
      }
      deviatingSince = -1;
      if (!flagged) {
        baseline.add(value); // only normal values teach the baseline
        return null;
      }
      if (normalSince < 0) {
        normalSince = now;
      }
      if (now - normalSince >= hold) {
        flagged = false;
        normalSince = -1;
        return new AnomalyEvent(now, metric, flaggedDirection > 0 ? "up" : "down", finite(z), fast, mean, true);
      }
      return null;
    }

    private static double finite(double z) {
      return Double.isInfinite(z) ? Math.copySign(Double.MAX_VALUE, z) : z;
    }
  }

  /** Least-squares slope of (time, value) over a sliding window. */
  private static final class Trend {
    private final long windowMillis;
    private final Deque<double[]> points = new ArrayDeque<>();

    Trend(long windowMillis) {
      this.windowMillis = windowMillis;
    }

    void add(long now, double value) {
      points.addLast(new double[] {now, value});
      evict(now);
      while (points.size() > MAX_TREND_POINTS) {
        points.removeFirst();
      }
    }

    private void evict(long now) {
      while (!points.isEmpty() && points.peekFirst()[0] < now - windowMillis) {
        points.removeFirst();
      }
    }

    Optional<Double> slopePerMinute(long now) {
      evict(now);
      int n = points.size();
      if (n < 2) {
        return Optional.empty();
      }
      double t0 = points.peekFirst()[0];
      double st = 0;
      double sv = 0;
      for (double[] p : points) {
        st += p[0] - t0;
        sv += p[1];
      }
      double mt = st / n;
      double mv = sv / n;
      double cov = 0;
      double var = 0;
      for (double[] p : points) {
        double dt = p[0] - t0 - mt;
        cov += dt * (p[1] - mv);
        var += dt * dt;
      }
      return var == 0 ? Optional.empty() : Optional.of(cov / var * 60_000.0);
    }
  }
}
