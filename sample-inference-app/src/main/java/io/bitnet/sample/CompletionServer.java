package io.bitnet.sample;

import com.sun.net.httpserver.HttpServer;
import io.bitnet.runtime.InferenceEngine;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP server: {@code POST /v1/completions} and {@code GET /v1/models} on the JDK's own server,
 * with a bounded pool of daemon threads. It listens at once and loads the model in the background.
 */
final class CompletionServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService pool;
  private final ModelLoader loader;
  private final PrintStream log;

  private CompletionServer(HttpServer server, ExecutorService pool, ModelLoader loader, PrintStream log) {
    this.server = server;
    this.pool = pool;
    this.loader = loader;
    this.log = log;
  }

  /** Listens, and starts loading the model. */
  static CompletionServer start(ServerOptions options, PrintStream log) throws IOException {
    CompletionServer server = listen(options, log);
    server.loader.start();
    return server;
  }

  /** Listens without loading the model yet: completions get 503 until {@code loader().start()}. */
  static CompletionServer listen(ServerOptions options, PrintStream log) throws IOException {
    ModelLoader loader = new ModelLoader(options, log);
    HttpServer server = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 128);
    // Enough threads for every request that may wait or run, plus some that are answered 429.
    int threads = options.queueCapacity() + options.workers() * options.maxBatch() + 16;
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(pool);
    java.util.concurrent.atomic.AtomicLong tokenDelay = new java.util.concurrent.atomic.AtomicLong(options.tokenDelayMillis());
    server.createContext("/v1/completions", new CompletionsHandler(loader, tokenDelay));
    if (options.testControls()) {
      server.createContext("/test/token-delay", new TestControlsHandler(tokenDelay));
      log.println("test controls on: POST /test/token-delay?ms=N changes the pause after each token");
    }
    server.createContext("/v1/models", new ModelsHandler(loader));
    server.start();
    log.printf("listening on http://%s:%d%n", options.host(), server.getAddress().getPort());
    return new CompletionServer(server, pool, loader, log);
  }

  int port() {
    return server.getAddress().getPort();
  }

  ModelLoader loader() {
    return loader;
  }

  /**
   * Graceful stop: refuse new connections, let in-flight requests drain for up to {@code grace}, then
   * stop the engine.
   */
  void stop(Duration grace) {
    log.println("shutting down: draining in-flight requests");
    loader.engine().ifPresent(e -> e.shutdown(grace));
    // The engine has drained every in-flight request; one second lets their last bytes go out. (A longer
    // delay makes the JDK's server wait it out in full while clients hold idle keep-alive connections.)
    server.stop(1);
    pool.shutdown();
    try {
      pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    loader.engine().map(InferenceEngine::model).ifPresent(m -> m.close());
    log.println("stopped");
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }
}
