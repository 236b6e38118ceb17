package io.bitnet.agent.anomaly;

import java.time.Duration;

/**
 * How the anomaly detector decides (documented in {@code docs/configuration.md}).
 *
 * @param enabled whether observations are evaluated at all
 * @param zThreshold how many baseline standard deviations away a value must be
 * @param minRelativeChange and how far from the baseline mean, as a share of it (0.2 = 20%), so that a
 *     very steady baseline does not flag tiny wobbles
 * @param minDuration how long a deviation must last before it is flagged, and a recovery before it clears
 * @param warmup no flag before this long after the first observation
 * @param baselineAlpha the weight of a new observation in the baseline (EWMA); the baseline does not move
 *     while a deviation lasts
 * @param trendWindow the span of the slope reported as {@code bitnet_performance_trend}
 */
public record AnomalySettings(
    boolean enabled,
    double zThreshold,
    double minRelativeChange,
    Duration minDuration,
    Duration warmup,
    double baselineAlpha,
    Duration trendWindow) {

  /** The documented defaults. */
  public static final AnomalySettings DEFAULTS =
      new AnomalySettings(true, 4.0, 0.2, Duration.ofSeconds(60), Duration.ofMinutes(2), 0.02, Duration.ofMinutes(5));

  public AnomalySettings {
    if (zThreshold <= 0 || minRelativeChange < 0 || baselineAlpha <= 0 || baselineAlpha > 1) {
      throw new IllegalArgumentException("zThreshold > 0, minRelativeChange >= 0, 0 < baselineAlpha <= 1");
    }
    if (minDuration == null || warmup == null || trendWindow == null || minDuration.isNegative()
        || warmup.isNegative() || trendWindow.isNegative() || trendWindow.isZero()) {
      throw new IllegalArgumentException("durations must be set and not negative");
    }
  }
}
