package io.bitnet.sample;

import io.bitnet.kernels.BitNetKernels;
import io.bitnet.runtime.BitNetModel;
import io.bitnet.runtime.InferenceEngine;
import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Loads the model in the background so the server can answer at once: 503 while loading, then the
 * engine. Loading prints progress.
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
    log.printf("loading model %s on %s%n", options.model(), kernels.backend());
    try {
      int step = Math.max(1, options.model().layers() * 7 / 10);
      BitNetModel model = BitNetModel.synthetic(options.model(), options.seed(), kernels, (done, total, name) -> {
        if (done % step == 0 || done == total) {
          log.printf("  %d/%d tensors (%s)%n", done, total, name);
        }
      });
      engine.set(InferenceEngine.builder(model)
          .workers(options.workers())
          .queueCapacity(options.queueCapacity())
          .maxBatch(options.maxBatch())
          .build());
      log.printf("model %s ready in %.1f s (%d MiB of weights)%n",
          model.id(), (System.nanoTime() - start) / 1e9, model.weightBytes() >> 20);
    } catch (RuntimeException | OutOfMemoryError e) {
      failure.set(e.toString());
      log.println("model load failed: " + e);
    }
  }
}
