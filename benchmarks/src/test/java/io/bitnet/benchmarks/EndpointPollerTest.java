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
    server.createContext("/health/ready", e -> {
      readyHits.incrementAndGet();
      e.sendResponseHeaders(readyStatus, -1);
      e.close();
    });
    server.start();
    return server.getAddress().getPort();
  }

  private EndpointPoller startAndAwaitFirstProbe(int port) throws InterruptedException {
    EndpointPoller poller = new EndpointPoller(port, port);
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
    assertEquals(672, new EndpointPoller(port, port).matmulCalls());
  }

  @Test
  void pollsBothEndpointsUntilStopped() throws Exception {
    int port = serve(200);
    EndpointPoller poller = startAndAwaitFirstProbe(port);
    assertTrue(poller.polling());
    poller.stop();
    assertTrue(metricsHits.get() >= 1 && readyHits.get() >= 1, metricsHits + " " + readyHits);
    assertFalse(poller.polling(), "polled after stop()");
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
