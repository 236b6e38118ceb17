package io.bitnet.agent.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet.agent.system.GpuSource;
import io.bitnet.agent.system.Host;
import io.bitnet.agent.telemetry.BitNetAttributes;
import io.bitnet.agent.telemetry.ConsumedSpans;
import io.bitnet.agent.testing.FakeGpus;
import io.bitnet.agent.testing.TestTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Health across the lifecycle, fed only by real spans through the SDK. */
class HealthRegistryTest {

  private static final Host HOST = new Host();

  private final TestClock clock = TestClock.create();
  private final AtomicReference<MemoryUsage> heap = new AtomicReference<>(new MemoryUsage(0, 400, 500, 1000));
  private HealthRegistry health;
  private SdkTracerProvider provider;
  private Tracer runtime;
  private Tracer kernels;

  @BeforeEach
  void setUp() {
    health = new HealthRegistry(new InferenceEngineHealth(Duration.ofSeconds(1), 3),
        new MemoryManagerHealth(heap::get, HOST), new DeviceMonitorHealth(HOST, FakeGpus.none()));
    provider = TestTelemetry.tracerProvider(clock, health.spanProcessors());
    runtime = provider.get("io.bitnet.runtime");
    kernels = provider.get("io.bitnet.kernels");
  }

  @AfterEach
  void tearDown() {
    provider.close();
  }

  private int status(Probe probe) {
    return health.evaluate(probe).httpStatus();
  }

  private void load(String model, Throwable error) {
    Span span = runtime.spanBuilder(ConsumedSpans.MODEL_LOAD)
        .setAttribute(BitNetAttributes.MODEL_ID_SPAN, model).startSpan();
    clock.advance(Duration.ofMillis(1500));
    if (error == null) {
      span.setAttribute(BitNetAttributes.TENSOR_COUNT, 42L);
      span.setAttribute(BitNetAttributes.MODEL_BYTES, 123_456L);
    } else {
      span.recordException(error);
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }

  @Test
  void beforeAnyLoadOnlyLivenessIsUp() {
    assertEquals(503, status(Probe.STARTED));
    assertEquals(503, status(Probe.READY));
    assertEquals(200, status(Probe.LIVE));
    assertEquals(503, status(Probe.HEALTH));
    ComponentHealth model = health.evaluate(Probe.READY).check(ModelManagerHealth.NAME);
    assertEquals("no model loaded", model.data().get("reason"));
    ComponentHealth kernel = health.evaluate(Probe.READY).check(QuantizationEngineHealth.NAME);
    assertTrue(kernel.up());
    assertEquals("no kernel calls yet", kernel.data().get("note"));
  }

  @Test
  void aSuccessfulLoadMakesEveryProbeUp() {
    load("bitnet-b1.58-test", null);
    for (Probe p : Probe.values()) {
      assertEquals(200, status(p), p + ": " + health.evaluate(p).toJson());
    }
    ComponentHealth model = health.evaluate(Probe.HEALTH).check(ModelManagerHealth.NAME);
    assertEquals("bitnet-b1.58-test", model.data().get("model_id"));
    assertEquals(42L, model.data().get("tensor_count"));
    assertEquals(123_456L, model.data().get("bytes"));
    assertEquals(1.5, model.data().get("load_seconds"));
    List<String> names = health.evaluate(Probe.HEALTH).checks().stream().map(ComponentHealth::name).toList();
    assertEquals(List.of("model_manager", "device_monitor", "quantization_engine", "inference_engine",
        "memory_manager"), names);
  }

  @Test
  void aFailedLoadAfterASuccessfulOneFailsReadinessButNotStartup() {
    load("good", null);
    load("broken", new IOException("bad header"));
    assertEquals(503, status(Probe.READY));
    assertEquals(200, status(Probe.STARTED));
    assertEquals(200, status(Probe.LIVE));
    ComponentHealth model = health.evaluate(Probe.READY).check(ModelManagerHealth.NAME);
    assertFalse(model.up());
    assertEquals("broken", model.data().get("model_id"));
    assertEquals("java.io.IOException: bad header", model.data().get("error"));
    assertEquals("good", model.data().get("last_loaded_model_id"));

    load("good", null);
    assertEquals(200, status(Probe.READY));
  }

  @Test
  void aFailedFirstLoadFailsReadinessAndStartup() {
    load("broken", new IllegalStateException("no such file"));
    assertEquals(503, status(Probe.READY));
    assertEquals(503, status(Probe.STARTED));
  }

  @Test
  void aGenerateCallRunningPastTheStallTimeoutFailsLiveness() {
    Span call = runtime.spanBuilder("text_completion bitnet-test")
        .setAttribute(BitNetAttributes.REQUEST_ID, "req-7").startSpan();
    clock.advance(Duration.ofMillis(900));
    assertEquals(200, status(Probe.LIVE));
    ComponentHealth engine = health.evaluate(Probe.LIVE).check(InferenceEngineHealth.NAME);
    assertEquals(1, engine.data().get("in_flight"));
    assertEquals(0.9, engine.data().get("oldest_age_seconds"));

    clock.advance(Duration.ofMillis(200));
    HealthReport live = health.evaluate(Probe.LIVE);
    assertEquals(503, live.httpStatus());
    assertEquals("req-7", live.check(InferenceEngineHealth.NAME).data().get("stalled_request_id"));
    assertTrue(live.toJson().startsWith("{\"status\":\"DOWN\",\"checks\":[{\"name\":\"inference_engine\",\"status\":\"DOWN\""));

    call.end();
    assertEquals(200, status(Probe.LIVE));
    assertEquals(0, health.evaluate(Probe.LIVE).check(InferenceEngineHealth.NAME).data().get("in_flight"));
  }

  @Test
  void inFlightTrackingIsBoundedAndCountsOverflow() {
    List<Span> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(runtime.spanBuilder("text_completion m").startSpan());
    }
    runtime.spanBuilder("bitnet.decode").startSpan(); // not an inference span: never tracked
    ComponentHealth engine = health.evaluate(Probe.LIVE).check(InferenceEngineHealth.NAME);
    assertEquals(3, engine.data().get("in_flight"));
    assertEquals(2L, engine.data().get("untracked_overflow"));
    calls.forEach(Span::end);
    engine = health.evaluate(Probe.LIVE).check(InferenceEngineHealth.NAME);
    assertEquals(0, engine.data().get("in_flight"));
    calls.add(runtime.spanBuilder("text_completion m").startSpan());
    assertEquals(1, health.evaluate(Probe.LIVE).check(InferenceEngineHealth.NAME).data().get("in_flight"));
  }

