package io.bitnet.agent.testing;

import io.bitnet.agent.system.GpuSource;
import java.util.List;

/** A fixed set of GPUs: utilization in percent and memory per device; none at all for {@link #none()}. */
public record FakeGpus(List<String> names, List<Integer> utilizationPercent, List<MemoryInfo> memory)
    implements GpuSource {

  public static FakeGpus none() {
    return new FakeGpus(List.of(), List.of(), List.of());
  }

  @Override
  public List<String> deviceNames() {
    return names;
  }

  @Override
  public String unavailableReason() {
    return names.isEmpty() ? "UnsatisfiedLinkError: no libnvidia-ml (test)" : null;
  }

  @Override
  public double utilization(int device) {
    Integer u = utilizationPercent.get(device);
    return u == null ? Double.NaN : u / 100.0;
  }

  @Override
  public MemoryInfo memory(int device) {
    return memory.get(device);
  }
}
