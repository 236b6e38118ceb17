package io.bitnet.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MediansTest {

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertEquals(2.5, Medians.median(List.of(4.0, 1.0, 3.0, 2.0)));
    assertEquals(3.0, Medians.median(List.of(5.0, 3.0, 1.0)));
  }

  @Test
  void identicalRoundsGiveAnIntervalOfThatValue() {
    Medians.Interval ci = Medians.bootstrapInterval(List.of(0.98, 0.98, 0.98, 0.98, 0.98));
    assertEquals(0.98, ci.low());
    assertEquals(0.98, ci.high());
  }

  @Test
  void theIntervalHoldsTheMedianAndWidensWithTheSpreadOfTheRounds() {
    List<Double> tight = List.of(0.99, 1.00, 1.01, 1.00, 0.995, 1.005, 1.00);
    List<Double> loose = List.of(0.90, 1.00, 1.10, 1.00, 0.95, 1.05, 1.00);
    Medians.Interval t = Medians.bootstrapInterval(tight);
    Medians.Interval l = Medians.bootstrapInterval(loose);
    assertTrue(t.low() <= 1.0 && 1.0 <= t.high(), t.toString());
    assertTrue(l.high() - l.low() > t.high() - t.low(), l + " against " + t);
    // only values of the rounds can be medians of an odd resample
    assertTrue(loose.contains(l.low()) && loose.contains(l.high()), l.toString());
  }

  @Test
  void theSameRoundsAlwaysGiveTheSameInterval() {
    List<Double> rounds = List.of(0.93, 1.12, 0.98, 1.01, 0.97, 1.05);
    assertEquals(Medians.bootstrapInterval(rounds), Medians.bootstrapInterval(rounds));
  }
}
