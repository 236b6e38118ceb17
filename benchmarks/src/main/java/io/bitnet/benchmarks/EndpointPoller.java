package io.bitnet.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Polls the agent's Prometheus endpoint and readiness probe once a second while the load runs, as a
 * Prometheus server and a kubelet would (more often than either does by default), so that the
 * measured window includes what serving them costs. Also reads the matmul call count from a scrape.
 */
final class EndpointPoller {

  private static final Duration INTERVAL = Duration.ofSeconds(1);

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI metrics;
  private final URI ready;
  private final AtomicInteger failures = new AtomicInteger();
  private final Thread thread;
  private volatile boolean stopping;

  EndpointPoller(int prometheusPort, int managementPort) {
    this.metrics = URI.create("http://127.0.0.1:" + prometheusPort + "/metrics");
    this.ready = URI.create("http://127.0.0.1:" + managementPort + "/health/ready");
    this.thread = new Thread(this::run, "endpoint-poller");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    while (!stopping) {
      try {
        get(metrics);
        get(ready);
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        if (!stopping) { // an interrupted request is not a failed one
          failures.incrementAndGet();
        }
      }
      try {
        Thread.sleep(INTERVAL.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Sum of {@code bitnet_quantization_operations_total} over the matmul series, from one scrape. */
  long matmulCalls() throws IOException, InterruptedException {
    double sum = 0;
    for (String line : get(metrics).split("\n")) {
      if (line.startsWith("bitnet_quantization_operations_total{") && line.contains("operation=\"matmul\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return (long) sum;
  }

  private String get(URI uri) throws IOException, InterruptedException {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(uri + " answered " + r.statusCode());
    }
    return r.body();
  }

  /** Whether the polling thread still runs: false once {@link #stop()} has returned. */
  boolean polling() {
    return thread.isAlive();
  }

  /** Stops polling; fails when a poll failed, since the figures would then leave out part of the cost. */
  void stop() throws InterruptedException {
    stopping = true;
    thread.interrupt();
    thread.join();
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " polls of " + metrics + " or " + ready + " failed");
    }
  }
}
