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
    if (v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isFinite(d)) {
        sb.append(d);
      } else {
        sb.append("null");
      }
    } else if (v instanceof Number) {
      sb.append(v);
    } else {
      string(sb, v == null ? "" : v.toString());
    }
  }

  static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (ch < 0x20) {
            sb.append(String.format("\\u%04x", (int) ch));
          } else {
            sb.append(ch);
          }
        }
      }
    }
    sb.append('"');
  }
}
