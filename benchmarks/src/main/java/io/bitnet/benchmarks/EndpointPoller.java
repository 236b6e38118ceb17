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
 *
 * <p>The schedule runs on the server's own clock: the time it has been polled so far. A server that the
 * alternating harness pauses between windows of a few seconds goes on where its previous window left
 * off, so a 15 s interval is 15 s of the server's running time, not a poll at the start of every window.
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
  private final long clockStartNanos;
  private final Thread thread;
  private volatile boolean stopping;
  /** System.nanoTime() when the server's clock read zero; set when polling starts. */
  private volatile long origin;

  /** A poller whose server clock starts at zero: every endpoint is due at once. */
  EndpointPoller(int prometheusPort, int managementPort, Schedule schedule) {
    this(prometheusPort, managementPort, schedule, 0);
  }

  /**
   * A poller whose server clock starts at {@code clockStartNanos}, the time the server was polled before
   * (see {@link #clockNanos()}): the first polls are those due at the next whole second of that clock.
   */
  EndpointPoller(int prometheusPort, int managementPort, Schedule schedule, long clockStartNanos) {
    if (clockStartNanos < 0) {
      throw new IllegalArgumentException("negative clock start " + clockStartNanos);
    }
    this.clockStartNanos = clockStartNanos;
    this.metrics = URI.create("http://127.0.0.1:" + prometheusPort + "/metrics");
    this.ready = URI.create("http://127.0.0.1:" + managementPort + "/health/ready");
    this.live = URI.create("http://127.0.0.1:" + managementPort + "/health/live");
    this.schedule = schedule;
    this.thread = new Thread(this::run, "endpoint-poller");
    thread.setDaemon(true);
  }

  void start() {
    origin = System.nanoTime() - clockStartNanos;
    thread.start();
  }

  /** The server's clock: its start value plus the time since {@link #start()}. */
  long clockNanos() {
    return System.nanoTime() - origin;
  }

  private void run() {
    long tick = firstTick(clockStartNanos);
    while (!stopping) {
      try {
        TimeUnit.NANOSECONDS.sleep(origin + tick * TICK_NANOS - System.nanoTime());
      } catch (InterruptedException e) {
        return;
      }
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
      // at a fixed rate on the server's clock, as Prometheus and the kubelet poll: the polls' own time does not add up
      tick = nextTick(tick, clockNanos());
    }
  }

  /** The first whole second at or after {@code clockNanos}. */
  static long firstTick(long clockNanos) {
    return (clockNanos + TICK_NANOS - 1) / TICK_NANOS;
  }

  /** The next whole second of the server's clock after {@code tick}; seconds a slow poll overran are skipped. */
  static long nextTick(long tick, long clockNanos) {
    return Math.max(tick + 1, firstTick(clockNanos));
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
