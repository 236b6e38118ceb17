package io.bitnet.agent.health;

/** The health endpoints, each with the {@code check_type} label of its metrics. */
public enum Probe {
  /** Every component. */
  HEALTH("health", "/health"),
  /** The process is up and the inference engine is not stalled. */
  LIVE("live", "/health/live"),
  /** A model is loaded, the kernels work, and the heap has headroom. */
  READY("ready", "/health/ready"),
  /** A model has loaded once. */
  STARTED("started", "/health/started");

  private final String checkType;
  private final String path;

  Probe(String checkType, String path) {
    this.checkType = checkType;
    this.path = path;
  }

  public String checkType() {
    return checkType;
  }

  public String path() {
    return path;
  }
}
