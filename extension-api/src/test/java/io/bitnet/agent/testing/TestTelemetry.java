package io.bitnet.agent.testing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Real SDK pieces for tests: a tracer on a test clock feeding given processors, and metric lookups. */
public final class TestTelemetry {

  private TestTelemetry() {}

  /** A tracer provider on the clock that sends every span to the processors. */
  public static SdkTracerProvider tracerProvider(TestClock clock, List<SpanProcessor> processors) {
    var builder = SdkTracerProvider.builder().setClock(clock);
    processors.forEach(builder::addSpanProcessor);
    return builder.build();
  }

  public static Optional<MetricData> metric(Collection<MetricData> metrics, String name) {
    return metrics.stream().filter(m -> m.getName().equals(name)).findFirst();
  }

  public static MetricData require(Collection<MetricData> metrics, String name) {
    return metric(metrics, name).orElseThrow(() -> new AssertionError("no metric " + name + " in "
        + metrics.stream().map(MetricData::getName).toList()));
  }

  /** The point with exactly these attributes. */
  public static <P extends PointData> P point(Collection<P> points, Attributes attributes) {
    return points.stream().filter(p -> p.getAttributes().equals(attributes)).findFirst()
        .orElseThrow(() -> new AssertionError("no point " + attributes + " in "
            + points.stream().map(PointData::getAttributes).toList()));
  }

  public static long longValue(Collection<LongPointData> points, Attributes attributes) {
    return point(points, attributes).getValue();
  }

  public static double doubleValue(Collection<DoublePointData> points, Attributes attributes) {
    return point(points, attributes).getValue();
  }
}
