package io.bitnet.runtime.gguf;

import io.bitnet.kernels.BitNetKernels;
import io.bitnet.kernels.QuantizationFormat;
import io.bitnet.kernels.TernaryTensor;
import io.bitnet.runtime.BitNetModel;
import io.bitnet.runtime.ModelConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes BitNet b1.58 models in the layout of bitnet.cpp's {@code ggml-model-i2_s.gguf}
 * ({@code bitnet-b1.58} metadata, I2_S linear layers with query/key rows in file order, F32 norms, an
 * F32 or F16 embedding, a {@code gpt2} tokenizer): the inverse of {@link GgufModelLoader}, for tests and
 * for trying the loader without the real file.
 */
public final class GgufModelWriter {

  private static final String ARCH = "bitnet-b1.58";

  private GgufModelWriter() {}

  /** A writer holding {@code config}'s hyperparameters under {@code bitnet-b1.58.*} and {@code general.name}. */
  public static GgufWriter withConfig(ModelConfig config, String name) {
    return new GgufWriter()
        .put("general.architecture", GgufValue.string(ARCH))
        .put("general.name", GgufValue.string(name))
        .put(ARCH + ".vocab_size", GgufValue.uint32(config.vocabSize()))
        .put(ARCH + ".context_length", GgufValue.uint32(config.contextLength()))
        .put(ARCH + ".embedding_length", GgufValue.uint32(config.hidden()))
        .put(ARCH + ".block_count", GgufValue.uint32(config.layers()))
        .put(ARCH + ".feed_forward_length", GgufValue.uint32(config.ffn()))
        .put(ARCH + ".rope.dimension_count", GgufValue.uint32(config.headDim()))
        .put(ARCH + ".attention.head_count", GgufValue.uint32(config.heads()))
        .put(ARCH + ".attention.head_count_kv", GgufValue.uint32(config.kvHeads()))
        .put(ARCH + ".rope.freq_base", GgufValue.float32(config.ropeTheta()))
        .put(ARCH + ".attention.layer_norm_rms_epsilon", GgufValue.float32(config.rmsEps()));
  }

  /** Adds a {@code gpt2} / {@code llama-bpe} tokenizer. */
  public static GgufWriter withTokenizer(GgufWriter w, List<String> tokens, int[] types, List<String> merges,
      int bos, int eos) {
    return w.put("tokenizer.ggml.model", GgufValue.string("gpt2"))
        .put("tokenizer.ggml.pre", GgufValue.string("llama-bpe"))
        .put("tokenizer.ggml.tokens", GgufValue.strings(tokens))
        .put("tokenizer.ggml.token_type", GgufValue.int32s(types))
        .put("tokenizer.ggml.merges", GgufValue.strings(merges))
        .put("tokenizer.ggml.bos_token_id", GgufValue.uint32(bos))
        .put("tokenizer.ggml.eos_token_id", GgufValue.uint32(eos));
  }

  /** Adds layer {@code l}'s eleven tensors; query and key rows are written in the file's (NeoX) order. */
  public static void putLayer(GgufWriter w, int l, BitNetModel.LayerWeights layer, int headDim) {
    String p = "blk." + l + ".";
    putVector(w, p + "attn_norm.weight", layer.attnNorm());
    putI2s(w, p + "attn_q.weight", layer.wq(), headDim);
    putI2s(w, p + "attn_k.weight", layer.wk(), headDim);
    putI2s(w, p + "attn_v.weight", layer.wv(), 0);
    putI2s(w, p + "attn_output.weight", layer.wo(), 0);
    putVector(w, p + "attn_sub_norm.weight", layer.attnSubNorm());
    putVector(w, p + "ffn_norm.weight", layer.ffnNorm());
    putI2s(w, p + "ffn_gate.weight", layer.gate(), 0);
    putI2s(w, p + "ffn_up.weight", layer.up(), 0);
    putI2s(w, p + "ffn_down.weight", layer.down(), 0);
    putVector(w, p + "ffn_sub_norm.weight", layer.ffnSubNorm());
  }

