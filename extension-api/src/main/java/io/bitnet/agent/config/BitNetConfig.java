package io.bitnet.agent.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Every {@code bitnet.*} property, parsed once and validated. An invalid value is logged once and its
 * default applies: the application always starts. The names and defaults are in
 * {@code docs/configuration.md}.
 *
 * @param managementEnabled whether the management server (health endpoints) runs
 * @param managementHost where it binds
 * @param managementPort its port
 * @param slaMaxLatency requests slower than this violate the SLA
 * @param slaMaxTimeToFirstToken requests whose first token comes later violate the SLA
 * @param slaMinTokensPerSecond requests decoding slower violate the SLA
 * @param slaWindow the window of the compliance ratio
 * @param accuracySampleRatio the share of quantize and matmul calls whose accuracy is measured
 * @param quantizationSpans whether quantize and dequantize get spans
 * @param matmulSpans whether matmul gets spans
 * @param tokenEvents whether each generated token gets a span event
 * @param maxTensorSeries the cap on distinct tensor-name label values
 * @param captureContent whether prompt and completion text are recorded
 * @param stallTimeout a generate call running longer fails liveness
 * @param dashboard the live dashboard on the management server
 * @param anomaly the trend and anomaly detection
 */
public record BitNetConfig(
    boolean managementEnabled,
    String managementHost,
    int managementPort,
    Duration slaMaxLatency,
    Duration slaMaxTimeToFirstToken,
    double slaMinTokensPerSecond,
    Duration slaWindow,
    double accuracySampleRatio,
    boolean quantizationSpans,
    boolean matmulSpans,
    boolean tokenEvents,
    int maxTensorSeries,
    boolean captureContent,
    Duration stallTimeout,
    Dashboard dashboard,
    io.bitnet.agent.anomaly.AnomalySettings anomaly) {

  /**
   * The live dashboard.
   *
   * @param enabled whether {@code /dashboard} is served and sampled
   * @param interval how often the charts get a point
   * @param history how many points the charts keep
   * @param traces how many recent inference traces the trace list keeps
   */
  public record Dashboard(boolean enabled, Duration interval, int history, int traces) {}

  private static final Logger LOG = Logger.getLogger(BitNetConfig.class.getName());

  /** The defaults, as documented. */
  public static BitNetConfig defaults() {
    return parse(key -> null).config();
  }

  /** The parsed configuration and the problems found on the way. */
  public record Parsed(BitNetConfig config, List<String> problems) {

    /** Logs each problem once, as a warning. */
    public BitNetConfig logProblems() {
      for (String p : problems) {
        LOG.warning("bitnet-agent: " + p);
      }
      return config;
    }
  }

  /**
   * Parses from a lookup of raw values by property name (for example the agent's ConfigProperties, or
   * system properties then {@code BITNET_*} environment variables). Never throws.
   */
  public static Parsed parse(Function<String, String> lookup) {
    Reader r = new Reader(lookup);
    BitNetConfig c = new BitNetConfig(
        r.bool("bitnet.management.enabled", true),
        r.string("bitnet.management.host", "127.0.0.1"),
        r.integer("bitnet.management.port", 9465, 0, 65535),
        r.duration("bitnet.sla.max-latency", Duration.ofSeconds(10)),
        r.duration("bitnet.sla.max-time-to-first-token", Duration.ofSeconds(2)),
        r.decimal("bitnet.sla.min-tokens-per-second", 5.0, 0, Double.MAX_VALUE),
        r.duration("bitnet.sla.window", Duration.ofMinutes(5)),
        r.decimal("bitnet.quantization.accuracy.sample-ratio", 0.001, 0, 1),
        r.bool("bitnet.trace.quantization-spans", true),
        r.bool("bitnet.trace.matmul-spans", false),
        r.bool("bitnet.trace.token-events", false),
        r.integer("bitnet.metrics.max-tensor-series", 100, 1, 100_000),
        r.bool("bitnet.capture-content", false),
        r.duration("bitnet.health.stall-timeout", Duration.ofSeconds(60)),
        new Dashboard(
            r.bool("bitnet.dashboard.enabled", true),
            r.duration("bitnet.dashboard.interval", Duration.ofSeconds(2)),
            r.integer("bitnet.dashboard.history", 300, 2, 10_000),
            r.integer("bitnet.dashboard.traces", 50, 1, 1000)),
        anomaly(r));
    return new Parsed(c, List.copyOf(r.problems));
  }

  private static io.bitnet.agent.anomaly.AnomalySettings anomaly(Reader r) {
    io.bitnet.agent.anomaly.AnomalySettings d = io.bitnet.agent.anomaly.AnomalySettings.DEFAULTS;
    return new io.bitnet.agent.anomaly.AnomalySettings(
        r.bool("bitnet.anomaly.enabled", d.enabled()),
        r.decimal("bitnet.anomaly.z-threshold", d.zThreshold(), 0.5, 100),
        r.decimal("bitnet.anomaly.min-relative-change", d.minRelativeChange(), 0, 100),
        r.duration("bitnet.anomaly.min-duration", d.minDuration()),
        r.duration("bitnet.anomaly.warmup", d.warmup()),
        r.decimal("bitnet.anomaly.baseline-alpha", d.baselineAlpha(), 0.0001, 1),
        r.duration("bitnet.anomaly.trend-window", d.trendWindow()));
  }

  /** System properties first, then environment variables ({@code bitnet.sla.window} → {@code BITNET_SLA_WINDOW}). */
  public static String fromSystem(String key) {
    String v = System.getProperty(key);
    if (v == null) {
      v = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
    }
    return v;
  }

  private static final class Reader {
    private final Function<String, String> lookup;
    private final List<String> problems = new ArrayList<>();

    Reader(Function<String, String> lookup) {
      this.lookup = lookup;
    }

    private String raw(String key) {
      try {
        String v = lookup.apply(key);
        return v == null || v.isBlank() ? null : v.trim();
      } catch (RuntimeException e) {
        problems.add("cannot read " + key + ": " + e.getMessage());
        return null;
      }
    }

    String string(String key, String fallback) {
      String v = raw(key);
      return v == null ? fallback : v;
    }

    boolean bool(String key, boolean fallback) {
      String v = raw(key);
      if (v == null) {
        return fallback;
      }
      if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
        return Boolean.parseBoolean(v);
      }
      return invalid(key, v, "true or false", fallback);
    }

    int integer(String key, int fallback, int min, int max) {
      String v = raw(key);
      if (v == null) {
        return fallback;
      }
      try {
        int n = Integer.parseInt(v);
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      return invalid(key, v, "an integer from " + min + " to " + max, fallback);
    }

    double decimal(String key, double fallback, double min, double max) {
      String v = raw(key);
      if (v == null) {
        return fallback;
      }
      try {
        double d = Double.parseDouble(v);
        if (d >= min && d <= max) {
          return d;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      return invalid(key, v, "a number from " + min + " to " + (max == Double.MAX_VALUE ? "any" : max), fallback);
    }

    /** OTel-style durations: a number with ms, s, m, h or d; a bare number means milliseconds. */
    Duration duration(String key, Duration fallback) {
      String v = raw(key);
      if (v == null) {
        return fallback;
      }
      Duration d = parseDuration(v);
      if (d != null && !d.isNegative() && !d.isZero()) {
        return d;
      }
      return invalid(key, v, "a positive duration such as 500ms, 5s or 2m", fallback);
    }

    private <T> T invalid(String key, String value, String expected, T fallback) {
      problems.add("invalid " + key + "='" + value + "' (expected " + expected + "); using the default " + fallback);
      return fallback;
    }
  }

  static Duration parseDuration(String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < s.length() && (Character.isDigit(s.charAt(i)))) {
      i++;
    }
    if (i == 0) {
      return null;
    }
    long n;
    try {
      n = Long.parseLong(s.substring(0, i));
    } catch (NumberFormatException e) {
      return null;
    }
    return switch (s.substring(i).trim()) {
      case "", "ms" -> Duration.ofMillis(n);
      case "us" -> Duration.ofNanos(n * 1000);
      case "ns" -> Duration.ofNanos(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> null;
    };
  }
}
