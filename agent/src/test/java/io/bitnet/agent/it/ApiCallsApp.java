package io.bitnet.agent.it;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.annotations.WithSpan;

/**
 * An application that makes spans of its own, for child-JVM tests: {@code manual-span} through the
 * OpenTelemetry API, and inside it {@code annotated-span} from a {@code @WithSpan} method. Without the
 * agent's API bridge both are no-ops. Prints "done", then stays up until its stdin closes.
 */
public final class ApiCallsApp {

  @SuppressWarnings("try") // the scope is closed for its effect
  public static void main(String[] args) throws Exception {
    Span span = GlobalOpenTelemetry.getTracer("api-calls-app").spanBuilder("manual-span").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      new ApiCallsApp().annotated();
    } finally {
      span.end();
    }
    System.out.println("done");
    System.out.flush();
    while (System.in.read() >= 0) {
      // wait for the test to read the spans
    }
  }

  @WithSpan("annotated-span")
  void annotated() {}
}
