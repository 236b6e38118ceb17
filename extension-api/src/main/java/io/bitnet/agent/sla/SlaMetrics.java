package io.bitnet.agent.sla;

import io.bitnet.agent.telemetry.Instruments;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.ArrayList;
import java.util.List;

/**
 * The SLA metrics, read from a {@link SlaTracker} at collection time: {@code bitnet.sla.violations}
 * (every type and severity, zeros included) and {@code bitnet.sla.compliance.ratio}.
 */
public final class SlaMetrics implements AutoCloseable {

  static final AttributeKey<String> VIOLATION_TYPE = AttributeKey.stringKey("violation_type");
  static final AttributeKey<String> SEVERITY = AttributeKey.stringKey("severity");

  private final SlaTracker tracker;
  private final Attributes[][] attributes;
  private final List<AutoCloseable> instruments = new ArrayList<>();

  private SlaMetrics(SlaTracker tracker) {
    this.tracker = tracker;
    SlaTracker.ViolationType[] types = SlaTracker.ViolationType.values();
    SlaTracker.Severity[] severities = SlaTracker.Severity.values();
    attributes = new Attributes[types.length][severities.length];
    for (SlaTracker.ViolationType t : types) {
      for (SlaTracker.Severity s : severities) {
        attributes[t.ordinal()][s.ordinal()] = Attributes.of(VIOLATION_TYPE, t.label(), SEVERITY, s.label());
      }
    }
  }

  public static SlaMetrics register(Meter meter, SlaTracker tracker) {
    SlaMetrics m = new SlaMetrics(tracker);
    m.instruments.add(meter.counterBuilder("bitnet.sla.violations")
        .setDescription("Inference requests that broke an SLA threshold, by type and severity")
        .setUnit("{violation}")
        .buildWithCallback(m::observeViolations));
    // ".ratio" in the name: the agent's Prometheus exporter drops unit "1" and adds no suffix
    m.instruments.add(meter.gaugeBuilder("bitnet.sla.compliance.ratio")
        .setDescription("Share of the requests ended within the SLA window that met every threshold")
        .setUnit("1")
        .buildWithCallback(g -> g.record(tracker.complianceRatio())));
    return m;
  }

  private void observeViolations(ObservableLongMeasurement measurement) {
    for (SlaTracker.ViolationType t : SlaTracker.ViolationType.values()) {
      for (SlaTracker.Severity s : SlaTracker.Severity.values()) {
        measurement.record(tracker.violations(t, s), attributes[t.ordinal()][s.ordinal()]);
      }
    }
  }

  @Override
  public void close() {
    Instruments.closeAll(instruments);
  }
}
