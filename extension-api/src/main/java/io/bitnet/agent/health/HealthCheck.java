package io.bitnet.agent.health;

/** A health component: a fixed name, the subsystem it watches, and its state now. Never throws. */
public interface HealthCheck {

  /** The check's name in the JSON and the {@code component} label, e.g. {@code model_manager}. */
  String name();

  /** The {@code subsystem} label, e.g. {@code model}. */
  String subsystem();

  /** The state now; cheap enough to run on every probe and every metric collection. */
  ComponentHealth check();
}
