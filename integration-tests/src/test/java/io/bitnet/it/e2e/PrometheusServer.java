package io.bitnet.it.e2e;

import io.bitnet.testing.ChildJvm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A real Prometheus (Debian's package) on a free loopback port, with a temporary data directory and a
 * generated config that scrapes one target every second. Stopped and deleted on close.
 */
final class PrometheusServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One series of a query result. */
  record Series(Map<String, String> labels, double value) {}

  private final ChildJvm child;
  private final Path dir;
  final int port;

  private PrometheusServer(ChildJvm child, Path dir, int port) {
    this.child = child;
    this.dir = dir;
    this.port = port;
  }

  static PrometheusServer scraping(int targetPort) throws Exception {
    String binary = which("prometheus");
    Path dir = Files.createTempDirectory("bitnet-prometheus");
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, String.join("\n",
        "global:", "  scrape_interval: 1s", "  evaluation_interval: 1s",
        "scrape_configs:", "  - job_name: bitnet-agent", "    static_configs:",
        "      - targets: ['127.0.0.1:" + targetPort + "']", ""));
    int port = Processes.freePort();
    ChildJvm child = new ChildJvm(List.of(binary, "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port));
    PrometheusServer server = new PrometheusServer(child, dir, port);
    long deadline = System.nanoTime() + Processes.STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (Processes.get("http://127.0.0.1:" + port + "/-/ready").statusCode() == 200) {
          return server;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(100);
    }
    server.close();
    throw new AssertionError("Prometheus did not get ready:\n" + child.output());
  }

  /** Finds a binary on the PATH, or fails with what to install. */
  static String which(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new AssertionError(name + " is not installed: apt-get install -y prometheus (.ci/run does it)");
  }

  List<Series> query(String promql) throws Exception {
    String body = Processes.get("http://127.0.0.1:" + port + "/api/v1/query?query="
        + URLEncoder.encode(promql, StandardCharsets.UTF_8)).body();
    JsonNode root = JSON.readTree(body);
    if (!"success".equals(root.path("status").asText())) {
      throw new AssertionError("query failed: " + promql + " → " + body);
    }
    List<Series> out = new ArrayList<>();
    for (JsonNode r : root.path("data").path("result")) {
      Map<String, String> labels = new TreeMap<>();
      for (java.util.Map.Entry<String, JsonNode> e : r.path("metric").properties()) {
        labels.put(e.getKey(), e.getValue().asText());
      }
      out.add(new Series(labels, Double.parseDouble(r.path("value").get(1).asText())));
    }
    return out;
  }

  /** The single value of a query, or NaN when it returns nothing. */
  double value(String promql) throws Exception {
    List<Series> r = query(promql);
    return r.isEmpty() ? Double.NaN : r.get(0).value();
  }

  /** Polls a query until its result satisfies the condition (new samples arrive every second). */
  List<Series> await(String promql, Predicate<List<Series>> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    List<Series> last = List.of();
    while (System.nanoTime() < deadline) {
      last = query(promql);
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("'" + promql + "' stayed " + last);
  }

  @Override
  public void close() throws IOException {
    child.close();
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
