package io.bitnet.agent.anomaly;

import io.bitnet.agent.telemetry.ConsumedSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.internal.ExtendedSpanProcessor;
import java.util.logging.Logger;

/**
 * Feeds each inference request (a span with {@code gen_ai.operation.name}) to the anomaly detection
 * while its span is ending and still writable, so that the request that crossed a threshold carries a
 * {@code bitnet.anomaly} event. Figures: latency and time to first token (ms), decode speed
 * (tokens/s after the first token) and the error ratio. Never throws into the SDK.
 *
 * <p>Uses the SDK's {@code ExtendedSpanProcessor} (the specification's OnEnding), internal to the SDK:
 * the agent pins its SDK version, and a missing class only leaves the detection off, with one warning.
 */
public final class RequestObserver implements ExtendedSpanProcessor {

  static final String EVENT = "bitnet.anomaly";
  /** The figures taken from each request. */
  static final java.util.List<String> METRICS = java.util.List.of("latency", "ttft", "tokens_per_second", "error_ratio");
  /** An error ratio must move by at least 5 points: its baseline is usually exactly 0. */
  static final double ERROR_RATIO_MIN_CHANGE = 0.05;

  private static final Logger LOG = Logger.getLogger(RequestObserver.class.getName());
  private static final AttributeKey<String> METRIC = AttributeKey.stringKey("bitnet.anomaly.metric");
  private static final AttributeKey<String> DIRECTION = AttributeKey.stringKey("bitnet.anomaly.direction");
  private static final AttributeKey<Double> Z_SCORE = AttributeKey.doubleKey("bitnet.anomaly.z_score");
  private static final AttributeKey<Double> VALUE = AttributeKey.doubleKey("bitnet.anomaly.value");
  private static final AttributeKey<Double> BASELINE = AttributeKey.doubleKey("bitnet.anomaly.baseline");

  private final AnomalyReporter reporter;
  private volatile boolean failureLogged;

  public RequestObserver(AnomalyReporter reporter) {
    this.reporter = reporter;
  }

  @Override
  public void onEnding(ReadWriteSpan span) {
    try {
      if (span.getAttribute(ConsumedSpans.OPERATION_NAME) == null) {
        return;
      }
      SpanData data = span.toSpanData();
      long now = System.currentTimeMillis();
      double latencyMs = span.getLatencyNanos() / 1e6;
      boolean error = data.getStatus().getStatusCode() == StatusCode.ERROR;
      observe(span, "error_ratio", error ? 1 : 0, ERROR_RATIO_MIN_CHANGE, now);
      if (error) {
        return; // a failed request's timings say nothing about speed
      }
      observe(span, "latency", latencyMs, 0, now);
      for (EventData e : data.getEvents()) {
        if (ConsumedSpans.FIRST_TOKEN_EVENT.equals(e.getName())) {
          double ttftMs = (e.getEpochNanos() - data.getStartEpochNanos()) / 1e6;
          observe(span, "ttft", ttftMs, 0, now);
          Long tokens = span.getAttribute(ConsumedSpans.OUTPUT_TOKENS);
          double decodeSeconds = (latencyMs - ttftMs) / 1000;
          if (tokens != null && tokens > 1 && decodeSeconds > 0) {
            observe(span, "tokens_per_second", (tokens - 1) / decodeSeconds, 0, now);
          }
          break;
        }
      }
      for (AnomalyEvent pending : reporter.takePending()) {
        addEvent(span, pending);
      }
    } catch (RuntimeException | LinkageError e) {
      if (!failureLogged) {
        failureLogged = true;
        LOG.warning("bitnet-agent: anomaly detection skipped a request: " + e);
      }
    }
  }

  private void observe(ReadWriteSpan span, String metric, double value, double minChange, long now) {
    reporter.observeRequest(metric, value, minChange, now).ifPresent(e -> addEvent(span, e));
  }

  private static void addEvent(ReadWriteSpan span, AnomalyEvent e) {
    span.addEvent(EVENT, Attributes.of(METRIC, e.metric(), DIRECTION, e.direction(), Z_SCORE, e.zScore(),
        VALUE, e.value(), BASELINE, e.baseline()));
  }

  @Override
  public boolean isOnEndingRequired() {
    return true;
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  public boolean isStartRequired() {
    return false;
  }

  @Override
  public void onEnd(ReadableSpan span) {}

  @Override
  public boolean isEndRequired() {
    return false;
  }
}
