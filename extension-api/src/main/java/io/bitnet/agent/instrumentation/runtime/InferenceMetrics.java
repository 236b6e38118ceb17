package io.bitnet.agent.instrumentation.runtime;

import io.bitnet.agent.telemetry.BitNetAttributes;
import io.bitnet.runtime.GenerationResult;
import io.bitnet.runtime.InferenceEngine;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/** The inference instruments of the catalog, and the GenAI server metrics with their recommended buckets. */
final class InferenceMetrics {

  private final DoubleHistogram duration;
  private final DoubleHistogram tokensPerSecond;
  private final LongCounter requests;
  private final LongUpDownCounter active;
  private final DoubleHistogram queue;
  private final DoubleHistogram ttft;
  private final DoubleHistogram batchFormation;
  private final LongCounter promptTokens;
  private final LongCounter generationTokens;
  private final DoubleHistogram genAiDuration;
  private final DoubleHistogram genAiTtft;
  private final DoubleHistogram genAiTpot;
  private final RequestLabels.Cache labels = new RequestLabels.Cache();
  /** Engines seen, for the waiting gauge; weak so a discarded engine goes away. */
  private final Map<InferenceEngine, Boolean> engines = Collections.synchronizedMap(new WeakHashMap<>());

  InferenceMetrics(Meter meter) {
    duration = histogram(meter, "bitnet.inference.duration", "End-to-end inference request duration", "s",
        BitNetAttributes.INFERENCE_SECONDS);
    tokensPerSecond = histogram(meter, "bitnet.tokens_per_second", "Decode throughput of a request", null,
        BitNetAttributes.TOKENS_PER_SECOND);
    requests = meter.counterBuilder("bitnet.inference.requests").setUnit("{request}")
        .setDescription("Inference requests by status: ok, error, rejected, cancelled").build();
    active = meter.upDownCounterBuilder("bitnet.active_inference_requests")
        .setDescription("Inference requests in progress").build();
    queue = histogram(meter, "bitnet.request.queue.duration", "Time a request waited in the queue", "s",
        BitNetAttributes.SHORT_SECONDS);
    ttft = histogram(meter, "bitnet.time_to_first_token", "Time from submission to the first token", "s",
        BitNetAttributes.SHORT_SECONDS);
    batchFormation = histogram(meter, "bitnet.batch.formation.duration", "Time spent forming a request's batch", "s",
        BitNetAttributes.SHORT_SECONDS);
    promptTokens = meter.counterBuilder("bitnet.prompt.tokens").setUnit("{token}")
        .setDescription("Prompt tokens processed").build();
    generationTokens = meter.counterBuilder("bitnet.generation.tokens").setUnit("{token}")
        .setDescription("Tokens generated").build();
    genAiDuration = histogram(meter, "gen_ai.server.request.duration", "GenAI server request duration", "s",
        BitNetAttributes.GEN_AI_REQUEST_SECONDS);
    genAiTtft = histogram(meter, "gen_ai.server.time_to_first_token", "GenAI time to generate the first token", "s",
        BitNetAttributes.GEN_AI_TTFT_SECONDS);
    genAiTpot = histogram(meter, "gen_ai.server.time_per_output_token", "GenAI time per output token after the first",
        "s", BitNetAttributes.GEN_AI_TPOT_SECONDS);
    meter.gaugeBuilder("bitnet.waiting_inference_requests").ofLongs()
        .setDescription("Inference requests waiting in the queue")
        .buildWithCallback(m -> {
          InferenceEngine[] snapshot;
          synchronized (engines) {
            snapshot = engines.keySet().toArray(new InferenceEngine[0]);
          }
          for (InferenceEngine e : snapshot) {
            m.record(e.waitingRequests(), Attributes.of(BitNetAttributes.MODEL_ID, e.model().id()));
          }
        });
  }

  private static DoubleHistogram histogram(Meter meter, String name, String description, String unit, List<Double> buckets) {
    var b = meter.histogramBuilder(name).setDescription(description).setExplicitBucketBoundariesAdvice(buckets);
    if (unit != null) {
      b.setUnit(unit);
    }
    return b.build();
  }

  void register(InferenceEngine engine) {
    engines.put(engine, Boolean.TRUE);
  }

  /** The attribute sets of a model's requests. */
  RequestLabels labels(String model, String format) {
    return labels.get(model, format);
  }

  void started(Attributes activeAttributes) {
    active.add(1, activeAttributes);
  }

  void finished(Attributes activeAttributes) {
    active.add(-1, activeAttributes);
  }

  /** Records a finished call. {@code result} is null when generate threw. */
  void record(RequestLabels labels, GenerationResult result, String status, double seconds, String errorType) {
    requests.add(1, labels.requests(status));
    duration.record(seconds, labels.duration(status));
    Attributes genAi = labels.genAi(errorType);
    genAiDuration.record(seconds, genAi);
    if (result == null) {
      return;
    }
    Attributes byModel = labels.byModel;
    GenerationResult.Timings t = result.timings();
    promptTokens.add(result.promptTokens(), byModel);
    generationTokens.add(result.completionTokens(), byModel);
    queue.record(t.queued().toNanos() / 1e9, byModel);
    batchFormation.record(t.batchFormation().toNanos() / 1e9, byModel);
    if (result.completionTokens() > 0) {
      double first = t.timeToFirstToken().toNanos() / 1e9;
      ttft.record(first, byModel);
      genAiTtft.record(first, genAi);
    }
    if (result.completionTokens() > 1) {
      double decodeSeconds = t.total().minus(t.timeToFirstToken()).toNanos() / 1e9;
      genAiTpot.record(decodeSeconds / (result.completionTokens() - 1), genAi);
      tokensPerSecond.record(result.tokensPerSecond(), labels.throughput);
    }
  }
}
