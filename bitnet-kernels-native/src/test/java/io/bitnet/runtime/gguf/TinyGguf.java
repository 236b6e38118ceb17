package io.bitnet.runtime.gguf;

import io.bitnet.kernels.BitNetKernels;
import io.bitnet.kernels.QuantizationFormat;
import io.bitnet.kernels.TernaryTensor;
import io.bitnet.runtime.BitNetModel;
import io.bitnet.runtime.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A tiny BitNet b1.58 model with known weights, as a GGUF file in the 2B-4T layout and as the tensors
 * the runtime builds a reference model from. Embedding rows are {@code q * 2^-k} with {@code q} int8 and
 * a ±127 in every row, so re-quantising them per row at load gives back exactly {@code q} and
 * {@code 2^-k}, in F32 and in F16.
 */
public final class TinyGguf {

  /** The file's {@code general.name}. */
  public static final String NAME = "tiny-bitnet-gguf";

  public static final ModelConfig CONFIG =
      new ModelConfig(NAME, TestVocab.SIZE, 128, 256, 2, 4, 2, 64, 10000f, 1e-5f, QuantizationFormat.I2_S);

  /** The weights; closing releases the tensors (unless a model took them over). */
  public record Weights(List<BitNetModel.LayerWeights> layers, byte[] embedding, float[] embeddingScales,
      float[] finalNorm) implements AutoCloseable {

    /** The embedding as floats: {@code q * scale}, row-major. */
    public float[] embeddingFloats() {
      int cols = CONFIG.hidden();
      float[] out = new float[embedding.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = embedding[i] * embeddingScales[i / cols];
      }
      return out;
    }

    /** A reference model that takes over the tensors. */
    public BitNetModel model(BitNetKernels kernels) {
      return BitNetModel.fromWeights(CONFIG, kernels, layers,
          kernels.int8Matrix("token_embd.weight", embedding, embeddingScales, CONFIG.vocabSize(), CONFIG.hidden()),
          finalNorm);
    }

    @Override
    public void close() {
      layers.forEach(l -> List.of(l.wq(), l.wk(), l.wv(), l.wo(), l.gate(), l.up(), l.down()).forEach(TernaryTensor::close));
    }
  }

  private TinyGguf() {}

  public static Weights weights(BitNetKernels kernels, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    ModelConfig c = CONFIG;
    int[][] shapes = {
      {c.hidden(), c.hidden()}, {c.kvDim(), c.hidden()}, {c.kvDim(), c.hidden()}, {c.hidden(), c.hidden()},
      {c.ffn(), c.hidden()}, {c.ffn(), c.hidden()}, {c.hidden(), c.ffn()}
    };
    List<BitNetModel.LayerWeights> layers = new ArrayList<>();
    for (int l = 0; l < c.layers(); l++) {
      TernaryTensor[] t = new TernaryTensor[shapes.length];
      for (int i = 0; i < t.length; i++) {
        float[] w = new float[shapes[i][0] * shapes[i][1]];
        for (int j = 0; j < w.length; j++) {
          w[j] = (float) random.nextGaussian() * 0.02f;
        }
        t[i] = kernels.quantize("blk." + l + "." + i, w, shapes[i][0], shapes[i][1], QuantizationFormat.I2_S);
      }
      layers.add(new BitNetModel.LayerWeights(t[0], t[1], t[2], t[3], t[4], t[5], t[6],
          norm(c.hidden(), random), norm(c.hidden(), random), norm(c.hidden(), random), norm(c.ffn(), random)));
    }
    byte[] embedding = new byte[c.vocabSize() * c.hidden()];
    float[] scales = new float[c.vocabSize()];
    for (int r = 0; r < c.vocabSize(); r++) {
      for (int j = 0; j < c.hidden(); j++) {
        embedding[r * c.hidden() + j] = (byte) (random.nextInt(255) - 127);
      }
      embedding[r * c.hidden() + random.nextInt(c.hidden())] = (byte) (random.nextBoolean() ? 127 : -127);
      scales[r] = (float) Math.scalb(1.0, -(5 + r % 3));
    }
    return new Weights(layers, embedding, scales, norm(c.hidden(), random));
  }

  private static float[] norm(int n, SplittableRandom random) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (0.5 + random.nextDouble());
    }
    return v;
  }

  /** The whole file: metadata, tokenizer and tensors. */
  public static GgufWriter writer(Weights w, GgufTensorType embeddingType) {
    return writer(w, embeddingType, true);
  }

  /**
   * The whole file; with {@code fileOrder} false the query/key rows are written in the runtime's order
   * instead of the file's NeoX order, a wrong file for tests.
   */
  public static GgufWriter writer(Weights w, GgufTensorType embeddingType, boolean fileOrder) {
    GgufWriter out = GgufModelWriter.withTokenizer(GgufModelWriter.withConfig(CONFIG, NAME),
        TestVocab.tokens(), TestVocab.types(), TestVocab.MERGES, TestVocab.BOS, TestVocab.EOS);
    GgufModelWriter.putMatrix(out, "token_embd.weight", w.embeddingFloats(), CONFIG.vocabSize(), CONFIG.hidden(),
        embeddingType);
    for (int l = 0; l < w.layers().size(); l++) {
      GgufModelWriter.putLayer(out, l, w.layers().get(l), fileOrder ? CONFIG.headDim() : 0);
    }
    GgufModelWriter.putVector(out, "output_norm.weight", w.finalNorm());
    return out;
  }
}
