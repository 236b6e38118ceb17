package io.bitnet.agent.dashboard;

import io.bitnet.agent.anomaly.AnomalyReporter;
import io.bitnet.agent.health.ComponentHealth;
import io.bitnet.agent.health.HealthReport;
import io.bitnet.agent.sla.SlaTracker;
import io.bitnet.agent.telemetry.BitNetAttributes;
import io.bitnet.agent.telemetry.ConsumedSpans;
import io.bitnet.agent.telemetry.Json;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The dashboard's JSON documents (their shape is in docs/dashboard.md). */
public final class DashboardApi {


  private final String service;
  private final boolean contentCapture;
  private final DashboardSampler sampler;
  private final TraceBuffer traces;
  private final AnomalyReporter anomalies;
  private final Supplier<HealthReport> health;
  private final SlaTracker sla;

  public DashboardApi(String service, boolean contentCapture, DashboardSampler sampler, TraceBuffer traces,
      AnomalyReporter anomalies, Supplier<HealthReport> health, SlaTracker sla) {
    this.service = service;
    this.contentCapture = contentCapture;
    this.sampler = sampler;
    this.traces = traces;
    this.anomalies = anomalies;
    this.health = health;
    this.sla = sla;
  }

  /** Charts, tiles, anomalies and trends. */
  public String metrics() {
    long now = System.currentTimeMillis();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service", service);
    m.put("intervalSeconds", sampler.intervalMillis() / 1000.0);
    m.put("now", now);
    m.put("contentCapture", contentCapture);
    List<Object> series = new ArrayList<>();
    for (DashboardPoint p : sampler.points()) {
      series.add(p.toMap());
    }
    m.put("series", series);
    HealthReport report = health.get();
    List<Object> components = new ArrayList<>();
    for (ComponentHealth c : report.checks()) {
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("name", c.name());
      cm.put("status", c.status());
      cm.put("data", c.data());
      components.add(cm);
    }
    m.put("health", Map.of("status", report.up() ? "UP" : "DOWN", "components", components));
    Map<String, Object> s = new LinkedHashMap<>();
    long requests = sla.requestsInWindow();
    s.put("compliance", requests == 0 ? null : sla.complianceRatio());
    long violations = 0;
    for (SlaTracker.ViolationType type : SlaTracker.ViolationType.values()) {
      for (SlaTracker.Severity severity : SlaTracker.Severity.values()) {
        violations += sla.violations(type, severity);
      }
    }
    s.put("violations", violations);
    s.put("requestsInWindow", requests);
    m.put("sla", s);
    m.put("anomalies", anomalies.recent());
    m.put("trends", anomalies.trends(now));
    return Json.write(m);
  }

  /** The recent inference traces, newest first. */
  public String traceList() {
    List<Object> list = new ArrayList<>();
    for (TraceBuffer.Trace t : traces.traces()) {
      SpanData root = t.root();
      Optional<SpanData> inference = t.inference();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("traceId", t.traceId());
      m.put("name", inference.map(SpanData::getName).orElse(root.getName()));
      m.put("startMs", root.getStartEpochNanos() / 1e6);
      m.put("durationMs", (root.getEndEpochNanos() - root.getStartEpochNanos()) / 1e6);
      boolean error = t.spans().stream().anyMatch(s -> s.getStatus().getStatusCode() == StatusCode.ERROR);
      m.put("status", error ? "ERROR" : "OK");
      m.put("model", inference.map(s -> s.getAttributes().get(BitNetAttributes.GEN_AI_REQUEST_MODEL)).orElse(null));
      m.put("promptTokens", inference.map(s -> s.getAttributes().get(ConsumedSpans.INPUT_TOKENS)).orElse(null));
      m.put("completionTokens", inference.map(s -> s.getAttributes().get(ConsumedSpans.OUTPUT_TOKENS)).orElse(null));
      m.put("spanCount", t.spans().size());
      list.add(m);
    }
    return Json.write(Map.of("capacity", traces.capacity(), "traces", list));
  }

  /** One trace's spans for the waterfall, or empty when it is no longer (or never was) in the buffer. */
  public Optional<String> trace(String traceId) {
    return traces.trace(traceId).map(t -> {
      List<Object> spans = new ArrayList<>();
      List<SpanData> sorted = new ArrayList<>(t.spans());
      sorted.sort(Comparator.comparingLong(SpanData::getStartEpochNanos));
      for (SpanData s : sorted) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spanId", s.getSpanId());
        m.put("parentSpanId", s.getParentSpanContext().isValid() ? s.getParentSpanId() : null);
        m.put("name", s.getName());
        m.put("kind", s.getKind().name());
        m.put("startMs", s.getStartEpochNanos() / 1e6);
        m.put("durationMs", (s.getEndEpochNanos() - s.getStartEpochNanos()) / 1e6);
        m.put("status", s.getStatus().getStatusCode() == StatusCode.ERROR ? "ERROR" : "OK");
        m.put("attributes", attributes(s.getAttributes()));
        List<Object> events = new ArrayList<>();
        for (EventData e : s.getEvents()) {
          events.add(Map.of("name", e.getName(), "timeMs", e.getEpochNanos() / 1e6,
              "attributes", attributes(e.getAttributes())));
        }
        m.put("events", events);
        spans.add(m);
      }
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("traceId", t.traceId());
      doc.put("droppedSpans", t.droppedSpans());
      doc.put("spans", spans);
      return Json.write(doc);
    });
  }

  private static Map<String, Object> attributes(Attributes attributes) {
    Map<String, Object> out = new LinkedHashMap<>();
    attributes.forEach((k, v) -> out.put(k.getKey(), v));
    return out;
  }
}
