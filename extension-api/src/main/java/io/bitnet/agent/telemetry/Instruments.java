package io.bitnet.agent.telemetry;

import java.util.List;

/** Closing observable instruments (which stops their callbacks) without letting a failure escape. */
public final class Instruments {

  private Instruments() {}

  public static void closeAll(List<? extends AutoCloseable> instruments) {
    for (AutoCloseable c : instruments) {
      try {
        c.close();
      } catch (Exception e) {
        // closing is best effort
      }
    }
    instruments.clear();
  }
}
