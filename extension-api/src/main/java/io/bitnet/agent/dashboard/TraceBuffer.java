package io.bitnet.agent.dashboard;

import io.bitnet.agent.telemetry.ConsumedSpans;
import io.bitnet.agent.telemetry.EndedSpanProcessor;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The last inference traces for the dashboard, kept in memory: spans are gathered per trace as they
 * end, and a trace is kept once its local root ends, if it holds an inference span
 * ({@code gen_ai.operation.name}). Bounded three ways: finished traces, traces in progress (the oldest
 * is dropped) and spans per trace (the rest counted as dropped). Holds what the spans hold: prompt and
 * completion text only when content capture is on.
 *
 * <p>A kept trace holds its ended spans as they are and copies them ({@code toSpanData}) only when the
 * dashboard first reads it: most traces are pushed out unread, and the copy was the largest part of
 * this processor's cost on every request.
 */
public final class TraceBuffer implements EndedSpanProcessor {

  static final int MAX_SPANS_PER_TRACE = 256;
  static final int MAX_TRACES_IN_PROGRESS = 128;

  /** A finished trace. */
  public record Trace(String traceId, List<SpanData> spans, int droppedSpans) {

    /** The inference span (the first with gen_ai.operation.name), if any. */
    public Optional<SpanData> inference() {
      return spans.stream().filter(s -> s.getAttributes().get(ConsumedSpans.OPERATION_NAME) != null).findFirst();
    }

    /** The local root: the span without a local parent in this trace, the last to end. */
    public SpanData root() {
      return spans.get(spans.size() - 1);
    }
  }

  /** A trace whose local root has not ended: its ended spans, not yet copied. */
  private static final class Pending {
    final List<ReadableSpan> spans = new ArrayList<>();
    int dropped;
    boolean inference;
  }

  /** A kept trace: its ended spans, copied into a {@link Trace} on the first read. */
  private static final class Kept {
    final String traceId;
    final List<ReadableSpan> spans;
    final int dropped;
    private Trace copy; // guarded by this

    Kept(String traceId, List<ReadableSpan> spans, int dropped) {
      this.traceId = traceId;
      this.spans = spans;
      this.dropped = dropped;
    }

    synchronized Trace trace() {
      if (copy == null) {
        copy = new Trace(traceId, spans.stream().map(ReadableSpan::toSpanData).toList(), dropped);
      }
      return copy;
    }
  }

  private final int capacity;
  private final Map<String, Pending> inProgress = new LinkedHashMap<>(); // guarded by this
  private final Deque<Kept> finished = new ArrayDeque<>(); // guarded by this

  public TraceBuffer(int capacity) {
    this.capacity = capacity;
  }

  public int capacity() {
    return capacity;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    SpanContext parent = span.getParentSpanContext();
    boolean localRoot = !parent.isValid() || parent.isRemote();
    String traceId = span.getSpanContext().getTraceId();
    boolean inference = span.getAttribute(ConsumedSpans.OPERATION_NAME) != null;
    synchronized (this) {
      Pending p = inProgress.get(traceId);
      if (p == null) {
        if (localRoot && !inference) {
          return; // a trace of one span that is no inference: nothing to keep
        }
        if (inProgress.size() >= MAX_TRACES_IN_PROGRESS) {
          String oldest = inProgress.keySet().iterator().next();
          inProgress.remove(oldest);
        }
        p = new Pending();
        inProgress.put(traceId, p);
      }
      if (p.spans.size() < MAX_SPANS_PER_TRACE || localRoot) {
        p.spans.add(span); // an ended span does not change: copied only if its trace is kept
      } else {
        p.dropped++;
      }
      p.inference |= inference;
      if (!localRoot) {
        return;
      }
      inProgress.remove(traceId);
      if (!p.inference) {
        return; // the service's other traces cost a list entry per span, never a copy
      }
      finished.addLast(new Kept(traceId, p.spans, p.dropped));
      while (finished.size() > capacity) {
        finished.removeFirst();
      }
    }
  }

  /** Finished inference traces, newest first. */
  public List<Trace> traces() {
    List<Kept> kept;
    synchronized (this) {
      kept = new ArrayList<>(finished);
    }
    java.util.Collections.reverse(kept);
    return kept.stream().map(Kept::trace).toList(); // copied outside the lock the request threads take
  }

  public Optional<Trace> trace(String traceId) {
    Kept found;
    synchronized (this) {
      found = finished.stream().filter(k -> k.traceId.equals(traceId)).findFirst().orElse(null);
    }
    return Optional.ofNullable(found).map(Kept::trace);
  }
}
