package io.bitnet.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time and allocated bytes of the current thread, from the JVM's ThreadMXBean: a few tens of
 * nanoseconds per reading. Reads 0 where the JVM does not support a measure.
 */
final class ThreadCost {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.ThreadMXBean HOTSPOT =
      THREADS instanceof com.sun.management.ThreadMXBean h && h.isThreadAllocatedMemorySupported() ? h : null;
  private static final boolean CPU = THREADS.isCurrentThreadCpuTimeSupported();

  private final long cpu0 = cpuNanos();
  private final long alloc0 = allocatedBytes();

  /** Starts measuring from now. */
  static ThreadCost start() {
    return new ThreadCost();
  }

  long cpuSince() {
    return cpuNanos() - cpu0;
  }

  long allocatedSince() {
    return allocatedBytes() - alloc0;
  }

  private static long cpuNanos() {
    return CPU ? THREADS.getCurrentThreadCpuTime() : 0;
  }

  private static long allocatedBytes() {
    return HOTSPOT != null ? HOTSPOT.getCurrentThreadAllocatedBytes() : 0;
  }
}
