package io.bitnet.agent.health;

import io.bitnet.agent.telemetry.Instruments;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The health metrics: {@code bitnet.component.health.status} (1 or 0 per component, read at
 * collection), and, for every probe answered through {@link #evaluate}, {@code bitnet.health.check.failures}
 * per DOWN component and {@code bitnet.health.check.duration}.
 */
public final class HealthMetrics implements AutoCloseable {

  static final AttributeKey<String> COMPONENT = AttributeKey.stringKey("component");
  static final AttributeKey<String> SUBSYSTEM = AttributeKey.stringKey("subsystem");
  static final AttributeKey<String> CHECK_TYPE = AttributeKey.stringKey("check_type");
  static final List<Double> DURATION_BUCKETS =
      List.of(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5);

  private final HealthRegistry registry;
  private final List<HealthCheck> components;
  private final Attributes[] statusAttributes;
  private final Map<Probe, Map<String, Attributes>> failureAttributes = new EnumMap<>(Probe.class);
  private final Map<Probe, Attributes> probeAttributes = new EnumMap<>(Probe.class);
  private final LongCounter failures;
  private final DoubleHistogram duration;
  private final List<AutoCloseable> instruments = new ArrayList<>();

  private HealthMetrics(Meter meter, HealthRegistry registry) {
    this.registry = registry;
    this.components = registry.components();
    this.statusAttributes = new Attributes[components.size()];
    for (int i = 0; i < components.size(); i++) {
      HealthCheck c = components.get(i);
      statusAttributes[i] = Attributes.of(COMPONENT, c.name(), SUBSYSTEM, c.subsystem());
    }
    for (Probe p : Probe.values()) {
      probeAttributes.put(p, Attributes.of(CHECK_TYPE, p.checkType()));
      Map<String, Attributes> byComponent = new HashMap<>();
      for (HealthCheck c : components) {
        byComponent.put(c.name(), Attributes.of(COMPONENT, c.name(), CHECK_TYPE, p.checkType()));
      }
      failureAttributes.put(p, byComponent);
    }
    this.failures = meter.counterBuilder("bitnet.health.check.failures")
        .setDescription("Health probe answers in which the component was DOWN")
        .setUnit("{failure}")
        .build();
    this.duration = meter.histogramBuilder("bitnet.health.check.duration")
        .setDescription("Time to evaluate a health probe")
        .setUnit("s")
        .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
        .build();
  }

  public static HealthMetrics register(Meter meter, HealthRegistry registry) {
    HealthMetrics m = new HealthMetrics(meter, registry);
    m.instruments.add(meter.gaugeBuilder("bitnet.component.health.status")
        .setDescription("Component health: 1 UP, 0 DOWN")
        .ofLongs()
        .buildWithCallback(m::observeStatus));
    return m;
  }

  private void observeStatus(ObservableLongMeasurement measurement) {
    for (int i = 0; i < components.size(); i++) {
      measurement.record(HealthRegistry.run(components.get(i)).up() ? 1 : 0, statusAttributes[i]);
    }
  }

  /** Evaluates the probe and records its duration and failures. */
  public HealthReport evaluate(Probe probe) {
    long start = System.nanoTime();
    HealthReport report = registry.evaluate(probe);
    duration.record((System.nanoTime() - start) / 1e9, probeAttributes.get(probe));
    Map<String, Attributes> byComponent = failureAttributes.get(probe);
    for (ComponentHealth c : report.checks()) {
      if (!c.up()) {
        Attributes a = byComponent.get(c.name());
        failures.add(1, a != null ? a : Attributes.of(COMPONENT, c.name(), CHECK_TYPE, probe.checkType()));
      }
    }
    return report;
  }

  @Override
  public void close() {
    Instruments.closeAll(instruments);
  }
}
