package io.bitnet.sample;

import io.bitnet.runtime.ModelConfig;
import java.nio.file.Path;

/**
 * Settings of the server and the engine behind it.
 *
 * @param host address to bind; 127.0.0.1 by default
 * @param port port to bind; 0 picks a free one
 * @param model the model preset, or the shape of the GGUF file's model (named by its {@code general.name})
 * @param seed the seed of the synthetic weights
 * @param workers engine worker threads
 * @param queueCapacity requests that may wait before the server answers 429
 * @param maxBatch requests decoded together
 * @param loadDelayMillis a pause before the model loads, to demonstrate and test probes while loading
 * @param tokenDelayMillis a pause after each generated token, as a slow client would cause: a test and
 *     demo switch that makes requests slow on purpose (liveness, SLA and anomaly alerts)
 * @param modelFile the GGUF file to load, or {@code null} for a preset with synthetic weights
 * @param testControls whether {@code POST /test/token-delay?ms=N} may change the token delay while the
 *     server runs: a test switch that injects a slowdown (off by default; never for production)
 */
record ServerOptions(String host, int port, ModelConfig model, long seed, int workers, int queueCapacity, int maxBatch,
    long loadDelayMillis, long tokenDelayMillis, Path modelFile, boolean testControls) {

  /** Options for a preset model with synthetic weights, no test controls. */
  ServerOptions(String host, int port, ModelConfig model, long seed, int workers, int queueCapacity, int maxBatch,
      long loadDelayMillis, long tokenDelayMillis) {
    this(host, port, model, seed, workers, queueCapacity, maxBatch, loadDelayMillis, tokenDelayMillis, null, false);
  }

  static ServerOptions defaults() {
    return new ServerOptions("127.0.0.1", 8080, ModelConfig.SMALL, 42, 1, 64, 8, 0, 0);
  }
}
