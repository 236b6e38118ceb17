package io.bitnet.runtime;

import java.util.Locale;

/** Scheduling priority: waiting HIGH requests start before NORMAL ones, NORMAL before LOW. */
public enum Priority {
  HIGH,
  NORMAL,
  LOW;

  /** Lower-case name, as in telemetry labels and the HTTP API. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code high}, {@code normal} or {@code low}, case-insensitive. */
  public static Priority parse(String value) {
    for (Priority p : values()) {
      if (p.name().equalsIgnoreCase(value)) {
        return p;
      }
    }
    throw new IllegalArgumentException("priority must be high, normal or low, got '" + value + "'");
  }
}
