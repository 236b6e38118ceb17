package io.bitnet.it.e2e;

import io.bitnet.testing.ChildJvm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/** The Zipkin server executable jar (declared in the build), in memory, on a free loopback port. */
final class ZipkinServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  final ChildJvm child;
  final int port;

  private ZipkinServer(ChildJvm child, int port) {
    this.child = child;
    this.port = port;
  }

  static ZipkinServer start() throws Exception {
    int port = Processes.freePort();
    ChildJvm child = new ChildJvm(List.of(ChildJvm.java(), "-Xmx256m", "-jar",
        Processes.jar("zipkin.jar").toString(), "--server.port=" + port, "--server.address=127.0.0.1"));
    ZipkinServer z = new ZipkinServer(child, port);
    long deadline = System.nanoTime() + Processes.STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (Processes.get("http://127.0.0.1:" + port + "/health").statusCode() == 200) {
          return z;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(200);
    }
    z.close();
    throw new AssertionError("Zipkin did not start:\n" + child.output());
  }

  String spansEndpoint() {
    return "http://127.0.0.1:" + port + "/api/v2/spans";
  }

  /** Every trace of a service, as Zipkin's v2 JSON: an array of traces, each an array of spans. */
  JsonNode traces(String service) throws Exception {
    return JSON.readTree(Processes.get("http://127.0.0.1:" + port + "/api/v2/traces?limit=1000&serviceName=" + service)
        .body());
  }

  @Override
  public void close() {
    child.close();
  }
}
