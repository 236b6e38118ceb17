package io.bitnet.agent.health;

import io.bitnet.agent.telemetry.ConsumedSpans;
import io.bitnet.agent.telemetry.EndedSpanProcessor;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code quantization_engine}, from ended {@code quantization_*} kernel spans: UP while the latest
 * kernel call succeeded (and before any call), DOWN when it failed. Reports the kernel backend the
 * spans name, with a note when it is the pure-Java fallback.
 */
public final class QuantizationEngineHealth implements HealthCheck, EndedSpanProcessor {

  public static final String NAME = "quantization_engine";

  private final LongAdder calls = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private volatile String backend;
  private volatile String lastError; // null while the latest call succeeded

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String subsystem() {
    return "kernels";
  }

  @Override
  public void onEnd(ReadableSpan span) {
    if (!span.getName().startsWith(ConsumedSpans.KERNEL_PREFIX)) {
      return;
    }
    calls.increment();
    String b = span.getAttribute(ConsumedSpans.KERNEL_BACKEND);
    if (b != null && !b.equals(backend)) {
      backend = b;
    }
    SpanData data = span.toSpanData();
    if (data.getStatus().getStatusCode() == StatusCode.ERROR) {
      failures.increment();
      lastError = span.getName() + ": " + ModelManagerHealth.describeError(data);
    } else if (lastError != null) {
      lastError = null;
    }
  }

  @Override
  public ComponentHealth check() {
    Map<String, Object> data = new LinkedHashMap<>();
    long n = calls.sum();
    if (n == 0) {
      data.put("note", "no kernel calls yet");
      return ComponentHealth.up(NAME, data);
    }
    String b = backend;
    String error = lastError;
    data.put("calls", n);
    data.put("failures", failures.sum());
    data.put("backend", b == null ? "unknown" : b);
    if (ConsumedSpans.JAVA_BACKEND.equals(b)) {
      data.put("note", "JAVA backend: pure-Java fallback, the native kernels are not in use");
    }
    if (error != null) {
      data.put("last_error", error);
      return ComponentHealth.down(NAME, data);
    }
    return ComponentHealth.up(NAME, data);
  }
}
