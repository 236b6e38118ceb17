package io.bitnet.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EndpointPollerTest {

  private static final String EXPOSITION = """
      # TYPE bitnet_quantization_operations_total counter
      bitnet_quantization_operations_total{device="cpu",operation="matmul",quantization_format="I2_S"} 600.0
      bitnet_quantization_operations_total{device="cpu",operation="quantize",quantization_format="I2_S"} 40.0
      bitnet_quantization_operations_total{device="cpu",operation="matmul",quantization_format="TL1"} 72.0
      bitnet_inference_requests_total{operation="matmul"} 9.0
      """;

  private final AtomicInteger metricsHits = new AtomicInteger();
  private final AtomicInteger readyHits = new AtomicInteger();
  private final AtomicInteger liveHits = new AtomicInteger();
  private HttpServer server;

  private int serve(int readyStatus) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/metrics", e -> {
      metricsHits.incrementAndGet();
      byte[] body = EXPOSITION.getBytes(StandardCharsets.UTF_8);
      e.sendResponseHeaders(200, body.length);
      try (OutputStream out = e.getResponseBody()) {
        out.write(body);
      }
    });
    server.createContext("/health/live", e -> {
      liveHits.incrementAndGet();
      e.sendResponseHeaders(200, -1);
      e.close();
    });
    server.createContext("/health/ready", e -> {
      readyHits.incrementAndGet();
      e.sendResponseHeaders(readyStatus, -1);
      e.close();
    });
    server.start();
    return server.getAddress().getPort();
  }

  private EndpointPoller startAndAwaitFirstProbe(int port) throws InterruptedException {
    EndpointPoller poller = new EndpointPoller(port, port, EndpointPoller.Schedule.EVERY_SECOND);
    poller.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (readyHits.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return poller;
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void sumsTheMatmulSeriesOfTheOperationsCounter() throws Exception {
    int port = serve(200);
    assertEquals(672, new EndpointPoller(port, port, EndpointPoller.Schedule.SHIPPED).matmulCalls());
  }

  @Test
  void pollsBothEndpointsUntilStopped() throws Exception {
    int port = serve(200);
    EndpointPoller poller = startAndAwaitFirstProbe(port);
    assertTrue(poller.polling());
    poller.stop();
    assertTrue(metricsHits.get() >= 1 && readyHits.get() >= 1, metricsHits + " " + readyHits);
    assertEquals(0, liveHits.get(), "every second: /metrics and readiness only");
    assertFalse(poller.polling(), "polled after stop()");
  }

  @Test
  void theShippedScheduleReadsEachEndpointAtItsOwnInterval() {
    EndpointPoller.Schedule shipped = EndpointPoller.Schedule.SHIPPED;
    assertTrue(EndpointPoller.Schedule.due(shipped.scrapeSeconds(), 0), "all at the first tick");
    assertTrue(EndpointPoller.Schedule.due(shipped.liveSeconds(), 0));
    assertFalse(EndpointPoller.Schedule.due(shipped.scrapeSeconds(), 5));
    assertTrue(EndpointPoller.Schedule.due(shipped.readySeconds(), 5));
    assertTrue(EndpointPoller.Schedule.due(shipped.liveSeconds(), 10));
    assertTrue(EndpointPoller.Schedule.due(shipped.scrapeSeconds(), 30));
    assertFalse(EndpointPoller.Schedule.due(0, 0), "0: never");
    long scrapes = java.util.stream.LongStream.range(0, 60).filter(t -> EndpointPoller.Schedule.due(15, t)).count();
    assertEquals(4, scrapes, "four scrapes a minute");
    assertThrows(IllegalArgumentException.class, () -> new EndpointPoller.Schedule(-1, 5, 10));
  }

  @Test
  void ticksAtAFixedRateAndSkipsTheSecondsASlowPollOverran() {
    assertEquals(1, EndpointPoller.nextTick(0, 300_000_000L), "a quick poll: the next second");
    assertEquals(5, EndpointPoller.nextTick(4, 4_000_000_000L), "exactly on a tick: the one after");
    assertEquals(3, EndpointPoller.nextTick(0, 2_500_000_000L), "a 2.5 s poll: seconds 1 and 2 skipped");
  }

  @Test
  void theServersClockStartsWhereTheLastStretchOfLoadLeftOff() {
    assertEquals(0, EndpointPoller.firstTick(0), "a new server: everything due at once");
    assertEquals(7, EndpointPoller.firstTick(6_200_000_000L), "6.2 s polled before: the next poll at 7 s");
    assertEquals(6, EndpointPoller.firstTick(6_000_000_000L), "exactly on a tick: that tick");
    assertEquals(8, EndpointPoller.nextTick(7, 7_200_000_000L));
  }

  @Test
  void aPollerThatGoesOnFromAnEarlierClockWaitsForTheNextDuePoll() throws Exception {
    int port = serve(200);
    // 13.5 s of a 15 s scrape interval already passed: the next scrape is at 15 s, 1.5 s from now, and
    // readiness (every 5 s) at 15 s too; nothing is due at once
    EndpointPoller poller = new EndpointPoller(port, port, EndpointPoller.Schedule.SHIPPED, 13_500_000_000L);
    poller.start();
    Thread.sleep(700);
    assertEquals(0, metricsHits.get() + readyHits.get() + liveHits.get(), "polled before its time");
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (readyHits.get() == 0 && System.nanoTime() < deadline) { // polled after /metrics, in the same tick
      Thread.sleep(10);
    }
    long clock = poller.clockNanos();
    poller.stop();
    assertEquals(1, metricsHits.get(), "one scrape, at 15 s");
    assertEquals(1, readyHits.get(), "one readiness probe, at 15 s");
    assertTrue(clock >= 15_000_000_000L && clock < 20_000_000_000L, "the clock went on from 13.5 s: " + clock);
    assertThrows(IllegalArgumentException.class, () -> new EndpointPoller(port, port, EndpointPoller.Schedule.SHIPPED, -1));
  }

  @Test
  void pollsTheLivenessProbeWhenScheduled() throws Exception {
    int port = serve(200);
    EndpointPoller poller = new EndpointPoller(port, port, new EndpointPoller.Schedule(0, 0, 1));
    poller.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (liveHits.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    poller.stop();
    assertTrue(liveHits.get() >= 1, "liveness polled");
    assertEquals(0, metricsHits.get() + readyHits.get(), "nothing else");
  }

  @Test
  void aFailedPollFailsTheRun() throws Exception {
    int port = serve(503);
    EndpointPoller poller = startAndAwaitFirstProbe(port);
    Thread.sleep(100);
    IllegalStateException e = assertThrows(IllegalStateException.class, poller::stop);
    assertTrue(e.getMessage().contains("failed"), e.getMessage());
  }
}
