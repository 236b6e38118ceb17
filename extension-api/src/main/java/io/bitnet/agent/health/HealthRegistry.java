package io.bitnet.agent.health;

import io.bitnet.agent.system.GpuSource;
import io.bitnet.agent.system.Host;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The five health components and which of them each probe asks. */
public final class HealthRegistry {

  private final ModelManagerHealth model = new ModelManagerHealth();
  private final InferenceEngineHealth engine;
  private final QuantizationEngineHealth kernels = new QuantizationEngineHealth();
  private final MemoryManagerHealth memory;
  private final DeviceMonitorHealth device;

  public HealthRegistry(Duration stallTimeout, Host host, GpuSource gpus) {
    this(new InferenceEngineHealth(stallTimeout, InferenceEngineHealth.DEFAULT_CAPACITY),
        new MemoryManagerHealth(host), new DeviceMonitorHealth(host, gpus));
  }

  HealthRegistry(InferenceEngineHealth engine, MemoryManagerHealth memory, DeviceMonitorHealth device) {
    this.engine = engine;
    this.memory = memory;
    this.device = device;
  }

  /** The components that read spans; register each on the tracer provider. */
  public List<SpanProcessor> spanProcessors() {
    return List.of(model, engine, kernels);
  }

  /** Every component, in report order. */
  public List<HealthCheck> components() {
    return List.of(model, device, kernels, engine, memory);
  }

  /** Runs the checks the probe asks for. Never throws: a failing check reports DOWN. */
  public HealthReport evaluate(Probe probe) {
    List<ComponentHealth> checks = new ArrayList<>(5);
    switch (probe) {
      case LIVE -> checks.add(run(engine));
      case READY -> {
        checks.add(run(model));
        checks.add(run(kernels));
        checks.add(run(memory));
      }
      case STARTED -> checks.add(started());
      case HEALTH -> {
        for (HealthCheck c : components()) {
          checks.add(run(c));
        }
      }
    }
    return new HealthReport(probe, checks);
  }

  private ComponentHealth started() {
    try {
      return model.startedCheck();
    } catch (RuntimeException e) {
      return ComponentHealth.down(model.name(), Map.of("error", e.toString()));
    }
  }

  /** A check's state, or DOWN with the exception when the check itself failed. */
  static ComponentHealth run(HealthCheck check) {
    try {
      return check.check();
    } catch (RuntimeException | LinkageError e) {
      return ComponentHealth.down(check.name(), Map.of("error", e.toString()));
    }
  }
}
