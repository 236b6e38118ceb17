package io.bitnet.it.deploy;

import io.bitnet.testing.ChildJvm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The names the dashboard and the rules use, and the catalog list of these tests, against a real scrape:
 * the sample server with bitnet-agent.jar in a child JVM, after one completion and one invalid request.
 */
class DashboardScrapeIT {

  private static final Duration STARTUP = Duration.ofSeconds(120);
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final Set<String> SERVER_LABELS = Set.of("job", "instance", "le", "__name__");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void theCatalogTheDashboardAndTheRulesMatchARealScrape() throws Exception {
    int metricsPort = ChildJvm.freePort();
    int managementPort = ChildJvm.freePort();
    List<String> command = List.of(ChildJvm.java(),
        "-javaagent:" + ChildJvm.builtJar("bitnet.agent.jar"),
        "-Dotel.exporter.prometheus.port=" + metricsPort,
        "-Dbitnet.management.port=" + managementPort,
        "-Dotel.traces.exporter=none",
        "-Dotel.logs.exporter=none",
        // an invalid backend name falls back to the best backend the CPU has: one device fallback event
        "-Dbitnet.kernels.backend=not-a-backend",
        // every kernel call's accuracy is measured, so the accuracy histogram has samples
        "-Dbitnet.quantization.accuracy.sample-ratio=1",
        "-jar", ChildJvm.builtJar("sample.app.jar").toString(),
        "--model", "tiny", "--port", "0",
        // time to ask for readiness while the model loads: one health check failure
        "--load-delay", "4000");

    Scrape scrape;
    try (ChildJvm app = new ChildJvm(command)) {
      Matcher listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)")
          .matcher(app.awaitLine(l -> l.contains("listening on http://127.0.0.1:"), STARTUP));
      assertTrue(listening.find());
      int appPort = Integer.parseInt(listening.group(1));
      assertEquals(503, get(managementPort, "/health/ready").statusCode(), "not ready while the model loads");

      app.awaitLine(l -> l.contains(" ready in "), STARTUP);
      // two requests, so that every per-request trend (bitnet_performance_trend) has two points
      for (int i = 0; i < 2; i++) {
        HttpResponse<String> ok = complete(appPort, "{\"model\":\"tiny\",\"prompt\":\"Hello, BitNet\",\"max_tokens\":8,\"seed\":1}");
        assertEquals(200, ok.statusCode(), ok.body());
      }
      HttpResponse<String> invalid = complete(appPort, "{\"model\":\"tiny\",\"prompt\":\"Hello\",\"max_tokens\":-1}");
      assertEquals(400, invalid.statusCode(), "an invalid request, counted with status=error: " + invalid.body());
      assertEquals(200, get(managementPort, "/health").statusCode());

      scrape = awaitScrape(metricsPort);
    }

    // 1. every bitnet_* and gen_ai_* series is in the catalog
    Set<String> undocumented = new TreeSet<>();
    for (Scrape.Sample s : scrape.samples()) {
      if (Catalog.ours(s.name()) && Catalog.forSeries(s.name()).isEmpty()) {
        undocumented.add(s.name());
      }
    }
    assertTrue(undocumented.isEmpty(), "scraped, not in the catalog: " + undocumented);

    // 2. every catalog metric is scraped, histograms as _bucket, _count and _sum (the GPU ones need a GPU)
    assertTrue(missing(scrape).isEmpty(), "catalog metrics not scraped: " + missing(scrape));

    // 3. every metric the dashboard and the rules name is in the catalog and (GPU aside) in the scrape
    Map<String, String> exprs = expressions();
    Set<String> named = new TreeSet<>();
    List<String> problems = new ArrayList<>();
    exprs.forEach((where, expr) -> {
      for (String name : PromQl.metricNames(expr)) {
        if (!Catalog.ours(name)) {
          continue;
        }
        Optional<Catalog.Metric> m = Catalog.forSeries(name);
        if (m.isEmpty()) {
          problems.add(where + ": " + name + " is not in the catalog");
        } else if (!m.get().gpuOnly()) {
          named.add(name);
          if (!scrape.has(name)) {
            problems.add(where + ": " + name + " is not in the scrape");
          }
        }
      }
    });
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    assertTrue(named.size() >= 20, "names checked: " + named);

    // 4. the labels each expression groups or matches by are on its metrics' series
    exprs.forEach((where, expr) -> {
      Set<String> available = new HashSet<>();
      boolean any = false;
      for (String name : PromQl.metricNames(expr)) {
        Optional<Catalog.Metric> m = Catalog.forSeries(name);
        if (m.isPresent() && !m.get().gpuOnly()) {
          any = true;
          for (String series : m.get().seriesNames()) {
            scrape.series(series).forEach(s -> available.addAll(s.labels().keySet()));
          }
        }
      }
      if (any) {
        for (String label : PromQl.labelNames(expr)) {
          if (!SERVER_LABELS.contains(label) && !available.contains(label)) {
            problems.add(where + ": no label " + label + " on " + PromQl.metricNames(expr) + " (" + available + ")");
          }
        }
      }
      // 5. and the values they match on exist
      for (PromQl.Equality eq : PromQl.equalities(expr)) {
        Optional<Catalog.Metric> m = Catalog.forSeries(eq.metric());
        if (m.isPresent() && !m.get().gpuOnly()
            && scrape.series(eq.metric()).stream().noneMatch(s -> eq.value().equals(s.labels().get(eq.label())))) {
          problems.add(where + ": no " + eq.metric() + "{" + eq.label() + "=\"" + eq.value() + "\"} in the scrape");
        }
      }
    });
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  /** Polls the endpoint until every expected metric shows (they are recorded as spans end), then returns the scrape. */
  private static Scrape awaitScrape(int port) throws Exception {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (true) {
      HttpResponse<String> r = get(port, "/metrics");
      assertEquals(200, r.statusCode(), "scrape");
      Scrape s = Scrape.parse(r.body());
      if (missing(s).isEmpty() || System.nanoTime() > deadline) {
        return s;
      }
      Thread.sleep(200);
    }
  }

  private static Set<String> missing(Scrape scrape) {
    Set<String> missing = new TreeSet<>();
    for (Catalog.Metric m : Catalog.METRICS) {
      if (!m.gpuOnly()) {
        m.seriesNames().stream().filter(n -> !scrape.has(n)).forEach(missing::add);
      }
    }
    return missing;
  }

  /** Every PromQL expression of the dashboard (panels and variables) and of the rules, by where it is. */
  private static Map<String, String> expressions() {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode dashboard = Dashboard.json();
    for (Dashboard.Target t : Dashboard.targets(dashboard)) {
      out.put("dashboard " + t.where(), Dashboard.resolved(t.expr()));
    }
    for (Dashboard.LabelValues l : Dashboard.labelValues(dashboard)) {
      out.put("dashboard variable " + l.variable(), Dashboard.resolved(l.selector()));
      out.put("dashboard variable " + l.variable() + " label", l.selector().replaceAll("\\{.*", "") + "{" + l.label() + "!=\"\"}");
    }
    for (String file : List.of("recording-rules.yml", "alert-rules.yml")) {
      for (Map<?, ?> rule : DeployFiles.rules(DeployFiles.prometheus(file))) {
        Object name = rule.get("record") != null ? rule.get("record") : rule.get("alert");
        out.put(file + " " + name, String.valueOf(rule.get("expr")));
      }
    }
    return out;
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> complete(int port, String json) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/completions"))
            .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
