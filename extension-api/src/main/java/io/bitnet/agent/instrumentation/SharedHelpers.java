package io.bitnet.agent.instrumentation;

import java.util.List;

/**
 * Extension classes the advice helpers use besides their own. Isolated helpers live in a class loader
 * per module that sees only the classes listed as helpers (not the rest of the extension), so each
 * module lists these too and gets its own copy, nested classes included.
 */
public final class SharedHelpers {

  public static final List<String> NAMES = List.of(
      "io.bitnet.agent.config.BitNetConfig",
      "io.bitnet.agent.config.BitNetConfig$Parsed",
      "io.bitnet.agent.config.BitNetConfig$Reader",
      "io.bitnet.agent.config.BitNetConfig$Dashboard",
      "io.bitnet.agent.anomaly.AnomalySettings",
      "io.bitnet.agent.config.BitNetConfigHolder",
      "io.bitnet.agent.telemetry.BitNetAttributes",
      "io.bitnet.agent.instrumentation.AdviceErrors");

  private SharedHelpers() {}
}
