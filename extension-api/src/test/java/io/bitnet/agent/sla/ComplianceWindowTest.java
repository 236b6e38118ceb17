package io.bitnet.agent.sla;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ComplianceWindowTest {

  private static final long S = 1_000_000_000L;

  @Test
  void bucketsArePerSecondUpToTheCap() {
    assertEquals(300, new ComplianceWindow(Duration.ofMinutes(5)).buckets());
    assertEquals(1, new ComplianceWindow(Duration.ofMillis(10)).buckets());
    assertEquals(ComplianceWindow.MAX_BUCKETS, new ComplianceWindow(Duration.ofMinutes(10)).buckets());
    assertEquals(ComplianceWindow.MAX_BUCKETS, new ComplianceWindow(Duration.ofDays(1)).buckets());
  }

  @Test
  void countsWithinTheWindowAndForgetsOlderOnes() {
    ComplianceWindow w = new ComplianceWindow(Duration.ofSeconds(10));
    long t0 = 1_700_000_000L * S;
    for (int i = 0; i < 1000; i++) {
      w.record(t0 + i * S / 100, i % 4 != 0); // 1000 requests over 10 s, 750 compliant
    }
    assertArrayEquals(new long[] {1000, 750}, w.counts(t0 + 9 * S));
    assertEquals(0.75, w.ratio(t0 + 9 * S));
    assertArrayEquals(new long[] {900, 675}, w.counts(t0 + 10 * S)); // the first second has left the window
    w.record(t0 - 60 * S, false); // far older than the window: dropped
    assertArrayEquals(new long[] {900, 675}, w.counts(t0 + 10 * S));
    assertArrayEquals(new long[] {0, 0}, w.counts(t0 + 30 * S));
    assertEquals(1.0, w.ratio(t0 + 30 * S));
  }
}
