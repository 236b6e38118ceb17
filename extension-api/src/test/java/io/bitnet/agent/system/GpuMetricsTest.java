package io.bitnet.agent.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.bitnet.agent.health.ComponentHealth;
import io.bitnet.agent.health.DeviceMonitorHealth;
import io.bitnet.agent.testing.FakeGpus;
import io.bitnet.agent.testing.TestTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GpuMetricsTest {

  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build();

  @AfterEach
  void tearDown() {
    meters.close();
  }

  @Test
  void withoutAnNvidiaDriverThereAreNoGpuSeriesAndHealthSaysSo() {
    assumeFalse(Nvml.available() && !Nvml.deviceNames().isEmpty(), "this machine has an NVIDIA GPU");
    GpuSource nvml = Nvml.source();
    assertNotNull(nvml.unavailableReason());
    assertNull(GpuMetrics.register(meters.get("io.bitnet.agent"), nvml));
    Collection<MetricData> all = reader.collectAllMetrics();
    assertFalse(all.stream().anyMatch(m -> m.getName().startsWith("bitnet.gpu")), all.toString());
    assertEquals(Double.NaN, nvml.utilization(0));
    assertNull(nvml.memory(0));

    ComponentHealth device = new DeviceMonitorHealth(new Host(), nvml).check();
    assertEquals("no NVIDIA GPU", device.data().get("gpu"));
    assertEquals("none", Nvml.describeGpus());
  }

  @Test
  void reportsUtilizationAndMemoryPerDevice() {
    GpuSource.MemoryInfo h100 = new GpuSource.MemoryInfo(80L << 30, 512L << 20, 60L << 30, (20L << 30) - (512L << 20));
    FakeGpus gpus = new FakeGpus(List.of("NVIDIA H100", "NVIDIA H200"), Arrays.asList(37, null),
        Arrays.asList(h100, null));
    GpuMetrics metrics = GpuMetrics.register(meters.get("io.bitnet.agent"), gpus);
    assertNotNull(metrics);
    Collection<MetricData> all = reader.collectAllMetrics();

    MetricData utilization = TestTelemetry.require(all, "bitnet.gpu.utilization.ratio");
    assertEquals("1", utilization.getUnit());
    assertEquals(1, utilization.getDoubleGaugeData().getPoints().size()); // the second device is unreadable
    assertEquals(0.37, TestTelemetry.doubleValue(utilization.getDoubleGaugeData().getPoints(),
        Attributes.of(GpuMetrics.DEVICE_ID, "0", GpuMetrics.DEVICE_NAME, "NVIDIA H100")), 1e-12);

    MetricData memory = TestTelemetry.require(all, "bitnet.gpu.memory.usage");
    assertEquals("By", memory.getUnit());
    var points = memory.getLongGaugeData().getPoints();
    assertEquals(4, points.size());
    assertEquals((20L << 30) - (512L << 20), memory(points, "0", "used"));
    assertEquals(512L << 20, memory(points, "0", "reserved"));
    assertEquals(60L << 30, memory(points, "0", "free"));
    assertEquals(80L << 30, memory(points, "0", "total"));

    metrics.close();
    assertFalse(reader.collectAllMetrics().stream().anyMatch(m -> m.getName().startsWith("bitnet.gpu")));
  }

  @Test
  void aDriverThatCountsReservedMemoryInUsedReportsNoReservedSeries() {
    GpuSource.MemoryInfo old = new GpuSource.MemoryInfo(16L << 30, GpuSource.MemoryInfo.UNKNOWN, 10L << 30, 6L << 30);
    GpuMetrics.register(meters.get("io.bitnet.agent"), new FakeGpus(List.of("Tesla T4"), List.of(5), List.of(old)));
    var points = TestTelemetry.require(reader.collectAllMetrics(), "bitnet.gpu.memory.usage").getLongGaugeData().getPoints();
    assertEquals(3, points.size(), points.toString());
    assertEquals(6L << 30, memory(points, "0", "used"));
    assertFalse(points.stream().anyMatch(p -> "reserved".equals(p.getAttributes().get(GpuMetrics.MEMORY_TYPE))));
  }

  private static long memory(Collection<LongPointData> points, String device, String type) {
    return TestTelemetry.longValue(points, Attributes.of(GpuMetrics.DEVICE_ID, device, GpuMetrics.MEMORY_TYPE, type));
  }
}
