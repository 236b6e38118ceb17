package io.bitnet.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bitnet.kernels.internal.NativeKernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Native tensors are released by close(): many cycles leave the process's native memory flat. */
class NativeMemoryTest {

  private static final int CYCLES = 10_000;

  @Test
  void tenThousandQuantizeCloseCyclesLeaveNativeMemoryFlat() throws IOException {
    assumeTrue(NativeKernels.isLoaded(), "native library not loaded: " + NativeKernels.loadError());
    int rows = 64;
    int cols = 1024;
    float[] w = RoundTripTest.randomWeights(rows, cols, 3);
    float[] x = RoundTripTest.randomWeights(1, cols, 4);
    float[] out = new float[rows];
    QuantizationFormat[] formats = QuantizationFormat.values();
    try (BitNetKernels k = BitNetKernels.builder().threads(1).build()) {
      assumeTrue(k.backend().backend().isNative());
      long liveBefore = NativeKernels.liveBytes();
      cycle(k, w, rows, cols, x, out, formats, 1_000); // warm up the allocator and the JIT
      long rssBefore = residentBytes();
      cycle(k, w, rows, cols, x, out, formats, CYCLES);
      long rssAfter = residentBytes();
      assertEquals(liveBefore, NativeKernels.liveBytes(), "bytes held by live native tensors");
      // A leak of one packed tensor per cycle would be 10,000 x 16 KiB = 160 MiB.
      assertTrue(rssAfter - rssBefore < 24L << 20,
          "resident memory grew by " + ((rssAfter - rssBefore) >> 10) + " KiB over " + CYCLES + " cycles");
    }
  }

  private static void cycle(BitNetKernels k, float[] w, int rows, int cols, float[] x, float[] out,
      QuantizationFormat[] formats, int count) {
    for (int i = 0; i < count; i++) {
      try (TernaryTensor t = k.quantize("cycle", w, rows, cols, formats[i % formats.length])) {
        if (i % 16 == 0) {
          k.matmul(t, x, 1, out);
        }
      }
    }
  }

  private static long residentBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