  @Test
  void kernelFailuresAndTheJavaFallbackShowInTheQuantizationEngine() {
    load("m", null);
    Span parent = runtime.spanBuilder("text_completion m").startSpan();
    kernels.spanBuilder("quantization_quantize").setParent(Context.root().with(parent))
        .setAttribute(ConsumedSpans.KERNEL_BACKEND, "JAVA").startSpan().end();
    ComponentHealth kernel = health.evaluate(Probe.READY).check(QuantizationEngineHealth.NAME);
    assertTrue(kernel.up());
    assertEquals("JAVA", kernel.data().get("backend"));
    assertTrue(((String) kernel.data().get("note")).contains("fallback"));

    Span failed = kernels.spanBuilder("quantization_dequantize").startSpan();
    failed.recordException(new IllegalArgumentException("rows must be positive"));
    failed.setStatus(StatusCode.ERROR);
    failed.end();
    HealthReport ready = health.evaluate(Probe.READY);
    assertEquals(503, ready.httpStatus());
    assertEquals("quantization_dequantize: java.lang.IllegalArgumentException: rows must be positive",
        ready.check(QuantizationEngineHealth.NAME).data().get("last_error"));
    assertEquals(1L, ready.check(QuantizationEngineHealth.NAME).data().get("failures"));

    kernels.spanBuilder("quantization_quantize").setAttribute(ConsumedSpans.KERNEL_BACKEND, "NATIVE_AVX512").startSpan().end();
    kernel = health.evaluate(Probe.READY).check(QuantizationEngineHealth.NAME);
    assertTrue(kernel.up());
    assertEquals("NATIVE_AVX512", kernel.data().get("backend"));
    assertNull(kernel.data().get("note"));
    assertEquals(3L, kernel.data().get("calls"));
    parent.end();
  }

  @Test
  void heapAboveNinetyFivePercentFailsReadiness() {
    load("m", null);
    heap.set(new MemoryUsage(0, 951, 1000, 1000));
    HealthReport ready = health.evaluate(Probe.READY);
    assertEquals(503, ready.httpStatus());
    ComponentHealth memory = ready.check(MemoryManagerHealth.NAME);
    assertEquals(951L, memory.data().get("heap_used_bytes"));
    assertEquals(1000L, memory.data().get("heap_max_bytes"));
    heap.set(new MemoryUsage(0, 950, 1000, 1000));
    assertEquals(200, status(Probe.READY));
  }

  @Test
  void theRealHeapAndHostMemoryAreReported() {
    ComponentHealth memory = new MemoryManagerHealth(HOST).check();
    assertTrue((Long) memory.data().get("heap_used_bytes") > 0);
    assertTrue((Long) memory.data().get("heap_max_bytes") >= (Long) memory.data().get("heap_used_bytes"));
    long available = (Long) memory.data().get("system_available_bytes");
    assertTrue(available > 0 && available <= (Long) memory.data().get("system_total_bytes"));
  }

  @Test
  void theDeviceMonitorIsAlwaysUpAndDescribesCpuAndGpus() {
    ComponentHealth none = new DeviceMonitorHealth(HOST, FakeGpus.none()).check();
    assertTrue(none.up());
    assertEquals(GpuSource.NO_GPU, none.data().get("gpu"));
    assertEquals(Runtime.getRuntime().availableProcessors(), none.data().get("logical_cores"));
    assertFalse(((String) none.data().get("cpu_model")).isEmpty());

    FakeGpus two = new FakeGpus(List.of("NVIDIA H100", "NVIDIA H200"), List.of(10, 20), List.of());
    ComponentHealth gpus = new DeviceMonitorHealth(HOST, two).check();
    assertEquals("NVIDIA H100, NVIDIA H200", gpus.data().get("gpu"));
    assertEquals(2, gpus.data().get("gpu_count"));
  }

  @Test
  void aThrowingCheckIsReportedDownNotThrown() {
    HealthCheck broken = new HealthCheck() {
      @Override
      public String name() {
        return "broken";
      }

      @Override
      public String subsystem() {
        return "test";
      }

      @Override
      public ComponentHealth check() {
        throw new IllegalStateException("boom");
      }
    };
    ComponentHealth c = HealthRegistry.run(broken);
    assertFalse(c.up());
    assertEquals("java.lang.IllegalStateException: boom", c.data().get("error"));
  }
}
