package io.bitnet.runtime;

import java.util.Locale;

/** Why generation ended. */
public enum FinishReason {
  /** The model produced the end-of-sequence token. */
  STOP,
  /** max tokens were generated. */
  LENGTH,
  /** Cancelled by the caller, by its timeout, or because its listener failed. */
  CANCELLED,
  /** The engine failed; {@link GenerationResult#error()} says how. */
  ERROR;

  /** Lower-case name, as in OpenAI's {@code finish_reason} and telemetry labels. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
