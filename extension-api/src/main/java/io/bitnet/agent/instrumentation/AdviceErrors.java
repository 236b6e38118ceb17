package io.bitnet.agent.instrumentation;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where advice helpers put the exceptions they catch: telemetry for that call is dropped, the
 * application goes on, and the first one is logged once (with its stack trace) so that it is seen
 * without flooding the log.
 */
public final class AdviceErrors {

  private static final Logger LOG = Logger.getLogger(AdviceErrors.class.getName());
  private static final AtomicBoolean LOGGED = new AtomicBoolean();
  private static final LongAdder COUNT = new LongAdder();

  private AdviceErrors() {}

  public static void report(String where, Throwable error) {
    COUNT.increment();
    if (LOGGED.compareAndSet(false, true)) {
      LOG.log(Level.WARNING, "bitnet-agent: instrumentation error in " + where
          + "; telemetry for that call is dropped and the application continues (logged once): " + error, error);
    }
  }

  /** Errors reported so far, in this helper class loader. */
  public static long count() {
    return COUNT.sum();
  }
}
