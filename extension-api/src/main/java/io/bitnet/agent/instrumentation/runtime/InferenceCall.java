package io.bitnet.agent.instrumentation.runtime;

import io.bitnet.runtime.GenerationRequest;

/** One generate call as the instrumenter sees it: the request, and the model that serves it. */
public record InferenceCall(GenerationRequest request, String modelId, String format) {}
