package io.bitnet.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/grafana/bitnet-dashboard.json: importable shape, PromQL that parses, names from the catalog. */
class GrafanaDashboardTest {

  private final JsonNode dashboard = Dashboard.json();

  @Test
  void importsIntoCurrentGrafanaWithADatasourceVariable() {
    assertTrue(dashboard.path("schemaVersion").asInt() >= 39, "schemaVersion " + dashboard.path("schemaVersion"));
    assertFalse(dashboard.path("uid").asText().isBlank(), "uid");
    assertFalse(dashboard.path("title").asText().isBlank(), "title");
    assertTrue(dashboard.path("id").isNull(), "id is null, so an import creates the dashboard");

    JsonNode datasource = null;
    Set<String> names = new HashSet<>();
    for (JsonNode v : dashboard.path("templating").path("list")) {
      assertTrue(names.add(v.path("name").asText()), "variable names are unique");
      if (v.path("name").asText().equals("datasource")) {
        datasource = v;
      } else if (v.path("type").asText().equals("query")) {
        assertEquals("${datasource}", v.path("datasource").path("uid").asText(), "variable " + v.path("name"));
      }
    }
    assertTrue(datasource != null, "a variable named datasource");
    assertEquals("datasource", datasource.path("type").asText());
    assertEquals("prometheus", datasource.path("query").asText());
  }

  @Test
  void everyPanelAndQueryUsesTheDatasourceVariable() {
    Set<Integer> ids = new HashSet<>();
    for (JsonNode p : dashboard.path("panels")) {
      assertTrue(ids.add(p.path("id").asInt()), "panel ids are unique: " + p.path("id"));
      JsonNode grid = p.path("gridPos");
      assertTrue(grid.path("w").asInt() > 0 && grid.path("x").asInt() + grid.path("w").asInt() <= 24,
          "panel " + p.path("title") + " fits the 24 columns");
    }
    for (JsonNode p : Dashboard.panels(dashboard)) {
      String what = "panel " + p.path("id") + " " + p.path("title");
      assertEquals("prometheus", p.path("datasource").path("type").asText(), what);
      assertEquals("${datasource}", p.path("datasource").path("uid").asText(), what);
      assertTrue(p.path("targets").size() > 0, what + " has queries");
      Set<String> refIds = new HashSet<>();
      for (JsonNode t : p.path("targets")) {
        assertTrue(refIds.add(t.path("refId").asText()), what + ": refIds are unique");
        assertFalse(t.path("expr").asText().isBlank(), what + ": expr");
        if (t.has("datasource")) {
          assertEquals("${datasource}", t.path("datasource").path("uid").asText(), what);
        }
      }
    }
  }

  @Test
  void variablesAreDefinedAndOnlyUsedInRegexMatchers() {
    Set<String> defined = new HashSet<>();
    dashboard.path("templating").path("list").forEach(v -> defined.add(v.path("name").asText()));
    Pattern inRegexMatcher = Pattern.compile("=~\"[^\"]*\\$\\{?(\\w+)}?[^\"]*\"");
    List<String> exprs = new ArrayList<>();
    Dashboard.targets(dashboard).forEach(t -> exprs.add(t.expr()));
    Dashboard.labelValues(dashboard).forEach(l -> exprs.add(l.selector()));
    for (String expr : exprs) {
      List<String> used = Dashboard.variables(expr);
      for (String v : used) {
        assertTrue(defined.contains(v), "$" + v + " is not a variable: " + expr);
      }
      List<String> inMatchers = new ArrayList<>();
      Matcher m = inRegexMatcher.matcher(expr);
      while (m.find()) {
        inMatchers.add(m.group(1));
      }
      assertEquals(used.size(), inMatchers.size(), "a multi-value variable belongs in a =~ matcher: " + expr);
    }
  }

