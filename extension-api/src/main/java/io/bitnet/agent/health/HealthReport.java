package io.bitnet.agent.health;

import java.util.List;
import java.util.Map;

/** The answer to one probe: UP when every check in it is UP. */
public record HealthReport(Probe probe, List<ComponentHealth> checks) {

  public static final int HTTP_UP = 200;
  public static final int HTTP_DOWN = 503;

  public HealthReport {
    checks = List.copyOf(checks);
  }

  public boolean up() {
    for (ComponentHealth c : checks) {
      if (!c.up()) {
        return false;
      }
    }
    return true;
  }

  /** 200 for UP, 503 for DOWN. */
  public int httpStatus() {
    return up() ? HTTP_UP : HTTP_DOWN;
  }

  /** The check of that name, or null. */
  public ComponentHealth check(String name) {
    for (ComponentHealth c : checks) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    return null;
  }

  /** MicroProfile Health JSON: {@code {"status":"UP","checks":[{"name":..,"status":..,"data":{..}}]}}. */
  public String toJson() {
    StringBuilder sb = new StringBuilder(256);
    sb.append("{\"status\":\"").append(up() ? "UP" : "DOWN").append("\",\"checks\":[");
    for (int i = 0; i < checks.size(); i++) {
      ComponentHealth c = checks.get(i);
      sb.append(i == 0 ? "" : ",").append("{\"name\":");
      string(sb, c.name());
      sb.append(",\"status\":\"").append(c.status()).append('"');
      if (!c.data().isEmpty()) {
        sb.append(",\"data\":{");
        boolean first = true;
        for (Map.Entry<String, Object> e : c.data().entrySet()) {
          sb.append(first ? "" : ",");
          first = false;
          string(sb, e.getKey());
          sb.append(':');
          value(sb, e.getValue());
        }
        sb.append('}');
      }
      sb.append('}');
    }
    return sb.append("]}").toString();
  }

  private static void value(StringBuilder sb, Object v) {
    io.bitnet.agent.telemetry.Json.value(sb, v == null ? "" : v);
  }

  static void string(StringBuilder sb, String s) {
    io.bitnet.agent.telemetry.Json.string(sb, s);
  }
}
