package io.bitnet.agent.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AnomalyDetectorTest {

  /** z 4, 20% change, 5 s sustained, 10 s warm-up, alpha 0.05, trend over 60 s. */
  private static final AnomalySettings SETTINGS =
      new AnomalySettings(true, 4, 0.2, Duration.ofSeconds(5), Duration.ofSeconds(10), 0.05, Duration.ofSeconds(60));

  /** Feeds one value every 100 ms from {@code from} to {@code to} (ms), noisy around {@code mean}; returns the events. */
  private static List<AnomalyEvent> feed(AnomalyDetector d, String metric, long from, long to, double mean,
      double relativeNoise, SplittableRandom random) {
    List<AnomalyEvent> events = new ArrayList<>();
    for (long t = from; t < to; t += 100) {
      double v = mean * (1 + relativeNoise * (random.nextDouble() * 2 - 1));
      d.observe(metric, v, t).ifPresent(events::add);
    }
    return events;
  }

  @Test
  void steadyNoisyLoadAtSeveralLevelsNeverFlags() {
    SplittableRandom random = new SplittableRandom(1);
    for (double level : new double[] {5, 50, 500, 5000}) {
      AnomalyDetector d = new AnomalyDetector(SETTINGS);
      assertEquals(List.of(), feed(d, "latency", 0, 300_000, level, 0.15, random), "level " + level);
      assertEquals(List.of(), d.active());
    }
  }

  @Test
  void aSustainedSlowdownIsFlaggedAfterTheMinimumDurationAndClearsAfterRecovery() {
    SplittableRandom random = new SplittableRandom(2);
    AnomalyDetector d = new AnomalyDetector(SETTINGS);
    assertEquals(List.of(), feed(d, "latency", 0, 30_000, 100, 0.1, random));
    List<AnomalyEvent> slow = feed(d, "latency", 30_000, 60_000, 300, 0.1, random);
    assertEquals(1, slow.size(), slow.toString());
    AnomalyEvent flag = slow.get(0);
    assertFalse(flag.cleared());
    assertEquals("up", flag.direction());
    assertEquals("latency", flag.metric());
    assertTrue(flag.timeMillis() >= 35_000 && flag.timeMillis() <= 37_000, "flagged at " + flag.timeMillis());
    assertTrue(flag.baseline() > 80 && flag.baseline() < 120, "the slowdown did not move the baseline: " + flag);
    assertTrue(flag.zScore() >= 4);
    assertEquals(List.of("latency"), d.active());

    List<AnomalyEvent> recovered = feed(d, "latency", 60_000, 80_000, 100, 0.1, random);
    assertEquals(1, recovered.size(), recovered.toString());
    assertTrue(recovered.get(0).cleared());
    assertTrue(recovered.get(0).timeMillis() >= 65_000 && recovered.get(0).timeMillis() <= 67_000);
    assertEquals(List.of(), d.active());
  }

  @Test
  void aDropIsFlaggedDownAndAShortSpikeIsNot() {
    SplittableRandom random = new SplittableRandom(3);
    AnomalyDetector d = new AnomalyDetector(SETTINGS);
    feed(d, "tokens_per_second", 0, 30_000, 800, 0.05, random);
    assertEquals(List.of(), feed(d, "tokens_per_second", 30_000, 33_000, 200, 0.05, random), "3 s is under 5 s");
    assertEquals(List.of(), feed(d, "tokens_per_second", 33_000, 50_000, 800, 0.05, random));
    List<AnomalyEvent> drop = feed(d, "tokens_per_second", 50_000, 60_000, 200, 0.05, random);
    assertEquals(1, drop.size());
    assertEquals("down", drop.get(0).direction());
  }

  @Test
  void nothingIsFlaggedDuringTheWarmUp() {
    AnomalyDetector d = new AnomalyDetector(SETTINGS);
    SplittableRandom random = new SplittableRandom(4);
    feed(d, "ttft", 0, 3_000, 10, 0.05, random);
    assertEquals(List.of(), feed(d, "ttft", 3_000, 9_900, 100, 0.05, random), "warm-up is 10 s");
  }

  @Test
  void anErrorRatioNeedsTheAbsoluteChangeNotJustAnInfiniteZScore() {
    AnomalyDetector d = new AnomalyDetector(SETTINGS);
    long t = 0;
    for (; t < 30_000; t += 100) {
      d.observe("error_ratio", 0, 0.05, t);
    }
    // one failed request in a stream of good ones: its baseline is exactly 0, but it is no anomaly
    List<Optional<AnomalyEvent>> events = new ArrayList<>();
    events.add(d.observe("error_ratio", 1, 0.05, t));
    for (t += 100; t < 60_000; t += 100) {
      events.add(d.observe("error_ratio", 0, 0.05, t));
    }
    assertTrue(events.stream().allMatch(Optional::isEmpty));
    // half the requests failing for 10 s is
    List<AnomalyEvent> flags = new ArrayList<>();
    for (; t < 70_000; t += 100) {
      d.observe("error_ratio", (t / 100) % 2, 0.05, t).ifPresent(flags::add);
    }
    assertEquals(1, flags.size());
    assertEquals("up", flags.get(0).direction());
  }

  @Test
  void theTrendIsTheSlopePerMinute() {
    AnomalyDetector d = new AnomalyDetector(SETTINGS);
    for (long t = 0; t <= 120_000; t += 1000) {
      d.observe("latency", 100 + 3.0 * t / 60_000, t); // +3 per minute
    }
    assertEquals(3.0, d.trends(120_000).get("latency"), 1e-9);
  }

  @Test
  void disabledDetectionReportsNothing() {
    AnomalySettings off = new AnomalySettings(false, 4, 0.2, Duration.ofSeconds(5), Duration.ofSeconds(10), 0.05,
        Duration.ofSeconds(60));
    AnomalyDetector d = new AnomalyDetector(off);
    SplittableRandom random = new SplittableRandom(5);
    feed(d, "latency", 0, 30_000, 100, 0.1, random);
    assertEquals(List.of(), feed(d, "latency", 30_000, 60_000, 1000, 0.1, random));
    assertTrue(d.trends(60_000).isEmpty());
  }
}