  @Test
  void everyPanelExpressionParses(@TempDir Path tmp) throws IOException {
    List<Dashboard.Target> targets = Dashboard.targets(dashboard);
    StringBuilder rules = new StringBuilder("groups:\n  - name: bitnet-dashboard\n    rules:\n");
    for (Dashboard.Target t : targets) {
      rules.append("      - record: dashboard:panel").append(t.panelId()).append(':').append(t.refId()).append('\n')
          .append("        expr: '").append(Dashboard.resolved(t.expr()).replace("'", "''")).append("'\n");
    }
    for (Dashboard.LabelValues l : Dashboard.labelValues(dashboard)) {
      rules.append("      - record: dashboard:variable:").append(l.variable()).append('\n')
          .append("        expr: '").append(Dashboard.resolved(l.selector()).replace("'", "''")).append("'\n");
    }
    Path file = tmp.resolve("dashboard-rules.yml");
    Files.writeString(file, rules);
    String out = Promtool.ok(tmp, "check", "rules", file.getFileName().toString());
    int expected = targets.size() + Dashboard.labelValues(dashboard).size();
    assertTrue(out.contains("SUCCESS: " + expected + " rules found"), out);
  }

  @Test
  void everyMetricAPanelNamesIsInTheCatalog() {
    Set<String> unknown = new TreeSet<>();
    Set<String> used = new LinkedHashSet<>();
    for (Dashboard.Target t : Dashboard.targets(dashboard)) {
      for (String name : PromQl.metricNames(Dashboard.resolved(t.expr()))) {
        used.add(name);
        if (!Catalog.ours(name) || Catalog.forSeries(name).isEmpty()) {
          unknown.add(name + " (" + t.where() + ")");
        }
      }
    }
    for (Dashboard.LabelValues l : Dashboard.labelValues(dashboard)) {
      for (String name : PromQl.metricNames(Dashboard.resolved(l.selector()))) {
        if (Catalog.forSeries(name).isEmpty()) {
          unknown.add(name + " (variable " + l.variable() + ")");
        }
      }
    }
    assertTrue(unknown.isEmpty(), "not in the catalog: " + unknown);
    assertFalse(used.isEmpty());
  }

  @Test
  void thePanelsCoverWhatOperatorsWatch() {
    Set<String> used = new HashSet<>();
    for (Dashboard.Target t : Dashboard.targets(dashboard)) {
      for (String name : PromQl.metricNames(Dashboard.resolved(t.expr()))) {
        Catalog.forSeries(name).ifPresent(m -> used.add(m.name()));
      }
    }
    List<String> required = List.of(
        "bitnet_inference_requests_total", "bitnet_inference_duration_seconds", "bitnet_time_to_first_token_seconds",
        "gen_ai_server_time_per_output_token_seconds", "bitnet_generation_tokens_total",
        "bitnet_active_inference_requests", "bitnet_waiting_inference_requests", "bitnet_batch_formation_duration_seconds",
        "bitnet_quantization_operations_total", "bitnet_quantization_accuracy_ratio", "bitnet_quantization_scale_factor",
        "bitnet_cpu_utilization_ratio", "bitnet_gpu_utilization_ratio", "bitnet_gpu_memory_usage_bytes",
        "bitnet_system_memory_usage_bytes", "bitnet_component_health_status", "bitnet_sla_compliance_ratio",
        "bitnet_sla_violations_total");
    Set<String> missing = new TreeSet<>(required);
    missing.removeAll(used);
    assertTrue(missing.isEmpty(), "no panel shows " + missing);

    String errors = Dashboard.targets(dashboard).stream().map(Dashboard.Target::expr)
        .filter(e -> e.contains("status=\"error\"")).findFirst().orElse("");
    assertTrue(errors.contains("bitnet_inference_requests_total"), "a panel shows the error ratio");
    Set<String> latencyQuantiles = new HashSet<>();
    for (Dashboard.Target t : Dashboard.targets(dashboard)) {
      Matcher m = Pattern.compile("histogram_quantile\\((0\\.\\d+), sum by \\(le, model_id\\) \\(rate\\(bitnet_inference_duration_seconds_bucket")
          .matcher(t.expr());
      if (m.find()) {
        latencyQuantiles.add(m.group(1));
      }
    }
    assertEquals(Set.of("0.5", "0.95", "0.99"), latencyQuantiles, "latency p50, p95 and p99");
  }
}
