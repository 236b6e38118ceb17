package io.bitnet.it.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** deploy/grafana/bitnet-dashboard.json: its panels, their PromQL, and its template variables. */
final class Dashboard {

  static final Path FILE = DeployFiles.deploy("grafana", "bitnet-dashboard.json");

  /** One query of one panel. */
  record Target(int panelId, String panelTitle, String refId, String expr) {
    String where() {
      return "panel " + panelId + " \"" + panelTitle + "\" " + refId;
    }
  }

  /** A label_values(selector, label) variable query, split. */
  record LabelValues(String variable, String selector, String label) {}

  private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.*),\\s*([a-zA-Z_]\\w*)\\s*\\)$");
  private static final Pattern GRAFANA_INTERVAL = Pattern.compile("\\$__(rate_interval|interval|range)\\b");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::\\w+)?}|\\$(\\w+)");

  private Dashboard() {}

  static JsonNode json() {
    try {
      return new ObjectMapper().readTree(FILE.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The panels, those inside collapsed rows included, rows themselves excluded. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      if (p.path("type").asText().equals("row")) {
        p.path("panels").forEach(out::add);
      } else {
        out.add(p);
      }
    }
    return out;
  }

  static List<Target> targets(JsonNode dashboard) {
    List<Target> out = new ArrayList<>();
    for (JsonNode p : panels(dashboard)) {
      for (JsonNode t : p.path("targets")) {
        out.add(new Target(p.path("id").asInt(), p.path("title").asText(), t.path("refId").asText(), t.path("expr").asText()));
      }
    }
    return out;
  }

  static List<LabelValues> labelValues(JsonNode dashboard) {
    List<LabelValues> out = new ArrayList<>();
    for (JsonNode v : dashboard.path("templating").path("list")) {
      if (v.path("type").asText().equals("query")) {
        JsonNode q = v.path("query");
        String query = q.isTextual() ? q.asText() : q.path("query").asText();
        Matcher m = LABEL_VALUES.matcher(query.trim());
        if (!m.matches()) {
          throw new AssertionError("variable " + v.path("name").asText() + ": not a label_values(selector, label) query: " + query);
        }
        out.add(new LabelValues(v.path("name").asText(), m.group(1).trim(), m.group(2)));
      }
    }
    return out;
  }

  /** The variables an expression uses ($name or ${name}), Grafana's own $__ intervals left out. */
  static List<String> variables(String expr) {
    List<String> out = new ArrayList<>();
    Matcher m = VARIABLE.matcher(GRAFANA_INTERVAL.matcher(expr).replaceAll("5m"));
    while (m.find()) {
      out.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return out;
  }

  /** The expression as Prometheus would get it with every variable set to All: intervals 5m, values .* */
  static String resolved(String expr) {
    String s = GRAFANA_INTERVAL.matcher(expr).replaceAll("5m");
    return VARIABLE.matcher(s).replaceAll(".*");
  }
}
