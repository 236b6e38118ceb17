package io.bitnet.agent.system;

import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HardwareAbstractionLayer;

/**
 * The host's processor and memory through OSHI, looked up once, on first use (not at agent start),
 * and cached: callers only read from the cached objects afterwards. Never throws: when OSHI cannot
 * run here, {@link #processor()} and {@link #memory()} are null and {@link #unavailableReason()} says
 * why.
 */
public final class Host {

  private final Object lock = new Object();
  private volatile boolean loaded;
  private CentralProcessor processor;
  private GlobalMemory memory;
  private String error;

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
