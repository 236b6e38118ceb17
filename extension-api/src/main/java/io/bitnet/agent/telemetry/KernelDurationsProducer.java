package io.bitnet.agent.telemetry;

import io.bitnet.agent.bootstrap.KernelDurations;
import io.bitnet.agent.instrumentation.kernels.KernelsSingletons;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The SDK side of {@link KernelDurations}: at each collection, every metric reader gets the kernel
 * calls' duration histogram {@value #NAME} from the advice's counters, as if an SDK histogram had
 * recorded it (same name, unit, buckets, attributes and instrumentation scope).
 *
 * <p>What differs from an SDK instrument, and is documented in docs/telemetry.md: the points are
 * always cumulative, views do not apply to this one metric, and there is no min, max or exemplar.
 */
public final class KernelDurationsProducer implements MetricProducer {

  public static final String NAME = "bitnet.quantization.processing.duration";
  static final String DESCRIPTION = "Time spent in quantize, dequantize and matmul";
  static final String UNIT = "s";

  private static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create(KernelsSingletons.SCOPE);

  private final LongSupplier epochNanos;
  private final long startEpochNanos;

  /** Cumulative from now, with the SDK's clock. */
  public KernelDurationsProducer() {
    this(Clock.getDefault()::now);
  }

  KernelDurationsProducer(LongSupplier epochNanos) {
    this.epochNanos = epochNanos;
    this.startEpochNanos = epochNanos.getAsLong();
  }

  @Override
  public Collection<MetricData> produce(Resource resource) {
    long now = epochNanos.getAsLong();
    List<HistogramPointData> points = new ArrayList<>();
    for (KernelDurations.Series s : KernelDurations.all()) {
      long[] counts = s.bucketCounts();
      List<Long> countList = new ArrayList<>(counts.length);
      long total = 0;
      for (long c : counts) {
        countList.add(c);
        total += c;
      }
      if (total == 0) {
        continue; // a series appears with its first call, as an SDK histogram's would
      }
      Attributes attributes = Attributes.of(
          BitNetAttributes.QUANTIZATION_FORMAT, s.format(), BitNetAttributes.OPERATION, s.operation());
      points.add(HistogramPointData.create(startEpochNanos, now, attributes, s.sumNanos() / 1e9,
          false, 0, false, 0, KernelDurations.BOUNDARIES_SECONDS, countList));
    }
    if (points.isEmpty()) {
      return List.of();
    }
    return List.of(ImmutableMetricData.createDoubleHistogram(resource, SCOPE, NAME, DESCRIPTION, UNIT,
        HistogramData.create(AggregationTemporality.CUMULATIVE, points)));
  }
}
