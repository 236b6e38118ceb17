package io.bitnet.agent.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * What the SDK-side components (health, SLA, anomaly detection, dashboard) read from the agent's own
 * spans: span and event names and the attribute keys, in one place. The advice writes them; these
 * components only match them.
 */
public final class ConsumedSpans {

  private ConsumedSpans() {}

  /** The model load span, scope {@code io.bitnet.runtime}. */
  public static final String MODEL_LOAD = "bitnet.model.load";

  /** Prefix of the inference span name, {@code text_completion {model}}. */
  public static final String INFERENCE_PREFIX = "text_completion";

  /** Prefix of the kernel spans {@code quantization_quantize} and {@code quantization_dequantize}. */
  public static final String KERNEL_PREFIX = "quantization_";

  /** Set on the inference span and on no other: what marks a span as an inference request. */
  public static final AttributeKey<String> OPERATION_NAME = BitNetAttributes.GEN_AI_OPERATION_NAME;

  /** The event at the first generated token, on the inference span. */
  public static final String FIRST_TOKEN_EVENT = BitNetAttributes.FIRST_TOKEN_EVENT;

  public static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  public static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  public static final AttributeKey<List<String>> FINISH_REASONS =
      AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");

  /** On kernel spans: NATIVE_AVX512, NATIVE_AVX2, NATIVE_SCALAR or JAVA. */
  public static final AttributeKey<String> KERNEL_BACKEND = BitNetAttributes.KERNEL_BACKEND;

  /** The backend name that means the native kernels did not load. */
  public static final String JAVA_BACKEND = "JAVA";

  /** The finish reason of a failed generation. */
  public static final String FINISH_ERROR = "error";

  // the exception event that Span.recordException writes
  public static final String EXCEPTION_EVENT = "exception";
  public static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  public static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");
}
