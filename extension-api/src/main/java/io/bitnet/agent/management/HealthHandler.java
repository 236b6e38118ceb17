package io.bitnet.agent.management;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.bitnet.agent.health.HealthReport;
import io.bitnet.agent.health.Probe;
import java.io.IOException;
import java.util.function.Function;

/** One health probe as JSON: 200 when UP, 503 when DOWN. */
public final class HealthHandler implements HttpHandler {

  private final Probe probe;
  private final Function<Probe, HealthReport> health;

  public HealthHandler(Probe probe, Function<Probe, HealthReport> health) {
    this.probe = probe;
    this.health = health;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      HealthReport report = health.apply(probe);
      Responses.send(exchange, report.httpStatus(), Responses.JSON, report.toJson());
    } finally {
      exchange.close();
    }
  }
}
