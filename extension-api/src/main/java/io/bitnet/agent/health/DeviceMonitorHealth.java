package io.bitnet.agent.health;

import io.bitnet.agent.system.GpuSource;
import io.bitnet.agent.system.Host;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oshi.hardware.CentralProcessor;

/**
 * {@code device_monitor}: always UP; describes the devices inference can run on, the CPU (model and
 * logical cores, from OSHI) and the NVIDIA GPUs NVML sees, or {@code no NVIDIA GPU}. Described once,
 * on first use: devices do not change while the process runs.
 */
public final class DeviceMonitorHealth implements HealthCheck {

  public static final String NAME = "device_monitor";

  private final Host host;
  private final GpuSource gpus;
  private volatile Map<String, Object> description;

  public DeviceMonitorHealth(Host host, GpuSource gpus) {
    this.host = host;
    this.gpus = gpus;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String subsystem() {
    return "device";
  }

  @Override
  public ComponentHealth check() {
    Map<String, Object> d = description;
    if (d == null) {
      d = describe();
      description = d;
    }
    return ComponentHealth.up(NAME, d);
  }

  private Map<String, Object> describe() {
    Map<String, Object> data = new LinkedHashMap<>();
    try {
      CentralProcessor cpu = host.processor();
      if (cpu != null) {
        data.put("cpu_model", cpu.getProcessorIdentifier().getName().trim());
        data.put("logical_cores", cpu.getLogicalProcessorCount());
      } else {
        data.put("cpu_model", "unknown");
        data.put("logical_cores", Runtime.getRuntime().availableProcessors());
        data.put("cpu_error", String.valueOf(host.unavailableReason()));
      }
    } catch (RuntimeException | LinkageError e) {
      data.put("cpu_model", "unknown");
      data.put("cpu_error", e.toString());
    }
    try {
      List<String> names = gpus.deviceNames();
      if (names.isEmpty()) {
        data.put("gpu", GpuSource.NO_GPU);
        String reason = gpus.unavailableReason();
        if (reason != null) {
          data.put("gpu_reason", reason);
        }
      } else {
        data.put("gpu", String.join(", ", names));
        data.put("gpu_count", names.size());
      }
    } catch (RuntimeException | LinkageError e) {
      data.put("gpu", GpuSource.NO_GPU);
      data.put("gpu_reason", e.toString());
    }
    return Collections.unmodifiableMap(data);
  }
}
