package io.bitnet.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The agent's version, from a resource the build writes. */
final class AgentVersion {

  private AgentVersion() {}

  static String get() {
    try (InputStream in = AgentVersion.class.getResourceAsStream("/io/bitnet/agent/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
