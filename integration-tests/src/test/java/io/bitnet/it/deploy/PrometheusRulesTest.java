package io.bitnet.it.deploy;

import static io.bitnet.it.deploy.DeployFiles.at;
import static io.bitnet.it.deploy.DeployFiles.list;
import static io.bitnet.it.deploy.DeployFiles.map;
import static io.bitnet.it.deploy.DeployFiles.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/prometheus: promtool checks the config and the rules and runs their unit tests; the rules' shape. */
class PrometheusRulesTest {

  private static final Path DIR = DeployFiles.deploy("prometheus");
  private static final Path RECORDING = DeployFiles.prometheus("recording-rules.yml");
  private static final Path ALERTS = DeployFiles.prometheus("alert-rules.yml");
  private static final List<String> SLO_WINDOWS = List.of("5m", "30m", "1h", "2h", "6h", "1d", "3d");

  /** The SRE workbook's window pairs: long window, short window, burn rate, severity. */
  private record BurnRate(String longWindow, String shortWindow, String factor, String severity) {
    String suffix() {
      return longWindow + shortWindow;
    }
  }

  private static final List<BurnRate> BURN_RATES = List.of(
      new BurnRate("1h", "5m", "14.4", "page"),
      new BurnRate("6h", "30m", "6", "page"),
      new BurnRate("1d", "2h", "3", "ticket"),
      new BurnRate("3d", "6h", "1", "ticket"));

  @Test
  void promtoolChecksTheRulesFiles() {
    for (Path f : List.of(RECORDING, ALERTS)) {
      String out = Promtool.ok(DIR, "check", "rules", f.getFileName().toString());
      assertTrue(out.contains("SUCCESS"), out);
    }
  }

  @Test
  void promtoolChecksTheScrapeConfigAndItsRuleFiles() {
    String out = Promtool.ok(DIR, "check", "config", "prometheus.yml");
    assertTrue(out.contains("SUCCESS: 2 rule files found"), out);

    Object config = DeployFiles.yaml(DeployFiles.prometheus("prometheus.yml"));
    assertEquals(List.of("recording-rules.yml", "alert-rules.yml"), at(config, "rule_files"));
    List<?> jobs = list(at(config, "scrape_configs"), "scrape_configs");
    assertEquals(1, jobs.size());
    Object job = jobs.get(0);
    assertEquals("bitnet-agent", at(job, "job_name"), "the job the alert rules name");
    assertEquals("/metrics", at(job, "metrics_path"));
    Object targets = at(list(at(job, "static_configs"), "static_configs").get(0), "targets");
    assertEquals(List.of("127.0.0.1:9464"), targets, "the agent's default Prometheus endpoint");
  }

  @Test
  void promtoolUnitTestsPass() {
    List<Path> tests = DeployFiles.ruleTests();
    assertTrue(tests.size() >= 2, "rule tests: " + tests);
    for (Path t : tests) {
      String out = Promtool.ok(DIR, "test", "rules", DIR.relativize(t).toString());
      assertTrue(out.contains("SUCCESS"), out);
      assertFalse(out.contains("FAILED"), out);
    }
  }

  @Test
  void everyAlertHasAFiringAndAQuietUnitTest() {
    Map<String, int[]> cases = new TreeMap<>();
    for (Map<?, ?> rule : DeployFiles.rules(ALERTS)) {
      cases.put(str(rule.get("alert"), "alert"), new int[2]);
    }
    for (Path file : DeployFiles.ruleTests()) {
      Object test = DeployFiles.yaml(file);
      for (Object rf : list(at(test, "rule_files"), file + ": rule_files")) {
        assertTrue(Files.isRegularFile(file.getParent().resolve(str(rf, "rule file"))), file + " loads " + rf);
      }
      for (Object group : list(at(test, "tests"), file + ": tests")) {
        Object alertTests = at(group, "alert_rule_test");
        if (alertTests == null) {
          continue;
        }
        for (Object alertTest : list(alertTests, file + ": alert_rule_test")) {
          String name = str(map(alertTest, "alert_rule_test").get("alertname"), "alertname");
          int[] counts = cases.get(name);
          assertNotNull(counts, file + " tests " + name + ", which alert-rules.yml does not define");
          Object exp = map(alertTest, "alert_rule_test").get("exp_alerts");
          if (exp == null || list(exp, "exp_alerts").isEmpty()) {
            counts[1]++;
          } else {
            for (Object alert : list(exp, "exp_alerts")) {
              assertNotNull(at(alert, "exp_labels", "severity"), file + ": " + name + " checks its severity");
              assertNotNull(at(alert, "exp_annotations"), file + ": " + name + " checks its annotations");
            }
            counts[0]++;
          }
        }
      }
    }
    List<String> missing = new ArrayList<>();
    cases.forEach((name, c) -> {
      if (c[0] == 0) {
        missing.add(name + " never fires");
      }
      if (c[1] == 0) {
        missing.add(name + " is never checked quiet");
      }
    });
    assertTrue(missing.isEmpty(), "unit tests missing: " + missing);
  }

