package io.bitnet.agent.it;

import io.bitnet.testing.ChildJvm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The sample inference server in a child JVM with the real agent jar, spans printed as OTLP JSON, and
 * metrics and management on free ports.
 */
final class AgentHarness implements AutoCloseable {

  static final Path AGENT = ChildJvm.builtJar("bitnet.agent.jar");
  static final Path UPSTREAM_AGENT = ChildJvm.builtJar("upstream.agent.jar");
  static final Path EXTENSION = ChildJvm.builtJar("extension.jar");
  static final Path SAMPLE_APP = ChildJvm.builtJar("sample.app.jar");
  static final Duration STARTUP = Duration.ofSeconds(90);

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final ChildJvm jvm;
  final int appPort;
  final int metricsPort;
  final int managementPort;

  private AgentHarness(ChildJvm jvm, int appPort, int metricsPort, int managementPort) {
    this.jvm = jvm;
    this.appPort = appPort;
    this.metricsPort = metricsPort;
    this.managementPort = managementPort;
  }

  /** Options of one run. */
  static final class Options {
    String java = ChildJvm.java();
    List<String> agentArgs = new ArrayList<>();
    List<String> jvmArgs = new ArrayList<>();
    final List<String> appArgs = new ArrayList<>(List.of("--model", "tiny"));
    boolean waitReady = true;

    Options withAgent(Path agent) {
      agentArgs = new ArrayList<>(List.of("-javaagent:" + agent));
      return this;
    }

    Options noAgent() {
      agentArgs = new ArrayList<>();
      return this;
    }

    Options jvm(String... args) {
      jvmArgs.addAll(List.of(args));
      return this;
    }

    Options app(String... args) {
      appArgs.addAll(List.of(args));
      return this;
    }

    Options javaBinary(String path) {
      java = path;
      return this;
    }
  }

  static Options options() {
    return new Options().withAgent(AGENT);
  }

  static AgentHarness start(Options o) throws Exception {
    int metrics = ChildJvm.freePort();
    int management = ChildJvm.freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(o.java);
    cmd.addAll(o.agentArgs);
    cmd.add("-Dotel.traces.exporter=logging-otlp");
    cmd.add("-Dotel.logs.exporter=none");
    cmd.add("-Dotel.bsp.schedule.delay=100ms");
    cmd.add("-Dotel.exporter.prometheus.port=" + metrics);
    cmd.add("-Dbitnet.management.port=" + management);
    cmd.addAll(o.jvmArgs);
    cmd.add("-jar");
    cmd.add(SAMPLE_APP.toString());
    cmd.add("serve");
    cmd.add("--port");
    cmd.add("0");
    cmd.addAll(o.appArgs);
    ChildJvm jvm = ChildJvm.start(cmd);
    try {
      int port = Integer.parseInt(jvm.awaitGroup(Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)"), STARTUP));
      if (o.waitReady) {
        jvm.awaitLine(l -> l.contains(" ready in "), STARTUP);
      }
      return new AgentHarness(jvm, port, metrics, management);
    } catch (Throwable t) {
      jvm.close();
      throw t;
    }
  }

  HttpResponse<String> complete(String json) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + "/v1/completions"))
            .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> management(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  PrometheusScrape scrape() throws Exception {
    return PrometheusScrape.fetch(metricsPort);
  }

  List<ExportedSpans.Span> spans() {
    return ExportedSpans.parse(jvm.lines());
  }

  /** Polls until the exported spans satisfy the condition (the batch processor exports every 100 ms). */
  List<ExportedSpans.Span> awaitSpans(java.util.function.Predicate<List<ExportedSpans.Span>> done) throws InterruptedException {
    return awaitSpans(jvm, done);
  }

  /** The same for any child JVM that prints its spans as OTLP JSON. */
  static List<ExportedSpans.Span> awaitSpans(ChildJvm jvm, java.util.function.Predicate<List<ExportedSpans.Span>> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      List<ExportedSpans.Span> spans = ExportedSpans.parse(jvm.lines());
      if (done.test(spans)) {
        return spans;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("spans did not arrive; output:\n" + jvm.output());
  }

  @Override
  public void close() {
    jvm.close();
  }
}
