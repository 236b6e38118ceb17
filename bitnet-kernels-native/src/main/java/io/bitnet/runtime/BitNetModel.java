package io.bitnet.runtime;

import io.bitnet.kernels.BitNetKernels;
import io.bitnet.kernels.Int8Matrix;
import io.bitnet.kernels.TernaryTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A BitNet b1.58 decoder with the architecture of bitnet-b1.58-2B-4T: token embedding; per layer
 * RMSNorm, grouped-query attention with RoPE and a KV cache, a sub-norm before the output projection,
 * RMSNorm, a gated FFN with squared ReLU and a sub-norm before the down projection; a final norm and an
 * LM head tied to the embedding.
 *
 * <p>Every linear layer is a {@link TernaryTensor} run through {@link BitNetKernels#matmul}. The
 * embedding is kept as int8 rows with a scale per row; it serves both the token lookup and the LM head.
 * Thread-safe: forward passes on different caches may run at once.
 */
public final class BitNetModel implements AutoCloseable {

  /** Reports loading progress, one call per tensor. */
  @FunctionalInterface
  public interface LoadProgress {
    void onTensor(int done, int total, String tensorName);

    LoadProgress NONE = (done, total, name) -> {};
  }

  private final ModelConfig config;
  private final BitNetKernels kernels;
  private final LayerWeights[] layers;
  private final Int8Matrix embedding;
  private final float[] finalNorm;
  private final float[] ropeCos;
  private final float[] ropeSin;

  /**
   * The weights of one decoder layer, in the runtime's conventions: a linear layer has {@code rows}
   * output features and {@code cols} input features, and the query and key rows of each head are laid
   * out so that RoPE rotates consecutive pairs {@code (2i, 2i + 1)}.
   *
   * @param wq query projection, {@code hidden x hidden}
   * @param wk key projection, {@code kvDim x hidden}
   * @param wv value projection, {@code kvDim x hidden}
   * @param wo attention output projection, {@code hidden x hidden}
   * @param gate FFN gate projection, {@code ffn x hidden}
   * @param up FFN up projection, {@code ffn x hidden}
   * @param down FFN down projection, {@code hidden x ffn}
   * @param attnNorm RMSNorm weight before attention, {@code hidden} values
   * @param attnSubNorm RMSNorm weight before the output projection, {@code hidden} values
   * @param ffnNorm RMSNorm weight before the FFN, {@code hidden} values
   * @param ffnSubNorm RMSNorm weight before the down projection, {@code ffn} values
   */
  public record LayerWeights(
      TernaryTensor wq, TernaryTensor wk, TernaryTensor wv, TernaryTensor wo,
      TernaryTensor gate, TernaryTensor up, TernaryTensor down,
      float[] attnNorm, float[] attnSubNorm, float[] ffnNorm, float[] ffnSubNorm) {

    List<TernaryTensor> tensors() {
      return List.of(wq, wk, wv, wo, gate, up, down);
    }
  }

  private BitNetModel(ModelConfig config, BitNetKernels kernels, LayerWeights[] layers, Int8Matrix embedding, float[] finalNorm) {
    this.config = config;
    this.kernels = kernels;
    this.layers = layers;
    this.embedding = embedding;
    this.finalNorm = finalNorm;
    int half = config.headDim() / 2;
    this.ropeCos = new float[config.contextLength() * half];
    this.ropeSin = new float[config.contextLength() * half];
    for (int pos = 0; pos < config.contextLength(); pos++) {
      for (int i = 0; i < half; i++) {
        double freq = Math.pow(config.ropeTheta(), -2.0 * i / config.headDim());
        ropeCos[pos * half + i] = (float) Math.cos(pos * freq);
        ropeSin[pos * half + i] = (float) Math.sin(pos * freq);
      }
    }
  }

  /**
   * Builds a model with deterministic random FP32 weights, quantized through
   * {@link BitNetKernels#quantize} as a real model load would be.
   */
  public static BitNetModel synthetic(ModelConfig config, long seed, BitNetKernels kernels, LoadProgress progress) {
    if (config == null || kernels == null || progress == null) {
      throw new IllegalArgumentException("config, kernels and progress must not be null");
    }
    String[] names = {"attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"};
    int[][] shapes = config.linearShapes();
    int total = config.layers() * names.length + 1;
    int done = 0;
    List<TernaryTensor> created = new ArrayList<>();
    try {
      LayerWeights[] layers = new LayerWeights[config.layers()];
      java.util.Map<Integer, float[]> scratch = new java.util.HashMap<>(); // one buffer per tensor size
      for (int l = 0; l < config.layers(); l++) {
        TernaryTensor[] t = new TernaryTensor[names.length];
        for (int i = 0; i < names.length; i++) {
          int rows = shapes[i][0];
          int cols = shapes[i][1];
          String name = "blk." + l + "." + names[i] + ".weight";
          float[] w = scratch.computeIfAbsent(rows * cols, float[]::new);
          fillUniform(w, 0.05f, new SplittableRandom(seed * 1_000_003L + l * 31L + i));
          t[i] = kernels.quantize(name, w, rows, cols, config.format());
          created.add(t[i]);
          progress.onTensor(++done, total, name);
        }
        layers[l] = new LayerWeights(t[0], t[1], t[2], t[3], t[4], t[5], t[6],
            ones(config.hidden()), ones(config.hidden()), ones(config.hidden()), ones(config.ffn()));
      }
      Int8Matrix embedding = randomEmbedding(config, kernels, new SplittableRandom(seed));
      progress.onTensor(++done, total, "token_embd.weight");
      return new BitNetModel(config, kernels, layers, embedding, ones(config.hidden()));
    } catch (RuntimeException | Error e) {
      created.forEach(TernaryTensor::close);
      throw e;
    }
  }

  /**
   * Builds a model from weights that were loaded elsewhere, for example from a GGUF file. The model
   * takes ownership of every tensor and the embedding: {@link #close()} releases them.
   *
   * @param layers one entry per layer, {@code config.layers()} in all, shapes as in {@link LayerWeights}
   * @param embedding {@code vocabSize x hidden} int8 rows with a scale per row: the token lookup and
   *     the tied LM head
   * @param finalNorm the RMSNorm weight after the last layer, {@code hidden} values
   * @throws IllegalArgumentException if a shape or format does not match {@code config}
   */
  public static BitNetModel fromWeights(
      ModelConfig config, BitNetKernels kernels, List<LayerWeights> layers, Int8Matrix embedding, float[] finalNorm) {
    if (config == null || kernels == null || layers == null || embedding == null || finalNorm == null) {
      throw new IllegalArgumentException("config, kernels, layers, embedding and finalNorm must not be null");
    }
    if (layers.size() != config.layers()) {
      throw new IllegalArgumentException("expected " + config.layers() + " layers, got " + layers.size());
    }
    int[][] shapes = config.linearShapes();
    for (int l = 0; l < layers.size(); l++) {
      LayerWeights w = layers.get(l);
      if (w == null) {
        throw new IllegalArgumentException("layer " + l + " is null");
      }
      List<TernaryTensor> tensors = w.tensors();
      for (int i = 0; i < tensors.size(); i++) {
        TernaryTensor t = tensors.get(i);
        if (t.rows() != shapes[i][0] || t.cols() != shapes[i][1] || t.format() != config.format()) {
          throw new IllegalArgumentException("layer " + l + ": tensor " + t.name() + " is " + t.rows() + "x" + t.cols()
              + " " + t.format() + ", expected " + shapes[i][0] + "x" + shapes[i][1] + " " + config.format());
        }
      }
      requireLength(w.attnNorm(), config.hidden(), "layer " + l + " attnNorm");
      requireLength(w.attnSubNorm(), config.hidden(), "layer " + l + " attnSubNorm");
      requireLength(w.ffnNorm(), config.hidden(), "layer " + l + " ffnNorm");
      requireLength(w.ffnSubNorm(), config.ffn(), "layer " + l + " ffnSubNorm");
    }
    if (embedding.rows() != config.vocabSize() || embedding.cols() != config.hidden()) {
      throw new IllegalArgumentException("embedding is " + embedding.rows() + "x" + embedding.cols() + ", expected "
          + config.vocabSize() + "x" + config.hidden());
    }
    requireLength(finalNorm, config.hidden(), "finalNorm");
    return new BitNetModel(config, kernels, layers.toArray(LayerWeights[]::new), embedding, finalNorm.clone());
  }

  private static void requireLength(float[] v, int length, String what) {
    if (v == null || v.length != length) {
      throw new IllegalArgumentException(what + " must hold " + length + " values, got "
          + (v == null ? "null" : String.valueOf(v.length)));
    }
  }

  /** Uniform random rows, quantized to int8 per row (absmax). */
  private static Int8Matrix randomEmbedding(ModelConfig config, BitNetKernels kernels, SplittableRandom random) {
    int rows = config.vocabSize();
    int cols = config.hidden();
    byte[] values = new byte[rows * cols];
    float[] scales = new float[rows];
    float[] row = new float[cols];
    for (int r = 0; r < rows; r++) {
      fillUniform(row, 0.05f, random);
      float max = 1e-12f;
      for (float v : row) {
        max = Math.max(max, Math.abs(v));
      }
      float s = 127f / max;
      for (int c = 0; c < cols; c++) {
        values[r * cols + c] = (byte) Math.round(row[c] * s);
      }
      scales[r] = max / 127f;
    }
    return kernels.int8Matrix("token_embd.weight", values, scales, rows, cols);
  }

  private static void fillUniform(float[] w, float amplitude, SplittableRandom random) {
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) ((random.nextDouble() * 2 - 1) * amplitude);
    }
  }

  private static float[] ones(int n) {
    float[] v = new float[n];
    java.util.Arrays.fill(v, 1f);
    return v;
  }

  public ModelConfig config() {
    return config;
  }

  /** The model id used in results and telemetry: the config's name. */
  public String id() {
    return config.name();
  }

  /** Ternary tensors in the model. */
  public int tensorCount() {
    return layers.length * 7;
  }

  /** Bytes of packed ternary weights plus the int8 embedding. */
  public long weightBytes() {
    return config.packedBytes() + embedding.sizeBytes() + 4L * embedding.rows();
  }

  KvCache newCache(int capacity) {
    return new KvCache(config, capacity);
  }

  /**
   * One forward pass over a ragged batch: sequence {@code i} appends {@code tokens[i]} at positions
   * {@code starts[i] ..} of {@code caches[i]}. Writes the logits of each sequence's last token into
   * {@code logits[i]} (length {@code vocabSize}).
   */
  void forward(int[][] tokens, int[] starts, KvCache[] caches, float[][] logits) {
    int h = config.hidden();
    int kv = config.kvDim();
    int n = 0;
    for (int[] t : tokens) {
      n += t.length;
    }
    int[] seqOf = new int[n];
    int[] posOf = new int[n];
    float[] x = new float[n * h];
    int idx = 0;
    for (int s = 0; s < tokens.length; s++) {
      for (int j = 0; j < tokens[s].length; j++) {
        seqOf[idx] = s;
        posOf[idx] = starts[s] + j;
        int token = tokens[s][j];
        if (token < 0 || token >= config.vocabSize()) {
          throw new IllegalArgumentException("token " + token + " is outside the vocabulary of " + config.vocabSize());
        }
        embedding.row(token, x, idx * h);
        idx++;
      }
    }
    float[] normed = new float[n * h];
    float[] q = new float[n * h];
    float[] k = new float[n * kv];
    float[] v = new float[n * kv];
    float[] attn = new float[n * h];
    float[] proj = new float[n * h];
    float[] gate = new float[n * config.ffn()];
    float[] up = new float[n * config.ffn()];
    float[] scores = new float[config.contextLength()];
    for (int l = 0; l < layers.length; l++) {
      LayerWeights layer = layers[l];
      rmsNorm(x, layer.attnNorm, normed, n, h);
      kernels.matmul(layer.wq, normed, n, q);
      kernels.matmul(layer.wk, normed, n, k);
      kernels.matmul(layer.wv, normed, n, v);
      for (int t = 0; t < n; t++) {
        rope(q, t * h, config.heads(), posOf[t]);
        rope(k, t * kv, config.kvHeads(), posOf[t]);
        KvCache c = caches[seqOf[t]];
        System.arraycopy(k, t * kv, c.keys[l], posOf[t] * kv, kv);
        System.arraycopy(v, t * kv, c.values[l], posOf[t] * kv, kv);
      }
      for (int t = 0; t < n; t++) {
        attend(q, t * h, caches[seqOf[t]], l, posOf[t], attn, t * h, scores);
      }
      rmsNorm(attn, layer.attnSubNorm, attn, n, h);
      kernels.matmul(layer.wo, attn, n, proj);
      add(x, proj, n * h);

      rmsNorm(x, layer.ffnNorm, normed, n, h);
      kernels.matmul(layer.gate, normed, n, gate);
      kernels.matmul(layer.up, normed, n, up);
      for (int i = 0; i < n * config.ffn(); i++) {
        float g = Math.max(gate[i], 0f);
        gate[i] = g * g * up[i];
      }
      rmsNorm(gate, layer.ffnSubNorm, gate, n, config.ffn());
      kernels.matmul(layer.down, gate, n, proj);
      add(x, proj, n * h);
    }
    float[] last = new float[h];
    int end = 0;
    for (int s = 0; s < tokens.length; s++) {
      end += tokens[s].length;
      rmsNorm(x, (end - 1) * h, finalNorm, last, 0, h);
      kernels.matmul(embedding, last, 1, logits[s]);
    }
  }

  /** Grouped-query attention of one token over its sequence's cache, causal up to {@code pos}. */
  private void attend(float[] q, int qOff, KvCache cache, int layer, int pos, float[] out, int outOff, float[] scores) {
    int hd = config.headDim();
    int group = config.heads() / config.kvHeads();
    int kvDim = config.kvDim();
    float scale = (float) (1.0 / Math.sqrt(hd));
    float[] keys = cache.keys[layer];
    float[] values = cache.values[layer];
    for (int head = 0; head < config.heads(); head++) {
      int qh = qOff + head * hd;
      int kvh = (head / group) * hd;
      float max = Float.NEGATIVE_INFINITY;
      for (int p = 0; p <= pos; p++) {
        int ko = p * kvDim + kvh;
        float s = 0;
        for (int d = 0; d < hd; d++) {
          s += q[qh + d] * keys[ko + d];
        }
        s *= scale;
        scores[p] = s;
        max = Math.max(max, s);
      }
      float sum = 0;
      for (int p = 0; p <= pos; p++) {
        scores[p] = (float) Math.exp(scores[p] - max);
        sum += scores[p];
      }
      int o = outOff + head * hd;
      java.util.Arrays.fill(out, o, o + hd, 0f);
      for (int p = 0; p <= pos; p++) {
        float w = scores[p] / sum;
        int vo = p * kvDim + kvh;
        for (int d = 0; d < hd; d++) {
          out[o + d] += w * values[vo + d];
        }
      }
    }
  }

  /** Rotates each head's consecutive pairs (2i, 2i + 1) by the position's angles. */
  private void rope(float[] v, int off, int heads, int pos) {
    int hd = config.headDim();
    int half = hd / 2;
    for (int head = 0; head < heads; head++) {
      int base = off + head * hd;
      for (int i = 0; i < half; i++) {
        float c = ropeCos[pos * half + i];
        float s = ropeSin[pos * half + i];
        float a = v[base + 2 * i];
        float b = v[base + 2 * i + 1];
        v[base + 2 * i] = a * c - b * s;
        v[base + 2 * i + 1] = a * s + b * c;
      }
    }
  }

  private void rmsNorm(float[] in, float[] weight, float[] out, int n, int dim) {
    for (int t = 0; t < n; t++) {
      rmsNorm(in, t * dim, weight, out, t * dim, dim);
    }
  }

  private void rmsNorm(float[] in, int inOff, float[] weight, float[] out, int outOff, int dim) {
    double ss = 0;
    for (int i = 0; i < dim; i++) {
      ss += in[inOff + i] * (double) in[inOff + i];
    }
    float inv = (float) (1.0 / Math.sqrt(ss / dim + config.rmsEps()));
    for (int i = 0; i < dim; i++) {
      out[outOff + i] = in[inOff + i] * inv * weight[i];
    }
  }

  private static void add(float[] x, float[] y, int n) {
    for (int i = 0; i < n; i++) {
      x[i] += y[i];
    }
  }

  /** Releases every tensor's native memory. */
  @Override
  public void close() {
    for (LayerWeights layer : layers) {
      layer.tensors().forEach(TernaryTensor::close);
    }
    embedding.close();
  }

  @Override
  public String toString() {
    return "BitNetModel[" + config + ", " + kernels.backend().backend() + "]";
  }
}
