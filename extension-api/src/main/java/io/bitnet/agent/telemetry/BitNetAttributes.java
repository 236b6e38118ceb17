package io.bitnet.agent.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/** The attribute keys and span event names of the telemetry catalog (docs/telemetry.md), in one place. */
public final class BitNetAttributes {

  private BitNetAttributes() {}

  // metric labels
  public static final AttributeKey<String> QUANTIZATION_FORMAT = AttributeKey.stringKey("quantization_format");
  public static final AttributeKey<String> OPERATION = AttributeKey.stringKey("operation");
  public static final AttributeKey<String> DEVICE = AttributeKey.stringKey("device");
  public static final AttributeKey<String> TENSOR_NAME = AttributeKey.stringKey("tensor_name");
  public static final AttributeKey<String> MODEL_ID = AttributeKey.stringKey("model_id");
  public static final AttributeKey<String> STATUS = AttributeKey.stringKey("status");
  public static final AttributeKey<String> PRIORITY = AttributeKey.stringKey("priority");
  public static final AttributeKey<String> BACKEND = AttributeKey.stringKey("backend");
  public static final AttributeKey<String> SIMD = AttributeKey.stringKey("simd");
  public static final AttributeKey<String> FROM_DEVICE = AttributeKey.stringKey("from_device");
  public static final AttributeKey<String> TO_DEVICE = AttributeKey.stringKey("to_device");
  public static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");

  // span attributes (the architecture record's names, beside the GenAI conventions)
  public static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("request.id");
  public static final AttributeKey<String> MODEL_ID_SPAN = AttributeKey.stringKey("model.id");
  public static final AttributeKey<String> QUANTIZATION_FORMAT_SPAN = AttributeKey.stringKey("quantization.format");
  public static final AttributeKey<String> QUANTIZATION_OPERATION = AttributeKey.stringKey("quantization.operation");
  public static final AttributeKey<String> TENSOR_NAME_SPAN = AttributeKey.stringKey("tensor.name");
  public static final AttributeKey<String> BITNET_OPERATION = AttributeKey.stringKey("bitnet.operation");
  public static final AttributeKey<Double> REQUEST_CPU_TIME = AttributeKey.doubleKey("bitnet.request.cpu_time");
  public static final AttributeKey<Long> REQUEST_ALLOCATED_BYTES = AttributeKey.longKey("bitnet.request.allocated_bytes");
  public static final AttributeKey<Long> TOKEN_COUNT = AttributeKey.longKey("bitnet.token_count");
  public static final AttributeKey<Long> TENSOR_COUNT = AttributeKey.longKey("bitnet.model.tensor_count");
  public static final AttributeKey<Long> MODEL_BYTES = AttributeKey.longKey("bitnet.model.bytes");
  public static final AttributeKey<String> MODEL_FILE_SPAN = AttributeKey.stringKey("bitnet.model.file");
  public static final AttributeKey<Long> TOKEN_INDEX = AttributeKey.longKey("bitnet.token.index");
  public static final AttributeKey<String> TOKEN_TEXT = AttributeKey.stringKey("bitnet.token.text");
  public static final AttributeKey<String> KERNEL_BACKEND = AttributeKey.stringKey("bitnet.kernel.backend");
  public static final AttributeKey<Long> TENSOR_ROWS = AttributeKey.longKey("tensor.rows");
  public static final AttributeKey<Long> TENSOR_COLS = AttributeKey.longKey("tensor.cols");
  public static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("bitnet.batch_size");
  public static final AttributeKey<Double> QUEUE_TIME = AttributeKey.doubleKey("bitnet.queue_time");
  public static final AttributeKey<String> PROMPT = AttributeKey.stringKey("gen_ai.prompt");
  public static final AttributeKey<String> COMPLETION = AttributeKey.stringKey("gen_ai.completion");
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  /** GenAI semantic-convention keys: on the inference span, and labels of the {@code gen_ai.server.*} metrics. */
  public static final AttributeKey<String> GEN_AI_OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
  public static final AttributeKey<String> GEN_AI_PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
  public static final AttributeKey<String> GEN_AI_REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");

  /** The event at the first generated token, on the inference span: the advice writes it, the components read it. */
  public static final String FIRST_TOKEN_EVENT = "gen_ai.first_token";

  /** Resource attributes. */
  public static final AttributeKey<String> AGENT_VERSION = AttributeKey.stringKey("bitnet.agent.version");
  public static final AttributeKey<String> FORMATS = AttributeKey.stringKey("bitnet.quantization.formats");
  public static final AttributeKey<String> DEVICE_CAPABILITIES = AttributeKey.stringKey("bitnet.device.capabilities");

  /**
   * Histogram buckets of the catalog, in seconds unless named otherwise. The kernel calls' buckets are
   * {@code KernelDurations.BOUNDARIES_SECONDS}.
   */
  public static final List<Double> ACCURACY = List.of(0.5, 0.8, 0.9, 0.95, 0.99, 0.995, 0.999, 1.0);
  public static final List<Double> INFERENCE_SECONDS =
      List.of(0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0);
  public static final List<Double> TOKENS_PER_SECOND =
      List.of(1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0, 200.0, 500.0);
  public static final List<Double> SHORT_SECONDS =
      List.of(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);
  /** The GenAI semantic conventions' recommended buckets. */
  public static final List<Double> GEN_AI_REQUEST_SECONDS =
      List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);
  public static final List<Double> GEN_AI_TTFT_SECONDS =
      List.of(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);
  public static final List<Double> GEN_AI_TPOT_SECONDS =
      List.of(0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5);
}
