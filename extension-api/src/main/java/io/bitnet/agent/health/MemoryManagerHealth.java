package io.bitnet.agent.health;

import io.bitnet.agent.system.Host;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import oshi.hardware.GlobalMemory;

/**
 * {@code memory_manager}: heap headroom from the MemoryMXBean (DOWN when more than 95% of the maximum
 * heap is in use), with the host's available memory from OSHI as data.
 */
public final class MemoryManagerHealth implements HealthCheck {

  public static final String NAME = "memory_manager";
  public static final double MAX_HEAP_RATIO = 0.95;

  private final Supplier<MemoryUsage> heap;
  private final Host host;

  public MemoryManagerHealth(Host host) {
    this(host::heap, host);
  }

  /** With another heap reading, for tests. */
  MemoryManagerHealth(Supplier<MemoryUsage> heap, Host host) {
    this.heap = heap;
    this.host = host;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String subsystem() {
    return "memory";
  }

  @Override
  public ComponentHealth check() {
    Map<String, Object> data = new LinkedHashMap<>();
    boolean up = true;
    try {
      MemoryUsage usage = heap.get();
      long max = usage.getMax() > 0 ? usage.getMax() : usage.getCommitted();
      double ratio = max > 0 ? (double) usage.getUsed() / max : 0;
      data.put("heap_used_bytes", usage.getUsed());
      data.put("heap_max_bytes", max);
      data.put("heap_used_ratio", Math.round(ratio * 1000) / 1000.0);
      if (ratio > MAX_HEAP_RATIO) {
        up = false;
        data.put("reason", "heap above " + Math.round(MAX_HEAP_RATIO * 100) + "% of its maximum");
      }
    } catch (RuntimeException e) {
      data.put("heap_error", e.toString());
    }
    try {
      GlobalMemory memory = host.memory();
      if (memory != null) {
        data.put("system_available_bytes", memory.getAvailable());
        data.put("system_total_bytes", memory.getTotal());
      }
    } catch (RuntimeException | LinkageError e) {
      data.put("system_memory_error", e.toString());
    }
    return new ComponentHealth(NAME, up, data);
  }
}
