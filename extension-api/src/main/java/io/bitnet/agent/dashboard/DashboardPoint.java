package io.bitnet.agent.dashboard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One interval of the dashboard's charts, computed from two successive collections. Latency figures
 * are in milliseconds; rates per second; null where the interval had no data.
 */
record DashboardPoint(
    long timeMillis,
    double tokensPerSecond,
    double requestsPerSecond,
    double errorsPerSecond,
    Quantiles latencyMs,
    Quantiles ttftMs,
    Quantiles tpotMs,
    long activeRequests,
    long waitingRequests,
    Map<String, Double> quantizationOpsPerSecond,
    Map<String, Double> accuracy,
    double[] cpuPerCore,
    Map<String, Double> memory,
    List<Map<String, Object>> gpus) {

  /** p50, p95 and p99 of one histogram over the interval. */
  record Quantiles(double p50, double p95, double p99) {

    static Quantiles of(MetricsView.Histogram delta, double scale) {
      if (delta.count() == 0) {
        return null;
      }
      return new Quantiles(delta.quantile(0.5) * scale, delta.quantile(0.95) * scale, delta.quantile(0.99) * scale);
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("p50", p50);
      m.put("p95", p95);
      m.put("p99", p99);
      return m;
    }
  }

  /** The JSON shape of docs/dashboard.md. */
  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("t", timeMillis);
    m.put("tokensPerSecond", tokensPerSecond);
    m.put("requestsPerSecond", requestsPerSecond);
    m.put("errorsPerSecond", errorsPerSecond);
    m.put("latencyMs", latencyMs == null ? null : latencyMs.toMap());
    m.put("ttftMs", ttftMs == null ? null : ttftMs.toMap());
    m.put("tpotMs", tpotMs == null ? null : tpotMs.toMap());
    m.put("activeRequests", activeRequests);
    m.put("waitingRequests", waitingRequests);
    m.put("quantizationOpsPerSecond", quantizationOpsPerSecond);
    m.put("accuracy", accuracy);
    m.put("cpuPerCore", cpuPerCore);
    m.put("memory", memory);
    m.put("gpus", gpus);
    return m;
  }
}
