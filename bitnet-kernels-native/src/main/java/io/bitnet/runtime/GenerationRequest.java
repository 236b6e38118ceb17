package io.bitnet.runtime;

import java.time.Duration;
import java.util.UUID;

/**
 * One generation request. Build it with {@link #builder(String)}; {@link InferenceEngine} validates it.
 *
 * @param id unique id, for logs, telemetry and {@link InferenceEngine#cancel}
 * @param prompt the prompt text, not empty
 * @param maxTokens the most tokens to generate, positive, and within the context with the prompt
 * @param temperature 0 for greedy decoding, else positive
 * @param topP nucleus sampling mass, in (0, 1]
 * @param seed the sampler's seed: the same seed gives the same tokens
 * @param priority scheduling priority
 * @param timeout the longest the request may take from submission, or null for the engine's default
 */
public record GenerationRequest(
    String id,
    String prompt,
    int maxTokens,
    float temperature,
    float topP,
    long seed,
    Priority priority,
    Duration timeout) {

  public static Builder builder(String prompt) {
    return new Builder(prompt);
  }

  /** Builder with the defaults: 64 tokens, temperature 0.8, top-p 0.95, seed 0, normal priority. */
  public static final class Builder {
    private String id;
    private final String prompt;
    private int maxTokens = 64;
    private float temperature = 0.8f;
    private float topP = 0.95f;
    private long seed;
    private Priority priority = Priority.NORMAL;
    private Duration timeout;

    private Builder(String prompt) {
      this.prompt = prompt;
    }

    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder maxTokens(int maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    public Builder temperature(float temperature) {
      this.temperature = temperature;
      return this;
    }

    public Builder topP(float topP) {
      this.topP = topP;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder priority(Priority priority) {
      this.priority = priority;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public GenerationRequest build() {
      return new GenerationRequest(
          id == null ? UUID.randomUUID().toString() : id, prompt, maxTokens, temperature, topP, seed,
          priority == null ? Priority.NORMAL : priority, timeout);
    }
  }
}
