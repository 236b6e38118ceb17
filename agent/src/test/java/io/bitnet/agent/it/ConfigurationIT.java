package io.bitnet.agent.it;

import io.bitnet.testing.ChildJvm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bitnet.agent.it.ExportedSpans.Span;
import io.bitnet.kernels.QuantizationFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Options that change what is recorded, other JVMs, and the extension on the upstream agent. */
class ConfigurationIT {

  private static final String PROMPT = "a secret prompt";

  @Test
  void contentIsCapturedOnlyWhenEnabled() throws Exception {
    try (AgentHarness app = AgentHarness.start(AgentHarness.options().jvm("-Dbitnet.capture-content=true"))) {
      assertEquals(200, app.complete("{\"prompt\":\"" + PROMPT + "\",\"max_tokens\":3}").statusCode());
      List<Span> spans = app.awaitSpans(s -> !ExportedSpans.named(s, "text_completion tiny").isEmpty());
      Span gen = ExportedSpans.named(spans, "text_completion tiny").get(0);
      assertEquals(PROMPT, gen.attr("gen_ai.prompt"));
      assertTrue(gen.attr("gen_ai.completion") != null);
    }
  }

  @Test
  void matmulSpansAndTokenEventsAreOptIn() throws Exception {
    try (AgentHarness app = AgentHarness.start(AgentHarness.options()
        .jvm("-Dbitnet.trace.matmul-spans=true", "-Dbitnet.trace.token-events=true"))) {
      String body = app.complete("{\"prompt\":\"x\",\"max_tokens\":5,\"temperature\":0}").body();
      int completion = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body)
          .path("usage").path("completion_tokens").asInt();
      List<Span> spans = app.awaitSpans(s -> !ExportedSpans.named(s, "text_completion tiny").isEmpty()
          && !ExportedSpans.named(s, "quantization_matmul").isEmpty());
      Span gen = ExportedSpans.named(spans, "text_completion tiny").get(0);
      assertTrue(ExportedSpans.named(spans, "quantization_matmul").stream().allMatch(m -> m.traceId().equals(gen.traceId())),
          "matmul spans belong to the request's trace");
      long tokenEvents = gen.events().stream().filter("gen_ai.token"::equals).count();
      assertTrue(tokenEvents >= 1 && tokenEvents <= completion, tokenEvents + " token events for " + completion + " tokens");
    }
  }

  /** Runs {@link KernelCallsApp} with the agent and returns a scrape once it is done. */
  private static PrometheusScrape runKernelCalls(List<String> props, String... args) throws Exception {
    int metricsPort = ChildJvm.freePort();
    Path testClasses = Path.of(KernelCallsApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> cmd = ChildJvm.command(ChildJvm.java(), "-javaagent:" + AgentHarness.AGENT,
        "-Dotel.traces.exporter=none", "-Dotel.logs.exporter=none", "-Dotel.exporter.prometheus.port=" + metricsPort,
        "-Dbitnet.management.enabled=false");
    cmd.addAll(props);
    cmd.addAll(List.of("-cp", AgentHarness.SAMPLE_APP + java.io.File.pathSeparator + testClasses,
        KernelCallsApp.class.getName()));
    cmd.addAll(List.of(args));
    try (ChildJvm jvm = ChildJvm.start(cmd)) {
      jvm.awaitLine(l -> l.equals("done"), Duration.ofSeconds(120));
      return PrometheusScrape.fetch(metricsPort);
    }
  }

  @Test
  void tenThousandTensorNamesGiveAtMostTheCap() throws Exception {
    PrometheusScrape m = runKernelCalls(List.of("-Dbitnet.metrics.max-tensor-series=50"), "tensors", "10000");
    List<PrometheusScrape.Sample> scales = m.series("bitnet_quantization_scale_factor");
    assertEquals(51, scales.size(), "50 names plus 'other'");
    assertEquals(1, scales.stream().filter(s -> "other".equals(s.labels().get("tensor_name"))).count());
    assertEquals(10000, m.sum("bitnet_quantization_operations_total", "operation", "quantize"));
  }

  @Test
  void everyKernelCallIsCountedOnceAndSampledAccuracyDoesNotCountItself() throws Exception {
    PrometheusScrape m = runKernelCalls(List.of("-Dbitnet.quantization.accuracy.sample-ratio=1",
        "-Dbitnet.kernels.backend=gpu9000"), "ops");
    for (QuantizationFormat f : QuantizationFormat.values()) {
      assertEquals(1, m.sum("bitnet_quantization_operations_total", "operation", "quantize", "quantization_format", f.label()));
      assertEquals(2, m.sum("bitnet_quantization_operations_total", "operation", "dequantize",
          "quantization_format", f.label()));
      assertEquals(1, m.sum("bitnet_quantization_accuracy_ratio_count", "operation", "quantize",
          "quantization_format", f.label()));
    }
    // the accuracy check of each matmul runs one more matmul, which must not be counted
    assertEquals(5, m.sum("bitnet_quantization_operations_total", "operation", "matmul"));
    assertEquals(5, m.sum("bitnet_quantization_accuracy_ratio_count", "operation", "matmul"));
    assertTrue(m.sum("bitnet_quantization_accuracy_ratio_sum", "operation", "matmul") > 5 * 0.9,
        "int8 activations keep the matmul output close to FP32");
    assertEquals(4, m.series("bitnet_quantization_scale_factor").size(), "three quantized tensors and the adopted one");
    assertEquals(1, m.sum("bitnet_device_fallback_events_total", "reason", "invalid_configuration"));
  }

  @Test
  void leanModeKeepsTheInferenceTelemetry() throws Exception {
    try (AgentHarness app = AgentHarness.start(AgentHarness.options().jvm("-Dbitnet.lean=true"))) {
      assertEquals(200, app.complete("{\"prompt\":\"lean\",\"max_tokens\":3}").statusCode());
      List<Span> spans = app.awaitSpans(s -> !ExportedSpans.named(s, "text_completion tiny").isEmpty()
          && !ExportedSpans.named(s, "POST /v1/completions").isEmpty());
      assertEquals(ExportedSpans.named(spans, "POST /v1/completions").get(0).spanId(),
          ExportedSpans.named(spans, "text_completion tiny").get(0).parentSpanId());
      PrometheusScrape m = app.scrape();
      assertEquals(1, m.sum("bitnet_inference_requests_total", "status", "ok"));
      assertTrue(!m.series("jvm_memory_used_bytes").isEmpty(), "JVM runtime metrics stay on");
    }
  }

  @Test
  void leanKeepsTheApplicationsOwnSpansAndInstallsEveryInstrumentationItNames() throws Exception {
    String classPath = String.join(java.io.File.pathSeparator, codeSource(ApiCallsApp.class),
        codeSource(io.opentelemetry.api.GlobalOpenTelemetry.class), codeSource(io.opentelemetry.context.Context.class),
        codeSource(io.opentelemetry.common.ComponentLoader.class),
        codeSource(io.opentelemetry.instrumentation.annotations.WithSpan.class));
    List<String> cmd = ChildJvm.command(ChildJvm.java(), "-javaagent:" + AgentHarness.AGENT, "-Dbitnet.lean=true",
        "-Dotel.javaagent.debug=true", "-Dotel.traces.exporter=logging-otlp", "-Dotel.bsp.schedule.delay=100ms",
        "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none", "-Dbitnet.management.enabled=false",
        "-cp", classPath, ApiCallsApp.class.getName());
    try (ChildJvm jvm = ChildJvm.start(cmd)) {
      jvm.awaitLine(l -> l.equals("done"), Duration.ofSeconds(120));
      // the manual span ends last, and may come in a later export batch than the annotated one
      List<Span> spans = AgentHarness.awaitSpans(jvm, s -> !ExportedSpans.named(s, "annotated-span").isEmpty()
          && !ExportedSpans.named(s, "manual-span").isEmpty());
      List<Span> annotated = ExportedSpans.named(spans, "annotated-span");
      List<Span> manual = ExportedSpans.named(spans, "manual-span");
      assertEquals(1, annotated.size(), "the @WithSpan method is traced");
      assertEquals(1, manual.size(), "the API's span reaches the agent's SDK");
      assertEquals(manual.get(0).spanId(), annotated.get(0).parentSpanId());

      // an unknown name would be ignored without a word: each must be one of the agent's instrumentations
      String output = jvm.output();
      for (String name : io.bitnet.agent.LeanInstrumentations.names()) {
        assertTrue(output.contains("Loading instrumentation " + name + " ["), name + " is an instrumentation of the agent");
        assertFalse(output.contains("Instrumentation " + name + " is disabled"), name + " stays on");
      }
      assertTrue(output.contains("Instrumentation jdbc is disabled"), "the rest is off");
    }
  }

  private static String codeSource(Class<?> type) throws java.net.URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  @Test
  void runsOnJava25() throws Exception {
    Path java25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    assumeTrue(Files.isExecutable(java25), "Temurin 25 is not installed here");
    try (AgentHarness app = AgentHarness.start(AgentHarness.options().javaBinary(java25.toString()))) {
      assertEquals(200, app.complete("{\"prompt\":\"java 25\",\"max_tokens\":3}").statusCode());
      app.awaitSpans(s -> !ExportedSpans.named(s, "text_completion tiny").isEmpty());
      assertEquals(1, app.scrape().sum("bitnet_inference_requests_total", "status", "ok"));
      assertFalse(app.jvm.output().contains("Failed to handle exception in instrumentation"), app.jvm.output());
    }
  }

  @Test
  void theExtensionWorksOnTheUpstreamAgent() throws Exception {
    try (AgentHarness app = AgentHarness.start(AgentHarness.options().withAgent(AgentHarness.UPSTREAM_AGENT)
        .jvm("-Dotel.javaagent.extensions=" + AgentHarness.EXTENSION, "-Dotel.metrics.exporter=prometheus",
            "-Dotel.exporter.prometheus.host=127.0.0.1"))) {
      assertEquals(200, app.complete("{\"prompt\":\"upstream\",\"max_tokens\":3}").statusCode());
      List<Span> spans = app.awaitSpans(s -> !ExportedSpans.named(s, "text_completion tiny").isEmpty()
          && !ExportedSpans.named(s, "bitnet.model.load").isEmpty()
          && !ExportedSpans.named(s, "POST /v1/completions").isEmpty());
      Span gen = ExportedSpans.named(spans, "text_completion tiny").get(0);
      Span http = ExportedSpans.named(spans, "POST /v1/completions").get(0);
      assertEquals(http.spanId(), gen.parentSpanId());
      PrometheusScrape m = app.scrape();
      assertEquals(1, m.sum("bitnet_inference_requests_total", "status", "ok"));
      assertEquals(14, m.sum("bitnet_quantization_operations_total", "operation", "quantize"));
    }
  }
}
