package io.bitnet.agent.instrumentation.runtime;

import io.bitnet.agent.config.BitNetConfig;
import io.bitnet.agent.config.BitNetConfigHolder;
import io.bitnet.runtime.GenerationResult;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.instrumentation.api.incubator.semconv.genai.GenAiAttributesExtractor;
import io.opentelemetry.instrumentation.api.incubator.semconv.genai.GenAiSpanNameExtractor;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.instrumenter.SpanKindExtractor;

/** The runtime instrumentation's instrumenter, tracer and metrics, created once. */
public final class RuntimeSingletons {

  static final String SCOPE = "io.bitnet.runtime";

  private static final BitNetConfig CONFIG = BitNetConfigHolder.get();
  private static final Tracer TRACER = GlobalOpenTelemetry.getTracer(SCOPE);
  private static final InferenceMetrics METRICS = new InferenceMetrics(GlobalOpenTelemetry.getMeter(SCOPE));
  private static final Instrumenter<InferenceCall, GenerationResult> INSTRUMENTER = create();

  private RuntimeSingletons() {}

  private static Instrumenter<InferenceCall, GenerationResult> create() {
    InferenceAttributesGetter getter = new InferenceAttributesGetter();
    return Instrumenter.<InferenceCall, GenerationResult>builder(
            GlobalOpenTelemetry.get(), SCOPE, GenAiSpanNameExtractor.create(getter))
        .addAttributesExtractor(GenAiAttributesExtractor.create(getter))
        .addAttributesExtractor(new InferenceAttributesExtractor())
        .buildInstrumenter(SpanKindExtractor.alwaysInternal());
  }

  static Instrumenter<InferenceCall, GenerationResult> instrumenter() {
    return INSTRUMENTER;
  }

  static Tracer tracer() {
    return TRACER;
  }

  static InferenceMetrics metrics() {
    return METRICS;
  }

  static BitNetConfig config() {
    return CONFIG;
  }
}
