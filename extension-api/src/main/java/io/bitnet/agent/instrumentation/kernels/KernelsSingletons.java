package io.bitnet.agent.instrumentation.kernels;

import io.bitnet.agent.config.BitNetConfig;
import io.bitnet.agent.config.BitNetConfigHolder;
import io.bitnet.agent.telemetry.BitNetAttributes;
import io.bitnet.kernels.BackendSelection;
import io.bitnet.kernels.QuantizationFormat;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleGauge;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Tracer;
import java.util.Set;
import io.opentelemetry.context.Context;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The instruments of the kernel instrumentation, created once; attributes built once per format. */
public final class KernelsSingletons {

  static final String SCOPE = "io.bitnet.kernels";

  static final int QUANTIZE = 0;
  static final int DEQUANTIZE = 1;
  static final int MATMUL = 2;
  static final String[] OPERATIONS = {"quantize", "dequantize", "matmul"};

  private static final Tracer TRACER = GlobalOpenTelemetry.getTracer(SCOPE);
  private static final Meter METER = GlobalOpenTelemetry.getMeter(SCOPE);
  private static final BitNetConfig CONFIG = BitNetConfigHolder.get();

  /**
   * [format][operation]: operations counted. A LongAdder per label set, read by an asynchronous
   * counter, costs a few ns per call where a synchronous counter's attribute lookup costs tens: a
   * decode step makes hundreds of matmul calls.
   */
  private static final LongAdder[][] OPERATION_COUNTS = new LongAdder[3][3];
  private static final DoubleHistogram DURATION = METER.histogramBuilder("bitnet.quantization.processing.duration")
      .setDescription("Time spent in quantize, dequantize and matmul").setUnit("s")
      .setExplicitBucketBoundariesAdvice(BitNetAttributes.KERNEL_SECONDS).build();
  private static final DoubleHistogram ACCURACY = METER.histogramBuilder("bitnet.quantization.accuracy.ratio")
      .setDescription("Cosine similarity of quantized results against FP32, sampled")
      .setExplicitBucketBoundariesAdvice(BitNetAttributes.ACCURACY).build();
  private static final DoubleGauge SCALE = METER.gaugeBuilder("bitnet.quantization.scale_factor")
      .setDescription("Per-tensor weight scale (absmean)").build();
  private static final LongCounter FALLBACKS = METER.counterBuilder("bitnet.device.fallback.events")
      .setDescription("Kernel backends falling back to another backend").setUnit("{event}").build();

  /** [format][operation]: the labels of the counter. */
  private static final Attributes[][] COUNTER_ATTRIBUTES = new Attributes[3][3];
  /** [format][operation]: the labels of the duration and accuracy histograms, and span attributes. */
  private static final Attributes[][] HISTOGRAM_ATTRIBUTES = new Attributes[3][3];

  private static final Set<String> BACKENDS = ConcurrentHashMap.newKeySet();
  private static final TensorNames TENSOR_NAMES = new TensorNames(CONFIG.maxTensorSeries());

  static {
    for (QuantizationFormat f : QuantizationFormat.values()) {
      for (int op = 0; op < 3; op++) {
        COUNTER_ATTRIBUTES[f.ordinal()][op] = Attributes.of(
            BitNetAttributes.QUANTIZATION_FORMAT, f.label(), BitNetAttributes.OPERATION, OPERATIONS[op],
            BitNetAttributes.DEVICE, "cpu");
        HISTOGRAM_ATTRIBUTES[f.ordinal()][op] = Attributes.of(
            BitNetAttributes.QUANTIZATION_FORMAT, f.label(), BitNetAttributes.OPERATION, OPERATIONS[op]);
        OPERATION_COUNTS[f.ordinal()][op] = new LongAdder();
      }
    }
    METER.counterBuilder("bitnet.quantization.operations")
        .setDescription("Quantization, dequantization and matmul operations").setUnit("{operation}")
        .buildWithCallback(m -> {
          for (int f = 0; f < 3; f++) {
            for (int op = 0; op < 3; op++) {
              long count = OPERATION_COUNTS[f][op].sum();
              if (count > 0) { // a series appears with its first call, as a synchronous counter's would
                m.record(count, COUNTER_ATTRIBUTES[f][op]);
              }
            }
          }
        });
    // Prometheus client 1.x reserves the "_info" suffix for info metrics and strips it from a gauge, so
    // this exports as bitnet_kernel_backend (docs/telemetry.md).
    METER.gaugeBuilder("bitnet.kernel.backend.info").ofLongs()
        .setDescription("The kernel backend in use (value 1)")
        .buildWithCallback(m -> {
          for (String b : BACKENDS) {
            int sep = b.indexOf('/');
            m.record(1, Attributes.of(BitNetAttributes.BACKEND, b.substring(0, sep), BitNetAttributes.SIMD, b.substring(sep + 1)));
          }
        });
  }

