package io.bitnet.agent;

import io.opentelemetry.javaagent.extension.AgentListener;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;

/** Starts the SDK-side components once the agent's SDK exists. */
public class BitNetAgentListener implements AgentListener {

  @Override
  public void afterAgent(AutoConfiguredOpenTelemetrySdk sdk) {
    BitNetComponents.get().start(sdk.getOpenTelemetrySdk());
  }
}
