package io.bitnet.runtime;

import io.bitnet.kernels.QuantizationFormat;
import java.util.List;
import java.util.Locale;

/**
 * The shape of a BitNet b1.58 decoder.
 *
 * @param name the preset name, used as the model id
 * @param vocabSize tokens in the vocabulary (rows of the tied embedding / LM head)
 * @param hidden model width
 * @param ffn width of the gated feed-forward layer
 * @param layers decoder layers
 * @param heads attention heads
 * @param kvHeads key/value heads (grouped-query attention); divides {@code heads}
 * @param contextLength the most tokens a sequence may hold, prompt and completion together
 * @param ropeTheta RoPE base frequency
 * @param rmsEps RMSNorm epsilon
 * @param format the ternary format of every linear layer
 */
public record ModelConfig(
    String name,
    int vocabSize,
    int hidden,
    int ffn,
    int layers,
    int heads,
    int kvHeads,
    int contextLength,
    float ropeTheta,
    float rmsEps,
    QuantizationFormat format) {

  /** For tests: loads in milliseconds. The vocabulary is the byte tokenizer's. */
  public static final ModelConfig TINY =
      new ModelConfig("tiny", ByteTokenizer.VOCAB_SIZE, 128, 384, 2, 4, 2, 256, 10000f, 1e-5f, QuantizationFormat.I2_S);

  /** A small model for demos and benchmarks. */
  public static final ModelConfig SMALL =
      new ModelConfig("small", ByteTokenizer.VOCAB_SIZE, 512, 1408, 6, 8, 4, 1024, 10000f, 1e-5f, QuantizationFormat.I2_S);

  /** The shapes of Microsoft's bitnet-b1.58-2B-4T. */
  public static final ModelConfig B2_4T =
      new ModelConfig("2b-4t", 128256, 2560, 6912, 30, 20, 5, 4096, 500000f, 1e-5f, QuantizationFormat.I2_S);

  public ModelConfig {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    requirePositive(vocabSize, "vocabSize");
    requirePositive(layers, "layers");
    requirePositive(heads, "heads");
    requirePositive(kvHeads, "kvHeads");
    requirePositive(contextLength, "contextLength");
    if (format == null) {
      throw new IllegalArgumentException("format must not be null");
    }
    if (vocabSize < ByteTokenizer.VOCAB_SIZE) {
      throw new IllegalArgumentException(
          "vocabSize must be at least " + ByteTokenizer.VOCAB_SIZE + " (the byte tokenizer's), got " + vocabSize);
    }
    if (hidden <= 0 || hidden % QuantizationFormat.BLOCK_SIZE != 0) {
      throw new IllegalArgumentException("hidden must be a positive multiple of 128, got " + hidden);
    }
    if (ffn <= 0 || ffn % QuantizationFormat.BLOCK_SIZE != 0) {
      throw new IllegalArgumentException("ffn must be a positive multiple of 128, got " + ffn);
    }
    if (hidden % heads != 0 || (hidden / heads) % 2 != 0) {
      throw new IllegalArgumentException("hidden (" + hidden + ") must split into heads (" + heads + ") of even size");
    }
    if (heads % kvHeads != 0) {
      throw new IllegalArgumentException("kvHeads (" + kvHeads + ") must divide heads (" + heads + ")");
    }
    if (!(ropeTheta > 0) || !(rmsEps > 0)) {
      throw new IllegalArgumentException("ropeTheta and rmsEps must be positive");
    }
  }

  private static void requirePositive(int v, String name) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + v);
    }
  }

  /** The presets by name: {@code tiny}, {@code small}, {@code 2b-4t}. */
  public static List<ModelConfig> presets() {
    return List.of(TINY, SMALL, B2_4T);
  }

  /** The preset with this name (case-insensitive). */
  public static ModelConfig preset(String name) {
    for (ModelConfig c : presets()) {
      if (c.name.equalsIgnoreCase(name == null ? "" : name.trim())) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown model '" + name + "'; presets: " + presets().stream().map(ModelConfig::name).toList());
  }

  /** A copy in another ternary format. */
  public ModelConfig withFormat(QuantizationFormat f) {
    return new ModelConfig(name, vocabSize, hidden, ffn, layers, heads, kvHeads, contextLength, ropeTheta, rmsEps, f);
  }

  public int headDim() {
    return hidden / heads;
  }

  public int kvDim() {
    return kvHeads * headDim();
  }

  /** Ternary weights in all linear layers. */
  public long ternaryWeights() {
    long perLayer = 2L * hidden * hidden + 2L * kvDim() * hidden + 3L * ffn * hidden;
    return perLayer * layers;
  }

  /** Packed bytes of every linear layer: what one decode step streams from memory. */
  public long packedBytes() {
    long total = 0;
    for (int[] s : linearShapes()) {
      total += format.packedSize(s[0], s[1]);
    }
    return total * layers;
  }

  /** The (rows, cols) of one layer's q, k, v, o, gate, up and down projections. */
  int[][] linearShapes() {
    return new int[][] {
      {hidden, hidden}, {kvDim(), hidden}, {kvDim(), hidden}, {hidden, hidden},
      {ffn, hidden}, {ffn, hidden}, {hidden, ffn}
    };
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s (hidden %d, ffn %d, %d layers, %d/%d heads, vocab %d, %s)",
        name, hidden, ffn, layers, heads, kvHeads, vocabSize, format);
  }
}
