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
  record Report(int ok, int rejected, int failed, double seconds, long completionTokens, List<Long> latenciesNanos,
      List<Long> firstTokenNanos) {

    double requestsPerSecond() {
      return ok / seconds;
    }

    double tokensPerSecond() {
      return completionTokens / seconds;
    }

    /** The q-quantile (0..1) of successful request latency, in milliseconds. */
    double latencyMillis(double q) {
      return quantileMillis(latenciesNanos, q);
    }

    /** The q-quantile of the time to the first streamed chunk (streaming runs only), in milliseconds. */
    double firstTokenMillis(double q) {
      return quantileMillis(firstTokenNanos, q);
    }

    private static double quantileMillis(List<Long> values, double q) {
      if (values.isEmpty()) {
        return Double.NaN;
      }
      List<Long> sorted = new ArrayList<>(values);
      Collections.sort(sorted);
      int i = (int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
      return sorted.get(Math.max(0, i)) / 1e6;
    }

    void print(PrintStream out) {
      out.printf(Locale.ROOT, "requests: %d ok, %d rejected (429), %d failed in %.2f s%n", ok, rejected, failed, seconds);
      out.printf(Locale.ROOT, "throughput: %.2f requests/s, %.1f tokens/s%n", requestsPerSecond(), tokensPerSecond());
      out.printf(Locale.ROOT, "latency ms: p50 %.1f, p95 %.1f, p99 %.1f%n", latencyMillis(0.5), latencyMillis(0.95),
          latencyMillis(0.99));
      if (!firstTokenNanos.isEmpty()) {
        out.printf(Locale.ROOT, "ttft ms: p50 %.1f, p95 %.1f%n", firstTokenMillis(0.5), firstTokenMillis(0.95));
      }
    }
  }

  private final URI uri;
  private final String body;
  private final boolean stream;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  LoadGenerator(String baseUrl, String model, String prompt, int maxTokens) {
    this(baseUrl, model, prompt, maxTokens, false);
  }

  /** With {@code stream}, requests are streamed and the time to the first chunk is reported too. */
  LoadGenerator(String baseUrl, String model, String prompt, int maxTokens, boolean stream) {
    this.uri = URI.create(baseUrl.replaceAll("/+$", "") + "/v1/completions");
    this.stream = stream;
    this.body = HttpJson.MAPPER.createObjectNode()
        .put("model", model).put("prompt", prompt).put("max_tokens", maxTokens).put("temperature", 0)
        .put("stream", stream).toString();
  }

  Report run(int concurrency, int requests, PrintStream progress) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger tokens = new AtomicInteger();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    List<Long> firstTokens = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long start = System.nanoTime();
    List<Future<?>> clients = new ArrayList<>();
    for (int c = 0; c < concurrency; c++) {
      clients.add(pool.submit(() -> {
        while (next.getAndIncrement() < requests) {
          long t0 = System.nanoTime();
          try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            int status;
            int completion = 0;
            if (stream) {
              HttpResponse<java.util.stream.Stream<String>> r = client.send(request, HttpResponse.BodyHandlers.ofLines());
              status = r.statusCode();
              long first = 0;
              for (String line : (Iterable<String>) r.body()::iterator) {
                if (first == 0 && line.startsWith("data: ")) {
                  first = System.nanoTime() - t0;
                }
                if (line.startsWith("data: {") && line.contains("\"usage\"")) {
                  completion = HttpJson.MAPPER.readTree(line.substring(6)).path("usage").path("completion_tokens").asInt();
                }
              }
              if (status == 200) {
                firstTokens.add(first);
              }
            } else {
              HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
              status = r.statusCode();
              if (status == 200) {
                completion = HttpJson.MAPPER.readTree(r.body()).path("usage").path("completion_tokens").asInt();
              }
            }
            if (status == 200) {
              latencies.add(System.nanoTime() - t0);
              tokens.addAndGet(completion);
              int done = ok.incrementAndGet();
              if (progress != null && done % Math.max(1, requests / 10) == 0) {
                progress.printf("  %d/%d done%n", done, requests);
              }
            } else if (status == 429) {
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
    return new Report(ok.get(), rejected.get(), failed.get(), seconds, tokens.get(), List.copyOf(latencies),
        List.copyOf(firstTokens));
  }
}
