package io.bitnet.agent.system;

import io.bitnet.agent.telemetry.Instruments;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.ArrayList;
import java.util.List;

/**
 * GPU utilization and memory through a {@link GpuSource} (NVML), read at collection time:
 * {@code bitnet.gpu.utilization.ratio} per device and {@code bitnet.gpu.memory.usage} per device and memory
 * type (used, free, total, and reserved where the driver reports it apart from used, as {@code nvidia-smi}
 * does). With no GPU (no driver, or none seen) nothing is registered, so no GPU series exist.
 */
public final class GpuMetrics implements AutoCloseable {

  public static final AttributeKey<String> DEVICE_ID = AttributeKey.stringKey("device_id");
  public static final AttributeKey<String> DEVICE_NAME = AttributeKey.stringKey("device_name");
  public static final AttributeKey<String> MEMORY_TYPE = AttributeKey.stringKey("memory_type");

  private final GpuSource source;
  private final Attributes[] deviceAttributes;
  private final Attributes[][] memoryAttributes; // [device][used, free, total, reserved]
  private final List<AutoCloseable> instruments = new ArrayList<>();

  private GpuMetrics(GpuSource source, List<String> names) {
    this.source = source;
    this.deviceAttributes = new Attributes[names.size()];
    this.memoryAttributes = new Attributes[names.size()][];
    for (int i = 0; i < names.size(); i++) {
      String id = Integer.toString(i);
      deviceAttributes[i] = Attributes.of(DEVICE_ID, id, DEVICE_NAME, names.get(i));
      memoryAttributes[i] = new Attributes[] {
          Attributes.of(DEVICE_ID, id, MEMORY_TYPE, "used"),
          Attributes.of(DEVICE_ID, id, MEMORY_TYPE, "free"),
          Attributes.of(DEVICE_ID, id, MEMORY_TYPE, "total"),
          Attributes.of(DEVICE_ID, id, MEMORY_TYPE, "reserved")};
    }
  }

  /** Registers the GPU instruments, or nothing (and returns null) when the source has no device. */
  public static GpuMetrics register(Meter meter, GpuSource source) {
    List<String> names = source.deviceNames();
    if (names.isEmpty()) {
      return null;
    }
    GpuMetrics m = new GpuMetrics(source, names);
    // ".ratio" in the name: the agent's Prometheus exporter drops unit "1" and adds no suffix
    m.instruments.add(meter.gaugeBuilder("bitnet.gpu.utilization.ratio")
        .setDescription("Share of time the GPU was busy over the driver's last sample period")
        .setUnit("1")
        .buildWithCallback(m::observeUtilization));
    m.instruments.add(meter.gaugeBuilder("bitnet.gpu.memory.usage")
        .setDescription("GPU memory by type: used, free, total, and reserved by the driver where it says")
        .setUnit("By")
        .ofLongs()
        .buildWithCallback(m::observeMemory));
    return m;
  }

  private void observeUtilization(ObservableDoubleMeasurement measurement) {
    for (int i = 0; i < deviceAttributes.length; i++) {
      try {
        double u = source.utilization(i);
        if (!Double.isNaN(u)) {
          measurement.record(u, deviceAttributes[i]);
        }
      } catch (RuntimeException | LinkageError e) {
        // this device reports nothing this time
      }
    }
  }

  private void observeMemory(ObservableLongMeasurement measurement) {
    for (int i = 0; i < memoryAttributes.length; i++) {
      try {
        GpuSource.MemoryInfo m = source.memory(i);
        if (m != null) {
          measurement.record(m.used(), memoryAttributes[i][0]);
          measurement.record(m.free(), memoryAttributes[i][1]);
          measurement.record(m.total(), memoryAttributes[i][2]);
          if (m.reserved() != GpuSource.MemoryInfo.UNKNOWN) {
            measurement.record(m.reserved(), memoryAttributes[i][3]);
          }
        }
      } catch (RuntimeException | LinkageError e) {
        // this device reports nothing this time
      }
    }
  }

  @Override
  public void close() {
    Instruments.closeAll(instruments);
  }
}
