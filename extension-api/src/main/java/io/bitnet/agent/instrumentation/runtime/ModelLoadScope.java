package io.bitnet.agent.instrumentation.runtime;

import io.bitnet.agent.instrumentation.AdviceErrors;
import io.bitnet.agent.telemetry.BitNetAttributes;
import io.bitnet.runtime.BitNetModel;
import io.bitnet.runtime.ModelConfig;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/** The {@code bitnet.model.load} span, current while the model loads so its quantize spans nest under it. */
public final class ModelLoadScope {

  private final Span span;
  private final Scope scope;

  private ModelLoadScope(Span span, Scope scope) {
    this.span = span;
    this.scope = scope;
  }

  public static ModelLoadScope start(ModelConfig config) {
    return begin(Attributes.of(
        BitNetAttributes.MODEL_ID_SPAN, config == null ? "unknown" : config.name(),
        BitNetAttributes.QUANTIZATION_FORMAT_SPAN, config == null ? "unknown" : config.format().label()));
  }

  /** A load from a file: the model id and format are set at the end, from the loaded model. */
  public static ModelLoadScope startFromFile(java.nio.file.Path file) {
    return begin(Attributes.of(BitNetAttributes.MODEL_FILE_SPAN,
        file == null || file.getFileName() == null ? "unknown" : file.getFileName().toString()));
  }

  private static ModelLoadScope begin(Attributes attributes) {
    try {
      Span span = RuntimeSingletons.tracer().spanBuilder("bitnet.model.load").setAllAttributes(attributes).startSpan();
      return new ModelLoadScope(span, span.makeCurrent());
    } catch (RuntimeException e) {
      AdviceErrors.report("ModelLoadScope", e);
      return null;
    }
  }

  public static void end(ModelLoadScope s, BitNetModel model, Throwable error) {
    if (s == null) {
      return;
    }
    try {
      s.scope.close();
      if (model != null) {
        s.span.setAttribute(BitNetAttributes.MODEL_ID_SPAN, model.id());
        s.span.setAttribute(BitNetAttributes.QUANTIZATION_FORMAT_SPAN, model.config().format().label());
        s.span.setAttribute(BitNetAttributes.TENSOR_COUNT, (long) model.tensorCount());
        s.span.setAttribute(BitNetAttributes.MODEL_BYTES, model.weightBytes());
      }
      if (error != null) {
        s.span.recordException(error);
        s.span.setStatus(StatusCode.ERROR);
      }
      s.span.end();
    } catch (RuntimeException e) {
      AdviceErrors.report("ModelLoadScope", e);
    }
  }
}
