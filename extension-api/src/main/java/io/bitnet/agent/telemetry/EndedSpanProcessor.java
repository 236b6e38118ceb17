package io.bitnet.agent.telemetry;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/** A span processor that only looks at ended spans: the SDK skips it at span start. */
public interface EndedSpanProcessor extends SpanProcessor {

  @Override
  default boolean isStartRequired() {
    return false;
  }

  @Override
  default void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  default boolean isEndRequired() {
    return true;
  }
}
