package io.bitnet.agent.config;

/**
 * The parsed {@code bitnet.*} configuration. On the SDK side it is set once from the agent's
 * ConfigProperties by {@code BitNetAutoConfiguration}, which logs any problem. Advice helpers live in
 * their own class loaders with their own copy of this class, so there it is parsed, silently, from
 * system properties and environment variables.
 */
public final class BitNetConfigHolder {

  private static volatile BitNetConfig config;

  private BitNetConfigHolder() {}

  public static BitNetConfig get() {
    BitNetConfig c = config;
    if (c == null) {
      c = BitNetConfig.parse(BitNetConfig::fromSystem).config();
      config = c;
    }
    return c;
  }

  /** Called once by the agent's configuration hook. */
  public static void set(BitNetConfig value) {
    config = value;
  }
}