  @Test
  void everyRecordingRuleHasItsValueChecked() {
    Set<String> checked = new LinkedHashSet<>();
    for (Path file : DeployFiles.ruleTests()) {
      for (Object group : list(at(DeployFiles.yaml(file), "tests"), "tests")) {
        Object exprTests = at(group, "promql_expr_test");
        if (exprTests != null) {
          for (Object t : list(exprTests, "promql_expr_test")) {
            checked.addAll(PromQl.metricNames(str(map(t, "promql_expr_test").get("expr"), "expr")));
          }
        }
      }
    }
    Set<String> unchecked = new TreeSet<>();
    for (Map<?, ?> rule : DeployFiles.rules(RECORDING)) {
      String name = str(rule.get("record"), "record");
      assertTrue(name.matches("bitnet:[a-z_]+:[a-z0-9_]+"), name + " is not named level:metric:operation");
      if (!checked.contains(name)) {
        unchecked.add(name);
      }
    }
    assertTrue(unchecked.isEmpty(), "recording rules no promql_expr_test reads: " + unchecked);
  }

  @Test
  void recordingRulesCoverTheLatencyThroughputAndEveryWindowOfTheSlos() {
    Map<String, String> records = new LinkedHashMap<>();
    for (Map<?, ?> rule : DeployFiles.rules(RECORDING)) {
      records.put(str(rule.get("record"), "record"), str(rule.get("expr"), "expr"));
    }
    for (String metric : List.of("inference_duration_seconds", "time_to_first_token_seconds")) {
      for (String q : List.of("50", "95", "99")) {
        String expr = records.get("bitnet:" + metric + ":p" + q + "_5m");
        assertNotNull(expr, metric + " p" + q);
        assertTrue(expr.replace(" ", "").startsWith("histogram_quantile(0." + q + ",sumby(le,model_id)(rate(bitnet_"
            + metric + "_bucket[5m])))"), expr);
      }
    }
    assertTrue(records.get("bitnet:generation_tokens:rate_5m").contains("rate(bitnet_generation_tokens_total[5m])"));
    for (String w : SLO_WINDOWS) {
      String errors = records.get("bitnet:inference_error_ratio:rate_" + w);
      assertNotNull(errors, "error ratio over " + w);
      assertTrue(errors.contains("rate(bitnet_inference_requests_total{status=\"error\"}[" + w + "])"), errors);
      assertTrue(errors.contains("rate(bitnet_inference_requests_total[" + w + "])"), errors);
      String compliance = records.get("bitnet:sla_compliance_ratio:avg_over_time_" + w);
      assertNotNull(compliance, "SLA compliance over " + w);
      assertTrue(compliance.contains("avg_over_time(bitnet_sla_compliance_ratio[" + w + "])"), compliance);
    }
  }

