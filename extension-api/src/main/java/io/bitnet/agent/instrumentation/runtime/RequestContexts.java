package io.bitnet.agent.instrumentation.runtime;

import io.bitnet.agent.instrumentation.AdviceErrors;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.api.internal.cache.Cache;
import java.util.List;

/**
 * Carries a request's trace context from the thread that called generate to the engine's worker.
 * The context is remembered per queued request object (weakly: nothing outlives the request), and the
 * worker makes the first request's context current while it runs that batch, so kernel spans made on
 * the worker join that request's trace.
 */
public final class RequestContexts {

  private static final Cache<Object, Context> CONTEXTS = Cache.weak();

  private RequestContexts() {}

  /** On the caller's thread, when the engine queues a request. */
  public static void capture(Object queuedRequest) {
    try {
      Context current = Context.current();
      if (queuedRequest != null && Span.fromContext(current).getSpanContext().isValid()) {
        CONTEXTS.put(queuedRequest, current);
      }
    } catch (RuntimeException e) {
      AdviceErrors.report("RequestContexts", e);
    }
  }

  /** On the worker, when a batch starts: the scope to close when it ends, or null. */
  public static Scope enterBatch(List<?> batch) {
    try {
      if (batch == null || batch.isEmpty()) {
        return null;
      }
      Context context = CONTEXTS.get(batch.get(0));
      return context == null ? null : context.makeCurrent();
    } catch (RuntimeException e) {
      AdviceErrors.report("RequestContexts", e);
      return null;
    }
  }

  public static void exitBatch(Scope scope) {
    if (scope != null) {
      scope.close();
    }
  }
}
