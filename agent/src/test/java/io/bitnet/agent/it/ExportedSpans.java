package io.bitnet.agent.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Spans the agent printed through the {@code logging-otlp} exporter: one OTLP JSON document per line. */
final class ExportedSpans {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MARKER = "OtlpJsonLoggingSpanExporter - ";

  /** One exported span. */
  record Span(String scope, String name, String traceId, String spanId, String parentSpanId, int kind,
      Map<String, JsonNode> attributes, List<String> events, int statusCode, long startNanos, long endNanos) {

    /** Whether this span lies within {@code outer} in time (epoch nanoseconds, ends included). */
    boolean within(Span outer) {
      return startNanos >= outer.startNanos && endNanos <= outer.endNanos && startNanos <= endNanos;
    }

    String attr(String key) {
      JsonNode v = attributes.get(key);
      if (v == null) {
        return null;
      }
      if (v.has("arrayValue")) {
        java.util.List<String> items = new java.util.ArrayList<>();
        for (JsonNode item : v.path("arrayValue").path("values")) {
          items.add(item.elements().hasNext() ? item.elements().next().asText() : "");
        }
        return items.toString();
      }
      JsonNode inner = v.elements().hasNext() ? v.elements().next() : v;
      return inner.asText();
    }

    boolean isError() {
      return statusCode == 2;
    }
  }

  private ExportedSpans() {}

  static List<Span> parse(List<String> lines) {
    List<Span> spans = new ArrayList<>();
    for (String line : lines) {
      int at = line.indexOf(MARKER);
      if (at < 0) {
        continue;
      }
      try {
        JsonNode root = JSON.readTree(line.substring(at + MARKER.length()));
        for (JsonNode scopeSpans : root.path("scopeSpans")) {
          String scope = scopeSpans.path("scope").path("name").asText();
          for (JsonNode s : scopeSpans.path("spans")) {
            Map<String, JsonNode> attributes = new HashMap<>();
            for (JsonNode a : s.path("attributes")) {
              attributes.put(a.path("key").asText(), a.path("value"));
            }
            List<String> events = new ArrayList<>();
            for (JsonNode e : s.path("events")) {
              events.add(e.path("name").asText());
            }
            spans.add(new Span(scope, s.path("name").asText(), s.path("traceId").asText(), s.path("spanId").asText(),
                s.path("parentSpanId").asText(""), s.path("kind").asInt(), attributes, events,
                s.path("status").path("code").asInt(0), s.path("startTimeUnixNano").asLong(),
                s.path("endTimeUnixNano").asLong()));
          }
        }
      } catch (java.io.IOException e) {
        throw new AssertionError("unparseable span export: " + line, e);
      }
    }
    return spans;
  }

  static List<Span> named(List<Span> spans, String name) {
    return spans.stream().filter(s -> s.name().equals(name)).toList();
  }

  static Optional<Span> byId(List<Span> spans, String spanId) {
    return spans.stream().filter(s -> s.spanId().equals(spanId)).findFirst();
  }
}
