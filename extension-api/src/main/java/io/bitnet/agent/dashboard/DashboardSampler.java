package io.bitnet.agent.dashboard;

import io.bitnet.agent.anomaly.AnomalyReporter;
import io.bitnet.agent.system.GpuMetrics;
import io.bitnet.agent.system.Host;
import io.bitnet.agent.system.SystemMetrics;
import io.bitnet.agent.telemetry.BitNetAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.lang.management.MemoryUsage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;
import oshi.hardware.GlobalMemory;

/**
 * Collects the agent's metrics through the {@link DashboardReader} every interval on one daemon thread,
 * turns two successive collections into a {@link DashboardPoint} and keeps the last {@code history}
 * points. Also hands the interval's accuracy per format to the anomaly detection. A failing collection
 * is skipped, with one log line the first time.
 */
public final class DashboardSampler implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(DashboardSampler.class.getName());
  private static final AttributeKey<String> FORMAT = BitNetAttributes.QUANTIZATION_FORMAT;

  /** The cumulative values the next point is the difference from. */
  private record Cumulative(long timeMillis, double tokens, double requests, double errors,
      MetricsView.Histogram latency, MetricsView.Histogram ttft, MetricsView.Histogram tpot,
      Map<String, Double> operations, Map<String, MetricsView.Histogram> accuracy) {}

  private final DashboardReader reader;
  private final Host host;
  private final AnomalyReporter anomalies;
  private final long intervalMillis;
  private final int history;
  private final Deque<DashboardPoint> points = new ArrayDeque<>(); // guarded by itself
  private Thread thread;
  private Cumulative previous;
  private boolean failureLogged;

  public DashboardSampler(DashboardReader reader, Host host, AnomalyReporter anomalies, long intervalMillis, int history) {
    this.reader = reader;
    this.host = host;
    this.anomalies = anomalies;
    this.intervalMillis = intervalMillis;
    this.history = history;
  }

  public long intervalMillis() {
    return intervalMillis;
  }

  /**
   * Starts sampling on a daemon thread. A plain thread rather than a scheduled executor: this runs in
   * the agent's premain, where the first {@code ScheduledThreadPoolExecutor} of the JVM would be
   * transformed by the upstream executor instrumentation on the application's startup path (45 ms).
   */
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    thread = new Thread(this::run, "bitnet-dashboard-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  /** At a fixed rate: each sample is due one interval after the previous one was due, as scheduleAtFixedRate. */
  private void run() {
    long next = System.nanoTime();
    long interval = intervalMillis * 1_000_000L;
    while (!Thread.currentThread().isInterrupted()) {
      next = nextDue(next, System.nanoTime(), interval);
      long wait = next - System.nanoTime();
      try {
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
        }
      } catch (InterruptedException e) {
        return; // closed
      }
      sampleSafely();
    }
  }

  /**
   * When the sample after the one due at {@code due} is due: one interval later, or at once when the
   * sampler has fallen more than an interval behind (the process was stopped or suspended, a long pause).
   * Unlike scheduleAtFixedRate it does not take the missed samples back to back: each would be a point
   * over a few microseconds, its rates computed over nearly no time.
   */
  static long nextDue(long due, long now, long interval) {
    long next = due + interval;
    return now - next >= interval ? now : next;
  }

  /** The points, oldest first. */
  public List<DashboardPoint> points() {
    synchronized (points) {
      return new ArrayList<>(points);
    }
  }

  private void sampleSafely() {
    try {
      sample(reader.collect(), System.currentTimeMillis());
    } catch (RuntimeException | LinkageError e) {
      if (!failureLogged) {
        failureLogged = true;
        LOG.warning("bitnet-agent: dashboard sample failed, the charts skip it: " + e);
      }
    }
  }

  /** One step: a point from this collection and the previous one (none for the very first). */
  void sample(Collection<MetricData> metrics, long now) {
    MetricsView v = new MetricsView(metrics);
    Cumulative c = new Cumulative(now,
        v.sum("bitnet.generation.tokens"),
        v.sum("bitnet.inference.requests"),
        v.sum("bitnet.inference.requests", p -> "error".equals(p.getAttributes().get(BitNetAttributes.STATUS))),
        v.histogram("bitnet.inference.duration", p -> true),
        v.histogram("bitnet.time_to_first_token", p -> true),
        v.histogram("gen_ai.server.time_per_output_token", p -> true),
        v.sumBy("bitnet.quantization.operations", FORMAT, p -> true),
        v.histogramsBy("bitnet.quantization.accuracy.ratio", FORMAT));
    Cumulative p = previous;
    previous = c;
    if (p == null) {
      return;
    }
    double seconds = Math.max(1e-3, (now - p.timeMillis) / 1000.0);
    Map<String, Double> opsPerSecond = new TreeMap<>();
    c.operations.forEach((format, count) ->
        opsPerSecond.put(format, Math.max(0, count - p.operations.getOrDefault(format, 0.0)) / seconds));
    Map<String, Double> accuracy = new TreeMap<>();
    c.accuracy.forEach((format, h) -> {
      MetricsView.Histogram d = h.minus(p.accuracy.get(format));
      if (d.count() > 0) {
        accuracy.put(format, d.mean());
        anomalies.observeInterval("accuracy_" + format, d.mean(), now);
      }
    });
    DashboardPoint point = new DashboardPoint(now,
        Math.max(0, c.tokens - p.tokens) / seconds,
        Math.max(0, c.requests - p.requests) / seconds,
        Math.max(0, c.errors - p.errors) / seconds,
        DashboardPoint.Quantiles.of(c.latency.minus(p.latency), 1000),
        DashboardPoint.Quantiles.of(c.ttft.minus(p.ttft), 1000),
        DashboardPoint.Quantiles.of(c.tpot.minus(p.tpot), 1000),
        Math.round(v.sum("bitnet.active_inference_requests")),
        Math.round(v.sum("bitnet.waiting_inference_requests")),
        opsPerSecond, accuracy, cpuPerCore(v), memory(v), gpus(v));
    synchronized (points) {
      points.addLast(point);
      while (points.size() > history) {
        points.removeFirst();
      }
    }
  }

  private static double[] cpuPerCore(MetricsView v) {
    Map<String, Double> byCore = v.gaugeBy("bitnet.cpu.utilization.ratio", SystemMetrics.CORE_ID);
    double[] out = new double[byCore.size()];
    for (Map.Entry<String, Double> e : byCore.entrySet()) {
      try {
        int core = Integer.parseInt(e.getKey());
        if (core >= 0 && core < out.length) {
          out[core] = e.getValue();
        }
      } catch (NumberFormatException ignored) {
        // not a core number: left out
      }
    }
    return out;
  }

  private Map<String, Double> memory(MetricsView v) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("usedBytes", v.sum("bitnet.system.memory.usage"));
    GlobalMemory memory = host.memory();
    m.put("totalBytes", memory == null ? Double.NaN : (double) memory.getTotal());
    MemoryUsage heap = host.heap();
    m.put("heapUsedBytes", (double) heap.getUsed());
    m.put("heapMaxBytes", (double) heap.getMax());
    return m;
  }

  private static List<Map<String, Object>> gpus(MetricsView v) {
    Map<String, Double> utilization = v.gaugeBy("bitnet.gpu.utilization.ratio", GpuMetrics.DEVICE_ID);
    List<Map<String, Object>> out = new ArrayList<>();
    for (String id : new TreeMap<>(utilization).keySet()) {
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("index", id);
      Map<String, Double> memory = v.sumBy("bitnet.gpu.memory.usage", GpuMetrics.MEMORY_TYPE,
          p -> id.equals(p.getAttributes().get(GpuMetrics.DEVICE_ID)));
      g.put("name", v.attributeWhere("bitnet.gpu.utilization.ratio", GpuMetrics.DEVICE_ID, id, GpuMetrics.DEVICE_NAME));
      g.put("utilization", utilization.get(id));
      g.put("memoryUsedBytes", memory.get("used"));
      g.put("memoryTotalBytes", memory.get("total"));
      out.add(g);
    }
    return out;
  }

  @Override
  public synchronized void close() {
    if (thread != null) {
      thread.interrupt();
      thread = null;
    }
  }
}
