package io.bitnet.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The series are JVM-wide; the test that fills them up to the bound runs last. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KernelDurationsTest {

  @Test
  void placesDurationsAsExplicitBucketHistogramsDo() {
    // a value equal to a bound belongs to that bound's bucket; past the last bound, the overflow bucket
    assertEquals(0, KernelDurations.bucket(0));
    assertEquals(0, KernelDurations.bucket(10_000)); // 1e-5 s
    assertEquals(1, KernelDurations.bucket(10_001));
    assertEquals(6, KernelDurations.bucket(1_000_000)); // 1 ms
    assertEquals(7, KernelDurations.bucket(1_000_001));
    assertEquals(15, KernelDurations.bucket(1_000_000_000)); // 1 s
    assertEquals(16, KernelDurations.bucket(1_000_000_001));
    assertEquals(16, KernelDurations.bucket(Long.MAX_VALUE));
  }

  @Test
  void countsEachCallInItsBucketAndSumsNanoseconds() {
    KernelDurations.Series s = KernelDurations.series("test_fmt", "count");
    s.record(5_000); // bucket 0
    s.record(30_000); // (25 µs, 50 µs]: bucket 2
    s.record(30_000);
    s.record(2_000_000_000L); // overflow
    s.record(-7); // a clock step: zero, bucket 0
    long[] expected = new long[KernelDurations.BOUNDARIES_SECONDS.size() + 1];
    expected[0] = 2;
    expected[2] = 2;
    expected[16] = 1;
    assertArrayEquals(expected, s.bucketCounts());
    assertEquals(5, s.count());
    assertEquals(5_000 + 60_000 + 2_000_000_000L, s.sumNanos());
  }

  @Test
  void oneSeriesPerLabelPairSharedByAllCallers() {
    KernelDurations.Series a = KernelDurations.series("test_fmt", "shared");
    assertSame(a, KernelDurations.series("test_fmt", "shared"));
    assertTrue(KernelDurations.all().contains(a));
    assertEquals("test_fmt", a.format());
    assertEquals("shared", a.operation());
  }

  @Test
  void concurrentRecordsAreAllCounted() throws InterruptedException {
    KernelDurations.Series s = KernelDurations.series("test_fmt", "concurrent");
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 100_000; i++) {
          s.record(i % 3 == 0 ? 1_000 : 200_000);
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(400_000, s.count());
    long perThread = 33_334L * 1_000 + 66_666L * 200_000;
    assertEquals(4 * perThread, s.sumNanos());
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void labelPairsAreBounded() {
    for (int i = 0; i < KernelDurations.MAX_SERIES + 10; i++) {
      KernelDurations.series("bounded", "op" + i).record(1);
    }
    assertTrue(KernelDurations.all().size() <= KernelDurations.MAX_SERIES);
    KernelDurations.Series over = KernelDurations.series("bounded", "one-too-many");
    over.record(1);
    assertEquals(0, over.count());
  }
}
