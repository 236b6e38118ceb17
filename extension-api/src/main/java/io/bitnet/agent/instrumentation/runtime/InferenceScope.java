package io.bitnet.agent.instrumentation.runtime;

import io.bitnet.agent.instrumentation.AdviceErrors;
import io.bitnet.agent.telemetry.BitNetAttributes;
import io.bitnet.runtime.FinishReason;
import io.bitnet.runtime.GenerationRequest;
import io.bitnet.runtime.GenerationResult;
import io.bitnet.runtime.InferenceEngine;
import io.bitnet.runtime.RejectedRequestException;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.javaagent.bootstrap.CallDepth;
import java.util.concurrent.TimeUnit;

/**
 * One instrumented generate call: the {@code text_completion} span, made current for the call, then on
 * exit its prefill and decode children and first-token event (placed from the result's timings), and
 * the metrics. Never throws.
 */
public final class InferenceScope {

  private final InferenceCall call;
  private final RequestLabels labels;
  private final Context context;
  private final Scope scope;
  private final Attributes activeAttributes;
  private final long startNanos;
  private final long startEpochNanos;

  private InferenceScope(InferenceCall call, RequestLabels labels, Context context, Scope scope,
      Attributes activeAttributes, long startNanos, long startEpochNanos) {
    this.call = call;
    this.labels = labels;
    this.context = context;
    this.scope = scope;
    this.activeAttributes = activeAttributes;
    this.startNanos = startNanos;
    this.startEpochNanos = startEpochNanos;
  }

  /** Starts the span, or returns null for a nested generate call or a request that cannot be read. */
  public static InferenceScope start(InferenceEngine engine, GenerationRequest request) {
    if (CallDepth.forClass(InferenceEngine.class).getAndIncrement() > 0 || request == null || engine == null) {
      return null;
    }
    try {
      InferenceCall call = new InferenceCall(request, engine.model().id(), engine.model().config().format().label());
      RequestLabels labels = RuntimeSingletons.metrics().labels(call.modelId(), call.format());
      Attributes active = labels.active(request.priority());
      RuntimeSingletons.metrics().started(active);
      long startNanos = System.nanoTime();
      // the SDK's clock reads Instant.now() (microseconds), not currentTimeMillis: the child spans placed
      // from this start must line up with the spans the SDK timed itself
      java.time.Instant now = java.time.Instant.now();
      long startEpoch = now.getEpochSecond() * 1_000_000_000L + now.getNano();
      Context parent = Context.current();
      Context context = null;
      Scope scope = null;
      if (RuntimeSingletons.instrumenter().shouldStart(parent, call)) {
        context = RuntimeSingletons.instrumenter().start(parent, call);
        scope = context.makeCurrent();
      }
      return new InferenceScope(call, labels, context, scope, active, startNanos, startEpoch);
    } catch (RuntimeException e) {
      AdviceErrors.report("InferenceScope", e);
      return null;
    }
  }

  /** Ends the call; balanced with {@link #start} through the call depth even when start returned null. */
  public static void end(InferenceScope scope, GenerationResult result, Throwable error) {
    if (CallDepth.forClass(InferenceEngine.class).decrementAndGet() > 0 || scope == null) {
      return;
    }
    try {
      scope.finish(result, error);
    } catch (RuntimeException e) {
      AdviceErrors.report("InferenceScope", e);
    }
  }

  private void finish(GenerationResult result, Throwable error) {
    if (scope != null) {
      scope.close();
    }
    RuntimeSingletons.metrics().finished(activeAttributes);
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    String status = status(result, error);
    String errorType = error != null ? error.getClass().getName()
        : result != null && result.finishReason() == FinishReason.ERROR ? "engine_error" : null;
    RuntimeSingletons.metrics().record(labels, result, status, seconds, errorType);
    if (context == null) {
      return;
    }
    Span span = Span.fromContext(context);
    if (result != null) {
      childSpans(span, result);
      if (result.finishReason() == FinishReason.ERROR) {
        span.setStatus(StatusCode.ERROR, result.error().orElse("generation failed"));
      }
    }
    RuntimeSingletons.instrumenter().end(context, call, result, error);
  }

  /**
   * prefill and decode as children, and the first-token event, placed by the result's timings (all
   * from submission; {@code queued} already includes the batch formation). The engine prefills a
   * batch's requests one after another and records only each one's duration, so a prefill is placed at
   * its batch's start; every time is kept inside the request's span.
   */
  private void childSpans(Span parent, GenerationResult result) {
    GenerationResult.Timings t = result.timings();
    long end = startEpochNanos + t.total().toNanos();
    long prefillStart = Math.min(startEpochNanos + t.queued().toNanos(), end);
    long prefillEnd = Math.min(prefillStart + t.prefill().toNanos(), end);
    Context parentContext = context;
    if (t.prefill().toNanos() > 0) {
      RuntimeSingletons.tracer().spanBuilder("bitnet.prefill").setParent(parentContext)
          .setStartTimestamp(prefillStart, TimeUnit.NANOSECONDS)
          .setAttribute(BitNetAttributes.TOKEN_COUNT, (long) result.promptTokens())
          .startSpan().end(prefillEnd, TimeUnit.NANOSECONDS);
    }
    if (result.completionTokens() > 0) {
      long first = Math.min(startEpochNanos + t.timeToFirstToken().toNanos(), end);
      parent.addEvent(BitNetAttributes.FIRST_TOKEN_EVENT,
          Attributes.of(BitNetAttributes.TOKEN_COUNT, 1L), first, TimeUnit.NANOSECONDS);
      RuntimeSingletons.tracer().spanBuilder("bitnet.decode").setParent(parentContext)
          .setStartTimestamp(Math.min(Math.max(first, prefillEnd), end), TimeUnit.NANOSECONDS)
          .setAttribute(BitNetAttributes.TOKEN_COUNT, (long) result.completionTokens())
          .startSpan().end(end, TimeUnit.NANOSECONDS);
    }
  }

  private static String status(GenerationResult result, Throwable error) {
    if (error instanceof RejectedRequestException) {
      return "rejected";
    }
    if (error != null || result == null) {
      return "error";
    }
    // if/else, not a switch: a switch on an enum compiles to a synthetic class the helper loader lacks
    FinishReason reason = result.finishReason();
    if (reason == FinishReason.CANCELLED) {
      return "cancelled";
    }
    return reason == FinishReason.ERROR ? "error" : "ok";
  }
}
