package io.bitnet.agent.instrumentation.kernels;

import io.bitnet.agent.bootstrap.KernelDurations;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The instruments of the kernel instrumentation, created once; attributes built once per format. */
public final class KernelsSingletons {

  /** The instrumentation scope of the kernel telemetry. */
  public static final String SCOPE = "io.bitnet.kernels";

  static final int QUANTIZE = 0;
  static final int DEQUANTIZE = 1;
  static final int MATMUL = 2;
  static final String[] OPERATIONS = {"quantize", "dequantize", "matmul"};

  private static final Tracer TRACER = GlobalOpenTelemetry.getTracer(SCOPE);
  private static final Meter METER = GlobalOpenTelemetry.getMeter(SCOPE);
  private static final BitNetConfig CONFIG = BitNetConfigHolder.get();

  /**
   * [format][operation]: the duration histograms, which also count the operations. Kept outside the SDK
   * ({@link KernelDurations}, read by {@code KernelDurationsProducer}): a decode step makes hundreds of
   * matmul calls, and an SDK histogram record costs about 50 ns where these cost a bucket search and two
   * striped-counter increments.
   */
  private static final KernelDurations.Series[][] DURATIONS = new KernelDurations.Series[3][3];
  private static final DoubleHistogram ACCURACY = METER.histogramBuilder("bitnet.quantization.accuracy.ratio")
      .setDescription("Cosine similarity of quantized results against FP32, sampled")
      .setExplicitBucketBoundariesAdvice(BitNetAttributes.ACCURACY).build();
  private static final DoubleGauge SCALE = METER.gaugeBuilder("bitnet.quantization.scale_factor")
      .setDescription("Per-tensor weight scale (absmean)").build();
  private static final LongCounter FALLBACKS = METER.counterBuilder("bitnet.device.fallback.events")
      .setDescription("Kernel backends falling back to another backend").setUnit("{event}").build();

  /** [format][operation]: the labels of the counter. */
  private static final Attributes[][] COUNTER_ATTRIBUTES = new Attributes[3][3];
  /** [format][operation]: the labels of the accuracy histogram, and span attributes. */
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
      }
    }
    try {
      for (QuantizationFormat f : QuantizationFormat.values()) {
        for (int op = 0; op < 3; op++) {
          DURATIONS[f.ordinal()][op] = KernelDurations.series(f.label(), OPERATIONS[op]);
        }
      }
    } catch (LinkageError e) {
      // not on the bootstrap class path: BitNetBootstrapClasses said why; the other kernel metrics stay
    }
    METER.counterBuilder("bitnet.quantization.operations")
        .setDescription("Quantization, dequantization and matmul operations").setUnit("{operation}")
        .buildWithCallback(m -> {
          for (int f = 0; f < 3; f++) {
            for (int op = 0; op < 3; op++) {
              KernelDurations.Series s = DURATIONS[f][op];
              long count = s == null ? 0 : s.count();
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

  /** Records one operation's duration, which also counts it. */
  static void record(QuantizationFormat format, int operation, long nanos) {
    KernelDurations.Series s = DURATIONS[format.ordinal()][operation];
    if (s != null) {
      s.record(nanos);
    }
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
