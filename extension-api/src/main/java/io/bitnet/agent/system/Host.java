package io.bitnet.agent.system;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HardwareAbstractionLayer;

/**
 * The host's processor and memory through OSHI, and the JVM's heap, each looked up once, on first
 * use (not at agent start), and cached: callers only read from the cached objects afterwards. Never
 * throws for OSHI: when it cannot run here, {@link #processor()} and {@link #memory()} are null and
 * {@link #unavailableReason()} says why.
 */
public final class Host {

  private final Object lock = new Object();
  private volatile boolean loaded;
  private CentralProcessor processor;
  private GlobalMemory memory;
  private String error;
  private volatile MemoryMXBean memoryBean;

  /** The processor, or null when OSHI is unavailable. */
  public CentralProcessor processor() {
    load();
    return processor;
  }

  /** The physical memory, or null when OSHI is unavailable. */
  public GlobalMemory memory() {
    load();
    return memory;
  }

  /**
   * The JVM's heap usage now. The bean is cached because {@code ManagementFactory} finds it with a
   * stream over the platform components on every call, which was most of a health probe's cost.
   */
  public MemoryUsage heap() {
    MemoryMXBean bean = memoryBean;
    if (bean == null) { // a race only looks the same singleton up twice
      bean = ManagementFactory.getMemoryMXBean();
      memoryBean = bean;
    }
    return bean.getHeapMemoryUsage();
  }

  /** Why OSHI is unavailable, or null. */
  public String unavailableReason() {
    load();
    return error;
  }

  private void load() {
    if (loaded) {
      return;
    }
    synchronized (lock) {
      if (loaded) {
        return;
      }
      try {
        HardwareAbstractionLayer hardware = new SystemInfo().getHardware();
        processor = hardware.getProcessor();
        memory = hardware.getMemory();
      } catch (RuntimeException | LinkageError e) {
        processor = null;
        memory = null;
        error = "OSHI unavailable: " + e;
      }
      loaded = true;
    }
  }
}
