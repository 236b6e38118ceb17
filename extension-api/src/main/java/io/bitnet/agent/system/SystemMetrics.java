package io.bitnet.agent.system;

import io.bitnet.agent.telemetry.Instruments;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.ArrayList;
import java.util.List;
import oshi.hardware.CentralProcessor;
import oshi.hardware.CentralProcessor.TickType;
import oshi.hardware.GlobalMemory;

/**
 * CPU and memory of the host, read through OSHI at collection time:
 * {@code bitnet.cpu.utilization.ratio} per logical core (the share of non-idle ticks since the previous
 * collection; the first one covers the time since boot) and {@code bitnet.system.memory.usage}
 * (total minus available). Reports nothing when OSHI is unavailable. Callbacks never throw.
 */
public final class SystemMetrics implements AutoCloseable {

  public static final AttributeKey<String> CORE_ID = AttributeKey.stringKey("core_id");

  private final Host host;
  private final List<AutoCloseable> instruments = new ArrayList<>();
  private final Object lock = new Object();
  private long[][] previousTicks; // guarded by lock
  private Attributes[] coreAttributes; // guarded by lock

  private SystemMetrics(Host host) {
    this.host = host;
  }

  /** Registers the instruments on the meter; OSHI itself is first touched by the first collection. */
  public static SystemMetrics register(Meter meter, Host host) {
    SystemMetrics m = new SystemMetrics(host);
    // ".ratio" in the name: the agent's Prometheus exporter drops unit "1" and adds no suffix
    m.instruments.add(meter.gaugeBuilder("bitnet.cpu.utilization.ratio")
        .setDescription("Share of time each logical CPU core was busy since the previous collection")
        .setUnit("1")
        .buildWithCallback(m::observeCpu));
    m.instruments.add(meter.gaugeBuilder("bitnet.system.memory.usage")
        .setDescription("Physical memory in use on the host: total minus available")
        .setUnit("By")
        .ofLongs()
        .buildWithCallback(m::observeMemory));
    return m;
  }

  private void observeCpu(ObservableDoubleMeasurement measurement) {
    try {
      CentralProcessor cpu = host.processor();
      if (cpu == null) {
        return;
      }
      long[][] ticks = cpu.getProcessorCpuLoadTicks();
      synchronized (lock) {
        if (coreAttributes == null || coreAttributes.length != ticks.length) {
          coreAttributes = new Attributes[ticks.length];
          for (int i = 0; i < ticks.length; i++) {
            coreAttributes[i] = Attributes.of(CORE_ID, Integer.toString(i));
          }
          previousTicks = null;
        }
        for (int core = 0; core < ticks.length; core++) {
          long[] before = previousTicks == null ? null : previousTicks[core];
          measurement.record(busyRatio(before, ticks[core]), coreAttributes[core]);
        }
        previousTicks = ticks;
      }
    } catch (RuntimeException | LinkageError e) {
      // a failed read reports nothing this time
    }
  }

  /** Non-idle share of the ticks between two readings (from zero when there is no earlier one). */
  static double busyRatio(long[] before, long[] after) {
    long total = 0;
    long idle = 0;
    for (int t = 0; t < after.length; t++) {
      long delta = after[t] - (before == null ? 0 : before[t]);
      if (delta < 0) {
        return 0; // counters went back (CPU hot-plug): skip this interval
      }
      total += delta;
      if (t == TickType.IDLE.getIndex() || t == TickType.IOWAIT.getIndex()) {
        idle += delta;
      }
    }
    if (total <= 0) {
      return 0;
    }
    return Math.min(1.0, Math.max(0.0, (double) (total - idle) / total));
  }

  private void observeMemory(ObservableLongMeasurement measurement) {
    try {
      GlobalMemory memory = host.memory();
      if (memory != null) {
        long total = memory.getTotal();
        if (total > 0) {
          measurement.record(Math.max(0, total - memory.getAvailable()));
        }
      }
    } catch (RuntimeException | LinkageError e) {
      // a failed read reports nothing this time
    }
  }

  @Override
  public void close() {
    Instruments.closeAll(instruments);
  }
}
