package io.bitnet.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bitnet.runtime.ModelConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP API end to end with the tiny model. */
class CompletionServerTest {

  private static CompletionServer server;
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final PrintStream LOG = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  @BeforeAll
  static void start() throws Exception {
    server = CompletionServer.listen(new ServerOptions("127.0.0.1", 0, ModelConfig.TINY, 42, 1, 4, 2, 0, 0), LOG);
  }

  @AfterAll
  static void stop() {
    server.stop(Duration.ofSeconds(5));
  }

  private static HttpResponse<String> post(String body) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/completions"))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return HttpJson.MAPPER.readTree(r.body());
  }

  private static void ensureLoaded() throws Exception {
    synchronized (CompletionServerTest.class) {
      if (server.loader().engine().isEmpty()) {
        HttpResponse<String> loading = post("{\"prompt\":\"hi\"}");
        assertEquals(503, loading.statusCode(), "completions wait for the model: " + loading.body());
        assertEquals("server_error", json(loading).path("error").path("type").asText());
        server.loader().start();
        server.loader().awaitLoaded();
      }
    }
  }

  @Test
  void blockingCompletionHasTheOpenAiShape() throws Exception {
    ensureLoaded();
    HttpResponse<String> r = post("{\"model\":\"tiny\",\"prompt\":\"Hello\",\"max_tokens\":8,\"temperature\":0}");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    JsonNode body = json(r);
    assertEquals("text_completion", body.path("object").asText());
    assertEquals("tiny", body.path("model").asText());
    assertTrue(body.path("id").asText().startsWith("cmpl-"));
    JsonNode choice = body.path("choices").get(0);
    String finish = choice.path("finish_reason").asText();
    assertTrue(finish.equals("length") || finish.equals("stop"), finish);
    assertEquals(6, body.path("usage").path("prompt_tokens").asInt());
    int completion = body.path("usage").path("completion_tokens").asInt();
    assertTrue(completion >= 1 && completion <= 8);
    assertEquals(6 + completion, body.path("usage").path("total_tokens").asInt());
    // the same request again gives the same text (temperature 0)
    assertEquals(choice.path("text").asText(), json(post(
        "{\"model\":\"tiny\",\"prompt\":\"Hello\",\"max_tokens\":8,\"temperature\":0}")).path("choices").get(0).path("text").asText());
  }

  @Test
  void streamingSendsChunksThenDone() throws Exception {
    ensureLoaded();
    String request = "{\"prompt\":\"Hello\",\"max_tokens\":6,\"temperature\":0,\"stream\":true}";
    HttpResponse<String> r = post(request);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("text/event-stream", r.headers().firstValue("Content-Type").orElse(""));
    List<String> events = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      if (line.startsWith("data: ")) {
        events.add(line.substring(6));
      }
    }
    assertEquals("[DONE]", events.get(events.size() - 1));
    JsonNode last = HttpJson.MAPPER.readTree(events.get(events.size() - 2));
    assertTrue(last.path("choices").get(0).path("finish_reason").isTextual());
    StringBuilder text = new StringBuilder();
    for (String e : events.subList(0, events.size() - 1)) {
      text.append(HttpJson.MAPPER.readTree(e).path("choices").get(0).path("text").asText());
    }
    String blocking = json(post("{\"prompt\":\"Hello\",\"max_tokens\":6,\"temperature\":0}"))
        .path("choices").get(0).path("text").asText();
    assertEquals(blocking, text.toString(), "stream pieces add up to the blocking text");
  }

  @Test
  void badRequestsGetTheirStatusAndTheServerKeepsServing() throws Exception {
    ensureLoaded();
    expectError(post("{not json"), 400, null);
    expectError(post("[1,2]"), 400, null);
    expectError(post("{\"max_tokens\":4}"), 400, "prompt");
    expectError(post("{\"prompt\":\"\"}"), 400, "prompt");
    expectError(post("{\"prompt\":42}"), 400, "prompt");
    expectError(post("{\"prompt\":\"x\",\"max_tokens\":0}"), 400, "max_tokens");
    expectError(post("{\"prompt\":\"x\",\"max_tokens\":\"many\"}"), 400, "max_tokens");
    expectError(post("{\"prompt\":\"x\",\"max_tokens\":100000}"), 400, "max_tokens");
    expectError(post("{\"prompt\":\"x\",\"temperature\":-1}"), 400, "temperature");
    expectError(post("{\"prompt\":\"x\",\"top_p\":2}"), 400, "top_p");
    expectError(post("{\"prompt\":\"x\",\"stream\":\"yes\"}"), 400, "stream");
    expectError(post("{\"prompt\":\"x\",\"priority\":\"urgent\"}"), 400, "priority");
    expectError(post("{\"prompt\":\"x\",\"bogus\":1}"), 400, "bogus");
    expectError(post("{\"prompt\":\"x\",\"model\":\"gpt-4\"}"), 404, "model");
    expectError(post("{\"prompt\":\"" + "x".repeat(CompletionsHandler.MAX_BODY_BYTES) + "\"}"), 413, null);
    HttpResponse<String> get = CLIENT.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/v1/completions")).GET().build(), HttpResponse.BodyHandlers.ofString());
    expectError(get, 405, null);
    assertEquals(200, post("{\"prompt\":\"still here\",\"max_tokens\":2}").statusCode());
  }

  @Test
  void modelsListsTheServedModel() throws Exception {
    ensureLoaded();
    HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + "/v1/models")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    JsonNode data = json(r).path("data");
    assertEquals(1, data.size());
    assertEquals("tiny", data.get(0).path("id").asText());
  }

  @Test
  void sixteenConcurrentClientsEachSucceedOrGet429() throws Exception {
    ensureLoaded();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<Integer>> statuses = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      int n = i;
      statuses.add(pool.submit(() -> post("{\"prompt\":\"client " + n + "\",\"max_tokens\":24}").statusCode()));
    }
    int ok = 0;
    int rejected = 0;
    for (Future<Integer> f : statuses) {
      int status = f.get(120, TimeUnit.SECONDS); // nothing hangs
      if (status == 200) {
        ok++;
      } else if (status == 429) {
        rejected++;
      } else {
        throw new AssertionError("unexpected status " + status);
      }
    }
    assertEquals(16, ok + rejected);
    assertTrue(ok >= 1, "some requests are served");
    assertTrue(rejected >= 1, "a queue of 4 cannot hold 16 clients: some are rejected");
    pool.shutdown();
  }

  @Test
  void loadGeneratorReportsWhatItSent() throws Exception {
    ensureLoaded();
    LoadGenerator.Report report = new LoadGenerator("http://127.0.0.1:" + server.port(), "tiny", "load", 4)
        .run(2, 6, null);
    assertEquals(6, report.ok() + report.rejected());
    assertEquals(0, report.failed());
    assertEquals(report.ok(), report.latenciesNanos().size());
    assertTrue(report.completionTokens() >= report.ok() && report.completionTokens() <= 4L * report.ok());
    assertTrue(report.latencyMillis(0.5) <= report.latencyMillis(0.99));
    assertTrue(report.firstTokenNanos().isEmpty(), "blocking requests have no first-chunk times");

    LoadGenerator.Report streamed = new LoadGenerator("http://127.0.0.1:" + server.port(), "tiny", "load", 4, true)
        .run(2, 4, null);
    assertEquals(0, streamed.failed());
    assertEquals(streamed.ok(), streamed.firstTokenNanos().size());
    assertTrue(streamed.completionTokens() >= streamed.ok());
    assertTrue(streamed.firstTokenMillis(0.95) <= streamed.latencyMillis(0.95) + 1e-9);
  }

  private static void expectError(HttpResponse<String> r, int status, String param) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode error = json(r).path("error");
    assertTrue(error.path("message").isTextual() && !error.path("message").asText().isEmpty(), r.body());
    assertTrue(error.path("type").isTextual(), r.body());
    if (param != null) {
      assertEquals(param, error.path("param").asText(), r.body());
    }
  }
}
