package io.bitnet.runtime.gguf;

import io.bitnet.kernels.BitNetKernels;
import io.bitnet.kernels.Int8Matrix;
import io.bitnet.kernels.QuantizationFormat;
import io.bitnet.kernels.TernaryTensor;
import io.bitnet.runtime.BitNetModel;
import io.bitnet.runtime.ModelConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Loads a BitNet b1.58 model ({@code general.architecture} {@code bitnet-b1.58}, or {@code bitnet-25} in
 * older files) from a GGUF file, as bitnet.cpp's llama.cpp fork lays it out: hyperparameters under
 * {@code <arch>.*} keys, tensors {@code token_embd.weight}, {@code output_norm.weight} and, per layer
 * {@code N}, {@code blk.N.{attn_norm, attn_q, attn_k, attn_v, attn_output, attn_sub_norm, ffn_norm,
 * ffn_gate, ffn_up, ffn_down, ffn_sub_norm}.weight}.
 *
 * <ul>
 *   <li>I2_S linear layers are adopted as they are ({@link BitNetKernels#fromPacked}, no
 *       re-quantisation): their bytes are bitnet.cpp's x86 layout, which is {@link QuantizationFormat#I2_S}.
 *       F32/F16 linear layers (unquantised files) go through {@link BitNetKernels#quantize}, the absmean
 *       rule bitnet.cpp's converter applies.
 *   <li>Query and key rows are reordered per head, see {@link RopeRows}.
 *   <li>The F32 or F16 embedding is quantised at load to int8 per row (absmax: {@code scale = max|x| / 127},
 *       {@code q = round(x / scale)}), the form the runtime keeps for lookup and the tied LM head.
 *   <li>{@code output.weight}, if present, is not used: bitnet.cpp's graph for this architecture computes
 *       the logits with {@code token_embd.weight} whether or not the file has one.
 * </ul>
 *
 * <p>Tensor data is memory-mapped one tensor (or one 1 GiB run of embedding rows) at a time and copied
 * into native memory through the kernel API; the file is closed when loading ends.
 */
public final class GgufModelLoader {

  /** Architectures this loader reads; both use bitnet.cpp's {@code build_bitnet_158} graph. */
  public static final List<String> ARCHITECTURES = List.of("bitnet-b1.58", "bitnet-25");

  private static final String[] LINEAR = {"attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"};
  private static final int TENSORS_PER_LAYER = 11;
  private static final long MAP_CHUNK = 1L << 30;

  private GgufModelLoader() {}

  /**
   * Loads the model and tokenizer of a GGUF file.
   *
   * @param progress called once per tensor read
   * @throws GgufFormatException if the file is malformed or not a supported BitNet model
   * @throws IOException if it cannot be read
   */
  public static GgufModel load(Path path, BitNetKernels kernels, BitNetModel.LoadProgress progress) throws IOException {
    if (path == null || kernels == null || progress == null) {
      throw new IllegalArgumentException("path, kernels and progress must not be null");
    }
    try (GgufFile file = GgufFile.open(path)) {
      ModelConfig config = config(file);
      BpeTokenizer tokenizer = BpeTokenizer.fromGguf(file.metadata());
      if (tokenizer.vocabSize() > config.vocabSize()) {
        throw new GgufFormatException("the tokenizer has " + tokenizer.vocabSize() + " tokens but token_embd.weight only "
            + config.vocabSize() + " rows");
      }
      return new GgufModel(new Reader(file, config, kernels, progress).read(), tokenizer);
    }
  }

  /**
   * The model's shape from the file's metadata; the vocabulary size is the embedding's row count and
   * the name is {@code general.name} (the file name if the key is absent).
   *
   * @throws GgufFormatException if a key is missing or the shape is one the runtime cannot run
   */
  public static ModelConfig config(GgufFile file) throws GgufFormatException {
    GgufMetadata m = file.metadata();
    String arch = m.string("general.architecture");
    if (!ARCHITECTURES.contains(arch)) {
      throw new GgufFormatException("general.architecture '" + arch + "' is not supported (" + ARCHITECTURES + ")");
    }
    String name = m.optionalString("general.name").filter(s -> !s.isBlank()).orElse(defaultName(file.path()));
    int hidden = m.integer(arch + ".embedding_length");
    int heads = m.integer(arch + ".attention.head_count");
    GgufTensorInfo embedding = file.tensor("token_embd.weight");
    if (embedding.dims().length != 2 || embedding.cols() != hidden || embedding.rows() > Integer.MAX_VALUE) {
      throw new GgufFormatException("token_embd.weight has shape " + Arrays.toString(embedding.dims())
          + ", expected [" + hidden + ", vocab]");
    }
    int vocab = (int) embedding.rows();
    if (m.optionalInteger(arch + ".vocab_size").filter(v -> v != vocab).isPresent()) {
      throw new GgufFormatException(arch + ".vocab_size disagrees with token_embd.weight's " + vocab + " rows");
    }
    if (heads > 0 && hidden % heads == 0
        && m.optionalInteger(arch + ".rope.dimension_count").filter(d -> d != hidden / heads).isPresent()) {
      throw new GgufFormatException(arch + ".rope.dimension_count must be the head size " + hidden / heads
          + " (partial RoPE is not supported)");
    }
    try {
      return new ModelConfig(name, vocab, hidden,
          m.integer(arch + ".feed_forward_length"),
          m.integer(arch + ".block_count"),
          heads,
          m.optionalInteger(arch + ".attention.head_count_kv").orElse(heads),
          m.integer(arch + ".context_length"),
          m.optionalReal(arch + ".rope.freq_base").orElse(10000f),
          m.real(arch + ".attention.layer_norm_rms_epsilon"),
          QuantizationFormat.I2_S);
    } catch (IllegalArgumentException e) {
      throw new GgufFormatException("unsupported model shape: " + e.getMessage(), e);
    }
  }

  private static String defaultName(Path path) {
    String file = path.getFileName() == null ? "model" : path.getFileName().toString();
    return file.toLowerCase(Locale.ROOT).endsWith(".gguf") ? file.substring(0, file.length() - 5) : file;
  }

  /** One load: reads tensors in order, closing what it created if anything fails. */
  private static final class Reader {
    private final GgufFile file;
    private final ModelConfig config;
    private final BitNetKernels kernels;
    private final BitNetModel.LoadProgress progress;
    private final int total;
    private final List<TernaryTensor> created = new ArrayList<>();
    private int done;

    Reader(GgufFile file, ModelConfig config, BitNetKernels kernels, BitNetModel.LoadProgress progress) {
      this.file = file;
      this.config = config;
      this.kernels = kernels;
      this.progress = progress;
      this.total = config.layers() * TENSORS_PER_LAYER + 2;
    }

    BitNetModel read() throws IOException {
      Int8Matrix embedding = null;
      try {
        List<BitNetModel.LayerWeights> layers = new ArrayList<>();
        int[] rotary = RopeRows.fromHalves(config.hidden(), config.headDim());
        int[] rotaryKv = RopeRows.fromHalves(config.kvDim(), config.headDim());
        for (int l = 0; l < config.layers(); l++) {
          String p = "blk." + l + ".";
          float[] attnNorm = vector(p + "attn_norm.weight", config.hidden());
          TernaryTensor wq = linear(p + "attn_q.weight", config.hidden(), config.hidden(), rotary);
          TernaryTensor wk = linear(p + "attn_k.weight", config.kvDim(), config.hidden(), rotaryKv);
          TernaryTensor wv = linear(p + "attn_v.weight", config.kvDim(), config.hidden(), null);
          TernaryTensor wo = linear(p + "attn_output.weight", config.hidden(), config.hidden(), null);
          float[] attnSubNorm = vector(p + "attn_sub_norm.weight", config.hidden());
          float[] ffnNorm = vector(p + "ffn_norm.weight", config.hidden());
          TernaryTensor gate = linear(p + "ffn_gate.weight", config.ffn(), config.hidden(), null);
          TernaryTensor up = linear(p + "ffn_up.weight", config.ffn(), config.hidden(), null);
          TernaryTensor down = linear(p + "ffn_down.weight", config.hidden(), config.ffn(), null);
          float[] ffnSubNorm = vector(p + "ffn_sub_norm.weight", config.ffn());
          layers.add(new BitNetModel.LayerWeights(wq, wk, wv, wo, gate, up, down,
              attnNorm, attnSubNorm, ffnNorm, ffnSubNorm));
        }
        float[] finalNorm = vector("output_norm.weight", config.hidden());
        embedding = embedding();
        return BitNetModel.fromWeights(config, kernels, layers, embedding, finalNorm);
      } catch (IOException | RuntimeException | Error e) {
        created.forEach(TernaryTensor::close);
        if (embedding != null) {
          embedding.close();
        }
        throw e;
      }
    }

    private void step(String name) {
      progress.onTensor(++done, total, name);
    }

    private GgufTensorInfo expect(String name, int rows, int cols, boolean matrix) throws GgufFormatException {
      GgufTensorInfo t = file.tensor(name);
      long[] dims = t.dims();
      boolean ok = matrix ? dims.length == 2 && dims[0] == cols && dims[1] == rows
          : dims.length == 1 && dims[0] == cols;
      if (!ok) {
        throw new GgufFormatException("tensor " + name + " has shape " + Arrays.toString(dims) + ", expected "
            + (matrix ? "[" + cols + ", " + rows + "]" : "[" + cols + "]"));
      }
      return t;
    }

    /** A norm weight: F32 or F16. */
    private float[] vector(String name, int length) throws IOException {
      GgufTensorInfo t = expect(name, 1, length, false);
      float[] v = floats(t, 0, length);
      step(name);
      return v;
    }

    /** A linear layer, its rows reordered by {@code order} if given. */
    private TernaryTensor linear(String name, int rows, int cols, int[] order) throws IOException {
      GgufTensorInfo t = expect(name, rows, cols, true);
      TernaryTensor tensor;
      try {
        if (t.type() == GgufTensorType.I2_S) {
          int packedSize = (int) QuantizationFormat.I2_S.packedSize(rows, cols);
          ByteBuffer data = file.map(t, 0, t.size());
          byte[] packed = new byte[packedSize];
          data.get(packed);
          float scale = data.getFloat(packedSize);
          if (order != null) {
            packed = RopeRows.reorder(packed, order, cols / 4);
          }
          tensor = kernels.fromPacked(name, QuantizationFormat.I2_S, rows, cols, packed, scale);
        } else {
          float[] w = floats(t, 0, rows * cols);
          if (order != null) {
            w = RopeRows.reorder(w, order, cols);
          }
          tensor = kernels.quantize(name, w, rows, cols, QuantizationFormat.I2_S);
        }
      } catch (IllegalArgumentException e) {
        throw new GgufFormatException("tensor " + name + " is not usable: " + e.getMessage(), e);
      }
      created.add(tensor);
      step(name);
      return tensor;
    }

    /** {@code count} F32 or F16 values of a tensor from element {@code first}. */
    private float[] floats(GgufTensorInfo t, long first, int count) throws IOException {
      if (t.type() == GgufTensorType.I2_S) {
        throw new GgufFormatException("tensor " + t.name() + " is I2_S; F32 or F16 expected");
      }
      int width = t.type() == GgufTensorType.F32 ? 4 : 2;
      ByteBuffer data = file.map(t, first * width, (long) count * width);
      float[] out = new float[count];
      for (int i = 0; i < count; i++) {
        out[i] = width == 4 ? data.getFloat() : Half.toFloat(data.getShort());
        if (!Float.isFinite(out[i])) {
          throw new GgufFormatException("tensor " + t.name() + " holds a non-finite value at " + (first + i));
        }
      }
      return out;
    }

    /** The embedding as int8 rows with an absmax scale per row, read in runs of rows of at most 1 GiB. */
    private Int8Matrix embedding() throws IOException {
      String name = "token_embd.weight";
      int rows = config.vocabSize();
      int cols = config.hidden();
      GgufTensorInfo t = expect(name, rows, cols, true);
      if ((long) rows * cols > Integer.MAX_VALUE - 8) {
        throw new GgufFormatException(name + " has " + (long) rows * cols + " elements, more than the runtime holds");
      }
      byte[] values = new byte[rows * cols];
      float[] scales = new float[rows];
      int width = t.type() == GgufTensorType.F32 ? 4 : 2;
      int rowsPerRun = (int) Math.max(1, MAP_CHUNK / ((long) cols * width));
      for (int r0 = 0; r0 < rows; r0 += rowsPerRun) {
        int n = Math.min(rowsPerRun, rows - r0);
        float[] run = floats(t, (long) r0 * cols, n * cols);
        for (int r = 0; r < n; r++) {
          scales[r0 + r] = quantizeRow(run, r * cols, cols, values, (r0 + r) * cols);
        }
      }
      Int8Matrix matrix;
      try {
        matrix = kernels.int8Matrix(name, values, scales, rows, cols);
      } catch (IllegalArgumentException e) {
        throw new GgufFormatException("tensor " + name + " is not usable: " + e.getMessage(), e);
      }
      step(name);
      return matrix;
    }
  }

  /**
   * Quantises one row to int8 by absmax: {@code scale = max|x| / 127}, {@code q = round(x / scale)}, so
   * the largest value maps to ±127. Returns the scale (1 for an all-zero row).
   */
  static float quantizeRow(float[] in, int from, int cols, byte[] out, int outFrom) {
    float max = 0;
    for (int i = 0; i < cols; i++) {
      max = Math.max(max, Math.abs(in[from + i]));
    }
    float scale = max > 0 ? max / 127f : 1f;
    for (int i = 0; i < cols; i++) {
      int q = Math.round(in[from + i] / scale);
      out[outFrom + i] = (byte) Math.max(-127, Math.min(127, q));
    }
    return scale;
  }
}
