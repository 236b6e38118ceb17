package io.bitnet.benchmarks;

import io.bitnet.kernels.BitNetKernels;
import io.bitnet.kernels.KernelBackend;
import io.bitnet.kernels.QuantizationFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the kernel benchmarks on every backend this machine supports and writes a Markdown table of
 * ns/op, Gweights/s, GB/s of packed weights and the speed-up over the FP32 Java GEMV.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar [OUTPUT.md] [JMH include regex for formats, e.g. I2_S]</pre>
 */
public final class KernelBenchmarkReport {

  private KernelBenchmarkReport() {}

  public static void main(String[] args) throws RunnerException, IOException {
    Path output = Path.of(args.length > 0 ? args[0] : "benchmarks/target/kernel-benchmarks.md");
    List<String> backends = new ArrayList<>();
    for (KernelBackend b : BitNetKernels.supportedBackends()) {
      backends.add(b.simd());
    }
    System.out.println("backends on this machine: " + backends + " (" + BitNetKernels.getDefault().backend() + ")");
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(TernaryMatmulBenchmark.class.getSimpleName())
            .include(Fp32GemvBenchmark.class.getSimpleName())
            .param("backend", backends.toArray(String[]::new))
            .shouldFailOnError(true);
    if (args.length > 1) {
      options.param("format", args[1].split(","));
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    String table = table(results);
    Files.createDirectories(output.toAbsolutePath().getParent());
    Files.writeString(output, table);
    System.out.println();
    System.out.println(table);
    System.out.println("written to " + output);
  }

  static String table(Collection<RunResult> results) {
    Map<String, Double> fp32 = new HashMap<>();
    List<RunResult> ternary = new ArrayList<>();
    for (RunResult r : results) {
      Map<String, String> p = params(r);
      if (r.getParams().getBenchmark().endsWith("gemv")) {
        fp32.put(p.get("shape") + "/" + p.get("batch"), score(r));
      } else {
        ternary.add(r);
      }
    }
    ternary.sort(Comparator.comparing((RunResult r) -> params(r).get("shape"))
        .thenComparing(r -> Integer.parseInt(params(r).get("batch")))
        .thenComparing(r -> Integer.parseInt(params(r).get("threads")))
        .thenComparing(r -> params(r).get("format"))
        .thenComparing(r -> KernelBackend.parse(params(r).get("backend")).orElseThrow()));
    StringBuilder sb = new StringBuilder();
    sb.append("| shape (rows x cols) | batch | threads | format | backend | ns/op | ± | Gweights/s | GB/s packed | × FP32 Java |\n");
    sb.append("|---|---:|---:|---|---|---:|---:|---:|---:|---:|\n");
    for (Map.Entry<String, Double> e : new java.util.TreeMap<>(fp32).entrySet()) {
      String[] k = e.getKey().split("/");
      Shape s = Shape.parse(k[0]);
      int batch = Integer.parseInt(k[1]);
      sb.append(String.format(Locale.ROOT, "| %s | %d | 1 | FP32 | java (plain GEMV) | %.0f | | %.2f | %.2f | 1.00 |%n",
          k[0], batch, e.getValue(), s.weights() * batch / e.getValue(), s.weights() * 4.0 / e.getValue()));
    }
    for (RunResult r : ternary) {
      Map<String, String> p = params(r);
      Shape s = Shape.parse(p.get("shape"));
      int batch = Integer.parseInt(p.get("batch"));
      double ns = score(r);
      double packed = QuantizationFormat.valueOf(p.get("format")).packedSize(s.rows(), s.cols());
      Double base = fp32.get(p.get("shape") + "/" + p.get("batch"));
      sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %.0f | %.0f | %.2f | %.2f | %s |%n",
          p.get("shape"), batch, p.get("threads"), p.get("format"), p.get("backend"), ns,
          r.getPrimaryResult().getScoreError(), s.weights() * batch / ns, packed / ns,
          base == null ? "" : String.format(Locale.ROOT, "%.1f", base / ns)));
    }
    return sb.toString();
  }

  private static double score(RunResult r) {
    return r.getPrimaryResult().getScore();
  }

  private static Map<String, String> params(RunResult r) {
    Map<String, String> p = new HashMap<>();
    for (String key : r.getParams().getParamsKeys()) {
      p.put(key, r.getParams().getParam(key));
    }
    return p;
  }
}
