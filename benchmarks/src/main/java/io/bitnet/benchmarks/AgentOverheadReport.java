package io.bitnet.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The cost per call of the kernel advice: {@link AdviceCostBenchmark} in forks without the agent, with
 * bitnet-agent at its defaults, and with accuracy sampling off (the advice alone), interleaved.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.bitnet.benchmarks.AgentOverheadReport agent/target/bitnet-agent.jar [OUTPUT.md]</pre>
 */
public final class AgentOverheadReport {

  private AgentOverheadReport() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || !Files.isRegularFile(Path.of(args[0]))) {
      System.err.println("usage: AgentOverheadReport path/to/bitnet-agent.jar [OUTPUT.md]");
      System.exit(2);
    }
    String agent = "-javaagent:" + Path.of(args[0]).toAbsolutePath();
    Path output = Path.of(args.length > 1 ? args[1] : "benchmarks/target/agent-overhead.md");
    String[] quiet = {"-Dotel.traces.exporter=none", "-Dotel.logs.exporter=none", "-Dbitnet.management.enabled=false",
        "-Dotel.exporter.prometheus.port=0"};
    Map<String, List<String>> configs = new LinkedHashMap<>();
    configs.put("no agent", List.of());
    List<String> defaults = new ArrayList<>(List.of(agent));
    defaults.addAll(List.of(quiet));
    configs.put("bitnet-agent, defaults (0.1% accuracy sampling)", defaults);
    List<String> noAccuracy = new ArrayList<>(defaults);
    noAccuracy.add("-Dbitnet.quantization.accuracy.sample-ratio=0");
    configs.put("bitnet-agent, accuracy sampling off", noAccuracy);

    Map<String, Map<String, double[]>> results = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> c : configs.entrySet()) {
      System.out.println("== " + c.getKey());
      Collection<RunResult> run = new Runner(new OptionsBuilder()
          .include(AdviceCostBenchmark.class.getSimpleName())
          .forks(2)
          .jvmArgsAppend(c.getValue().toArray(String[]::new))
          .build()).run();
      Map<String, double[]> byMethod = new LinkedHashMap<>();
      for (RunResult r : run) {
        String name = r.getParams().getBenchmark();
        double best = r.getBenchmarkResults().stream()
            .flatMap(b -> b.getIterationResults().stream())
            .mapToDouble(i -> i.getPrimaryResult().getScore()).min().orElse(Double.NaN);
        byMethod.put(name.substring(name.lastIndexOf('.') + 1),
            new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(), best});
      }
      results.put(c.getKey(), byMethod);
    }
    // The best iteration is what the call costs when nothing else takes the core: on a shared machine
    // the mean moves with the neighbours' load, the minimum much less.
    StringBuilder table = new StringBuilder(
        "| call (1 thread) | configuration | mean ns/op | ± | best iteration ns/op | added ns/call (best) |\n");
    table.append("|---|---|---:|---:|---:|---:|\n");
    Map<String, double[]> base = results.get("no agent");
    for (String method : base.keySet()) {
      for (Map.Entry<String, Map<String, double[]>> e : results.entrySet()) {
        double[] v = e.getValue().get(method);
        table.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.0f | %s |%n", method, e.getKey(), v[0], v[1],
            v[2], e.getKey().equals("no agent") ? "" : String.format(Locale.ROOT, "%.0f", v[2] - base.get(method)[2])));
      }
    }
    Files.createDirectories(output.toAbsolutePath().getParent());
    Files.writeString(output, table.toString());
    System.out.println(table);
    System.out.println("written to " + output);
  }
}