  @Test
  void burnRateAlertsPairALongAndAShortWindowAsTheWorkbookDoes() {
    Map<String, Map<?, ?>> alerts = new LinkedHashMap<>();
    for (Map<?, ?> rule : DeployFiles.rules(ALERTS)) {
      alerts.put(str(rule.get("alert"), "alert"), rule);
    }
    for (BurnRate b : BURN_RATES) {
      Map<?, ?> sla = alerts.get("BitNetSLABurnRate" + b.suffix());
      assertNotNull(sla, "SLA alert " + b);
      assertWindows(str(sla.get("expr"), "expr"), "(1 - bitnet:sla_compliance_ratio:avg_over_time_%s) / (1 - 0.99) > %s", b);
      assertEquals(b.severity(), at(sla, "labels", "severity"));

      Map<?, ?> errors = alerts.get("BitNetErrorBurnRate" + b.suffix());
      assertNotNull(errors, "error alert " + b);
      assertWindows(str(errors.get("expr"), "expr"), "bitnet:inference_error_ratio:rate_%s / (1 - 0.99) > %s", b);
      assertEquals(b.severity(), at(errors, "labels", "severity"));
    }
  }

  private static void assertWindows(String expr, String side, BurnRate b) {
    String expected = String.format(side, b.longWindow(), b.factor()) + " and " + String.format(side, b.shortWindow(), b.factor());
    assertEquals(expected, expr.replaceAll("\\s+", " ").trim());
  }

  @Test
  void theOtherAlertsWatchWhatTheyShould() {
    Map<String, String> exprs = new LinkedHashMap<>();
    Map<String, Object> fors = new LinkedHashMap<>();
    for (Map<?, ?> rule : DeployFiles.rules(ALERTS)) {
      String name = str(rule.get("alert"), "alert");
      exprs.put(name, str(rule.get("expr"), "expr").replaceAll("\\s+", " ").trim());
      fors.put(name, rule.get("for"));
    }
    assertEquals("bitnet:quantization_accuracy_ratio:mean_15m < 0.9", exprs.get("BitNetQuantizationAccuracyLow"));
    assertEquals("15m", fors.get("BitNetQuantizationAccuracyLow"));
    assertEquals("bitnet_component_health_status{component=\"model_manager\"} == 0", exprs.get("BitNetModelNotReady"));
    assertEquals("5m", fors.get("BitNetModelNotReady"));
    assertEquals("bitnet_component_health_status{component!=\"model_manager\"} == 0", exprs.get("BitNetComponentDown"));
    assertEquals("5m", fors.get("BitNetComponentDown"));
    assertTrue(exprs.get("BitNetDeviceFallback").startsWith("increase(bitnet_device_fallback_events_total[10m]) > 0 or "));
    assertEquals("up{job=\"bitnet-agent\"} == 0", exprs.get("BitNetMetricsTargetDown"));
    assertEquals("2m", fors.get("BitNetMetricsTargetDown"));
  }

  @Test
  void everyAlertHasASeverityAndRunbookAnnotations() {
    String operations = DeployFiles.read(DeployFiles.repo().resolve("docs/operations.md"));
    Set<String> anchors = new LinkedHashSet<>();
    Matcher heading = Pattern.compile("(?m)^#+\\s+(.+)$").matcher(operations);
    while (heading.find()) {
      anchors.add(slug(heading.group(1)));
    }
    Pattern runbookLink = Pattern.compile("docs/operations\\.md#([a-z0-9-]+)");
    for (Map<?, ?> rule : DeployFiles.rules(ALERTS)) {
      String name = str(rule.get("alert"), "alert");
      assertTrue(Set.of("page", "ticket").contains(at(rule, "labels", "severity")), name + ": severity page or ticket");
      for (String a : List.of("summary", "description", "runbook")) {
        Object v = at(rule, "annotations", a);
        assertTrue(v instanceof String s && !s.isBlank(), name + ": annotation " + a);
      }
      Matcher link = runbookLink.matcher(str(at(rule, "annotations", "runbook"), "runbook"));
      assertTrue(link.find(), name + ": the runbook points into docs/operations.md");
      assertTrue(anchors.contains(link.group(1)), name + ": docs/operations.md has no heading #" + link.group(1)
          + " (headings: " + anchors + ")");
      assertTrue(operations.contains(name), "docs/operations.md explains " + name);
    }
  }

  /** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
  static String slug(String heading) {
    return heading.trim().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
  }
}
