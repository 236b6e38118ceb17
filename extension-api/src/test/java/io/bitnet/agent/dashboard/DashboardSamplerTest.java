package io.bitnet.agent.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DashboardSamplerTest {

  private static final long INTERVAL = 2_000;

  @Test
  void samplesAreDueOneIntervalAfterThePreviousWasDueWhatEverTheSampleTook() {
    assertEquals(12_000, DashboardSampler.nextDue(10_000, 10_000, INTERVAL));
    assertEquals(12_000, DashboardSampler.nextDue(10_000, 11_900, INTERVAL)); // a slow sample: the rate holds
    assertEquals(12_000, DashboardSampler.nextDue(10_000, 13_999, INTERVAL)); // under an interval late: caught up
  }

  @Test
  void afterAStopOfManyIntervalsOneSampleIsTakenAtOnceInsteadOfEveryMissedOne() {
    long resumed = 10_000 + 30 * INTERVAL;
    long next = DashboardSampler.nextDue(10_000, resumed, INTERVAL);
    assertEquals(resumed, next);
    assertEquals(resumed + INTERVAL, DashboardSampler.nextDue(next, resumed + 5, INTERVAL));
  }
}
