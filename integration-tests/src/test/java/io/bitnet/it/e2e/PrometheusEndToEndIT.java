package io.bitnet.it.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real Prometheus scrapes the agent; PromQL through its HTTP API checks what users will see. */
class PrometheusEndToEndIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int REQUESTS = 5;
  private static Processes.App app;
  private static PrometheusServer prometheus;
  private static long promptTokens;
  private static long completionTokens;

  @BeforeAll
  static void start() throws Exception {
    app = Processes.App.start(Processes.App.bitnetAgent("-Dotel.traces.exporter=none"));
    prometheus = PrometheusServer.scraping(app.metricsPort);
    prometheus.await("up{job=\"bitnet-agent\"}", r -> r.size() == 1 && r.get(0).value() == 1);
    for (int i = 0; i < REQUESTS; i++) {
      JsonNode usage = JSON.readTree(app.complete("{\"prompt\":\"prometheus " + i + "\",\"max_tokens\":6,\"temperature\":0}")
          .body()).path("usage");
      promptTokens += usage.path("prompt_tokens").asLong();
      completionTokens += usage.path("completion_tokens").asLong();
    }
    prometheus.await("sum(bitnet_inference_requests_total)", r -> !r.isEmpty() && r.get(0).value() == REQUESTS);
  }

  @AfterAll
  static void stop() throws IOException {
    if (prometheus != null) {
      prometheus.close();
    }
    if (app != null) {
      app.close();
    }
  }

  @Test
  void countersRiseByExactlyWhatWasSent() throws Exception {
    assertEquals(REQUESTS, prometheus.value("sum(bitnet_inference_requests_total{status=\"ok\",model_id=\"tiny\",device=\"cpu\"})"));
    assertEquals(promptTokens, prometheus.value("sum(bitnet_prompt_tokens_total)"));
    assertEquals(completionTokens, prometheus.value("sum(bitnet_generation_tokens_total)"));
    assertEquals(14, prometheus.value("sum(bitnet_quantization_operations_total{operation=\"quantize\"})"));
    assertEquals(14 * completionTokens, prometheus.value("sum(bitnet_quantization_operations_total{operation=\"matmul\"})"),
        "a forward pass per token, 14 ternary matmuls each");
    assertEquals(REQUESTS, prometheus.value("sum(bitnet_inference_duration_seconds_count)"));
  }

  /**
   * Quantiles of the cumulative buckets (all requests since start): the requests arrive within a
   * scrape or two, too fast for a rate() window to see them increase.
   */
  @Test
  void histogramQuantilesAreSane() throws Exception {
    for (String metric : List.of("bitnet_inference_duration_seconds", "bitnet_time_to_first_token_seconds",
        "gen_ai_server_request_duration_seconds")) {
      double p50 = prometheus.value("histogram_quantile(0.5, sum by (le) (" + metric + "_bucket))");
      double p99 = prometheus.value("histogram_quantile(0.99, sum by (le) (" + metric + "_bucket))");
      assertTrue(p50 > 0 && p50 <= p99 && p99 < 60, metric + " p50 " + p50 + " p99 " + p99);
    }
    double tps = prometheus.value("histogram_quantile(0.5, sum by (le) (bitnet_tokens_per_second_bucket))");
    assertTrue(tps > 1 && tps <= 500, "tokens/s p50 " + tps);
  }

  @Test
  void labelsAreTheCatalogs() throws Exception {
    assertLabels("bitnet_inference_requests_total", "model_id", "status", "device");
    assertLabels("bitnet_inference_duration_seconds_count", "model_id", "quantization_format", "device", "status");
    assertLabels("bitnet_tokens_per_second_count", "model_id", "quantization_format", "device");
    assertLabels("bitnet_quantization_operations_total", "quantization_format", "operation", "device");
    assertLabels("bitnet_quantization_processing_duration_seconds_count", "quantization_format", "operation");
    assertLabels("bitnet_quantization_scale_factor", "tensor_name", "quantization_format");
    assertLabels("bitnet_active_inference_requests", "model_id", "priority");
    assertLabels("bitnet_waiting_inference_requests", "model_id");
    assertLabels("bitnet_kernel_backend", "backend", "simd");
    assertLabels("bitnet_component_health_status", "component", "subsystem");
    assertLabels("bitnet_cpu_utilization_ratio", "core_id");
  }

  private static void assertLabels(String metric, String... labels) throws Exception {
    List<PrometheusServer.Series> series = prometheus.query(metric);
    assertTrue(!series.isEmpty(), metric + " is scraped");
    for (PrometheusServer.Series s : series) {
      Set<String> keys = s.labels().keySet();
      for (String l : labels) {
        assertTrue(keys.contains(l), metric + " has label " + l + ": " + keys);
      }
    }
  }

  @Test
  void genAiAndDeviceMetricsArePresent() throws Exception {
    assertEquals(REQUESTS, prometheus.value("sum(gen_ai_server_request_duration_seconds_count)"));
    assertEquals(REQUESTS, prometheus.value("sum(gen_ai_server_time_to_first_token_seconds_count)"));
    assertTrue(prometheus.value("sum(gen_ai_server_time_per_output_token_seconds_count)") >= 1);
    List<PrometheusServer.Series> cpu = prometheus.query("bitnet_cpu_utilization_ratio");
    assertEquals(Runtime.getRuntime().availableProcessors(), cpu.size(), "one series per core");
    assertTrue(cpu.stream().allMatch(s -> s.value() >= 0 && s.value() <= 1));
    assertTrue(prometheus.value("bitnet_system_memory_usage_bytes") > 0);
    assertEquals(1, prometheus.value("bitnet_sla_compliance_ratio"), "tiny answers well inside the default SLA");
  }

  @Test
  void promtoolFindsNothingWrongWithOurSeries() throws Exception {
    Process p = new ProcessBuilder(PrometheusServer.which("promtool"), "check", "metrics").redirectErrorStream(true).start();
    p.getOutputStream().write(app.scrape().getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    List<String> ours = out.lines().filter(l -> l.contains("bitnet_") || l.contains("gen_ai_")).toList();
    assertEquals(List.of(), ours, "promtool check metrics on a live scrape:\n" + out);
  }
}
