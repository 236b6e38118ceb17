package io.bitnet.agent.sla;

import io.bitnet.agent.config.BitNetConfig;
import io.bitnet.agent.telemetry.ConsumedSpans;
import io.bitnet.agent.telemetry.EndedSpanProcessor;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Checks every ended {@code text_completion} span against the SLA: latency (span duration), time to
 * first token (the {@code gen_ai.first_token} event), decode throughput ({@code (output_tokens - 1)}
 * over the time from the first token to the end) and errors. Counts violations by type and severity
 * (critical beyond twice a threshold, or below half the throughput; errors are critical), and keeps
 * the compliance ratio over the window.
 */
public final class SlaTracker implements EndedSpanProcessor {

  /** The {@code violation_type} label values. */
  public enum ViolationType {
    LATENCY("latency"),
    TIME_TO_FIRST_TOKEN("time_to_first_token"),
    THROUGHPUT("throughput"),
    ERROR("error");

    private final String label;

    ViolationType(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** The {@code severity} label values. */
  public enum Severity {
    WARNING("warning"),
    CRITICAL("critical");

    private final String label;

    Severity(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final long maxLatencyNanos;
  private final long maxTtftNanos;
  private final double minTokensPerSecond;
  private final Clock clock;
  private final ComplianceWindow window;
  private final LongAdder[] violations = new LongAdder[ViolationType.values().length * Severity.values().length];

  public SlaTracker(BitNetConfig config, Clock clock) {
    this.maxLatencyNanos = config.slaMaxLatency().toNanos();
    this.maxTtftNanos = config.slaMaxTimeToFirstToken().toNanos();
    this.minTokensPerSecond = config.slaMinTokensPerSecond();
    this.clock = clock;
    this.window = new ComplianceWindow(config.slaWindow());
    for (int i = 0; i < violations.length; i++) {
      violations[i] = new LongAdder();
    }
  }

  @Override
  public void onEnd(ReadableSpan span) {
    if (span.getName().startsWith(ConsumedSpans.INFERENCE_PREFIX)) {
      evaluate(span.toSpanData(), clock.now());
    }
  }

  /**
   * Checks one request and counts it in the window at {@code nowEpochNanos} (the tracker's clock, the
   * same one the ratio is read with); returns whether it met every threshold.
   */
  boolean evaluate(SpanData span, long nowEpochNanos) {
    long start = span.getStartEpochNanos();
    long end = span.getEndEpochNanos();
    boolean ok = true;

    long latency = end - start;
    if (latency > maxLatencyNanos) {
      violation(ViolationType.LATENCY, latency > 2 * maxLatencyNanos);
      ok = false;
    }

    long firstToken = firstTokenNanos(span);
    if (firstToken >= 0) {
      long ttft = firstToken - start;
      if (ttft > maxTtftNanos) {
        violation(ViolationType.TIME_TO_FIRST_TOKEN, ttft > 2 * maxTtftNanos);
        ok = false;
      }
      Long outputTokens = span.getAttributes().get(ConsumedSpans.OUTPUT_TOKENS);
      long decodeNanos = end - firstToken;
      if (outputTokens != null && outputTokens > 1 && decodeNanos > 0 && minTokensPerSecond > 0) {
        double tokensPerSecond = (outputTokens - 1) * 1e9 / decodeNanos;
        if (tokensPerSecond < minTokensPerSecond) {
          violation(ViolationType.THROUGHPUT, tokensPerSecond < minTokensPerSecond / 2);
          ok = false;
        }
      }
    }

    if (failed(span)) {
      violation(ViolationType.ERROR, true);
      ok = false;
    }
    window.record(nowEpochNanos, ok);
    return ok;
  }

  private static long firstTokenNanos(SpanData span) {
    for (EventData event : span.getEvents()) {
      if (ConsumedSpans.FIRST_TOKEN_EVENT.equals(event.getName())) {
        return event.getEpochNanos();
      }
    }
    return -1;
  }

  private static boolean failed(SpanData span) {
    if (span.getStatus().getStatusCode() == StatusCode.ERROR) {
      return true;
    }
    List<String> reasons = span.getAttributes().get(ConsumedSpans.FINISH_REASONS);
    return reasons != null && reasons.contains(ConsumedSpans.FINISH_ERROR);
  }

  private void violation(ViolationType type, boolean critical) {
    violations[index(type, critical ? Severity.CRITICAL : Severity.WARNING)].increment();
  }

  private static int index(ViolationType type, Severity severity) {
    return type.ordinal() * Severity.values().length + severity.ordinal();
  }

  /** Violations counted so far. */
  public long violations(ViolationType type, Severity severity) {
    return violations[index(type, severity)].sum();
  }

  /** Compliant share of the requests that ended within the window; 1.0 when none did. */
  public double complianceRatio() {
    return window.ratio(clock.now());
  }

  /** Requests that ended within the window. */
  public long requestsInWindow() {
    return window.counts(clock.now())[0];
  }
}
