package io.bitnet.it.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OTLP as Jaeger receives it, and trace backends that fail: down from the start, killed mid-run, or
 * accepting connections and never answering. Responses stay the same and memory stays bounded: the
 * export queue drops spans instead of keeping them.
 */
class TraceBackendIT {

  /** Enough spans to matter: every matmul gets a span (14 per token on the tiny model). */
  private static final String MATMUL_SPANS = "-Dbitnet.trace.matmul-spans=true";
  private static final String REQUEST = "{\"prompt\":\"backend\",\"max_tokens\":8,\"temperature\":0}";

  @Test
  void otlpSpansDecodeWithTheOfficialProtoClasses() throws Exception {
    try (OtlpListener otlp = new OtlpListener();
        Processes.App app = Processes.App.start(Processes.App.bitnetAgent("-Dotel.traces.exporter=otlp",
            "-Dotel.exporter.otlp.protocol=http/protobuf", "-Dotel.exporter.otlp.endpoint=" + otlp.endpoint()))) {
      assertEquals(200, app.complete(REQUEST).statusCode());
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline && (otlp.named("text_completion tiny").isEmpty()
          || otlp.named("POST /v1/completions").isEmpty() || otlp.named("bitnet.decode").isEmpty())) {
        Thread.sleep(100);
      }
      Span gen = otlp.named("text_completion tiny").get(0);
      Span http = otlp.named("POST /v1/completions").get(0);
      assertEquals(http.getSpanId(), gen.getParentSpanId());
      assertEquals(Span.SpanKind.SPAN_KIND_INTERNAL, gen.getKind());
      assertEquals("tiny", attribute(gen, "gen_ai.request.model"));
      assertEquals("bitnet", attribute(gen, "gen_ai.provider.name"));
      assertTrue(gen.getEventsList().stream().anyMatch(e -> e.getName().equals("gen_ai.first_token")));
      assertEquals(gen.getSpanId(), otlp.named("bitnet.decode").get(0).getParentSpanId());
      assertEquals(14, otlp.named("quantization_quantize").size());
    }
  }

  @Test
  void backendDownFromTheStartChangesNothingAndKeepsNothing() throws Exception {
    int closed = Processes.freePort();
    try (Processes.App app = Processes.App.start(Processes.App.bitnetAgent(MATMUL_SPANS, "-Dotel.traces.exporter=otlp",
        "-Dotel.exporter.otlp.protocol=http/protobuf", "-Dotel.exporter.otlp.endpoint=http://127.0.0.1:" + closed))) {
      assertResponsesUnchangedAndHeapBounded(app, null);
    }
  }

  @Test
  void backendKilledMidRunChangesNothingAndKeepsNothing() throws Exception {
    ZipkinServer zipkin = ZipkinServer.start();
    try (Processes.App app = Processes.App.start(Processes.App.bitnetAgent(MATMUL_SPANS, "-Dotel.traces.exporter=zipkin",
        "-Dotel.exporter.zipkin.endpoint=" + zipkin.spansEndpoint()))) {
      assertResponsesUnchangedAndHeapBounded(app, zipkin::close);
    } finally {
      zipkin.close();
    }
  }

  @Test
  void backendThatNeverAnswersChangesNothingAndKeepsNothing() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(silent.accept());
          }
        } catch (IOException closed) {
          // test over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      try (Processes.App app = Processes.App.start(Processes.App.bitnetAgent(MATMUL_SPANS, "-Dotel.traces.exporter=otlp",
          "-Dotel.exporter.otlp.protocol=http/protobuf", "-Dotel.exporter.otlp.timeout=1s",
          "-Dotel.exporter.otlp.endpoint=http://127.0.0.1:" + silent.getLocalPort()))) {
        assertResponsesUnchangedAndHeapBounded(app, null);
      }
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  /**
   * Sends 150 identical greedy requests (about 17,000 spans with matmul spans on): every answer equals
   * the first, and the heap after a full GC grows by far less than keeping those spans would take.
   */
  private static void assertResponsesUnchangedAndHeapBounded(Processes.App app, Runnable midRun) throws Exception {
    String first = text(app.complete(REQUEST).body());
    for (int i = 0; i < 20; i++) {
      assertEquals(first, text(app.complete(REQUEST).body()));
    }
    long before = app.child.heapUsedAfterGc();
    if (midRun != null) {
      midRun.run();
    }
    for (int i = 0; i < 150; i++) {
      var r = app.complete(REQUEST);
      assertEquals(200, r.statusCode());
      assertEquals(first, text(r.body()));
    }
    long after = app.child.heapUsedAfterGc();
    assertTrue(after - before < 16L << 20,
        "heap after GC grew by " + ((after - before) >> 10) + " KiB over 150 requests with an unusable backend");
  }

  private static String text(String body) throws IOException {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).path("choices").get(0).path("text").asText();
  }

  private static String attribute(Span span, String key) {
    for (KeyValue kv : span.getAttributesList()) {
      if (kv.getKey().equals(key)) {
        return kv.getValue().getStringValue();
      }
    }
    return null;
  }
}
