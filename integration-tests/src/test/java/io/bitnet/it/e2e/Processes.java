package io.bitnet.it.e2e;

import io.bitnet.testing.ChildJvm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Child processes for the end-to-end tests: the sample server with an agent, Prometheus, Zipkin. */
final class Processes {

  static final Duration STARTUP = Duration.ofSeconds(120);
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Processes() {}

  static Path jar(String property) {
    return ChildJvm.builtJar(property);
  }

  static int freePort() {
    return ChildJvm.freePort();
  }

  static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The sample server with an agent. */
  static final class App implements AutoCloseable {
    final ChildJvm child;
    final int port;
    final int metricsPort;
    final int managementPort;

    private App(ChildJvm child, int port, int metricsPort, int managementPort) {
      this.child = child;
      this.port = port;
      this.metricsPort = metricsPort;
      this.managementPort = managementPort;
    }

    static App start(List<String> agentArgs, String... appArgs) throws Exception {
      int metrics = freePort();
      int management = freePort();
      List<String> cmd = new ArrayList<>(List.of(ChildJvm.java()));
      cmd.addAll(agentArgs);
      cmd.addAll(List.of("-Dotel.exporter.prometheus.port=" + metrics, "-Dotel.exporter.prometheus.host=127.0.0.1",
          "-Dotel.metrics.exporter=prometheus", "-Dbitnet.management.port=" + management, "-Dotel.logs.exporter=none",
          "-Dotel.bsp.schedule.delay=100ms", "-jar", jar("sample.app.jar").toString(), "serve", "--port", "0",
          "--model", "tiny"));
      cmd.addAll(List.of(appArgs));
      ChildJvm child = new ChildJvm(cmd);
      try {
        int port = Integer.parseInt(child.awaitGroup(Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)"), STARTUP));
        child.awaitLine(l -> l.contains(" ready in "), STARTUP);
        return new App(child, port, metrics, management);
      } catch (Throwable t) {
        child.close();
        throw t;
      }
    }

    static List<String> bitnetAgent(String... props) {
      List<String> args = new ArrayList<>(List.of("-javaagent:" + jar("bitnet.agent.jar")));
      args.addAll(List.of(props));
      return args;
    }

    static List<String> upstreamAgentWithExtension(String... props) {
      List<String> args = new ArrayList<>(List.of("-javaagent:" + jar("upstream.agent.jar"),
          "-Dotel.javaagent.extensions=" + jar("extension.jar")));
      args.addAll(List.of(props));
      return args;
    }

    HttpResponse<String> complete(String json) throws IOException, InterruptedException {
      return post("http://127.0.0.1:" + port + "/v1/completions", json);
    }

    String scrape() throws IOException, InterruptedException {
      return get("http://127.0.0.1:" + metricsPort + "/metrics").body();
    }

    @Override
    public void close() {
      child.close();
    }
  }
}
