package io.bitnet.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Trend and anomaly detection against a real slowdown: the sample server's test switch adds a pause
 * after each token while a steady load runs. Short settings so the test takes seconds, not minutes:
 * warm-up 10 s, minimum duration 4 s.
 */
class AnomalyIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration MIN_DURATION = Duration.ofSeconds(4);
  /** The documented detection time: the minimum duration plus the fast average's catch-up and a margin. */
  private static final Duration DETECTION_BOUND = MIN_DURATION.plusSeconds(8);

  private static AgentHarness start() throws Exception {
    return AgentHarness.start(AgentHarness.options()
        .jvm("-Dbitnet.anomaly.warmup=10s", "-Dbitnet.anomaly.min-duration=" + MIN_DURATION.toSeconds() + "s",
            "-Dbitnet.dashboard.interval=1s")
        .app("--test-controls", "true"));
  }

  @Test
  void aSlowdownIsFlaggedWithinTheDocumentedTimeAndClearsAfterRecovery() throws Exception {
    try (AgentHarness app = start(); SteadyLoad load = new SteadyLoad(app, 1, 40)) {
      Thread.sleep(15_000); // past the warm-up, with a baseline
      assertEquals(0, app.jvm.count(l -> l.contains("bitnet-agent: anomaly")), app.jvm.output());

      setTokenDelay(app, 30); // 8 tokens: about +240 ms per request
      long injected = System.nanoTime();
      app.jvm.awaitLine(l -> l.contains("bitnet-agent: anomaly: latency went up"), DETECTION_BOUND);
      Duration detectedAfter = Duration.ofNanos(System.nanoTime() - injected);
      assertTrue(detectedAfter.compareTo(MIN_DURATION) >= 0, "not before the minimum duration: " + detectedAfter);

      // the metric, the trend, the span event and the dashboard marker
      PrometheusScrape m = app.scrape();
      assertTrue(m.sum("bitnet_anomalies_total", "metric", "latency", "direction", "up") >= 1);
      assertTrue(m.series("bitnet_performance_trend").size() >= 3, "latency, ttft and tokens/s trends");
      List<ExportedSpans.Span> flagged = app.awaitSpans(spans -> spans.stream()
          .anyMatch(s -> s.name().startsWith("text_completion") && s.events().contains("bitnet.anomaly")));
      assertTrue(flagged.stream().anyMatch(s -> s.events().contains("bitnet.anomaly")));
      JsonNode marker = latencyMarker(app);
      assertEquals("up", marker.path("direction").asText());
      assertTrue(marker.path("value").asDouble() > marker.path("baseline").asDouble() * 1.2, marker.toString());
      assertTrue(marker.path("clearedAt").isNull());

      setTokenDelay(app, 0);
      app.jvm.awaitLine(l -> l.contains("bitnet-agent: anomaly cleared: latency"), DETECTION_BOUND.plusSeconds(10));
      assertTrue(latencyMarker(app).path("clearedAt").isNumber(), "the dashboard marks the recovery");
      assertEquals(0, load.failures.get());
    }
  }

  @Test
  void steadyLoadAtSeveralLevelsRaisesNoFlag() throws Exception {
    for (int clients : new int[] {1, 3}) {
      try (AgentHarness app = start(); SteadyLoad load = new SteadyLoad(app, clients, 30)) {
        Thread.sleep(30_000); // 10 s warm-up, then 20 s of steady load
        assertTrue(load.sent.get() > 100, "load ran: " + load.sent.get());
        assertEquals(0, app.jvm.count(l -> l.contains("bitnet-agent: anomaly")),
            clients + " clients: " + String.join("\n", app.jvm.lines().stream().filter(l -> l.contains("anomaly")).toList()));
        assertEquals(0, app.scrape().sum("bitnet_anomalies_total"));
        assertEquals(0, load.failures.get());
      }
    }
  }

  private static JsonNode latencyMarker(AgentHarness app) throws Exception {
    JsonNode doc = JSON.readTree(app.management("/dashboard/api/metrics").body());
    for (JsonNode a : doc.path("anomalies")) {
      if (a.path("metric").asText().equals("latency")) {
        return a;
      }
    }
    throw new AssertionError("no latency marker in " + doc.path("anomalies"));
  }

  private static void setTokenDelay(AgentHarness app, int ms) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + app.appPort + "/test/token-delay?ms=" + ms))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
  }

  /** Clients that each send a request of 8 tokens every {@code periodMs}, or back to back when slower. */
  private static final class SteadyLoad implements AutoCloseable {
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    SteadyLoad(AgentHarness app, int clients, long periodMs) {
      for (int c = 0; c < clients; c++) {
        Thread t = new Thread(() -> {
          while (running.get()) {
            long start = System.nanoTime();
            try {
              if (app.complete("{\"prompt\":\"steady\",\"max_tokens\":8,\"seed\":1}").statusCode() != 200) {
                failures.incrementAndGet();
              }
              sent.incrementAndGet();
              long rest = periodMs - (System.nanoTime() - start) / 1_000_000;
              if (rest > 0) {
                Thread.sleep(rest);
              }
            } catch (InterruptedException e) {
              return;
            } catch (Exception e) {
              failures.incrementAndGet();
            }
          }
        }, "steady-load-" + c);
        t.setDaemon(true);
        t.start();
        threads.add(t);
      }
    }

    @Override
    public void close() {
      running.set(false);
      for (Thread t : threads) {
        try {
          t.join(10_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
