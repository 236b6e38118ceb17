package io.bitnet.sample;

import io.bitnet.kernels.BitNetKernels;
import io.bitnet.runtime.BitNetModel;
import io.bitnet.runtime.GenerationRequest;
import io.bitnet.runtime.GenerationResult;
import io.bitnet.runtime.InferenceEngine;
import io.bitnet.runtime.ModelConfig;
import io.bitnet.runtime.gguf.GgufFile;
import io.bitnet.runtime.gguf.GgufModelLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The sample inference server's command line.
 *
 * <pre>
 * java -jar sample-inference-app.jar [serve]  [--model tiny|small|2b-4t|FILE.gguf] [--host H] [--port P] [--threads N]
 *                                             [--workers N] [--queue N] [--max-batch N] [--seed S] [--load-delay MS] [--token-delay MS]
 *                                             [--test-controls true]
 * java -jar sample-inference-app.jar generate --prompt TEXT [--max-tokens N] [--temperature T] [--top-p P] [--seed S]
 * java -jar sample-inference-app.jar loadgen  [--url U] [--concurrency C] [--requests M] [--max-tokens N] [--prompt TEXT]
 *                                             [--stream true]
 * </pre>
 */
public final class Main {

  private static final Set<String> FLAGS = Set.of("--model", "--host", "--port", "--threads", "--workers", "--queue",
      "--max-batch", "--seed", "--prompt", "--max-tokens", "--temperature", "--top-p", "--url", "--concurrency",
      "--requests", "--load-delay", "--token-delay", "--stream",
      "--test-controls");

