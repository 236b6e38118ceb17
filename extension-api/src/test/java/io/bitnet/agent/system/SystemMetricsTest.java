package io.bitnet.agent.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet.agent.testing.TestTelemetry;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** CPU and memory from the real host through OSHI. */
class SystemMetricsTest {

  private final Host host = new Host();
  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build();
  private final SystemMetrics metrics = SystemMetrics.register(meters.get("io.bitnet.agent"), host);

  @AfterEach
  void tearDown() {
    metrics.close();
    meters.close();
  }

  @Test
  void reportsEveryCoreAsARatioAndTheMemoryInUse() {
    assertNotNull(host.processor(), host.unavailableReason());
    int cores = host.processor().getLogicalProcessorCount();
    for (int collection = 0; collection < 2; collection++) { // the first since boot, then between collections
      Collection<MetricData> all = reader.collectAllMetrics();
      MetricData cpu = TestTelemetry.require(all, "bitnet.cpu.utilization.ratio");
      assertEquals("1", cpu.getUnit());
      Collection<DoublePointData> points = cpu.getDoubleGaugeData().getPoints();
      Set<String> ids = points.stream().map(p -> p.getAttributes().get(SystemMetrics.CORE_ID)).collect(Collectors.toSet());
      assertEquals(IntStream.range(0, cores).mapToObj(Integer::toString).collect(Collectors.toSet()), ids);
      for (DoublePointData p : points) {
        assertTrue(p.getValue() >= 0 && p.getValue() <= 1, "core " + p.getAttributes() + ": " + p.getValue());
      }

      MetricData memory = TestTelemetry.require(all, "bitnet.system.memory.usage");
      assertEquals("By", memory.getUnit());
      LongPointData used = memory.getLongGaugeData().getPoints().iterator().next();
      assertTrue(used.getValue() > 0 && used.getValue() <= host.memory().getTotal(), "used " + used.getValue());
    }
  }

  @Test
  void busyRatioIsTheNonIdleShareOfTheTicks() {
    // user, nice, system, idle, iowait, irq, softirq, steal
    long[] before = {100, 0, 50, 800, 50, 0, 0, 0};
    long[] after = {130, 0, 60, 850, 60, 0, 0, 0};
    assertEquals(40.0 / 100, SystemMetrics.busyRatio(before, after), 1e-12);
    assertEquals(150.0 / 1000, SystemMetrics.busyRatio(null, before), 1e-12);
    assertEquals(0, SystemMetrics.busyRatio(before, before));
    assertEquals(0, SystemMetrics.busyRatio(after, before)); // counters went back
  }
}
