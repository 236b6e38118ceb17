package io.bitnet.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Kubernetes probes across the lifecycle, computed by the agent from its own telemetry. */
class HealthIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void probesFollowTheModelLoadAndAStuckGenerateCall() throws Exception {
    AgentHarness.Options o = AgentHarness.options().jvm("-Dbitnet.health.stall-timeout=1s");
    o.appArgs.clear();
    o.appArgs.addAll(java.util.List.of("--model", "small", "--load-delay", "4000", "--token-delay", "100"));
    o.waitReady = false;
    try (AgentHarness app = AgentHarness.start(o)) {
      // loading: not started, not ready, but alive
      assertEquals(503, app.management("/health/started").statusCode());
      assertEquals(503, app.management("/health/ready").statusCode());
      assertEquals(200, app.management("/health/live").statusCode());
      HttpResponse<String> all = app.management("/health");
      assertEquals(503, all.statusCode());
      JsonNode body = JSON.readTree(all.body());
      assertEquals("DOWN", body.path("status").asText());
      Set<String> names = new HashSet<>();
      for (JsonNode c : body.path("checks")) {
        names.add(c.path("name").asText());
        if (c.path("name").asText().equals("device_monitor")) {
          assertEquals("UP", c.path("status").asText());
          assertTrue(c.path("data").toString().contains("no NVIDIA GPU"), c.toString());
        }
      }
      assertEquals(Set.of("model_manager", "device_monitor", "quantization_engine", "inference_engine", "memory_manager"),
          names);

      app.jvm.awaitLine(l -> l.contains(" ready in "), AgentHarness.STARTUP);
      awaitStatus(app, "/health/started", 200);
      assertEquals(200, app.management("/health/ready").statusCode(), app.management("/health").body());
      assertEquals(200, app.management("/health/live").statusCode());

      // a generate call running past the 1 s stall timeout (40 tokens, 100 ms each) fails liveness until it ends
      CompletableFuture<HttpResponse<String>> longCall = CompletableFuture.supplyAsync(() -> {
        try {
          return app.complete("{\"prompt\":\"stall\",\"max_tokens\":40,\"seed\":1}");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      awaitStatus(app, "/health/live", 503);
      assertEquals(200, longCall.get(120, TimeUnit.SECONDS).statusCode());
      awaitStatus(app, "/health/live", 200);

      assertTrue(app.spans().stream().noneMatch(s -> s.attr("url.path") != null && s.attr("url.path").startsWith("/health")),
          "probes are not traced");
      PrometheusScrape m = app.scrape();
      assertEquals(1, m.sum("bitnet_component_health_status", "component", "model_manager"));
      assertTrue(m.sum("bitnet_health_check_failures_total") >= 3, "the 503 answers were counted");
      assertTrue(m.series("bitnet_cpu_utilization_ratio").size() >= 1);
      assertTrue(m.sum("bitnet_system_memory_usage_bytes") > 0);
      assertTrue(m.series("bitnet_gpu_utilization_ratio").isEmpty(), "no GPU series without a driver");
      assertTrue(m.sum("bitnet_sla_compliance_ratio") >= 0 && m.sum("bitnet_sla_compliance_ratio") <= 1);
    }
  }

  @Test
  void aModelLoadedFromAGgufFileMakesTheServerReadyUnderItsGeneralName(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("tiny-model.gguf");
    try (io.bitnet.kernels.BitNetKernels kernels = io.bitnet.kernels.BitNetKernels.builder().threads(1).build()) {
      io.bitnet.runtime.gguf.GgufModelWriter.writeSynthetic(file, io.bitnet.runtime.ModelConfig.TINY,
          "Agent GGUF Test", 3, kernels);
    }
    AgentHarness.Options o = AgentHarness.options();
    o.appArgs.clear();
    o.appArgs.addAll(java.util.List.of("--model", file.toString()));
    try (AgentHarness app = AgentHarness.start(o)) {
      awaitStatus(app, "/health/ready", 200);
      assertEquals(200, app.complete("{\"prompt\":\"Hello\",\"max_tokens\":4,\"seed\":1}").statusCode());
      java.util.List<ExportedSpans.Span> loads = ExportedSpans.named(
          app.awaitSpans(all -> !ExportedSpans.named(all, "bitnet.model.load").isEmpty()), "bitnet.model.load");
      assertEquals(1, loads.size());
      assertEquals("Agent GGUF Test", loads.get(0).attr("model.id"));
      assertEquals("tiny-model.gguf", loads.get(0).attr("bitnet.model.file"));
      assertEquals("i2_s", loads.get(0).attr("quantization.format"));
      assertTrue(Long.parseLong(loads.get(0).attr("bitnet.model.tensor_count")) > 0);
      PrometheusScrape m = app.scrape();
      assertEquals(1, m.sum("bitnet_component_health_status", "component", "model_manager"));
      assertEquals(1, m.sum("bitnet_inference_requests_total", "model_id", "Agent GGUF Test"));
    }
  }

  private static void awaitStatus(AgentHarness app, String path, int status) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    int last = -1;
    while (System.nanoTime() < deadline) {
      last = app.management(path).statusCode();
      if (last == status) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(path + " stayed " + last + ", wanted " + status + "\n" + app.management("/health").body());
  }
}
