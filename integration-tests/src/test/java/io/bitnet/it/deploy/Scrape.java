package io.bitnet.it.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Prometheus text-format scrape, parsed into samples. */
record Scrape(List<Sample> samples) {

  /** One sample: its series name and labels (the value is not needed here). */
  record Sample(String name, Map<String, String> labels) {}

  static Scrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.indexOf(' ');
      Map<String, String> labels = new LinkedHashMap<>();
      String name;
      if (brace >= 0 && (space < 0 || brace < space)) {
        name = line.substring(0, brace);
        parseLabels(line, brace + 1, labels);
      } else {
        name = line.substring(0, space);
      }
      samples.add(new Sample(name, labels));
    }
    return new Scrape(samples);
  }

  private static void parseLabels(String line, int from, Map<String, String> out) {
    int i = from;
    while (line.charAt(i) != '}') {
      int eq = line.indexOf('=', i);
      String key = line.substring(i, eq).trim();
      StringBuilder value = new StringBuilder();
      int j = eq + 2; // past ="
      while (line.charAt(j) != '"') {
        if (line.charAt(j) == '\\') {
          j++;
          char c = line.charAt(j);
          value.append(c == 'n' ? '\n' : c);
        } else {
          value.append(line.charAt(j));
        }
        j++;
      }
      out.put(key, value.toString());
      i = j + 1;
      if (line.charAt(i) == ',') {
        i++;
      }
    }
  }

  List<Sample> series(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }
}
