package io.bitnet.agent.telemetry;

import java.util.Locale;
import java.util.Map;

/**
 * Just enough JSON writing for the management endpoints (health, dashboard): strings escaped, numbers
 * that are not finite written as null, maps and iterables nested. The agent bundles no JSON library.
 */
public final class Json {

  private Json() {}

  /** Appends any of: null, Boolean, Number, CharSequence, Map (string keys), Iterable, double[]; else its string. */
  public static void value(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      sb.append(Double.isFinite(d) ? Double.toString(d) : "null"); // full precision: epoch ms as doubles
    } else if (v instanceof Number) {
      sb.append(v);
    } else if (v instanceof Map<?, ?> map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        sb.append(first ? "" : ",");
        first = false;
        string(sb, String.valueOf(e.getKey()));
        sb.append(':');
        value(sb, e.getValue());
      }
      sb.append('}');
    } else if (v instanceof Iterable<?> items) {
      sb.append('[');
      boolean first = true;
      for (Object item : items) {
        sb.append(first ? "" : ",");
        first = false;
        value(sb, item);
      }
      sb.append(']');
    } else if (v instanceof double[] values) {
      sb.append('[');
      for (int i = 0; i < values.length; i++) {
        sb.append(i == 0 ? "" : ",");
        value(sb, values[i]);
      }
      sb.append(']');
    } else {
      string(sb, v.toString());
    }
  }

  /** Appends a JSON string literal. */
  public static void string(StringBuilder sb, String s) {
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
          if (ch < 0x20 || ch == '<' || ch == '>' || ch == '&') { // also safe to embed in HTML
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
          } else {
            sb.append(ch);
          }
        }
      }
    }
    sb.append('"');
  }

  /** The JSON text of a value. */
  public static String write(Object v) {
    StringBuilder sb = new StringBuilder(256);
    value(sb, v);
    return sb.toString();
  }
}
