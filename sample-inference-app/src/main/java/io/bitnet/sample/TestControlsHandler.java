package io.bitnet.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /test/token-delay?ms=N}: sets the pause after each generated token while the server runs,
 * so that tests can inject a slowdown and take it back. Only registered with {@code --test-controls true}.
 */
final class TestControlsHandler implements HttpHandler {

  private static final long MAX_DELAY_MILLIS = 10_000;

  private final AtomicLong tokenDelayMillis;

  TestControlsHandler(AtomicLong tokenDelayMillis) {
    this.tokenDelayMillis = tokenDelayMillis;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        HttpJson.sendError(exchange, new ApiException(405, "invalid_request_error", null, "use POST"));
        return;
      }
      String query = exchange.getRequestURI().getRawQuery();
      long ms;
      try {
        ms = query != null && query.startsWith("ms=") ? Long.parseLong(query.substring(3)) : -1;
      } catch (NumberFormatException e) {
        ms = -1;
      }
      if (ms < 0 || ms > MAX_DELAY_MILLIS) {
        HttpJson.sendError(exchange, ApiException.badRequest("ms", "ms must be from 0 to " + MAX_DELAY_MILLIS));
        return;
      }
      tokenDelayMillis.set(ms);
      HttpJson.send(exchange, 200, Map.of("token_delay_ms", ms));
    }
  }
}
