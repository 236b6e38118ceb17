package io.bitnet.agent.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.bitnet.agent.system.Host;
import io.bitnet.agent.telemetry.BitNetAttributes;
import io.bitnet.agent.telemetry.ConsumedSpans;
import io.bitnet.agent.testing.FakeGpus;
import io.bitnet.agent.testing.TestTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.Collection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthMetricsTest {

  private final TestClock clock = TestClock.create();
  private final HealthRegistry health = new HealthRegistry(new InferenceEngineHealth(Duration.ofSeconds(60), 100),
      new MemoryManagerHealth(() -> new MemoryUsage(0, 10, 100, 100), new Host()),
      new DeviceMonitorHealth(new Host(), FakeGpus.none()));
  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build();
  private final SdkTracerProvider tracers = TestTelemetry.tracerProvider(clock, health.spanProcessors());
  private final HealthMetrics metrics = HealthMetrics.register(meters.get("io.bitnet.agent"), health);

  @AfterEach
  void tearDown() {
    metrics.close();
    meters.close();
    tracers.close();
  }

  private static Attributes component(String name, String subsystem) {
    return Attributes.of(HealthMetrics.COMPONENT, name, HealthMetrics.SUBSYSTEM, subsystem);
  }

  @Test
  void componentStatusFollowsTheSpans() {
    Collection<MetricData> before = reader.collectAllMetrics();
    MetricData status = TestTelemetry.require(before, "bitnet.component.health.status");
    assertEquals("", status.getUnit());
    var points = status.getLongGaugeData().getPoints();
    assertEquals(5, points.size());
    assertEquals(0, TestTelemetry.longValue(points, component("model_manager", "model")));
    assertEquals(1, TestTelemetry.longValue(points, component("device_monitor", "device")));
    assertEquals(1, TestTelemetry.longValue(points, component("quantization_engine", "kernels")));
    assertEquals(1, TestTelemetry.longValue(points, component("inference_engine", "engine")));
    assertEquals(1, TestTelemetry.longValue(points, component("memory_manager", "memory")));

    tracers.get("io.bitnet.runtime").spanBuilder(ConsumedSpans.MODEL_LOAD)
        .setAttribute(BitNetAttributes.MODEL_ID_SPAN, "m").startSpan().end();
    points = TestTelemetry.require(reader.collectAllMetrics(), "bitnet.component.health.status").getLongGaugeData().getPoints();
    assertEquals(1, TestTelemetry.longValue(points, component("model_manager", "model")));
  }

  @Test
  void probesCountFailuresPerComponentAndCheckTypeAndTimeThemselves() {
    assertEquals(503, metrics.evaluate(Probe.READY).httpStatus());
    assertEquals(503, metrics.evaluate(Probe.READY).httpStatus());
    assertEquals(503, metrics.evaluate(Probe.STARTED).httpStatus());
    assertEquals(200, metrics.evaluate(Probe.LIVE).httpStatus());

    Collection<MetricData> all = reader.collectAllMetrics();
    MetricData failures = TestTelemetry.require(all, "bitnet.health.check.failures");
    assertEquals("{failure}", failures.getUnit());
    assertEquals(2, failures.getLongSumData().getPoints().size());
    assertEquals(2, TestTelemetry.longValue(failures.getLongSumData().getPoints(),
        Attributes.of(HealthMetrics.COMPONENT, "model_manager", HealthMetrics.CHECK_TYPE, "ready")));
    assertEquals(1, TestTelemetry.longValue(failures.getLongSumData().getPoints(),
        Attributes.of(HealthMetrics.COMPONENT, "model_manager", HealthMetrics.CHECK_TYPE, "started")));

    MetricData duration = TestTelemetry.require(all, "bitnet.health.check.duration");
    assertEquals("s", duration.getUnit());
    HistogramPointData ready = TestTelemetry.point(duration.getHistogramData().getPoints(),
        Attributes.of(HealthMetrics.CHECK_TYPE, "ready"));
    assertEquals(2, ready.getCount());
    assertEquals(HealthMetrics.DURATION_BUCKETS, ready.getBoundaries());
    assertEquals(1, TestTelemetry.point(duration.getHistogramData().getPoints(),
        Attributes.of(HealthMetrics.CHECK_TYPE, "live")).getCount());
    assertFalse(duration.getHistogramData().getPoints().isEmpty());
  }
}
