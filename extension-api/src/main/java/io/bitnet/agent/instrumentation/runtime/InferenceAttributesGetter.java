package io.bitnet.agent.instrumentation.runtime;

import io.bitnet.runtime.GenerationResult;
import io.opentelemetry.instrumentation.api.incubator.semconv.genai.GenAiAttributesGetter;
import java.util.List;

/** Maps a generate call onto the GenAI semantic conventions. */
final class InferenceAttributesGetter implements GenAiAttributesGetter<InferenceCall, GenerationResult> {

  static final String OPERATION = "text_completion";
  static final String PROVIDER = "bitnet";

  @Override
  public String getOperationName(InferenceCall call) {
    return OPERATION;
  }

  @Override
  public String getSystem(InferenceCall call) {
    return PROVIDER;
  }

  @Override
  public String getRequestModel(InferenceCall call) {
    return call.modelId();
  }

  @Override
  public Long getRequestSeed(InferenceCall call) {
    return call.request().seed();
  }

  @Override
  public List<String> getRequestEncodingFormats(InferenceCall call) {
    return null;
  }

  @Override
  public Double getRequestFrequencyPenalty(InferenceCall call) {
    return null;
  }

  @Override
  public Long getRequestMaxTokens(InferenceCall call) {
    return (long) call.request().maxTokens();
  }

  @Override
  public Double getRequestPresencePenalty(InferenceCall call) {
    return null;
  }

  @Override
  public List<String> getRequestStopSequences(InferenceCall call) {
    return null;
  }

  @Override
  public Double getRequestTemperature(InferenceCall call) {
    return (double) call.request().temperature();
  }

  @Override
  public Double getRequestTopK(InferenceCall call) {
    return null;
  }

  @Override
  public Double getRequestTopP(InferenceCall call) {
    return (double) call.request().topP();
  }

  @Override
  public List<String> getResponseFinishReasons(InferenceCall call, GenerationResult result) {
    return result == null ? List.of() : List.of(result.finishReason().label());
  }

  @Override
  public String getResponseId(InferenceCall call, GenerationResult result) {
    return result == null ? null : result.requestId();
  }

  @Override
  public String getResponseModel(InferenceCall call, GenerationResult result) {
    return result == null ? null : result.modelId();
  }

  @Override
  public Long getUsageInputTokens(InferenceCall call, GenerationResult result) {
    return result == null ? null : (long) result.promptTokens();
  }

  @Override
  public Long getUsageOutputTokens(InferenceCall call, GenerationResult result) {
    return result == null ? null : (long) result.completionTokens();
  }
}
