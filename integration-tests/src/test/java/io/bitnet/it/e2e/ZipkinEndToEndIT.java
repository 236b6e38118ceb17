package io.bitnet.it.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The traces in a real Zipkin, fed by the agent's Zipkin exporter: one trace per request with the tree
 * HTTP server span → text_completion → prefill/decode, and the model load with its quantize spans.
 * Run with bitnet-agent.jar and with the upstream agent plus bitnet-extension.jar.
 */
class ZipkinEndToEndIT {

  private static ZipkinServer zipkin;

  @BeforeAll
  static void start() throws Exception {
    zipkin = ZipkinServer.start();
  }

  @AfterAll
  static void stop() {
    if (zipkin != null) {
      zipkin.close();
    }
  }

  static Stream<Arguments> agents() {
    return Stream.of(Arguments.of("bitnet-agent"), Arguments.of("upstream-with-extension"));
  }

  @ParameterizedTest
  @MethodSource("agents")
  void oneTracePerRequestWithTheFullTree(String agent) throws Exception {
    String service = "e2e-" + agent;
    String[] props = {"-Dotel.service.name=" + service, "-Dotel.traces.exporter=zipkin",
        "-Dotel.exporter.zipkin.endpoint=" + zipkin.spansEndpoint()};
    List<String> agentArgs = agent.equals("bitnet-agent")
        ? Processes.App.bitnetAgent(props) : Processes.App.upstreamAgentWithExtension(props);
    try (Processes.App app = Processes.App.start(agentArgs)) {
      for (int i = 0; i < 3; i++) {
        assertEquals(200, app.complete("{\"prompt\":\"zipkin " + i + "\",\"max_tokens\":4}").statusCode());
      }
      List<JsonNode> requestTraces = awaitTraces(service, 3);
      for (JsonNode trace : requestTraces) {
        JsonNode root = only(trace, "post /v1/completions");
        assertTrue(root.path("parentId").isMissingNode(), "the HTTP server span is the root");
        JsonNode gen = only(trace, "text_completion tiny");
        assertEquals(root.path("id").asText(), gen.path("parentId").asText());
        assertEquals("tiny", gen.path("tags").path("gen_ai.request.model").asText());
        assertEquals("text_completion", gen.path("tags").path("gen_ai.operation.name").asText());
        assertTrue(gen.path("tags").has("gen_ai.usage.output_tokens"));
        assertTrue(gen.path("tags").has("bitnet.request.cpu_time"));
        assertEquals(gen.path("id").asText(), only(trace, "bitnet.prefill").path("parentId").asText());
        assertEquals(gen.path("id").asText(), only(trace, "bitnet.decode").path("parentId").asText());
      }
      JsonNode load = awaitLoadTrace(service);
      JsonNode loadSpan = only(load, "bitnet.model.load");
      assertEquals("14", loadSpan.path("tags").path("bitnet.model.tensor_count").asText());
      int quantize = 0;
      for (JsonNode s : load) {
        if (s.path("name").asText().equals("quantization_quantize")) {
          quantize++;
          assertEquals(loadSpan.path("id").asText(), s.path("parentId").asText());
          assertTrue(s.path("tags").path("tensor.name").asText().startsWith("blk."));
          assertEquals("quantize", s.path("tags").path("quantization.operation").asText());
        }
      }
      assertEquals(14, quantize);
    }
  }

  private static List<JsonNode> awaitTraces(String service, int requests) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<JsonNode> found = List.of();
    while (System.nanoTime() < deadline) {
      found = new ArrayList<>();
      boolean complete = true;
      for (JsonNode trace : zipkin.traces(service)) {
        if (count(trace, "text_completion tiny") > 0) {
          found.add(trace);
          complete &= count(trace, "post /v1/completions") == 1 && count(trace, "bitnet.decode") == 1;
        }
      }
      if (found.size() == requests && complete) {
        return found;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("expected " + requests + " request traces in Zipkin, found " + found.size());
  }

  private static JsonNode awaitLoadTrace(String service) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode trace : zipkin.traces(service)) {
        if (count(trace, "bitnet.model.load") == 1 && count(trace, "quantization_quantize") == 14) {
          return trace;
        }
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no complete model-load trace in Zipkin");
  }

  private static int count(JsonNode trace, String name) {
    int n = 0;
    for (JsonNode s : trace) {
      if (s.path("name").asText().equals(name)) {
        n++;
      }
    }
    return n;
  }

  private static JsonNode only(JsonNode trace, String name) {
    assertEquals(1, count(trace, name), "one '" + name + "' span in " + trace);
    for (JsonNode s : trace) {
      if (s.path("name").asText().equals(name)) {
        return s;
      }
    }
    throw new AssertionError();
  }
}
