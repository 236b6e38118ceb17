package io.bitnet.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** SIGTERM lets the in-flight request finish, then the process exits. */
class GracefulShutdownTest {

  @Test
  void sigtermDrainsInFlightRequests() throws Exception {
    Process server = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "serve", "--model", "small", "--port", "0"))
        .redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      int port = -1;
      boolean ready = false;
      Pattern listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
      for (String line; !ready && (line = out.readLine()) != null; ) {
        Matcher m = listening.matcher(line);
        if (m.find()) {
          port = Integer.parseInt(m.group(1));
        }
        ready = line.contains("ready in");
      }
      assertTrue(ready && port > 0, "server started");

      HttpClient client = HttpClient.newHttpClient();
      // A long streamed request: the first chunk arrives, then SIGTERM is sent mid-generation.
      HttpRequest slow = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/completions"))
          .timeout(Duration.ofSeconds(60))
          .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"drain\",\"max_tokens\":600,\"temperature\":0,\"stream\":true}"))
          .build();
      CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> inFlight =
          client.sendAsync(slow, HttpResponse.BodyHandlers.ofLines());
      HttpResponse<java.util.stream.Stream<String>> response = inFlight.get(30, TimeUnit.SECONDS);
      assertEquals(200, response.statusCode());
      java.util.Iterator<String> lines = response.body().iterator();
      assertTrue(lines.hasNext() && lines.next().startsWith("data: "), "streaming started");

      server.toHandle().destroy(); // SIGTERM, keeping our end of its output open
      Thread.sleep(300);
      try {
        HttpResponse<String> late = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/completions"))
            .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"late\"}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(503, late.statusCode(), "a new request during shutdown is refused: " + late.body());
      } catch (java.io.IOException refused) {
        // the listener is already closed: refused as well
      }
      String last = "";
      while (lines.hasNext()) {
        String line = lines.next();
        if (!line.isEmpty()) {
          last = line;
        }
      }
      assertEquals("data: [DONE]", last, "the in-flight request completed");
      assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the process exited");
      // drain what it printed so the log shows the shutdown path
      StringBuilder rest = new StringBuilder();
      for (String line; (line = out.readLine()) != null; ) {
        rest.append(line).append('\n');
      }
      assertTrue(rest.toString().contains("stopped"), rest.toString());
    } finally {
      server.destroyForcibly();
    }
  }
}
