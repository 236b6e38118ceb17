package io.bitnet.agent.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One component's state, as a check in the MicroProfile Health JSON: a name, UP or DOWN, and data whose
 * values are strings, numbers or booleans, in insertion order.
 */
public record ComponentHealth(String name, boolean up, Map<String, Object> data) {

  public ComponentHealth {
    data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
  }

  public static ComponentHealth up(String name, Map<String, Object> data) {
    return new ComponentHealth(name, true, data);
  }

  public static ComponentHealth down(String name, Map<String, Object> data) {
    return new ComponentHealth(name, false, data);
  }

  public String status() {
    return up ? "UP" : "DOWN";
  }
}
