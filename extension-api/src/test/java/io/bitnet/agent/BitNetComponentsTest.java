package io.bitnet.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet.agent.config.BitNetConfig;
import io.bitnet.agent.telemetry.BitNetAttributes;
import io.bitnet.agent.telemetry.ConsumedSpans;
import io.bitnet.agent.testing.FakeGpus;
import io.bitnet.agent.testing.TestTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The components wired as the agent wires them, around a real SDK, probed over real HTTP. */
class BitNetComponentsTest {

  private static final Logger AGENT_LOG = Logger.getLogger("io.bitnet.agent");

  private final TestClock clock = TestClock.create();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final List<LogRecord> warnings = new ArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
        synchronized (warnings) {
          warnings.add(record);
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private BitNetComponents components;
  private OpenTelemetrySdk sdk;

  @BeforeEach
  void captureLogs() {
    AGENT_LOG.addHandler(capture);
  }

  @AfterEach
  void tearDown() {
    AGENT_LOG.removeHandler(capture);
    if (components != null) {
      components.close();
    }
    if (sdk != null) {
      sdk.close();
    }
  }

  /** Builds the SDK the way the agent does: span processors while configuring, start once built. */
  private void start(Map<String, String> properties) {
    Map<String, String> p = new HashMap<>(properties);
    p.putIfAbsent("bitnet.management.port", "0");
    p.putIfAbsent("bitnet.health.stall-timeout", "5s");
    BitNetConfig config = BitNetConfig.parse(p::get).config();
    components = new BitNetComponents(() -> config, clock, FakeGpus.none());
    SdkTracerProviderBuilder tracing = SdkTracerProvider.builder().setClock(clock);
    components.addSpanProcessors(tracing);
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(tracing.build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build())
        .build();
    components.start(sdk);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + components.managementPort() + path);
    return client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private void loadModel(Tracer runtime) {
    runtime.spanBuilder(ConsumedSpans.MODEL_LOAD).setAttribute(BitNetAttributes.MODEL_ID_SPAN, "bitnet-test")
        .setAttribute(BitNetAttributes.TENSOR_COUNT, 7L).setAttribute(BitNetAttributes.MODEL_BYTES, 4096L)
        .startSpan().end();
  }

  @Test
  void probesFollowTheLifecycleOverHttp() throws Exception {
    start(Map.of());
    assertTrue(components.managementPort() > 0);
    Tracer runtime = sdk.getTracer("io.bitnet.runtime");

    assertEquals(503, get("/health/started").statusCode());
    assertEquals(503, get("/health/ready").statusCode());
    assertEquals(200, get("/health/live").statusCode());
    assertEquals(503, get("/health").statusCode());

    loadModel(runtime);
    assertEquals(200, get("/health/started").statusCode());
    assertEquals(200, get("/health/ready").statusCode());
    HttpResponse<String> all = get("/health");
    assertEquals(200, all.statusCode(), all.body());
    assertEquals("application/json", all.headers().firstValue("Content-Type").orElseThrow());
    for (String name : List.of("model_manager", "device_monitor", "quantization_engine", "inference_engine", "memory_manager")) {
      assertTrue(all.body().contains("{\"name\":\"" + name + "\",\"status\":\"UP\""), name + " in " + all.body());
    }
    assertTrue(all.body().contains("\"gpu\":\"no NVIDIA GPU\""), all.body());

    Span stuck = runtime.spanBuilder("text_completion bitnet-test").setAttribute(BitNetAttributes.REQUEST_ID, "r1").startSpan();
    clock.advance(Duration.ofSeconds(6));
    HttpResponse<String> live = get("/health/live");
    assertEquals(503, live.statusCode());
    assertTrue(live.body().contains("\"stalled_request_id\":\"r1\""), live.body());
    stuck.end();
    assertEquals(200, get("/health/live").statusCode());
    assertEquals(404, get("/metrics").statusCode());
    assertTrue(warnings.isEmpty(), warnings.toString());
  }

  @Test
  void registersEveryMetricFamilyFromTheSdkStreams() throws Exception {
    start(Map.of("bitnet.sla.max-latency", "1s"));
    Tracer runtime = sdk.getTracer("io.bitnet.runtime");
    loadModel(runtime);
    Span request = runtime.spanBuilder("text_completion bitnet-test").startSpan();
    clock.advance(Duration.ofSeconds(3));
    request.end();
    assertEquals(200, get("/health/live").statusCode());
    assertEquals(200, get("/health/ready").statusCode());

    Collection<MetricData> metrics = reader.collectAllMetrics();
    for (String name : List.of("bitnet.component.health.status", "bitnet.health.check.duration",
        "bitnet.sla.violations", "bitnet.sla.compliance.ratio", "bitnet.cpu.utilization.ratio", "bitnet.system.memory.usage")) {
      MetricData m = TestTelemetry.require(metrics, name);
      assertEquals(BitNetComponents.METER_NAME, m.getInstrumentationScopeInfo().getName(), name);
    }
    assertEquals(5, TestTelemetry.require(metrics, "bitnet.component.health.status").getLongGaugeData().getPoints().size());
    assertEquals(0.0, TestTelemetry.require(metrics, "bitnet.sla.compliance.ratio").getDoubleGaugeData().getPoints()
        .iterator().next().getValue());
    assertEquals(1, TestTelemetry.longValue(
        TestTelemetry.require(metrics, "bitnet.sla.violations").getLongSumData().getPoints(),
        Attributes.of(AttributeKey.stringKey("violation_type"), "latency", AttributeKey.stringKey("severity"), "critical")));
    assertFalse(metrics.stream().anyMatch(m -> m.getName().startsWith("bitnet.gpu")));
    assertTrue(warnings.isEmpty(), warnings.toString());
  }

  @Test
  void aTakenPortIsOneWarningAndEverythingElseRuns() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      start(Map.of("bitnet.management.host", "127.0.0.1", "bitnet.management.port", String.valueOf(taken.getLocalPort())));
      assertEquals(-1, components.managementPort());
      assertEquals(1, warnings.size(), warnings.toString());
      String message = warnings.get(0).getMessage();
      assertTrue(message.startsWith("bitnet-agent:"), message);
      assertTrue(message.contains(String.valueOf(taken.getLocalPort())), message);
      assertFalse(message.contains("\n"), message);
      // the rest still works: spans are consumed and metrics registered
      loadModel(sdk.getTracer("io.bitnet.runtime"));
      assertTrue(TestTelemetry.metric(reader.collectAllMetrics(), "bitnet.component.health.status").isPresent());
    }
  }

  @Test
  void disabledManagementStartsNoServer() {
    start(Map.of("bitnet.management.enabled", "false"));
    assertEquals(-1, components.managementPort());
    assertTrue(TestTelemetry.metric(reader.collectAllMetrics(), "bitnet.sla.compliance.ratio").isPresent());
    assertTrue(warnings.isEmpty(), warnings.toString());
  }

  @Test
  void startingTwiceIsHarmless() {
    start(Map.of());
    int port = components.managementPort();
    components.start(sdk);
    assertEquals(port, components.managementPort());
    assertTrue(warnings.isEmpty(), warnings.toString());
  }
}
