package io.bitnet.it.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of PromQL's lexical structure to find the metric names, label names and equality matchers
 * an expression uses (promtool checks that it parses).
 */
final class PromQl {

  /** A `label="value"` matcher on a metric. */
  record Equality(String metric, String label, String value) {}

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][\\w:]*)(\\s*\\()?");
  private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][\\w:]*)\\s*\\{([^}]*)}");
  private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_]\\w*)\\s*(=~|!~|!=|=)\\s*(\"(?:[^\"\\\\]|\\\\.)*\")");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "offset", "bool", "by", "without", "on",
      "ignoring", "group_left", "group_right", "inf", "nan", "atan2");

  private PromQl() {}

  /** The metric names (and recording rule names) an expression selects. */
  static Set<String> metricNames(String expr) {
    String s = STRING.matcher(expr).replaceAll("\"\"");
    s = MATCHERS.matcher(s).replaceAll(" ");
    s = GROUPING.matcher(s).replaceAll(" ");
    s = RANGE.matcher(s).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      String id = m.group(1);
      boolean call = m.group(2) != null;
      if (!call && !KEYWORDS.contains(id.toLowerCase(java.util.Locale.ROOT))) {
        names.add(id);
      }
    }
    return names;
  }

  /** The label names an expression groups or matches by. */
  static Set<String> labelNames(String expr) {
    String s = STRING.matcher(expr).replaceAll("\"\"");
    Set<String> labels = new LinkedHashSet<>();
    Matcher g = GROUPING.matcher(s);
    while (g.find()) {
      for (String l : g.group(2).split(",")) {
        if (!l.isBlank()) {
          labels.add(l.trim());
        }
      }
    }
    Matcher sel = MATCHERS.matcher(expr);
    while (sel.find()) {
      Matcher m = MATCHER.matcher(sel.group());
      while (m.find()) {
        labels.add(m.group(1));
      }
    }
    return labels;
  }

  /** Every `metric{label="value"}` equality matcher of an expression. */
  static List<Equality> equalities(String expr) {
    List<Equality> out = new ArrayList<>();
    Matcher sel = SELECTOR.matcher(expr);
    while (sel.find()) {
      Matcher m = MATCHER.matcher(sel.group(2));
      while (m.find()) {
        if (m.group(2).equals("=")) {
          String quoted = m.group(3);
          out.add(new Equality(sel.group(1), m.group(1), quoted.substring(1, quoted.length() - 1)));
        }
      }
    }
    return out;
  }
}
