package io.bitnet.agent.health;

import io.bitnet.agent.telemetry.BitNetAttributes;
import io.bitnet.agent.telemetry.ConsumedSpans;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code inference_engine}, from the {@code text_completion} spans in flight (started, not yet ended):
 * DOWN, which fails liveness, when one has run longer than the stall timeout. At most {@code capacity}
 * spans are tracked; the rest are counted as overflow and not watched.
 */
public final class InferenceEngineHealth implements HealthCheck, SpanProcessor {

  public static final String NAME = "inference_engine";
  public static final int DEFAULT_CAPACITY = 10_000;

  private final long stallNanos;
  private final int capacity;
  private final Set<ReadableSpan> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicInteger tracked = new AtomicInteger();
  private final LongAdder overflow = new LongAdder();

  public InferenceEngineHealth(Duration stallTimeout, int capacity) {
    this.stallNanos = stallTimeout.toNanos();
    this.capacity = capacity;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String subsystem() {
    return "engine";
  }

  @Override
  public boolean isStartRequired() {
    return true;
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    if (!span.getName().startsWith(ConsumedSpans.INFERENCE_PREFIX)) {
      return;
    }
    if (tracked.incrementAndGet() > capacity) {
      tracked.decrementAndGet();
      overflow.increment();
      return;
    }
    inFlight.add(span);
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    if (span.getName().startsWith(ConsumedSpans.INFERENCE_PREFIX) && inFlight.remove(span)) {
      tracked.decrementAndGet();
    }
  }

  @Override
  public ComponentHealth check() {
    long oldest = 0;
    ReadableSpan oldestSpan = null;
    int count = 0;
    for (ReadableSpan span : inFlight) {
      count++;
      long age = span.getLatencyNanos(); // now minus start, on the span's own clock, while running
      if (oldestSpan == null || age > oldest) {
        oldest = age;
        oldestSpan = span;
      }
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("in_flight", count);
    data.put("oldest_age_seconds", oldest / 1e9);
    data.put("stall_timeout_seconds", stallNanos / 1e9);
    long overflowed = overflow.sum();
    if (overflowed > 0) {
      data.put("untracked_overflow", overflowed);
    }
    if (oldestSpan != null && oldest > stallNanos) {
      String requestId = oldestSpan.getAttribute(BitNetAttributes.REQUEST_ID);
      data.put("stalled_request_id", requestId == null ? "unknown" : requestId);
      return ComponentHealth.down(NAME, data);
    }
    return ComponentHealth.up(NAME, data);
  }
}
