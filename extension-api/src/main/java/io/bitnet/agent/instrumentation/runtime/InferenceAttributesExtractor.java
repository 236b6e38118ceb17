package io.bitnet.agent.instrumentation.runtime;

import io.bitnet.agent.config.BitNetConfigHolder;
import io.bitnet.agent.telemetry.BitNetAttributes;
import io.bitnet.runtime.GenerationResult;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.context.Context;
import io.opentelemetry.instrumentation.api.instrumenter.AttributesExtractor;

/** The architecture record's attribute names, what the request cost, and content only when opted in. */
final class InferenceAttributesExtractor implements AttributesExtractor<InferenceCall, GenerationResult> {

  private final boolean captureContent = BitNetConfigHolder.get().captureContent();

  @Override
  public void onStart(AttributesBuilder attributes, Context parentContext, InferenceCall call) {
    attributes.put(BitNetAttributes.REQUEST_ID, call.request().id());
    attributes.put(BitNetAttributes.MODEL_ID_SPAN, call.modelId());
    attributes.put(BitNetAttributes.QUANTIZATION_FORMAT_SPAN, call.format());
    attributes.put(BitNetAttributes.BITNET_OPERATION, "generate");
    if (captureContent) {
      attributes.put(BitNetAttributes.PROMPT, call.request().prompt());
    }
  }

  @Override
  public void onEnd(AttributesBuilder attributes, Context context, InferenceCall call, GenerationResult result,
      Throwable error) {
    if (result == null) {
      return;
    }
    GenerationResult.Timings t = result.timings();
    attributes.put(BitNetAttributes.REQUEST_CPU_TIME, t.cpuTime().toNanos() / 1e9);
    attributes.put(BitNetAttributes.REQUEST_ALLOCATED_BYTES, t.allocatedBytes());
    attributes.put(BitNetAttributes.BATCH_SIZE, t.batchSize());
    attributes.put(BitNetAttributes.QUEUE_TIME, t.queued().toNanos() / 1e9);
    if (captureContent) {
      attributes.put(BitNetAttributes.COMPLETION, result.text());
    }
  }
}
