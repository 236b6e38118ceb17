package io.bitnet.agent.dashboard;

import com.sun.net.httpserver.HttpHandler;
import io.bitnet.agent.management.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The dashboard's paths on the management server: the page and its two static files, served from this
 * jar (no CDN, nothing external), and the JSON endpoints.
 */
public final class DashboardEndpoints {

  private static final String RESOURCES = "/io/bitnet/agent/dashboard/";
  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");

  private DashboardEndpoints() {}

  /** Path → handler, for {@code ManagementServer.Builder#handler}. */
  public static Map<String, HttpHandler> handlers(DashboardApi api) {
    Map<String, HttpHandler> h = new LinkedHashMap<>();
    h.put("/dashboard", resource("index.html", "text/html; charset=utf-8"));
    h.put("/dashboard/dashboard.css", resource("dashboard.css", "text/css; charset=utf-8"));
    h.put("/dashboard/dashboard.js", resource("dashboard.js", "text/javascript; charset=utf-8"));
    h.put("/dashboard/api/metrics", exchange -> Responses.send(exchange, 200, Responses.JSON, api.metrics()));
    h.put("/dashboard/api/traces", exchange -> Responses.send(exchange, 200, Responses.JSON, api.traceList()));
    h.put("/dashboard/api/trace", exchange -> {
      String id = query(exchange.getRequestURI().getRawQuery(), "id");
      Optional<String> body = id != null && TRACE_ID.matcher(id).matches() ? api.trace(id) : Optional.empty();
      if (body.isPresent()) {
        Responses.send(exchange, 200, Responses.JSON, body.get());
      } else {
        Responses.send(exchange, 404, Responses.JSON,
            "{\"error\":\"no trace with this id in the buffer (it keeps the last traces only)\"}");
      }
    });
    return h;
  }

  private static String query(String raw, String name) {
    if (raw == null) {
      return null;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return pair.substring(eq + 1);
      }
    }
    return null;
  }

  /** A static file of the page, read once. */
  private static HttpHandler resource(String name, String contentType) {
    byte[] bytes;
    try (InputStream in = DashboardEndpoints.class.getResourceAsStream(RESOURCES + name)) {
      bytes = in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      bytes = null;
    }
    String body = bytes == null ? null : new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    return exchange -> {
      if (body == null) {
        Responses.text(exchange, 404, "dashboard file " + name + " is missing from the agent jar\n");
      } else {
        exchange.getResponseHeaders().set("Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        Responses.send(exchange, 200, contentType, body);
      }
    };
  }
}
