package io.bitnet.it.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Child processes for the end-to-end tests: the sample server with an agent, Prometheus, Zipkin. */
final class Processes {

  static final Duration STARTUP = Duration.ofSeconds(120);
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Processes() {}

  static Path jar(String property) {
    String p = System.getProperty(property);
    if (p == null || !Files.isRegularFile(Path.of(p))) {
      throw new IllegalStateException(property + " is not built: " + p + " (run ./mvnw verify from the root)");
    }
    return Path.of(p);
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
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

  /** A running child process whose stdout and stderr lines are collected apart. */
  static final class Child implements AutoCloseable {
    final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    Child(List<String> command) throws IOException {
      process = new ProcessBuilder(command).start();
      drain(process.getInputStream());
      drain(process.getErrorStream());
    }

    private void drain(InputStream in) {
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            lines.add(line);
          }
        } catch (IOException e) {
          // gone
        }
      });
      t.setDaemon(true);
      t.start();
    }

    String output() {
      return String.join("\n", lines);
    }

    String await(Predicate<String> match, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (String l : lines) {
          if (match.test(l)) {
            return l;
          }
        }
        if (!process.isAlive()) {
          break;
        }
        Thread.sleep(50);
      }
      throw new AssertionError("no matching line within " + timeout + "; output:\n" + output());
    }

    String awaitGroup(Pattern p, Duration timeout) throws InterruptedException {
      Matcher m = p.matcher(await(l -> p.matcher(l).find(), timeout));
      if (!m.find()) {
        throw new AssertionError("pattern vanished");
      }
      return m.group(1);
    }

    /** Heap bytes in use after a full GC, read with jcmd. */
    long heapUsedAfterGc() throws IOException, InterruptedException {
      String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
      run(List.of(jcmd, String.valueOf(process.pid()), "GC.run"));
      String info = run(List.of(jcmd, String.valueOf(process.pid()), "GC.heap_info"));
      Matcher m = Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
      if (!m.find()) {
        throw new AssertionError("unexpected GC.heap_info output:\n" + info);
      }
      return Long.parseLong(m.group(1)) * 1024;
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(60, TimeUnit.SECONDS);
      return out;
    }

    @Override
    public void close() {
      process.toHandle().destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The sample server with an agent. */
  static final class App implements AutoCloseable {
    final Child child;
    final int port;
    final int metricsPort;
    final int managementPort;

    private App(Child child, int port, int metricsPort, int managementPort) {
      this.child = child;
      this.port = port;
      this.metricsPort = metricsPort;
      this.managementPort = managementPort;
    }

    static App start(List<String> agentArgs, String... appArgs) throws Exception {
      int metrics = freePort();
      int management = freePort();
      List<String> cmd = new ArrayList<>(List.of(java()));
      cmd.addAll(agentArgs);
      cmd.addAll(List.of("-Dotel.exporter.prometheus.port=" + metrics, "-Dotel.exporter.prometheus.host=127.0.0.1",
          "-Dotel.metrics.exporter=prometheus", "-Dbitnet.management.port=" + management, "-Dotel.logs.exporter=none",
          "-Dotel.bsp.schedule.delay=100ms", "-jar", jar("sample.app.jar").toString(), "serve", "--port", "0",
          "--model", "tiny"));
      cmd.addAll(List.of(appArgs));
      Child child = new Child(cmd);
      try {
        int port = Integer.parseInt(child.awaitGroup(Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)"), STARTUP));
        child.await(l -> l.contains(" ready in "), STARTUP);
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
