package io.bitnet.runtime;

import java.time.Duration;
import java.util.Optional;

/**
 * The outcome of one request.
 *
 * @param requestId the request's id
 * @param modelId the model that served it
 * @param text the generated text
 * @param promptTokens tokens in the prompt, BOS included
 * @param completionTokens tokens generated
 * @param finishReason why generation ended
 * @param error what went wrong, for {@link FinishReason#ERROR} and for cancellations with a cause
 * @param timings where the time went
 */
public record GenerationResult(
    String requestId,
    String modelId,
    String text,
    int promptTokens,
    int completionTokens,
    FinishReason finishReason,
    Optional<String> error,
    Timings timings) {

  /**
   * @param queued from submission until a worker took the request into a batch
   * @param batchFormation how long its batch was being formed
   * @param prefill processing the prompt
   * @param timeToFirstToken from submission to the first generated token; zero when there was none
   * @param decode from the first token to the last
   * @param total from submission to completion
   * @param batchSize requests decoded together with this one, itself included
   * @param cpuTime CPU time the engine's threads spent on this request (its share of batched steps)
   * @param allocatedBytes heap bytes the engine's threads allocated for it (its share of batched steps)
   */
  public record Timings(
      Duration queued,
      Duration batchFormation,
      Duration prefill,
      Duration timeToFirstToken,
      Duration decode,
      Duration total,
      int batchSize,
      Duration cpuTime,
      long allocatedBytes) {}

  /** Completion tokens per second of decode, counting from the first token; 0 when undefined. */
  public double tokensPerSecond() {
    double seconds = timings.total().minus(timings.timeToFirstToken()).toNanos() / 1e9;
    return completionTokens > 1 && seconds > 0 ? (completionTokens - 1) / seconds : 0;
  }
}
