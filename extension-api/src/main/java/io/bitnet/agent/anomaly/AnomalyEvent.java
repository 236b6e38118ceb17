package io.bitnet.agent.anomaly;

/**
 * A flag raised or cleared by the {@link AnomalyDetector}.
 *
 * @param timeMillis when, epoch milliseconds
 * @param metric what deviated, e.g. {@code latency}
 * @param direction {@code up} or {@code down}
 * @param zScore how many baseline standard deviations away the smoothed value was
 * @param value the smoothed value
 * @param baseline the baseline mean
 * @param cleared false when raised, true when the metric recovered
 */
public record AnomalyEvent(long timeMillis, String metric, String direction, double zScore, double value,
    double baseline, boolean cleared) {

  /** The log line for this event. */
  public String describe() {
    return String.format(java.util.Locale.ROOT, cleared
            ? "bitnet-agent: anomaly cleared: %s back near its baseline %.4g (now %.4g)"
            : "bitnet-agent: anomaly: %s went " + direction + " to %.4g against a baseline of %.4g (z=%.1f)",
        metric, cleared ? baseline : value, cleared ? value : baseline, zScore);
  }
}
