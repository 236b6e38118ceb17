package io.bitnet.agent.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A scrape of the Prometheus text format, parsed into samples. */
record PrometheusScrape(String text, List<Sample> samples) {

  /** One sample: a series name, its labels and its value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  static PrometheusScrape fetch(int port) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new AssertionError("scrape returned " + r.statusCode());
    }
    return parse(r.body());
  }

  static PrometheusScrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String name;
      Map<String, String> labels = new LinkedHashMap<>();
      String rest;
      if (brace >= 0 && brace < line.indexOf(' ')) {
        name = line.substring(0, brace);
        int close = line.indexOf("} ", brace);
        parseLabels(line.substring(brace + 1, close), labels);
        rest = line.substring(close + 2).trim();
      } else {
        name = line.substring(0, line.indexOf(' '));
        rest = line.substring(line.indexOf(' ') + 1).trim();
      }
      String value = rest.split(" ")[0];
      samples.add(new Sample(name, labels, Double.parseDouble(value)));
      if (space < 0) {
        throw new AssertionError("bad line " + line);
      }
    }
    return new PrometheusScrape(text, samples);
  }

  private static void parseLabels(String s, Map<String, String> out) {
    int i = 0;
    while (i < s.length()) {
      int eq = s.indexOf('=', i);
      String key = s.substring(i, eq).trim();
      int start = eq + 2;
      StringBuilder v = new StringBuilder();
      int j = start;
      while (s.charAt(j) != '"') {
        if (s.charAt(j) == '\\') {
          j++;
        }
        v.append(s.charAt(j));
        j++;
      }
      out.put(key, v.toString());
      i = j + 1;
      if (i < s.length() && s.charAt(i) == ',') {
        i++;
      }
    }
  }

  List<Sample> series(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  List<Sample> series(String name, Predicate<Map<String, String>> labels) {
    return samples.stream().filter(s -> s.name().equals(name) && labels.test(s.labels())).toList();
  }

  /** The sum over the series of that name whose labels contain every given pair. */
  double sum(String name, String... labelPairs) {
    return series(name, l -> matches(l, labelPairs)).stream().mapToDouble(Sample::value).sum();
  }

  private static boolean matches(Map<String, String> labels, String... pairs) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
        return false;
      }
    }
    return true;
  }
}