  private Main() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    try {
      System.exit(run(args, out));
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println("usage: java -jar sample-inference-app.jar [serve|generate|loadgen] [--option value ...]");
      System.exit(2);
    }
  }

  static int run(String[] args, PrintStream out) throws Exception {
    boolean named = args.length > 0 && !args[0].startsWith("--");
    String command = named ? args[0] : "serve";
    Map<String, String> opts = parse(args, named ? 1 : 0);
    if (opts.containsKey("--threads")) {
      // read by BitNetKernels.getDefault(), which no code has touched yet
      System.setProperty(BitNetKernels.THREADS_PROPERTY, String.valueOf(positive(opts, "--threads", 1)));
    }
    switch (command) {
      case "serve" -> {
        serve(options(opts), out);
        return 0;
      }
      case "generate" -> {
        return generate(options(opts), opts, out);
      }
      case "loadgen" -> {
        return loadgen(opts, out);
      }
      default -> throw new IllegalArgumentException("unknown command '" + command + "' (serve, generate, loadgen)");
    }
  }

  private static void serve(ServerOptions options, PrintStream out) throws IOException, InterruptedException {
    CompletionServer server = CompletionServer.start(options, out);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(Duration.ofSeconds(20)), "shutdown"));
    out.printf("try: curl -s http://%s:%d/v1/completions -H 'Content-Type: application/json' "
        + "-d '{\"model\":\"%s\",\"prompt\":\"Hello\",\"max_tokens\":16}'%n",
        options.host(), server.port(), options.model().name());
    Thread.currentThread().join(); // until SIGTERM or Ctrl-C runs the shutdown hook
  }

  private static int generate(ServerOptions options, Map<String, String> opts, PrintStream out) throws IOException {
    String prompt = opts.get("--prompt");
    if (prompt == null) {
      throw new IllegalArgumentException("generate needs --prompt TEXT");
    }
    BitNetKernels kernels = BitNetKernels.getDefault();
    out.println("model " + options.model() + " on " + kernels.backend());
    ModelLoader.Loaded loaded = ModelLoader.load(options, kernels, BitNetModel.LoadProgress.NONE);
    try (BitNetModel model = loaded.model();
        InferenceEngine engine = InferenceEngine.builder(model).tokenizer(loaded.tokenizer()).build()) {
      GenerationRequest request = GenerationRequest.builder(prompt)
          .maxTokens(positive(opts, "--max-tokens", 32))
          .temperature(Float.parseFloat(opts.getOrDefault("--temperature", "0.8")))
          .topP(Float.parseFloat(opts.getOrDefault("--top-p", "0.95")))
          .seed(Long.parseLong(opts.getOrDefault("--seed", "0")))
          .build();
      GenerationResult r = engine.generate(request, (token, text) -> {
        out.print(text);
        out.flush();
      });
      out.println();
      out.printf(Locale.ROOT, "%d prompt + %d completion tokens, finish: %s, TTFT %d ms, %.1f tokens/s%n",
          r.promptTokens(), r.completionTokens(), r.finishReason().label(), r.timings().timeToFirstToken().toMillis(),
          r.tokensPerSecond());
      return r.error().isPresent() ? 1 : 0;
    }
  }

  private static int loadgen(Map<String, String> opts, PrintStream out) throws Exception {
    String url = opts.getOrDefault("--url", "http://127.0.0.1:8080");
    int concurrency = positive(opts, "--concurrency", 4);
    int requests = positive(opts, "--requests", 32);
    int maxTokens = positive(opts, "--max-tokens", 32);
    String model = opts.getOrDefault("--model", ModelConfig.SMALL.name());
    String prompt = opts.getOrDefault("--prompt", "The quick brown fox jumps over the lazy dog");
    out.printf("load: %d clients, %d requests, %d tokens each, against %s%n", concurrency, requests, maxTokens, url);
    boolean stream = Boolean.parseBoolean(opts.getOrDefault("--stream", "false"));
    LoadGenerator.Report report = new LoadGenerator(url, model, prompt, maxTokens, stream).run(concurrency, requests, out);
    report.print(out);
    return report.failed() == 0 ? 0 : 1;
  }

  /** The options of {@code serve} from its arguments (no command word). */
  static ServerOptions parseServe(String[] args) {
    return options(parse(args, 0));
  }

  private static ServerOptions options(Map<String, String> opts) {
    ServerOptions d = ServerOptions.defaults();
    Path file = opts.containsKey("--model") ? modelFile(opts.get("--model")) : null;
    return new ServerOptions(
        opts.getOrDefault("--host", d.host()),
        port(opts.getOrDefault("--port", String.valueOf(d.port()))),
        file != null ? ggufConfig(file) : opts.containsKey("--model") ? ModelConfig.preset(opts.get("--model")) : d.model(),
        Long.parseLong(opts.getOrDefault("--seed", String.valueOf(d.seed()))),
        positive(opts, "--workers", d.workers()),
        positive(opts, "--queue", d.queueCapacity()),
        positive(opts, "--max-batch", d.maxBatch()),
        opts.containsKey("--load-delay") ? positive(opts, "--load-delay", 1) : 0,
        opts.containsKey("--token-delay") ? positive(opts, "--token-delay", 1) : 0,
        file,
        Boolean.parseBoolean(opts.getOrDefault("--test-controls", "false")));
  }

  /** The GGUF file a {@code --model} value names: not a preset, and ending in .gguf or an existing file. */
  static Path modelFile(String value) {
    boolean preset = ModelConfig.presets().stream().anyMatch(c -> c.name().equalsIgnoreCase(value.trim()));
    if (preset) {
      return null;
    }
    Path path = Path.of(value);
    return value.toLowerCase(Locale.ROOT).endsWith(".gguf") || Files.isRegularFile(path) ? path : null;
  }

  /** The model's shape and name from the file's header, read now so that a bad file fails at startup. */
  private static ModelConfig ggufConfig(Path file) {
    try (GgufFile gguf = GgufFile.open(file)) {
      return GgufModelLoader.config(gguf);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot use model file " + file + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, String> parse(String[] args, int from) {
    Map<String, String> opts = new HashMap<>();
    for (int i = from; i < args.length; i++) {
      String flag = args[i];
      if (!FLAGS.contains(flag)) {
        throw new IllegalArgumentException("unknown option '" + flag + "'; options: " + List.copyOf(new java.util.TreeSet<>(FLAGS)));
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      opts.put(flag, args[++i]);
    }
    return opts;
  }

  private static int positive(Map<String, String> opts, String flag, int fallback) {
    String v = opts.get(flag);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a positive integer, got '" + v + "'");
    }
  }

  private static int port(String v) {
    try {
      int p = Integer.parseInt(v.trim());
      if (p < 0 || p > 65535) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port must be 0..65535, got '" + v + "'");
    }
  }
}
