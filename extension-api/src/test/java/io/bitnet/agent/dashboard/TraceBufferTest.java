package io.bitnet.agent.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet.agent.telemetry.EndedSpanProcessor;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // scopes are closed for their effect
class TraceBufferTest {

  /** A request trace: an HTTP root, the inference span, and {@code children} spans under it. */
  private static String request(Tracer tracer, int children) {
    Span root = tracer.spanBuilder("POST /v1/completions").startSpan();
    try (Scope ignored = root.makeCurrent()) {
      Span inference = tracer.spanBuilder("text_completion tiny").setAttribute("gen_ai.operation.name", "text_completion")
          .startSpan();
      try (Scope alsoIgnored = inference.makeCurrent()) {
        for (int i = 0; i < children; i++) {
          tracer.spanBuilder("bitnet.decode").startSpan().end();
        }
      }
      inference.end();
    }
    root.end();
    return root.getSpanContext().getTraceId();
  }

  @Test
  void keepsTheLastInferenceTracesNewestFirstAndNothingElse() {
    TraceBuffer buffer = new TraceBuffer(3);
    try (SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(buffer).build()) {
      Tracer tracer = provider.get("test");
      tracer.spanBuilder("GET /health").startSpan().end(); // no inference: not kept
      Span load = tracer.spanBuilder("bitnet.model.load").startSpan();
      try (Scope ignored = load.makeCurrent()) {
        tracer.spanBuilder("quantization_quantize").startSpan().end();
      }
      load.end();
      String first = request(tracer, 2);
      String second = request(tracer, 2);
      String third = request(tracer, 2);
      String fourth = request(tracer, 2);
      List<TraceBuffer.Trace> traces = buffer.traces();
      assertEquals(List.of(fourth, third, second), traces.stream().map(TraceBuffer.Trace::traceId).toList());
      assertTrue(buffer.trace(first).isEmpty(), "the oldest left the buffer");
      TraceBuffer.Trace t = buffer.trace(fourth).orElseThrow();
      assertEquals(4, t.spans().size());
      assertEquals("POST /v1/completions", t.root().getName());
      assertEquals("text_completion tiny", t.inference().orElseThrow().getName());
    }
  }

  @Test
  void capsTheSpansOfOneTraceAndCountsTheRest() {
    TraceBuffer buffer = new TraceBuffer(2);
    try (SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(buffer).build()) {
      String id = request(provider.get("test"), TraceBuffer.MAX_SPANS_PER_TRACE + 100);
      TraceBuffer.Trace t = buffer.trace(id).orElseThrow();
      assertEquals(TraceBuffer.MAX_SPANS_PER_TRACE + 1, t.spans().size(), "the cap, plus the root always");
      assertEquals(101, t.droppedSpans());
      assertEquals("POST /v1/completions", t.root().getName());
    }
  }

  /** {@code span}, counting its copies ({@code toSpanData}) in {@code copies}. */
  private static ReadableSpan counted(ReadableSpan span, AtomicInteger copies) {
    return (ReadableSpan) Proxy.newProxyInstance(ReadableSpan.class.getClassLoader(), new Class<?>[] {ReadableSpan.class},
        (proxy, method, args) -> {
          if (method.getName().equals("toSpanData")) {
            copies.incrementAndGet();
          }
          try {
            return method.invoke(span, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Test
  void copiesATraceOnlyWhenFirstReadAndOnlyOnce() {
    TraceBuffer buffer = new TraceBuffer(2);
    AtomicInteger copies = new AtomicInteger();
    EndedSpanProcessor counting = span -> buffer.onEnd(counted(span, copies));
    try (SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(counting).build()) {
      String id = request(provider.get("test"), 1);
      assertEquals(0, copies.get(), "nothing is copied when the request ends");
      TraceBuffer.Trace first = buffer.trace(id).orElseThrow();
      assertEquals(3, copies.get(), "the trace's three spans, copied on the first read");
      assertSame(first, buffer.traces().get(0));
      assertEquals(3, copies.get(), "and not again");
      SpanData inference = first.inference().orElseThrow();
      assertTrue(inference.hasEnded());
      assertEquals("text_completion", inference.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name")));
      assertEquals(inference.getSpanId(), first.spans().get(0).getParentSpanId(), "the child kept its parent");
    }
  }
}
