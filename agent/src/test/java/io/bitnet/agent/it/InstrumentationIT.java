package io.bitnet.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bitnet.agent.it.ExportedSpans.Span;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every instrumented method, through the real bitnet-agent.jar on the unchanged sample server: the
 * spans with their names, attributes and parent links, and the metrics with their labels and exact
 * counts. The tiny model has 2 layers of 7 ternary tensors.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstrumentationIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TENSORS = 14;
  private static AgentHarness app;

  @BeforeAll
  static void start() throws Exception {
    app = AgentHarness.start(AgentHarness.options().app("--queue", "4", "--max-batch", "4"));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  @Test
  @Order(1)
  void modelLoadSpanParentsEveryQuantizeSpanAndMetricsCountThem() throws Exception {
    List<Span> spans = app.awaitSpans(s -> ExportedSpans.named(s, "bitnet.model.load").size() == 1
        && ExportedSpans.named(s, "quantization_quantize").size() == TENSORS);
    Span load = ExportedSpans.named(spans, "bitnet.model.load").get(0);
    assertEquals("tiny", load.attr("model.id"));
    assertEquals(String.valueOf(TENSORS), load.attr("bitnet.model.tensor_count"));
    assertTrue(Long.parseLong(load.attr("bitnet.model.bytes")) > 0);
    for (Span q : ExportedSpans.named(spans, "quantization_quantize")) {
      assertEquals(load.spanId(), q.parentSpanId(), "quantize spans are children of the load");
      assertEquals(load.traceId(), q.traceId());
      assertEquals("quantize", q.attr("quantization.operation"));
      assertEquals("i2_s", q.attr("quantization.format"));
      assertTrue(q.attr("tensor.name").startsWith("blk."), q.attr("tensor.name"));
      assertNotNull(q.attr("bitnet.kernel.backend"));
    }

    PrometheusScrape m = app.scrape();
    assertEquals(TENSORS, m.sum("bitnet_quantization_operations_total", "operation", "quantize",
        "quantization_format", "i2_s", "device", "cpu"));
    assertEquals(TENSORS, m.sum("bitnet_quantization_processing_duration_seconds_count", "operation", "quantize"));
    assertEquals(TENSORS, m.series("bitnet_quantization_scale_factor").size(), "one scale series per tensor");
    assertTrue(m.series("bitnet_quantization_scale_factor").stream().allMatch(s -> s.value() > 0));
    // exported without "_info": Prometheus client 1.x reserves that suffix (docs/telemetry.md)
    assertEquals(1, m.series("bitnet_kernel_backend").size(), m.text());
    assertEquals(1.0, m.series("bitnet_kernel_backend").get(0).value());
    assertTrue(m.series("bitnet_kernel_backend").get(0).labels().get("backend").startsWith("native_"));
    assertTrue(m.series("bitnet_device_fallback_events_total").isEmpty(), "the native backend loaded: no fallback");
  }

  @Test
  @Order(2)
  void completionGivesATextCompletionSpanUnderTheHttpSpanWithItsChildren() throws Exception {
    HttpResponse<String> r = app.complete("{\"prompt\":\"Hello\",\"max_tokens\":6,\"temperature\":0}");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode usage = JSON.readTree(r.body()).path("usage");
    int completion = usage.path("completion_tokens").asInt();
    int prompt = usage.path("prompt_tokens").asInt();

    List<Span> spans = app.awaitSpans(s -> ExportedSpans.named(s, "text_completion tiny").size() == 1
        && !ExportedSpans.named(s, "POST /v1/completions").isEmpty());
    Span gen = ExportedSpans.named(spans, "text_completion tiny").get(0);
    Span http = ExportedSpans.named(spans, "POST /v1/completions").get(0);
    assertEquals(http.spanId(), gen.parentSpanId(), "the HTTP server span is the parent");
    assertEquals(1, gen.kind(), "INTERNAL");
    assertEquals("text_completion", gen.attr("gen_ai.operation.name"));
    assertEquals("bitnet", gen.attr("gen_ai.provider.name"));
    assertEquals("tiny", gen.attr("gen_ai.request.model"));
    assertEquals("6", gen.attr("gen_ai.request.max_tokens"));
    assertEquals(String.valueOf(prompt), gen.attr("gen_ai.usage.input_tokens"));
    assertEquals(String.valueOf(completion), gen.attr("gen_ai.usage.output_tokens"));
    assertTrue(gen.attr("gen_ai.response.finish_reasons").contains("length")
        || gen.attr("gen_ai.response.finish_reasons").contains("stop"));
    assertEquals("tiny", gen.attr("model.id"));
    assertEquals("i2_s", gen.attr("quantization.format"));
    assertEquals("generate", gen.attr("bitnet.operation"));
    assertNotNull(gen.attr("request.id"));
    assertTrue(Double.parseDouble(gen.attr("bitnet.request.cpu_time")) > 0, gen.attributes().toString());
    assertTrue(Long.parseLong(gen.attr("bitnet.request.allocated_bytes")) > 0, gen.attributes().toString());
    assertTrue(gen.events().contains("gen_ai.first_token"));
    assertEquals(null, gen.attr("gen_ai.prompt"), "no content unless opted in");
    assertEquals(null, gen.attr("gen_ai.completion"));
    Span prefill = ExportedSpans.named(spans, "bitnet.prefill").get(0);
    Span decode = ExportedSpans.named(spans, "bitnet.decode").get(0);
    assertEquals(gen.spanId(), prefill.parentSpanId());
    assertEquals(gen.spanId(), decode.parentSpanId());
    assertEquals(String.valueOf(prompt), prefill.attr("bitnet.token_count"));
    assertEquals(String.valueOf(completion), decode.attr("bitnet.token_count"));
    // placed after the fact from the engine's timings: inside the request's span, in order
    assertTrue(prefill.within(gen), "prefill inside text_completion: " + prefill + " " + gen);
    assertTrue(decode.within(gen), "decode inside text_completion: " + decode + " " + gen);
    assertTrue(prefill.startNanos() <= decode.startNanos(), "prefill before decode");
    assertTrue(gen.within(http), "text_completion inside the HTTP server span: " + gen + " " + http);

    PrometheusScrape m = app.scrape();
    assertEquals(1, m.sum("bitnet_inference_requests_total", "model_id", "tiny", "status", "ok", "device", "cpu"));
    assertEquals(prompt, m.sum("bitnet_prompt_tokens_total", "model_id", "tiny"));
    assertEquals(completion, m.sum("bitnet_generation_tokens_total", "model_id", "tiny"));
    // one forward pass per token: the prompt in one chunk, then completion - 1 decode steps
    assertEquals((double) TENSORS * completion, m.sum("bitnet_quantization_operations_total", "operation", "matmul"));
    assertEquals(1, m.sum("bitnet_inference_duration_seconds_count", "model_id", "tiny", "quantization_format", "i2_s",
        "device", "cpu", "status", "ok"));
    assertEquals(1, m.sum("bitnet_time_to_first_token_seconds_count"));
    assertEquals(1, m.sum("bitnet_request_queue_duration_seconds_count"));
    assertEquals(1, m.sum("bitnet_batch_formation_duration_seconds_count"));
    assertEquals(1, m.sum("gen_ai_server_request_duration_seconds_count", "gen_ai_operation_name", "text_completion"));
    assertEquals(1, m.sum("gen_ai_server_time_to_first_token_seconds_count"));
    if (completion > 1) {
      assertEquals(1, m.sum("bitnet_tokens_per_second_count", "model_id", "tiny"));
      assertEquals(1, m.sum("gen_ai_server_time_per_output_token_seconds_count"));
    }
    assertEquals(0, m.sum("bitnet_active_inference_requests", "model_id", "tiny"));
    assertEquals(0, m.sum("bitnet_waiting_inference_requests", "model_id", "tiny"));

    // one token: the request is hardly longer than its queue time and batch window, where a misplaced
    // prefill or decode span (the queue time counted twice, say) would fall outside its parent
    assertEquals(200, app.complete("{\"prompt\":\"Hi\",\"max_tokens\":1,\"temperature\":0}").statusCode());
    List<Span> after = app.awaitSpans(s -> ExportedSpans.named(s, "text_completion tiny").size() == 2);
    Span short1 = ExportedSpans.named(after, "text_completion tiny").stream()
        .filter(x -> !x.spanId().equals(gen.spanId())).findFirst().orElseThrow();
    for (Span child : after) {
      if (child.parentSpanId().equals(short1.spanId())) {
        assertTrue(child.within(short1), child.name() + " inside its text_completion: " + child + " " + short1);
      }
    }
  }

  @Test
  @Order(3)
  void sixteenConcurrentRequestsAreCountedExactly() throws Exception {
    PrometheusScrape before = app.scrape();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<Integer>> statuses = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      int n = i;
      statuses.add(pool.submit(() -> app.complete("{\"prompt\":\"concurrent " + n + "\",\"max_tokens\":12}").statusCode()));
    }
    int ok = 0;
    int rejected = 0;
    for (Future<Integer> f : statuses) {
      int s = f.get(120, TimeUnit.SECONDS);
      if (s == 200) {
        ok++;
      } else if (s == 429) {
        rejected++;
      } else {
        throw new AssertionError("status " + s);
      }
    }
    pool.shutdown();
    PrometheusScrape after = app.scrape();
    assertEquals(ok, after.sum("bitnet_inference_requests_total", "status", "ok")
        - before.sum("bitnet_inference_requests_total", "status", "ok"));
    assertEquals(rejected, after.sum("bitnet_inference_requests_total", "status", "rejected")
        - before.sum("bitnet_inference_requests_total", "status", "rejected"));
    assertEquals(0, after.sum("bitnet_active_inference_requests"), "the active gauge returns to 0");
    assertEquals(0, after.sum("bitnet_waiting_inference_requests"));
  }

  @Test
  @Order(4)
  void aFailedRequestIsCountedAsErrorAndItsSpanMarked() throws Exception {
    HttpResponse<String> r = app.complete("{\"prompt\":\"too long\",\"max_tokens\":100000}");
    assertEquals(400, r.statusCode(), "the application's own exception still reaches it: " + r.body());
    List<Span> spans = app.awaitSpans(s -> s.stream().anyMatch(x -> x.name().equals("text_completion tiny") && x.isError()));
    Span failed = spans.stream().filter(x -> x.name().equals("text_completion tiny") && x.isError()).findFirst().orElseThrow();
    assertFalse(failed.events().contains("gen_ai.first_token"));
    assertTrue(failed.events().contains("exception"), "the exception is recorded");
    assertEquals(1, app.scrape().sum("bitnet_inference_requests_total", "status", "error"));
  }
}
