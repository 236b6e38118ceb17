package io.bitnet.sample;

import io.bitnet.kernels.BitNetKernels;
import io.bitnet.runtime.BitNetModel;
import io.bitnet.runtime.ByteTokenizer;
import io.bitnet.runtime.InferenceEngine;
import io.bitnet.runtime.Tokenizer;
import io.bitnet.runtime.gguf.GgufModel;
import io.bitnet.runtime.gguf.GgufModelLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Loads the model in the background so the server can answer at once: 503 while loading, then the
 * engine. Loading prints progress. The model is a preset with synthetic weights or a GGUF file.
 */
final class ModelLoader {

  private final ServerOptions options;
  private final PrintStream log;
  private final AtomicReference<InferenceEngine> engine = new AtomicReference<>();
  private final AtomicReference<String> failure = new AtomicReference<>();
  private final Thread thread;

  ModelLoader(ServerOptions options, PrintStream log) {
    this.options = options;
    this.log = log;
    this.thread = new Thread(this::load, "model-loader");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Blocks until loading has finished or failed. */
  void awaitLoaded() throws InterruptedException {
    thread.join();
  }

  Optional<InferenceEngine> engine() {
    return Optional.ofNullable(engine.get());
  }

  Optional<String> failure() {
    return Optional.ofNullable(failure.get());
  }

  String modelId() {
    return options.model().name();
  }

  /** A model with the tokenizer it needs. */
  record Loaded(BitNetModel model, Tokenizer tokenizer) {}

  /**
   * Loads the model the options name: the GGUF file (with its tokenizer) or the preset's synthetic
   * weights (with the byte tokenizer).
   */
  static Loaded load(ServerOptions options, BitNetKernels kernels, BitNetModel.LoadProgress progress) throws IOException {
    if (options.modelFile() != null) {
      GgufModel m = GgufModelLoader.load(options.modelFile(), kernels, progress);
      return new Loaded(m.model(), m.tokenizer());
    }
    return new Loaded(BitNetModel.synthetic(options.model(), options.seed(), kernels, progress), new ByteTokenizer());
  }

  private void load() {
    if (options.loadDelayMillis() > 0) {
      log.printf("waiting %d ms before loading (--load-delay)%n", options.loadDelayMillis());
      try {
        Thread.sleep(options.loadDelayMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    long start = System.nanoTime();
    BitNetKernels kernels = BitNetKernels.getDefault();
    log.printf("loading model %s%s on %s%n", options.model(),
        options.modelFile() == null ? "" : " from " + options.modelFile(), kernels.backend());
    try {
      // about ten progress lines whatever the model: a GGUF load reports 11 tensors per layer
      int step = Math.max(1, options.model().layers() * (options.modelFile() == null ? 7 : 11) / 10);
      Loaded loaded = load(options, kernels, (done, total, name) -> {
        if (done % step == 0 || done == total) {
          log.printf("  %d/%d tensors (%s)%n", done, total, name);
        }
      });
      BitNetModel model = loaded.model();
      engine.set(InferenceEngine.builder(model)
          .tokenizer(loaded.tokenizer())
          .workers(options.workers())
          .queueCapacity(options.queueCapacity())
          .maxBatch(options.maxBatch())
          .build());
      log.printf("model %s ready in %.1f s (%d MiB of weights)%n",
          model.id(), (System.nanoTime() - start) / 1e9, model.weightBytes() >> 20);
    } catch (IOException | RuntimeException | OutOfMemoryError e) {
      failure.set(e.toString());
      log.println("model load failed: " + e);
    }
  }
}
