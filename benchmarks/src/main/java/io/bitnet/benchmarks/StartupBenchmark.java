package io.bitnet.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Time from JVM launch to "model ready" of the sample server (tiny model), with no agent, with the
 * upstream OpenTelemetry agent, and with bitnet-agent; the runs are interleaved and the median is
 * reported.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.bitnet.benchmarks.StartupBenchmark \
 *     sample-inference-app/target/sample-inference-app.jar agent/target/upstream/opentelemetry-javaagent.jar \
 *     agent/target/bitnet-agent.jar [rounds] [OUTPUT.md]</pre>
 */
public final class StartupBenchmark {

  private StartupBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: StartupBenchmark SAMPLE_APP_JAR UPSTREAM_AGENT_JAR BITNET_AGENT_JAR [rounds] [OUTPUT.md]");
      System.exit(2);
    }
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    Path output = Path.of(args.length > 4 ? args[4] : "benchmarks/target/startup.md");
    String[] otel = {"-Dotel.traces.exporter=none", "-Dotel.logs.exporter=none", "-Dotel.metrics.exporter=none"};
    Map<String, List<String>> configs = new LinkedHashMap<>();
    configs.put("no agent", List.of());
    List<String> upstream = new ArrayList<>(List.of("-javaagent:" + args[1]));
    upstream.addAll(List.of(otel));
    configs.put("upstream OpenTelemetry agent 2.31.1", upstream);
    configs.put("bitnet-agent (defaults: Prometheus, health server)",
        List.of("-javaagent:" + args[2], "-Dotel.traces.exporter=none", "-Dotel.logs.exporter=none",
            "-Dotel.exporter.prometheus.port=0", "-Dbitnet.management.port=0"));
    Map<String, List<Double>> seconds = new LinkedHashMap<>();
    configs.keySet().forEach(k -> seconds.put(k, new ArrayList<>()));
    for (int round = 0; round < rounds; round++) {
      for (Map.Entry<String, List<String>> c : configs.entrySet()) {
        double s = timeToReady(args[0], c.getValue());
        seconds.get(c.getKey()).add(s);
        System.out.printf(Locale.ROOT, "round %d, %s: %.2f s%n", round + 1, c.getKey(), s);
      }
    }
    StringBuilder table = new StringBuilder("| configuration | median s to ready | runs (s) |\n|---|---:|---|\n");
    for (Map.Entry<String, List<Double>> e : seconds.entrySet()) {
      List<Double> sorted = new ArrayList<>(e.getValue());
      sorted.sort(null);
      table.append(String.format(Locale.ROOT, "| %s | %.2f | %s |%n", e.getKey(), sorted.get(sorted.size() / 2),
          e.getValue().stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList()));
    }
    Files.createDirectories(output.toAbsolutePath().getParent());
    Files.writeString(output, table.toString());
    System.out.println(table);
  }

  private static double timeToReady(String appJar, List<String> jvmArgs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-jar", appJar, "serve", "--model", "tiny", "--port", "0"));
    long start = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.contains(" ready in ")) {
          return (System.nanoTime() - start) / 1e9;
        }
      }
      throw new IllegalStateException("the server exited before it was ready");
    } finally {
      p.destroy();
      p.waitFor();
    }
  }
}
