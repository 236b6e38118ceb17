package io.bitnet.agent.dashboard;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.Collection;
import java.util.List;

/**
 * A pull reader of the agent's own SDK for the dashboard: the sampler collects through it every
 * interval, so the dashboard shows exactly what the exporters see. Cumulative; the sampler takes the
 * differences.
 */
public final class DashboardReader implements MetricReader {

  private volatile CollectionRegistration registration;
  private volatile boolean shutdown;

  @Override
  public void register(CollectionRegistration registration) {
    this.registration = registration;
  }

  /** Everything the SDK has now; empty before registration and after shutdown. */
  public Collection<MetricData> collect() {
    CollectionRegistration r = registration;
    return r == null || shutdown ? List.of() : r.collectAllMetrics();
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return AggregationTemporality.CUMULATIVE;
  }

  @Override
  public CompletableResultCode forceFlush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    shutdown = true;
    return CompletableResultCode.ofSuccess();
  }
}
