package io.bitnet.agent.sla;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bitnet.agent.config.BitNetConfig;
import io.bitnet.agent.sla.SlaTracker.Severity;
import io.bitnet.agent.sla.SlaTracker.ViolationType;
import io.bitnet.agent.telemetry.ConsumedSpans;
import io.bitnet.agent.testing.TestTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SLA checks on requests built with exact timings, through a real tracer and meter. */
class SlaTrackerTest {

  private final TestClock clock = TestClock.create();
  private final BitNetConfig config = BitNetConfig.parse(Map.of(
      "bitnet.sla.max-latency", "1s",
      "bitnet.sla.max-time-to-first-token", "200ms",
      "bitnet.sla.min-tokens-per-second", "10",
      "bitnet.sla.window", "60s")::get).config();
  private final SlaTracker sla = new SlaTracker(config, clock);
  private final SdkTracerProvider tracers = TestTelemetry.tracerProvider(clock, List.of(sla));
  private final Tracer tracer = tracers.get("io.bitnet.runtime");
  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build();
  private final SlaMetrics metrics = SlaMetrics.register(meters.get("io.bitnet.agent"), sla);

  @AfterEach
  void tearDown() {
    metrics.close();
    meters.close();
    tracers.close();
  }

  /**
   * One request starting now: first token after {@code firstTokenMs} (none when negative), ending
   * after {@code endMs} (the clock moves there), with {@code outputTokens} (none when negative) and a
   * finish reason.
   */
  private void request(long firstTokenMs, long endMs, long outputTokens, String finishReason, boolean errorStatus) {
    long start = clock.now();
    Span span = tracer.spanBuilder("text_completion bitnet-test").setStartTimestamp(start, TimeUnit.NANOSECONDS).startSpan();
    if (firstTokenMs >= 0) {
      span.addEvent(ConsumedSpans.FIRST_TOKEN_EVENT, Attributes.empty(),
          start + TimeUnit.MILLISECONDS.toNanos(firstTokenMs), TimeUnit.NANOSECONDS);
    }
    if (outputTokens >= 0) {
      span.setAttribute(ConsumedSpans.OUTPUT_TOKENS, outputTokens);
    }
    span.setAttribute(ConsumedSpans.FINISH_REASONS, List.of(finishReason));
    if (errorStatus) {
      span.setStatus(StatusCode.ERROR, "generation failed");
    }
    clock.advance(Duration.ofMillis(endMs));
    span.end(start + TimeUnit.MILLISECONDS.toNanos(endMs), TimeUnit.NANOSECONDS);
  }

  private void elevenRequests() {
    request(100, 900, 10, "stop", false);     // compliant: 9 tokens in 0.8 s = 11.25/s
    request(-1, 1000, -1, "stop", false);     // compliant: latency exactly at the threshold
    request(-1, 1500, -1, "stop", false);     // latency warning
    request(-1, 2500, -1, "length", false);   // latency critical (beyond 2 s)
    request(300, 800, 1, "stop", false);      // TTFT warning; one token: no throughput check
    request(500, 900, 1, "stop", false);      // TTFT critical (beyond 400 ms)
    request(100, 1000, 8, "stop", false);     // throughput warning: 7 tokens in 0.9 s = 7.8/s
    request(100, 1000, 4, "stop", false);     // throughput critical: 3 tokens in 0.9 s = 3.3/s, below 5
    request(-1, 100, 0, "error", true);       // error (status)
    request(-1, 100, 0, "error", false);      // error (finish reason only)
    request(150, 600, 6, "cancelled", false); // compliant: 5 tokens in 0.45 s
    tracer.spanBuilder("bitnet.decode").setStartTimestamp(clock.now(), TimeUnit.NANOSECONDS).startSpan()
        .end(clock.now() + TimeUnit.SECONDS.toNanos(30), TimeUnit.NANOSECONDS); // not a request: ignored
  }

