package io.bitnet.agent.it;

import io.bitnet.testing.ChildJvm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent never breaks the host: each fault leaves the application starting and serving. */
class ResilienceIT {

  private static final String REQUEST = "{\"prompt\":\"still serving\",\"max_tokens\":4}";

  private static void assertServes(AgentHarness app) throws Exception {
    for (int i = 0; i < 3; i++) {
      assertEquals(200, app.complete(REQUEST).statusCode(), app.jvm.output());
    }
  }

  @Test
  void missingNativeLibraryFallsBackToJavaAndSaysSoOnce() throws Exception {
    try (AgentHarness app = AgentHarness.start(AgentHarness.options()
        .jvm("-Djna.nosys=true", "-Djna.noclasspath=true", "-Djna.library.path=/nonexistent"))) {
      assertServes(app);
      PrometheusScrape m = app.scrape();
      assertEquals(1, m.sum("bitnet_device_fallback_events_total", "reason", "native_library_unavailable",
          "to_device", "java"), m.text());
      assertEquals(1, m.sum("bitnet_kernel_backend", "backend", "java", "simd", "java"));
      assertEquals(1, app.jvm.count(l -> l.contains("bitnet-kernels: running JAVA")), app.jvm.output());
    }
  }

  @Test
  void takenMetricsAndManagementPortsLeaveTheAppServing() throws Exception {
    int metrics = ChildJvm.freePort();
    int management = ChildJvm.freePort();
    try (ServerSocket m = new ServerSocket(metrics, 1, InetAddress.getLoopbackAddress());
        ServerSocket h = new ServerSocket(management, 1, InetAddress.getLoopbackAddress());
        AgentHarness app = AgentHarness.start(AgentHarness.options()
            .jvm("-Dotel.exporter.prometheus.port=" + metrics, "-Dbitnet.management.port=" + management))) {
      assertTrue(m.isBound() && h.isBound(), "both ports stay taken by the test");
      assertServes(app);
      assertTrue(app.jvm.isAlive());
      assertTrue(app.jvm.count(l -> l.contains(String.valueOf(management)) && l.contains("bitnet-agent")) <= 1,
          app.jvm.output());
    }
  }

  @Test
  void unreachableOtlpEndpointLeavesTheAppServing() throws Exception {
    int closed = ChildJvm.freePort(); // nothing listens there
    try (AgentHarness app = AgentHarness.start(AgentHarness.options().jvm("-Dotel.traces.exporter=otlp",
        "-Dotel.exporter.otlp.protocol=http/protobuf", "-Dotel.exporter.otlp.endpoint=http://127.0.0.1:" + closed))) {
      assertServes(app);
    }
  }

  @Test
  void otlpEndpointThatNeverAnswersLeavesTheAppServing() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(silent.accept()); // accept, read nothing, answer nothing
          }
        } catch (IOException closed) {
          // test over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      try (AgentHarness app = AgentHarness.start(AgentHarness.options().jvm("-Dotel.traces.exporter=otlp",
          "-Dotel.exporter.otlp.protocol=http/protobuf", "-Dotel.exporter.otlp.timeout=2s",
          "-Dotel.exporter.otlp.endpoint=http://127.0.0.1:" + silent.getLocalPort()))) {
        for (int i = 0; i < 10; i++) {
          assertEquals(200, app.complete(REQUEST).statusCode());
        }
      }
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void badPropertyValuesGetOneWarningEachAndDefaults() throws Exception {
    try (AgentHarness app = AgentHarness.start(AgentHarness.options()
        .jvm("-Dbitnet.sla.window=banana", "-Dbitnet.quantization.accuracy.sample-ratio=7"))) {
      assertServes(app);
      assertEquals(1, app.jvm.count(l -> l.contains("invalid bitnet.sla.window='banana'")), app.jvm.output());
      assertEquals(1, app.jvm.count(l -> l.contains("invalid bitnet.quantization.accuracy.sample-ratio='7'")));
    }
  }
}
