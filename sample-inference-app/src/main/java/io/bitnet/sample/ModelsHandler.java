package io.bitnet.sample;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;

/** {@code GET /v1/models}: the one model this server serves. */
final class ModelsHandler implements HttpHandler {

  private final ModelLoader loader;
  private final long created = System.currentTimeMillis() / 1000;

  ModelsHandler(ModelLoader loader) {
    this.loader = loader;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET");
        HttpJson.sendError(exchange, new ApiException(405, "invalid_request_error", null, "use GET for /v1/models"));
        return;
      }
      ObjectNode body = HttpJson.MAPPER.createObjectNode();
      body.put("object", "list");
      ObjectNode model = body.putArray("data").addObject();
      model.put("id", loader.modelId());
      model.put("object", "model");
      model.put("created", created);
      model.put("owned_by", "bitnet");
      model.put("ready", loader.engine().isPresent());
      HttpJson.send(exchange, 200, body);
    }
  }
}