  @Test
  void countsViolationsBySeverityAndTheComplianceRatio() {
    elevenRequests();
    assertEquals(1, sla.violations(ViolationType.LATENCY, Severity.WARNING));
    assertEquals(1, sla.violations(ViolationType.LATENCY, Severity.CRITICAL));
    assertEquals(1, sla.violations(ViolationType.TIME_TO_FIRST_TOKEN, Severity.WARNING));
    assertEquals(1, sla.violations(ViolationType.TIME_TO_FIRST_TOKEN, Severity.CRITICAL));
    assertEquals(1, sla.violations(ViolationType.THROUGHPUT, Severity.WARNING));
    assertEquals(1, sla.violations(ViolationType.THROUGHPUT, Severity.CRITICAL));
    assertEquals(0, sla.violations(ViolationType.ERROR, Severity.WARNING));
    assertEquals(2, sla.violations(ViolationType.ERROR, Severity.CRITICAL));
    assertEquals(11, sla.requestsInWindow());
    assertEquals(3.0 / 11, sla.complianceRatio(), 1e-12);
  }

  @Test
  void oneRequestCanBreakSeveralThresholdsButCountsOnceInTheRatio() {
    request(900, 3000, 3, "stop", false); // latency critical, TTFT critical, 2 tokens in 2.1 s: throughput critical
    assertEquals(1, sla.violations(ViolationType.LATENCY, Severity.CRITICAL));
    assertEquals(1, sla.violations(ViolationType.TIME_TO_FIRST_TOKEN, Severity.CRITICAL));
    assertEquals(1, sla.violations(ViolationType.THROUGHPUT, Severity.CRITICAL));
    assertEquals(1, sla.requestsInWindow());
    assertEquals(0.0, sla.complianceRatio());
  }

  @Test
  void theRatioCoversOnlyTheWindow() {
    assertEquals(1.0, sla.complianceRatio()); // no requests yet
    request(-1, 2500, -1, "stop", false);
    assertEquals(0.0, sla.complianceRatio());
    clock.advance(Duration.ofSeconds(30));
    request(-1, 100, -1, "stop", false);
    assertEquals(0.5, sla.complianceRatio());
    clock.advance(Duration.ofSeconds(31)); // the first request ended more than 60 s ago
    assertEquals(1, sla.requestsInWindow());
    assertEquals(1.0, sla.complianceRatio());
    clock.advance(Duration.ofSeconds(60));
    assertEquals(0, sla.requestsInWindow());
    assertEquals(1.0, sla.complianceRatio());
    assertEquals(1, sla.violations(ViolationType.LATENCY, Severity.CRITICAL)); // counters never reset
  }

  @Test
  void exportsEveryTypeAndSeverityAndTheRatio() {
    elevenRequests();
    Collection<MetricData> all = reader.collectAllMetrics();
    MetricData violations = TestTelemetry.require(all, "bitnet.sla.violations");
    assertEquals("{violation}", violations.getUnit());
    assertEquals(true, violations.getLongSumData().isMonotonic());
    var points = violations.getLongSumData().getPoints();
    assertEquals(8, points.size());
    assertEquals(2, TestTelemetry.longValue(points,
        Attributes.of(SlaMetrics.VIOLATION_TYPE, "error", SlaMetrics.SEVERITY, "critical")));
    assertEquals(0, TestTelemetry.longValue(points,
        Attributes.of(SlaMetrics.VIOLATION_TYPE, "error", SlaMetrics.SEVERITY, "warning")));
    assertEquals(1, TestTelemetry.longValue(points,
        Attributes.of(SlaMetrics.VIOLATION_TYPE, "time_to_first_token", SlaMetrics.SEVERITY, "warning")));
    MetricData compliance = TestTelemetry.require(all, "bitnet.sla.compliance.ratio");
    assertEquals("1", compliance.getUnit());
    assertEquals(3.0 / 11, compliance.getDoubleGaugeData().getPoints().iterator().next().getValue(), 1e-12);
  }
}
