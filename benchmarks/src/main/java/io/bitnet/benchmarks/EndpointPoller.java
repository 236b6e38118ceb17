package io.bitnet.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Polls the agent's Prometheus endpoint and health probes on a {@link Schedule} while the load runs, as
 * a Prometheus server and a kubelet would, so that the measured window includes what serving them
 * costs. Also reads the matmul call count from a scrape.
 */
final class EndpointPoller {

  /**
   * How often each endpoint is read, in whole seconds; 0 never.
   *
   * @param scrapeSeconds {@code /metrics}
   * @param readySeconds {@code /health/ready}
   * @param liveSeconds {@code /health/live}
   */
  record Schedule(int scrapeSeconds, int readySeconds, int liveSeconds) {

    /** A scrape and a readiness probe every second: more often than Prometheus or a kubelet polls by default. */
    static final Schedule EVERY_SECOND = new Schedule(1, 1, 0);

    /** The shipped deploy/ files: Prometheus every 15 s, readiness every 5 s, liveness every 10 s. */
    static final Schedule SHIPPED = new Schedule(15, 5, 10);

    Schedule {
      if (scrapeSeconds < 0 || readySeconds < 0 || liveSeconds < 0) {
        throw new IllegalArgumentException("negative interval in " + this);
      }
    }

    /** Whether the endpoint polled every {@code seconds} is due at second {@code tick}. */
    static boolean due(int seconds, long tick) {
      return seconds > 0 && tick % seconds == 0;
    }
  }

  /** The poller's clock: every interval of a {@link Schedule} is a whole number of these. */
  private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI metrics;
  private final URI ready;
  private final URI live;
  private final Schedule schedule;
  private final AtomicInteger failures = new AtomicInteger();
  private final Thread thread;
  private volatile boolean stopping;

  EndpointPoller(int prometheusPort, int managementPort, Schedule schedule) {
    this.metrics = URI.create("http://127.0.0.1:" + prometheusPort + "/metrics");
    this.ready = URI.create("http://127.0.0.1:" + managementPort + "/health/ready");
    this.live = URI.create("http://127.0.0.1:" + managementPort + "/health/live");
    this.schedule = schedule;
    this.thread = new Thread(this::run, "endpoint-poller");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    long start = System.nanoTime();
    long tick = 0;
    while (!stopping) {
      try {
        if (Schedule.due(schedule.scrapeSeconds(), tick)) {
          get(metrics);
        }
        if (Schedule.due(schedule.readySeconds(), tick)) {
          get(ready);
        }
        if (Schedule.due(schedule.liveSeconds(), tick)) {
          get(live);
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        if (!stopping) { // an interrupted request is not a failed one
          failures.incrementAndGet();
        }
      }
      // at a fixed rate from the start, as Prometheus and the kubelet poll: the polls' own time does not add up
      tick = nextTick(tick, System.nanoTime() - start);
      try {
        TimeUnit.NANOSECONDS.sleep(start + tick * TICK_NANOS - System.nanoTime());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The next whole second from the start after {@code tick}; seconds a slow poll overran are skipped. */
  static long nextTick(long tick, long elapsedNanos) {
    return Math.max(tick + 1, (elapsedNanos + TICK_NANOS - 1) / TICK_NANOS);
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
      throw new IllegalStateException(failures.get() + " polls of " + metrics + ", " + ready + " or " + live + " failed");
    }
  }
}
