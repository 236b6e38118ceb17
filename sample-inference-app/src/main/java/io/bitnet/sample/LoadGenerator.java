package io.bitnet.sample;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A closed-loop load generator: {@code concurrency} clients send {@code requests} completions in all,
 * with a fixed prompt and length, and it reports throughput and latency percentiles.
 */
final class LoadGenerator {

  /** What one run measured. */
  record Report(int ok, int rejected, int failed, double seconds, long completionTokens, List<Long> latenciesNanos) {

    double requestsPerSecond() {
      return ok / seconds;
    }

    double tokensPerSecond() {
      return completionTokens / seconds;
    }

    /** The q-quantile (0..1) of successful request latency, in milliseconds. */
    double latencyMillis(double q) {
      if (latenciesNanos.isEmpty()) {
        return Double.NaN;
      }
      List<Long> sorted = new ArrayList<>(latenciesNanos);
      Collections.sort(sorted);
      int i = (int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
      return sorted.get(Math.max(0, i)) / 1e6;
    }

    void print(PrintStream out) {
      out.printf(Locale.ROOT, "requests: %d ok, %d rejected (429), %d failed in %.2f s%n", ok, rejected, failed, seconds);
      out.printf(Locale.ROOT, "throughput: %.2f requests/s, %.1f tokens/s%n", requestsPerSecond(), tokensPerSecond());
      out.printf(Locale.ROOT, "latency ms: p50 %.1f, p95 %.1f, p99 %.1f%n", latencyMillis(0.5), latencyMillis(0.95),
          latencyMillis(0.99));
    }
  }

  private final URI uri;
  private final String body;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  LoadGenerator(String baseUrl, String model, String prompt, int maxTokens) {
    this.uri = URI.create(baseUrl.replaceAll("/+$", "") + "/v1/completions");
    this.body = HttpJson.MAPPER.createObjectNode()
        .put("model", model).put("prompt", prompt).put("max_tokens", maxTokens).put("temperature", 0)
        .toString();
  }

  Report run(int concurrency, int requests, PrintStream progress) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger tokens = new AtomicInteger();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long start = System.nanoTime();
    List<Future<?>> clients = new ArrayList<>();
    for (int c = 0; c < concurrency; c++) {
      clients.add(pool.submit(() -> {
        while (next.getAndIncrement() < requests) {
          long t0 = System.nanoTime();
          try {
            HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
              latencies.add(System.nanoTime() - t0);
              tokens.addAndGet(HttpJson.MAPPER.readTree(r.body()).path("usage").path("completion_tokens").asInt());
              int done = ok.incrementAndGet();
              if (progress != null && done % Math.max(1, requests / 10) == 0) {
                progress.printf("  %d/%d done%n", done, requests);
              }
            } else if (r.statusCode() == 429) {
              rejected.incrementAndGet();
            } else {
              failed.incrementAndGet();
            }
          } catch (java.io.IOException e) {
            failed.incrementAndGet();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }));
    }
    for (Future<?> f : clients) {
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        failed.incrementAndGet();
      }
    }
    pool.shutdown();
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Report(ok.get(), rejected.get(), failed.get(), seconds, tokens.get(), List.copyOf(latencies));
  }
}
