package io.bitnet.it.deploy;

import java.util.List;
import java.util.Optional;

/**
 * The exported metric names of docs/telemetry.md (the telemetry catalog), as Prometheus sees them.
 * CatalogTest checks this list against the document, DashboardScrapeIT against a real scrape.
 */
final class Catalog {

  enum Type { COUNTER, GAUGE, HISTOGRAM }

  /** One metric: its exported name, its type, and whether it needs an NVIDIA GPU to appear. */
  record Metric(String name, Type type, boolean gpuOnly) {

    /** The series names a scrape shows: a histogram's _bucket, _count and _sum, else the name. */
    List<String> seriesNames() {
      return type == Type.HISTOGRAM ? List.of(name + "_bucket", name + "_count", name + "_sum") : List.of(name);
    }
  }

  private static Metric counter(String name) {
    return new Metric(name, Type.COUNTER, false);
  }

  private static Metric gauge(String name) {
    return new Metric(name, Type.GAUGE, false);
  }

  private static Metric histogram(String name) {
    return new Metric(name, Type.HISTOGRAM, false);
  }

  static final List<Metric> METRICS = List.of(
      // quantization (scope io.bitnet.kernels)
      counter("bitnet_quantization_operations_total"),
      histogram("bitnet_quantization_processing_duration_seconds"),
      histogram("bitnet_quantization_accuracy_ratio"),
      gauge("bitnet_quantization_scale_factor"),
      gauge("bitnet_kernel_backend"),
      counter("bitnet_device_fallback_events_total"),
      // inference (scope io.bitnet.runtime)
      histogram("bitnet_inference_duration_seconds"),
      histogram("bitnet_tokens_per_second"),
      counter("bitnet_inference_requests_total"),
      gauge("bitnet_active_inference_requests"),
      gauge("bitnet_waiting_inference_requests"),
      histogram("bitnet_request_queue_duration_seconds"),
      histogram("bitnet_time_to_first_token_seconds"),
      histogram("bitnet_batch_formation_duration_seconds"),
      counter("bitnet_prompt_tokens_total"),
      counter("bitnet_generation_tokens_total"),
      histogram("gen_ai_server_request_duration_seconds"),
      histogram("gen_ai_server_time_to_first_token_seconds"),
      histogram("gen_ai_server_time_per_output_token_seconds"),
      // device, health and SLA (scope io.bitnet.agent)
      gauge("bitnet_cpu_utilization_ratio"),
      gauge("bitnet_system_memory_usage_bytes"),
      new Metric("bitnet_gpu_utilization_ratio", Type.GAUGE, true),
      new Metric("bitnet_gpu_memory_usage_bytes", Type.GAUGE, true),
      gauge("bitnet_component_health_status"),
      counter("bitnet_health_check_failures_total"),
      histogram("bitnet_health_check_duration_seconds"),
      gauge("bitnet_sla_compliance_ratio"),
      counter("bitnet_anomalies_total"),
      gauge("bitnet_performance_trend"),
      counter("bitnet_sla_violations_total"));

  private Catalog() {}

  /** The catalog metric a series name belongs to (a histogram's _bucket, _count or _sum included). */
  static Optional<Metric> forSeries(String series) {
    for (Metric m : METRICS) {
      if (m.seriesNames().contains(series)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /** Whether a name is one of ours: bitnet_* or gen_ai_* (recording rules, with colons, are not). */
  static boolean ours(String name) {
    return (name.startsWith("bitnet_") || name.startsWith("gen_ai_")) && !name.contains(":");
  }
}
