package io.bitnet.agent.anomaly;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleGauge;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Where the {@link AnomalyDetector}'s flags go: {@code bitnet_anomalies_total{metric,direction}}, the
 * {@code bitnet_performance_trend{metric}} slopes, one log line per flag and per clearance, the
 * dashboard's marker list (the last {@value #RECENT} flags), and the span event (the request span that
 * crossed the threshold, or for figures that no request carries, such as accuracy, the next request).
 */
public final class AnomalyReporter {

  static final int RECENT = 50;
  private static final int MAX_PENDING = 16;
  private static final Logger LOG = Logger.getLogger(AnomalyReporter.class.getName());
  private static final AttributeKey<String> METRIC = AttributeKey.stringKey("metric");
  private static final AttributeKey<String> DIRECTION = AttributeKey.stringKey("direction");

  /** A flag and, once it recovered, when. */
  private static final class Entry {
    final AnomalyEvent flag;
    Long clearedAt;

    Entry(AnomalyEvent flag) {
      this.flag = flag;
    }
  }

  private final AnomalyDetector detector;
  private final Deque<Entry> recent = new ArrayDeque<>(); // guarded by itself
  private final Deque<AnomalyEvent> pending = new ArrayDeque<>(); // guarded by itself
  private volatile LongCounter counter;

  public AnomalyReporter(AnomalyDetector detector) {
    this.detector = detector;
  }

  public AnomalySettings settings() {
    return detector.settings();
  }

  /** Registers the counter and the trend gauge; returns the gauge, to close. */
  public ObservableDoubleGauge registerMetrics(Meter meter) {
    counter = meter.counterBuilder("bitnet.anomalies").setUnit("{anomaly}")
        .setDescription("Sustained deviations of a key figure from its baseline, by metric and direction").build();
    // Series at 0 from the start, so that increase() sees the first flag (accuracy_<format> series
    // appear with their first flag: the formats in use are not known yet).
    for (String metric : RequestObserver.METRICS) {
      for (String direction : new String[] {"up", "down"}) {
        counter.add(0, Attributes.of(METRIC, metric, DIRECTION, direction));
      }
    }
    return meter.gaugeBuilder("bitnet.performance.trend")
        .setDescription("Slope per minute of a key figure over the trend window (its unit per minute)")
        .buildWithCallback(m -> detector.trends(System.currentTimeMillis())
            .forEach((metric, slope) -> m.record(slope, Attributes.of(METRIC, metric))));
  }

  /** One request's value of a figure; returns the flag it raised, if any, for its span. */
  public Optional<AnomalyEvent> observeRequest(String metric, double value, double minAbsoluteChange, long now) {
    Optional<AnomalyEvent> event = detector.observe(metric, value, minAbsoluteChange, now);
    event.ifPresent(this::report);
    return event.filter(e -> !e.cleared());
  }

  /** One interval's value of a figure no request carries; a flag goes on the next request's span. */
  public void observeInterval(String metric, double value, long now) {
    detector.observe(metric, value, now).ifPresent(e -> {
      report(e);
      if (!e.cleared()) {
        synchronized (pending) {
          if (pending.size() < MAX_PENDING) {
            pending.addLast(e);
          }
        }
      }
    });
  }

  /** Flags waiting for a request span, removed. */
  public List<AnomalyEvent> takePending() {
    synchronized (pending) {
      if (pending.isEmpty()) {
        return List.of();
      }
      List<AnomalyEvent> out = new ArrayList<>(pending);
      pending.clear();
      return out;
    }
  }

  private void report(AnomalyEvent e) {
    if (e.cleared()) {
      LOG.info(e.describe());
    } else {
      LOG.warning(e.describe());
      LongCounter c = counter;
      if (c != null) {
        c.add(1, Attributes.of(METRIC, e.metric(), DIRECTION, e.direction()));
      }
    }
    synchronized (recent) {
      if (e.cleared()) {
        for (Entry entry : recent) {
          if (entry.clearedAt == null && entry.flag.metric().equals(e.metric())) {
            entry.clearedAt = e.timeMillis();
          }
        }
        return;
      }
      recent.addLast(new Entry(e));
      while (recent.size() > RECENT) {
        recent.removeFirst();
      }
    }
  }

  /** The recent flags, oldest first, in the dashboard's JSON shape. */
  public List<Map<String, Object>> recent() {
    List<Map<String, Object>> out = new ArrayList<>();
    synchronized (recent) {
      for (Entry entry : recent) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t", entry.flag.timeMillis());
        m.put("metric", entry.flag.metric());
        m.put("direction", entry.flag.direction());
        m.put("zScore", entry.flag.zScore());
        m.put("value", entry.flag.value());
        m.put("baseline", entry.flag.baseline());
        m.put("clearedAt", entry.clearedAt);
        out.add(m);
      }
    }
    return out;
  }

  /** Slope per minute of each figure. */
  public Map<String, Double> trends(long now) {
    return detector.trends(now);
  }
}
