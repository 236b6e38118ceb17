package io.bitnet.agent.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet.agent.bootstrap.KernelDurations;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The producer through a real SDK meter provider and reader, as the agent registers it. */
class KernelDurationsProducerTest {

  private static final Attributes LABELS = Attributes.of(
      BitNetAttributes.QUANTIZATION_FORMAT, "producer_test", BitNetAttributes.OPERATION, "matmul");

  @Test
  void readersGetTheKernelHistogramAsAnSdkHistogramWouldReportIt() {
    AtomicLong clock = new AtomicLong(1_000_000_000L);
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(BitNetAttributes.AGENT_VERSION, "t")));
    SdkMeterProvider provider = SdkMeterProvider.builder().setResource(resource).registerMetricReader(reader)
        .registerMetricProducer(new KernelDurationsProducer(clock::get)).build();
    try {
      KernelDurations.Series series = KernelDurations.series("producer_test", "matmul");
      assertTrue(point(reader.collectAllMetrics(), resource).isEmpty(), "no point before the first call");

      series.record(20_000); // 20 µs: (10 µs, 25 µs]
      series.record(20_000);
      series.record(3_000_000); // 3 ms: (2.5 ms, 5 ms]
      clock.set(3_000_000_000L);
      Collection<MetricData> first = reader.collectAllMetrics();
      HistogramPointData p = point(first, resource).orElseThrow();
      assertEquals(3, p.getCount());
      assertEquals(0.00304, p.getSum(), 1e-12);
      assertEquals(KernelDurations.BOUNDARIES_SECONDS, p.getBoundaries());
      assertEquals(1.0e-5, p.getBoundaries().get(0));
      assertEquals(2, p.getCounts().get(1));
      assertEquals(1, p.getCounts().get(8));
      assertEquals(3, p.getCounts().stream().mapToLong(Long::longValue).sum());
      assertEquals(1_000_000_000L, p.getStartEpochNanos());
      assertEquals(3_000_000_000L, p.getEpochNanos());
      assertFalse(p.hasMin());

      series.record(2_000_000_000L); // past the last bound
      clock.set(5_000_000_000L);
      HistogramPointData q = point(reader.collectAllMetrics(), resource).orElseThrow();
      assertEquals(4, q.getCount(), "cumulative");
      assertEquals(1, q.getCounts().get(KernelDurations.BOUNDARIES_SECONDS.size()));
      assertEquals(1_000_000_000L, q.getStartEpochNanos(), "one start for every collection");
    } finally {
      provider.close();
    }
  }

  private static java.util.Optional<HistogramPointData> point(Collection<MetricData> metrics, Resource resource) {
    for (MetricData m : metrics) {
      if (!m.getName().equals("bitnet.quantization.processing.duration")) {
        continue;
      }
      assertEquals(MetricDataType.HISTOGRAM, m.getType());
      assertEquals("s", m.getUnit());
      assertEquals("io.bitnet.kernels", m.getInstrumentationScopeInfo().getName());
      assertEquals(resource, m.getResource());
      assertEquals(AggregationTemporality.CUMULATIVE, m.getHistogramData().getAggregationTemporality());
      for (HistogramPointData p : m.getHistogramData().getPoints()) {
        if (p.getAttributes().equals(LABELS)) {
          return java.util.Optional.of(p);
        }
      }
    }
    return java.util.Optional.empty();
  }
}
