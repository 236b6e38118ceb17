package io.bitnet.runtime;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from logits: greedy at temperature 0, otherwise softmax at the temperature,
 * restricted to the top-p nucleus, drawn with a seeded generator. One per request; not thread-safe.
 */
public final class Sampler {

  private final float temperature;
  private final float topP;
  private final SplittableRandom random;
  private float[] probs = new float[0];
  private long[] order = new long[0];

  /**
   * @param temperature 0 for greedy, else positive
   * @param topP in (0, 1]; 1 keeps every token
   * @param seed the same seed and logits give the same tokens
   */
  public Sampler(float temperature, float topP, long seed) {
    if (!(temperature >= 0) || Float.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be finite and at least 0, got " + temperature);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
    }
    this.temperature = temperature;
    this.topP = topP;
    this.random = new SplittableRandom(seed);
  }

  /** The next token among {@code logits[0 .. n)}. */
  public int sample(float[] logits, int n) {
    if (temperature == 0) {
      return argmax(logits, n);
    }
    if (probs.length < n) {
      probs = new float[n];
    }
    float max = logits[argmax(logits, n)];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      float p = (float) Math.exp((logits[i] - max) / temperature);
      probs[i] = p;
      sum += p;
    }
    if (topP >= 1) {
      return draw(n, sum);
    }
    return drawFromNucleus(n, sum);
  }

  private int draw(int n, double sum) {
    double target = random.nextDouble() * sum;
    double acc = 0;
    for (int i = 0; i < n; i++) {
      acc += probs[i];
      if (acc > target) {
        return i;
      }
    }
    return n - 1;
  }

  /** Sorts by probability (positive float bits sort as their values), keeps the top-p mass. */
  private int drawFromNucleus(int n, double sum) {
    if (order.length < n) {
      order = new long[n];
    }
    for (int i = 0; i < n; i++) {
      order[i] = ((long) Float.floatToIntBits(probs[i]) << 32) | i;
    }
    Arrays.sort(order, 0, n);
    double limit = topP * sum;
    double kept = 0;
    int first = n - 1;
    for (int i = n - 1; i >= 0; i--) {
      kept += probs[(int) order[i]];
      first = i;
      if (kept >= limit) {
        break;
      }
    }
    double target = random.nextDouble() * kept;
    double acc = 0;
    for (int i = n - 1; i >= first; i--) {
      int token = (int) order[i];
      acc += probs[token];
      if (acc > target) {
        return token;
      }
    }
    return (int) order[first];
  }

  private static int argmax(float[] v, int n) {
    int best = 0;
    for (int i = 1; i < n; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }
}
