package io.bitnet.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/** Writes JSON responses and error bodies with explicit content type and length. */
final class HttpJson {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private HttpJson() {}

  static void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = MAPPER.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  static void sendError(HttpExchange exchange, ApiException e) throws IOException {
    ObjectNode error = MAPPER.createObjectNode();
    error.put("message", e.getMessage());
    error.put("type", e.type);
    if (e.param == null) {
      error.putNull("param");
    } else {
      error.put("param", e.param);
    }
    error.putNull("code");
    ObjectNode body = MAPPER.createObjectNode();
    body.set("error", error);
    send(exchange, e.status, body);
  }
}
