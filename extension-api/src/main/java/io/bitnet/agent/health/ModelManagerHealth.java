package io.bitnet.agent.health;

import io.bitnet.agent.telemetry.BitNetAttributes;
import io.bitnet.agent.telemetry.ConsumedSpans;
import io.bitnet.agent.telemetry.EndedSpanProcessor;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code model_manager}, from ended {@code bitnet.model.load} spans: UP once a load succeeded, DOWN
 * before any, and DOWN with the error when the latest load failed. Also answers the startup probe: a
 * model has loaded at least once.
 */
public final class ModelManagerHealth implements HealthCheck, EndedSpanProcessor {

  public static final String NAME = "model_manager";

  /** A successful load. */
  private record Loaded(String modelId, Long tensorCount, Long bytes, double loadSeconds) {}

  /** The latest successful load (or null), and the error of the latest load when it failed. */
  private record State(Loaded lastLoaded, String failedModel, String error) {}

  private volatile State state = new State(null, null, null);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String subsystem() {
    return "model";
  }

  @Override
  public void onEnd(ReadableSpan span) {
    if (!ConsumedSpans.MODEL_LOAD.equals(span.getName())) {
      return;
    }
    SpanData data = span.toSpanData();
    String modelId = span.getAttribute(BitNetAttributes.MODEL_ID_SPAN);
    synchronized (this) {
      State previous = state;
      if (data.getStatus().getStatusCode() == StatusCode.ERROR) {
        state = new State(previous.lastLoaded(), modelId, describeError(data));
      } else {
        state = new State(new Loaded(modelId, span.getAttribute(BitNetAttributes.TENSOR_COUNT),
            span.getAttribute(BitNetAttributes.MODEL_BYTES), span.getLatencyNanos() / 1e9), null, null);
      }
    }
  }

  /** The status description, else the recorded exception, else a generic message. */
  static String describeError(SpanData data) {
    String description = data.getStatus().getDescription();
    if (description != null && !description.isEmpty()) {
      return description;
    }
    for (EventData event : data.getEvents()) {
      if (ConsumedSpans.EXCEPTION_EVENT.equals(event.getName())) {
        String type = event.getAttributes().get(ConsumedSpans.EXCEPTION_TYPE);
        String message = event.getAttributes().get(ConsumedSpans.EXCEPTION_MESSAGE);
        return message == null ? String.valueOf(type) : type + ": " + message;
      }
    }
    return "model load failed";
  }

  @Override
  public ComponentHealth check() {
    State s = state;
    Map<String, Object> data = new LinkedHashMap<>();
    if (s.error() != null) {
      data.put("model_id", s.failedModel() == null ? "unknown" : s.failedModel());
      data.put("error", s.error());
      if (s.lastLoaded() != null) {
        data.put("last_loaded_model_id", String.valueOf(s.lastLoaded().modelId()));
      }
      return ComponentHealth.down(NAME, data);
    }
    if (s.lastLoaded() == null) {
      data.put("reason", "no model loaded");
      return ComponentHealth.down(NAME, data);
    }
    Loaded l = s.lastLoaded();
    data.put("model_id", l.modelId() == null ? "unknown" : l.modelId());
    if (l.tensorCount() != null) {
      data.put("tensor_count", l.tensorCount());
    }
    if (l.bytes() != null) {
      data.put("bytes", l.bytes());
    }
    data.put("load_seconds", l.loadSeconds());
    return ComponentHealth.up(NAME, data);
  }

  /** The startup probe's check: UP once any model has loaded, even if a later load failed. */
  public ComponentHealth startedCheck() {
    Loaded l = state.lastLoaded();
    Map<String, Object> data = new LinkedHashMap<>();
    if (l == null) {
      data.put("reason", "no model loaded yet");
      return ComponentHealth.down(NAME, data);
    }
    data.put("model_id", l.modelId() == null ? "unknown" : l.modelId());
    return ComponentHealth.up(NAME, data);
  }
}