  /**
   * Adds an I2_S tensor: the packed bytes, then the float32 scale, padded to 32 bytes. With
   * {@code headDim > 0} the rows are put in the file's NeoX order (see {@link RopeRows}).
   */
  public static void putI2s(GgufWriter w, String name, TernaryTensor t, int headDim) {
    if (t.format() != QuantizationFormat.I2_S) {
      throw new IllegalArgumentException(name + " is " + t.format() + ", not I2_S");
    }
    byte[] packed = t.packedBytes();
    if (headDim > 0) {
      packed = RopeRows.reorder(packed, RopeRows.inverse(RopeRows.fromHalves(t.rows(), headDim)), t.cols() / 4);
    }
    ByteBuffer data = ByteBuffer.allocate(packed.length + GgufTensorType.I2_S_TRAILER).order(ByteOrder.LITTLE_ENDIAN);
    data.put(packed).putFloat(t.scale());
    w.tensor(name, GgufTensorType.I2_S, new long[] {t.cols(), t.rows()}, data.array());
  }

  /** Adds an F32 vector. */
  public static void putVector(GgufWriter w, String name, float[] v) {
    w.tensor(name, GgufTensorType.F32, new long[] {v.length}, floats(v, GgufTensorType.F32));
  }

  /** Adds an F32 or F16 matrix of {@code rows x cols} values, row-major. */
  public static void putMatrix(GgufWriter w, String name, float[] v, int rows, int cols, GgufTensorType type) {
    w.tensor(name, type, new long[] {cols, rows}, floats(v, type));
  }

  private static byte[] floats(float[] v, GgufTensorType type) {
    boolean f16 = type == GgufTensorType.F16;
    if (!f16 && type != GgufTensorType.F32) {
      throw new IllegalArgumentException("F32 or F16 expected, got " + type);
    }
    ByteBuffer b = ByteBuffer.allocate(v.length * (f16 ? 2 : 4)).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      if (f16) {
        b.putShort(Half.fromFloat(x));
      } else {
        b.putFloat(x);
      }
    }
    return b.array();
  }

  /**
   * Writes a model with deterministic random weights and a byte-only vocabulary (the 256 byte tokens,
   * then {@code <|begin_of_text|>} and {@code <|end_of_text|>}, no merges; {@code config.vocabSize()}
   * must be at least 258): a small file to try {@code --model file.gguf} with.
   */
  public static void writeSynthetic(Path path, ModelConfig config, String name, long seed, BitNetKernels kernels)
      throws IOException {
    List<String> tokens = new ArrayList<>();
    for (int b = 0; b < 256; b++) {
      tokens.add(String.valueOf(ByteLevel.charOf(b)));
    }
    tokens.add("<|begin_of_text|>");
    tokens.add("<|end_of_text|>");
    while (tokens.size() < config.vocabSize()) {
      tokens.add("<|reserved_special_token_" + (tokens.size() - 258) + "|>");
    }
    int[] types = new int[tokens.size()];
    java.util.Arrays.fill(types, BpeTokenizer.CONTROL);
    java.util.Arrays.fill(types, 0, 256, BpeTokenizer.NORMAL);
    GgufWriter w = withTokenizer(withConfig(config, name), tokens, types, List.of(), 256, 257);
    SplittableRandom random = new SplittableRandom(seed);
    int[][] shapes = {
      {config.hidden(), config.hidden()}, {config.kvDim(), config.hidden()}, {config.kvDim(), config.hidden()},
      {config.hidden(), config.hidden()}, {config.ffn(), config.hidden()}, {config.ffn(), config.hidden()},
      {config.hidden(), config.ffn()}
    };
    for (int l = 0; l < config.layers(); l++) {
      TernaryTensor[] t = new TernaryTensor[shapes.length];
      try {
        for (int i = 0; i < shapes.length; i++) {
          t[i] = kernels.quantize("w", uniform(shapes[i][0] * shapes[i][1], random), shapes[i][0], shapes[i][1],
              QuantizationFormat.I2_S);
        }
        putLayer(w, l, new BitNetModel.LayerWeights(t[0], t[1], t[2], t[3], t[4], t[5], t[6],
            ones(config.hidden()), ones(config.hidden()), ones(config.hidden()), ones(config.ffn())),
            config.headDim());
      } finally {
        for (TernaryTensor x : t) {
          if (x != null) {
            x.close();
          }
        }
      }
    }
    putVector(w, "output_norm.weight", ones(config.hidden()));
    putMatrix(w, "token_embd.weight", uniform(config.vocabSize() * config.hidden(), random), config.vocabSize(),
        config.hidden(), GgufTensorType.F16);
    w.write(path);
  }

  private static float[] uniform(int n, SplittableRandom random) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) ((random.nextDouble() * 2 - 1) * 0.05);
    }
    return v;
  }

  private static float[] ones(int n) {
    float[] v = new float[n];
    java.util.Arrays.fill(v, 1f);
    return v;
  }
}
