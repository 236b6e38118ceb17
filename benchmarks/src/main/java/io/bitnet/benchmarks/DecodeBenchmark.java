package io.bitnet.benchmarks;

import io.bitnet.kernels.BitNetKernels;
import io.bitnet.kernels.KernelBackend;
import io.bitnet.runtime.BitNetModel;
import io.bitnet.runtime.GenerationRequest;
import io.bitnet.runtime.GenerationResult;
import io.bitnet.runtime.InferenceEngine;
import io.bitnet.runtime.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Prefill and decode speed of the runtime on the synthetic models, next to the memory roofline: the
 * bytes one decode step must read (packed ternary weights plus the int8 LM head) divided by the
 * single-thread memory read bandwidth, measured in the same run.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.bitnet.benchmarks.DecodeBenchmark [OUTPUT.md] [models...]</pre>
 */
public final class DecodeBenchmark {

  private static final int PROMPT_BYTES = 127; // plus BOS: 128 prompt tokens
  private static final int DECODE_TOKENS = 32;
  private static final int RUNS = 3;

  private DecodeBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path output = Path.of(args.length > 0 ? args[0] : "benchmarks/target/decode-benchmark.md");
    List<String> models = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : List.of("small", "2b-4t");
    double bandwidth = MemoryBandwidth.singleThreadReadBytesPerSecond();
    System.out.printf(Locale.ROOT, "single-thread memory read bandwidth: %.1f GB/s%n", bandwidth / 1e9);
    StringBuilder table = new StringBuilder();
    table.append(String.format(Locale.ROOT, "Single-thread read bandwidth, measured in the same run: %.1f GB/s.%n%n", bandwidth / 1e9));
    table.append("| model | threads | backend | prefill tokens/s | decode tokens/s | bytes read per token | roofline tokens/s | decode / roofline |\n");
    table.append("|---|---:|---|---:|---:|---:|---:|---:|\n");
    for (String name : models) {
      ModelConfig config = ModelConfig.preset(name);
      for (int threads : new int[] {1, 2}) {
        table.append(run(config, threads, bandwidth));
      }
    }
    Files.createDirectories(output.toAbsolutePath().getParent());
    Files.writeString(output, table.toString());
    System.out.println();
    System.out.println(table);
    System.out.println("written to " + output);
  }

  private static String run(ModelConfig config, int threads, double bandwidth) {
    // -Dbitnet.kernels.backend=avx2 (say) times that backend, as it steers BitNetKernels.getDefault()
    KernelBackend backend = KernelBackend.parse(System.getProperty(BitNetKernels.BACKEND_PROPERTY)).orElse(null);
    try (BitNetKernels kernels = BitNetKernels.builder().backend(backend).threads(threads).build()) {
      long t0 = System.nanoTime();
      System.out.printf("loading %s (threads %d)...%n", config.name(), threads);
      try (BitNetModel model = BitNetModel.synthetic(config, 1, kernels, (done, total, n) -> {
        if (done % 50 == 0 || done == total) {
          System.out.printf("  %d/%d tensors%n", done, total);
        }
      })) {
        System.out.printf(Locale.ROOT, "  loaded in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        try (InferenceEngine engine = InferenceEngine.builder(model).maxBatch(1).build()) {
          String prompt = "x".repeat(PROMPT_BYTES);
          List<Double> prefill = new ArrayList<>();
          List<Double> decode = new ArrayList<>();
          for (int i = 0; i <= RUNS; i++) {
            GenerationResult r = engine.generate(GenerationRequest.builder(prompt)
                .maxTokens(DECODE_TOKENS).temperature(0).build());
            if (i == 0) {
              continue; // warm-up
            }
            prefill.add(r.promptTokens() / (r.timings().prefill().toNanos() / 1e9));
            decode.add(r.tokensPerSecond());
          }
          double prefillTps = Medians.median(prefill);
          double decodeTps = Medians.median(decode);
          long bytesPerToken = config.packedBytes() + (long) config.vocabSize() * config.hidden();
          double roofline = bandwidth / bytesPerToken;
          System.out.printf(Locale.ROOT, "  prefill %.1f tokens/s, decode %.1f tokens/s (roofline %.1f)%n",
              prefillTps, decodeTps, roofline);
          return String.format(Locale.ROOT, "| %s | %d | %s | %.1f | %.1f | %.1f MB | %.1f | %.2f |%n",
              config.name(), threads, kernels.backend().backend(), prefillTps, decodeTps, bytesPerToken / 1e6,
              roofline, decodeTps / roofline);
        }
      }
    }
  }
}
