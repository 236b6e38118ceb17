package io.bitnet.agent.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet.agent.health.ComponentHealth;
import io.bitnet.agent.health.HealthReport;
import io.bitnet.agent.health.Probe;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server over real HTTP on an ephemeral port. */
class ManagementServerTest {

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final AtomicBoolean up = new AtomicBoolean(true);
  private ManagementServer server;

  @BeforeEach
  void setUp() throws IOException {
    server = ManagementServer.builder()
        .port(0)
        .handler("/health/live", new HealthHandler(Probe.LIVE, probe -> new HealthReport(probe,
            List.of(new ComponentHealth("inference_engine", up.get(), Map.of("in_flight", 0))))))
        .handler("/boom", exchange -> {
          throw new IllegalStateException("handler bug");
        })
        .buildAndStart();
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersAProbeWithJsonAnd200Or503() throws Exception {
    assertTrue(server.getPort() > 0);
    HttpResponse<String> ok = send("GET", "/health/live");
    assertEquals(200, ok.statusCode());
    assertEquals("application/json", ok.headers().firstValue("Content-Type").orElseThrow());
    assertEquals(String.valueOf(ok.body().length()), ok.headers().firstValue("Content-Length").orElseThrow());
    assertEquals("{\"status\":\"UP\",\"checks\":[{\"name\":\"inference_engine\",\"status\":\"UP\",\"data\":{\"in_flight\":0}}]}",
        ok.body());

    up.set(false);
    HttpResponse<String> down = send("GET", "/health/live");
    assertEquals(503, down.statusCode());
    assertTrue(down.body().startsWith("{\"status\":\"DOWN\""));
  }

  @Test
  void everyServerThreadIsADaemonSoTheApplicationCanExit() throws Exception {
    assertEquals(200, send("GET", "/health/live").statusCode()); // a handler thread exists now
    List<Thread> threads = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("HTTP-Dispatcher") || t.getName().startsWith("bitnet-management"))
        .toList();
    assertTrue(threads.stream().anyMatch(t -> t.getName().startsWith("HTTP-Dispatcher")), threads.toString());
    assertTrue(threads.stream().anyMatch(t -> t.getName().startsWith("bitnet-management-")), threads.toString());
    for (Thread t : threads) {
      assertTrue(t.isDaemon(), t + " is not a daemon");
    }
  }

  @Test
  void unknownPathsAre404AndOtherMethods405() throws Exception {
    assertEquals(404, send("GET", "/").statusCode());
    assertEquals(404, send("GET", "/health/live/extra").statusCode());
    assertEquals(404, send("GET", "/health/liveness").statusCode());
    HttpResponse<String> post = send("POST", "/health/live");
    assertEquals(405, post.statusCode());
    assertEquals("GET", post.headers().firstValue("Allow").orElseThrow());
    assertEquals(405, send("DELETE", "/health/live").statusCode());
  }

  @Test
  void aFailingHandlerGives500AndTheServerGoesOn() throws Exception {
    assertEquals(500, send("GET", "/boom").statusCode());
    assertEquals(200, send("GET", "/health/live").statusCode());
  }

  @Test
  void aTakenPortFailsTheStartWithABindException() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      ManagementServer.Builder builder = ManagementServer.builder().host("127.0.0.1").port(taken.getLocalPort());
      assertThrows(BindException.class, builder::buildAndStart);
    }
  }

  @Test
  void closeReleasesThePort() throws IOException {
    int port = server.getPort();
    server.close();
    try (ServerSocket again = new ServerSocket()) {
      again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }
    server = ManagementServer.builder().port(0).buildAndStart();
  }

  @Test
  void theBuilderRejectsBadAndConflictingOptions() {
    ManagementServer.Builder b = ManagementServer.builder().handler("/a", exchange -> { });
    assertThrows(IllegalArgumentException.class, () -> b.handler("/a", exchange -> { }));
    assertThrows(IllegalArgumentException.class, () -> b.handler("a", exchange -> { }));
    assertThrows(IllegalArgumentException.class, () -> b.port(65536));
    assertThrows(IllegalArgumentException.class, () -> b.port(-1));
    assertThrows(IllegalArgumentException.class, () -> b.threads(0));
    assertThrows(IllegalArgumentException.class, () -> b.threads(ManagementServer.MAX_THREADS + 1));
    assertThrows(IllegalArgumentException.class, () -> b.host(" "));
  }
}