  private KernelsSingletons() {}

  static Tracer tracer() {
    return TRACER;
  }

  static BitNetConfig config() {
    return CONFIG;
  }

  /**
   * Counts one operation and records its duration. The root context keeps the SDK from offering each
   * measurement to the exemplar reservoir: thousands of kernel calls per request would each pay for it,
   * and their exemplars would only point at the request span that the latency histograms already link.
   */
  static void record(QuantizationFormat format, int operation, double seconds) {
    OPERATION_COUNTS[format.ordinal()][operation].increment();
    DURATION.record(seconds, HISTOGRAM_ATTRIBUTES[format.ordinal()][operation], Context.root());
  }

  /** Threads inside the agent's own accuracy check: the kernel calls it makes are not the application's. */
  private static final AtomicInteger OWN_CALLS_IN_FLIGHT = new AtomicInteger();
  private static final ThreadLocal<boolean[]> OWN_CALL = ThreadLocal.withInitial(() -> new boolean[1]);

  /** True while this thread runs the agent's own accuracy check; a plain volatile read on the usual path. */
  static boolean inOwnCall() {
    return OWN_CALLS_IN_FLIGHT.get() != 0 && OWN_CALL.get()[0];
  }

  static void beginOwnCall() {
    OWN_CALL.get()[0] = true;
    OWN_CALLS_IN_FLIGHT.incrementAndGet();
  }

  static void endOwnCall() {
    OWN_CALLS_IN_FLIGHT.decrementAndGet();
    OWN_CALL.get()[0] = false;
  }

  static void recordAccuracy(QuantizationFormat format, int operation, double cosine) {
    if (!Double.isNaN(cosine)) {
      ACCURACY.record(cosine, HISTOGRAM_ATTRIBUTES[format.ordinal()][operation]);
    }
  }

  static Attributes spanAttributes(QuantizationFormat format, int operation) {
    return HISTOGRAM_ATTRIBUTES[format.ordinal()][operation];
  }

  static void recordScale(String tensorName, QuantizationFormat format, float scale) {
    SCALE.set(scale, Attributes.of(BitNetAttributes.TENSOR_NAME, TENSOR_NAMES.label(tensorName),
        BitNetAttributes.QUANTIZATION_FORMAT, format.label()));
  }

  static String tensorLabel(String tensorName) {
    return TENSOR_NAMES.label(tensorName);
  }

  /** Records which backend a kernels instance runs, and a fallback event when it is not the one wanted. */
  static void recordBackend(BackendSelection selection) {
    String backend = selection.backend().name().toLowerCase(java.util.Locale.ROOT);
    BACKENDS.add(backend + "/" + selection.backend().simd());
    selection.fallbackKind().ifPresent(kind -> FALLBACKS.add(1, Attributes.of(
        BitNetAttributes.FROM_DEVICE, selection.requested().map(b -> b.simd()).orElse("native"),
        BitNetAttributes.TO_DEVICE, selection.backend().simd(),
        BitNetAttributes.REASON, kind.label())));
  }

  static boolean sampleAccuracy() {
    double ratio = CONFIG.accuracySampleRatio();
    return ratio > 0 && (ratio >= 1 || java.util.concurrent.ThreadLocalRandom.current().nextDouble() < ratio);
  }
}
