package io.bitnet.benchmarks;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Single-thread memory read bandwidth: the best of several scans of a 1 GiB zeroed buffer, far larger
 * than any cache, by glibc's {@code memchr} looking for a byte that is not there. glibc picks its
 * widest SIMD variant at run time, so the scan runs at the speed of the memory system (a plain Java
 * sum loop here reached a third of it).
 */
final class MemoryBandwidth {

  private static final long BYTES = 1L << 30;
  private static final int PASSES = 6;

  private MemoryBandwidth() {}

  static double singleThreadReadBytesPerSecond() {
    Function memchr = Function.getFunction("c", "memchr");
    try (Memory buffer = new Memory(BYTES)) {
      buffer.clear();
      long best = Long.MAX_VALUE;
      for (int pass = 0; pass < PASSES; pass++) {
        long t0 = System.nanoTime();
        Pointer found = (Pointer) memchr.invoke(Pointer.class, new Object[] {buffer, 1, BYTES});
        long elapsed = System.nanoTime() - t0;
        if (found != null) {
          throw new IllegalStateException("the zeroed buffer holds a 1");
        }
        best = Math.min(best, elapsed);
      }
      return BYTES / (best / 1e9);
    }
  }
}
