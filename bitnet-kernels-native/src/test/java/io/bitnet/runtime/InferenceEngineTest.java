package io.bitnet.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InferenceEngineTest {

  private static BitNetModel model;

  @BeforeAll
  static void loadModel() {
    model = TinyModel.load();
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  private static GenerationRequest request(String prompt, int maxTokens, long seed) {
    return GenerationRequest.builder(prompt).maxTokens(maxTokens).temperature(0.9f).topP(0.9f).seed(seed).build();
  }

  @Test
  void sameSeedGivesSameTokens() {
    try (InferenceEngine engine = InferenceEngine.builder(model).build()) {
      List<Integer> a = tokens(engine, request("Hello", 24, 5));
      List<Integer> b = tokens(engine, request("Hello", 24, 5));
      List<Integer> c = tokens(engine, request("Hello", 24, 6));
      assertEquals(a, b, "same seed, same tokens");
      assertNotEquals(a, c, "another seed samples differently");
    }
  }

  @Test
  void blockingAndStreamingAgreeEndToEnd() {
    try (InferenceEngine engine = InferenceEngine.builder(model).build()) {
      GenerationRequest r = request("Ternary weights, int8 activations: ", 20, 3);
      GenerationResult blocking = engine.generate(r);
      StringBuilder streamed = new StringBuilder();
      List<Integer> tokens = new ArrayList<>();
      GenerationResult streaming = engine.generate(
          GenerationRequest.builder(r.prompt()).maxTokens(20).temperature(0.9f).topP(0.9f).seed(3).build(),
          (token, text) -> {
            tokens.add(token);
            streamed.append(text);
          });
      assertEquals(blocking.text(), streaming.text());
      assertEquals(streaming.text(), streamed.toString(), "streamed pieces add up to the text");
      int promptTokens = r.prompt().getBytes(StandardCharsets.UTF_8).length + 1;
      assertEquals(promptTokens, blocking.promptTokens(), "bytes plus BOS");
      assertTrue(blocking.completionTokens() >= 1 && blocking.completionTokens() <= 20);
      assertTrue(blocking.finishReason() == FinishReason.LENGTH || blocking.finishReason() == FinishReason.STOP);
      if (blocking.finishReason() == FinishReason.LENGTH) {
        assertEquals(20, blocking.completionTokens());
        assertEquals(20, tokens.size());
      }
      GenerationResult.Timings t = blocking.timings();
      assertTrue(t.total().compareTo(t.timeToFirstToken()) >= 0 && !t.timeToFirstToken().isZero(), t.toString());
      assertEquals(model.id(), blocking.modelId());
    }
  }

  @Test
  void greedyDecodingIsDeterministicAcrossBatchSizes() throws Exception {
    // Batched decode must not change what a request computes.
    GenerationRequest alone = GenerationRequest.builder("batch me").maxTokens(12).temperature(0).build();
    String expected;
    try (InferenceEngine engine = InferenceEngine.builder(model).build()) {
      expected = engine.generate(alone).text();
    }
    try (InferenceEngine engine = InferenceEngine.builder(model).maxBatch(6).batchWindow(Duration.ofMillis(200)).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(6);
      List<Future<GenerationResult>> results = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String prompt = i == 0 ? "batch me" : "other prompt " + i;
        results.add(pool.submit(() -> engine.generate(GenerationRequest.builder(prompt).maxTokens(12).temperature(0).build())));
      }
      GenerationResult first = results.get(0).get(60, TimeUnit.SECONDS);
      assertEquals(expected, first.text());
      int maxBatch = 0;
      for (Future<GenerationResult> f : results) {
        maxBatch = Math.max(maxBatch, f.get(60, TimeUnit.SECONDS).timings().batchSize());
      }
      assertTrue(maxBatch > 1, "requests were batched together");
      pool.shutdown();
    }
  }

  @Test
  void invalidRequestsAreRejectedWithTheirField() {
    try (InferenceEngine engine = InferenceEngine.builder(model).build()) {
      assertMessage(engine, GenerationRequest.builder("").build(), "prompt");
      assertMessage(engine, GenerationRequest.builder("x").maxTokens(0).build(), "max_tokens");
      assertMessage(engine, GenerationRequest.builder("x").maxTokens(-3).build(), "max_tokens");
      assertMessage(engine, GenerationRequest.builder("x").maxTokens(1000).build(), "max_tokens");
      assertMessage(engine, GenerationRequest.builder("x").temperature(-0.1f).build(), "temperature");
      assertMessage(engine, GenerationRequest.builder("x").topP(0f).build(), "top_p");
      assertMessage(engine, GenerationRequest.builder("x").topP(1.5f).build(), "top_p");
      assertThrows(IllegalArgumentException.class, () -> engine.generate(null));
      // still serving
      GenerationResult ok = engine.generate(GenerationRequest.builder("ok").maxTokens(4).temperature(0).build());
      assertNotEquals(FinishReason.ERROR, ok.finishReason(), "still serves after bad requests");
      assertTrue(ok.completionTokens() >= 1);
    }
  }

  private static void assertMessage(InferenceEngine engine, GenerationRequest r, String field) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> engine.generate(r));
    assertTrue(e.getMessage().startsWith(field), e.getMessage());
  }

  @Test
  void fullQueueRejectsAndHighPriorityGoesFirst() throws Exception {
    CountDownLatch blockWorker = new CountDownLatch(1);
    CountDownLatch workerBusy = new CountDownLatch(1);
    try (InferenceEngine engine = InferenceEngine.builder(model).queueCapacity(3).maxBatch(1).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(4);
      // Occupy the only worker inside a listener until the queue is set up.
      Future<GenerationResult> blocker = pool.submit(() -> engine.generate(
          GenerationRequest.builder("block").maxTokens(2).temperature(0).build(), (t, s) -> {
            workerBusy.countDown();
            try {
              blockWorker.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }));
      assertTrue(workerBusy.await(30, TimeUnit.SECONDS));
      List<String> order = Collections.synchronizedList(new ArrayList<>());
      List<Future<GenerationResult>> queued = new ArrayList<>();
      for (Priority p : new Priority[] {Priority.LOW, Priority.NORMAL, Priority.HIGH}) {
        queued.add(pool.submit(() -> engine.generate(
            GenerationRequest.builder(p.label()).maxTokens(1).temperature(0).priority(p).build(),
            (t, s) -> order.add(p.label()))));
        while (engine.waitingRequests() < queued.size()) {
          Thread.onSpinWait();
        }
      }
      RejectedRequestException full = assertThrows(RejectedRequestException.class,
          () -> engine.generate(GenerationRequest.builder("one too many").maxTokens(1).build()));
      assertEquals(RejectedRequestException.Reason.QUEUE_FULL, full.reason());
      blockWorker.countDown();
      blocker.get(30, TimeUnit.SECONDS);
      for (Future<GenerationResult> f : queued) {
        f.get(30, TimeUnit.SECONDS);
      }
      assertEquals(List.of("high", "normal", "low"), order);
      pool.shutdown();
    }
  }

  @Test
  void cancelAndTimeoutEndWithCancelled() throws Exception {
    try (InferenceEngine engine = InferenceEngine.builder(model).build()) {
      GenerationRequest long1 = GenerationRequest.builder("cancel me").id("to-cancel").maxTokens(200).build();
      CountDownLatch firstToken = new CountDownLatch(1);
      ExecutorService pool = Executors.newSingleThreadExecutor();
      Future<GenerationResult> f = pool.submit(() -> engine.generate(long1, (t, s) -> firstToken.countDown()));
      assertTrue(firstToken.await(30, TimeUnit.SECONDS));
      assertTrue(engine.cancel("to-cancel"));
      GenerationResult cancelled = f.get(30, TimeUnit.SECONDS);
      assertEquals(FinishReason.CANCELLED, cancelled.finishReason());
      assertTrue(cancelled.completionTokens() < 200);
      assertFalse(engine.cancel("to-cancel"), "no longer in flight");

      GenerationResult timedOut = engine.generate(GenerationRequest.builder("slow").maxTokens(200)
          .timeout(Duration.ofMillis(1)).build(), (t, s) -> sleepQuietly(5));
      assertEquals(FinishReason.CANCELLED, timedOut.finishReason());
      assertTrue(timedOut.error().orElse("").contains("timed out"), timedOut.toString());

      GenerationResult listenerFailed = engine.generate(GenerationRequest.builder("boom").maxTokens(50).build(),
          (t, s) -> {
            throw new IllegalStateException("client went away");
          });
      assertEquals(FinishReason.CANCELLED, listenerFailed.finishReason());
      assertEquals(1, listenerFailed.completionTokens());
      pool.shutdown();
    }
  }

  @Test
  void shutdownDrainsThenRefuses() {
    InferenceEngine engine = InferenceEngine.builder(model).build();
    GenerationResult r = engine.generate(GenerationRequest.builder("last").maxTokens(3).temperature(0).build());
    assertEquals(3, r.completionTokens());
    assertTrue(engine.shutdown(Duration.ofSeconds(10)));
    RejectedRequestException e = assertThrows(RejectedRequestException.class,
        () -> engine.generate(GenerationRequest.builder("late").build()));
    assertEquals(RejectedRequestException.Reason.SHUTTING_DOWN, e.reason());
  }

  private static List<Integer> tokens(InferenceEngine engine, GenerationRequest r) {
    List<Integer> out = new ArrayList<>();
    engine.generate(r, (token, text) -> out.add(token));
    return out;
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
