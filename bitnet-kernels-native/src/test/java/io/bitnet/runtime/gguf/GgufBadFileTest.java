package io.bitnet.runtime.gguf;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet.kernels.BitNetKernels;
import io.bitnet.runtime.BitNetModel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad file fails with a {@link GgufFormatException} that names the problem. */
class GgufBadFileTest {

  @TempDir
  Path dir;

  private static final BitNetKernels KERNELS = BitNetKernels.getDefault();
  private static TinyGguf.Weights weights;

  @BeforeAll
  static void build() {
    weights = TinyGguf.weights(KERNELS, 5);
  }

  @AfterAll
  static void release() {
    weights.close();
  }

  /** Little-endian header bytes, written by hand so that a test can put anything anywhere. */
  private static final class Raw {
    private final ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    Raw u32(long v) {
      b.putInt((int) v);
      return this;
    }

    Raw u64(long v) {
      b.putLong(v);
      return this;
    }

    Raw u8(int v) {
      b.put((byte) v);
      return this;
    }

    Raw str(String s) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      b.putLong(bytes.length).put(bytes);
      return this;
    }

    /** Magic, version 3, the counts. */
    static Raw header(long tensors, long keys) {
      return new Raw().u32(GgufFile.MAGIC).u32(3).u64(tensors).u64(keys);
    }

    Raw zeros(int n) {
      b.put(new byte[n]);
      return this;
    }

    byte[] bytes() {
      return Arrays.copyOf(b.array(), b.position());
    }
  }

  private Path file(byte[] bytes) throws Exception {
    Path p = Files.createTempFile(dir, "bad", ".gguf");
    Files.write(p, bytes);
    return p;
  }

  private void assertOpenFails(byte[] bytes, String... fragments) throws Exception {
    Path p = file(bytes);
    GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufFile.open(p).close());
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "'" + e.getMessage() + "' should mention '" + f + "'");
    }
  }

  @Test
  void wrongMagicOrVersion() throws Exception {
    assertOpenFails("GGUX and more bytes than that".getBytes(StandardCharsets.US_ASCII), "wrong magic");
    assertOpenFails(new byte[0], "wrong magic");
    assertOpenFails(new Raw().u32(GgufFile.MAGIC).u32(2).u64(0).u64(0).bytes(), "version 2");
    assertOpenFails(new Raw().u32(GgufFile.MAGIC).u32(Integer.reverseBytes(3)).u64(0).u64(0).bytes(), "big-endian");
  }

  @Test
  void hostileCountsAndLengthsAreBoundedBeforeAllocating() throws Exception {
    assertOpenFails(Raw.header(1L << 40, 0).bytes(), "tensor count");
    assertOpenFails(Raw.header(0, -1).bytes(), "metadata count");
    assertOpenFails(Raw.header(0, 1).u64(1L << 62).bytes(), "metadata key length");
    assertOpenFails(Raw.header(0, 1).str("k").u32(GgufValueType.STRING.id()).u64(Long.MAX_VALUE).bytes(), "'k' length");
    assertOpenFails(Raw.header(0, 1).str("k").u32(GgufValueType.ARRAY.id()).u32(GgufValueType.UINT8.id())
        .u64(1L << 40).bytes(), "length of array 'k'");
    assertOpenFails(Raw.header(0, 1).str("k").u32(13).bytes(), "unknown value type 13");
    assertOpenFails(Raw.header(0, 1).str("k").u32(GgufValueType.ARRAY.id()).u32(GgufValueType.ARRAY.id()).u64(1)
        .u32(GgufValueType.ARRAY.id()).u64(1).u32(GgufValueType.ARRAY.id()).u64(1).u32(GgufValueType.ARRAY.id()).u64(1)
        .u32(GgufValueType.ARRAY.id()).u64(1).zeros(64).bytes(), "nests arrays");
    assertOpenFails(Raw.header(0, 1).str("k").u32(GgufValueType.BOOL.id()).u8(2).bytes(), "bool of value 2");
    assertOpenFails(Raw.header(0, 2).str("k").u32(GgufValueType.UINT8.id()).u8(1)
        .str("k").u32(GgufValueType.UINT8.id()).u8(2).bytes(), "duplicate metadata key 'k'");
    assertOpenFails(Raw.header(0, 1).u64(2).u8(0xC3).u8(0x28).bytes(), "not valid UTF-8");
  }

  /** One tensor {@code t} of the given dims, type and offset, with 64 data bytes after the header. */
  private static byte[] oneTensor(long[] dims, long type, long offset) {
    Raw r = Raw.header(1, 0).str("t").u32(dims.length);
    for (long d : dims) {
      r.u64(d);
    }
    return r.u32(type).u64(offset).zeros(64 + 32).bytes();
  }

  @Test
  void badTensorInfos() throws Exception {
    assertOpenFails(oneTensor(new long[] {4}, 2, 0), "tensor t has unsupported type 2");
    assertOpenFails(oneTensor(new long[] {4}, 0, 1L << 40), "tensor t", "beyond the end of the file");
    assertOpenFails(oneTensor(new long[] {4}, 0, 8), "not aligned to 32");
    assertOpenFails(oneTensor(new long[] {1024}, 0, 0), "beyond the end of the file");
    assertOpenFails(oneTensor(new long[] {0}, 0, 0), "empty or overflowing shape");
    assertOpenFails(oneTensor(new long[] {1L << 40, 1L << 40}, 0, 0), "empty or overflowing shape");
    assertOpenFails(oneTensor(new long[] {1, 1, 1, 1, 1}, 0, 0), "5 dimensions");
    assertOpenFails(oneTensor(new long[] {6}, 36, 0), "not a multiple of 4");
  }

  private byte[] modelBytes(Consumer<GgufWriter> edit) throws Exception {
    GgufWriter w = TinyGguf.writer(weights, GgufTensorType.F16);
    edit.accept(w);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    w.write(out);
    return out.toByteArray();
  }

  @Test
  void everyTruncationOfAModelFileIsDetected() throws Exception {
    byte[] full = modelBytes(w -> {});
    long dataStart;
    Path whole = file(full);
    long lastByte = 0;
    try (GgufFile f = GgufFile.open(whole)) {
      dataStart = f.dataStart();
      for (GgufTensorInfo t : f.tensors().values()) {
        lastByte = Math.max(lastByte, dataStart + t.offset() + t.size());
      }
    }
    Path p = dir.resolve("cut.gguf");
    for (long n = 0; n < lastByte; n += n < dataStart + 64 ? 1 : 509) {
      Files.write(p, Arrays.copyOf(full, (int) n));
      final long len = n;
      GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufFile.open(p).close(), "cut at " + len);
      assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("wrong magic"),
          () -> "cut at " + len + ": " + e.getMessage());
    }
  }

  private void assertLoadFails(byte[] bytes, String... fragments) throws Exception {
    Path p = file(bytes);
    GgufFormatException e = assertThrows(GgufFormatException.class,
        () -> GgufModelLoader.load(p, KERNELS, BitNetModel.LoadProgress.NONE).close());
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "'" + e.getMessage() + "' should mention '" + f + "'");
    }
  }

  @Test
  void modelsWithMissingOrWrongParts() throws Exception {
    String arch = "bitnet-b1.58.";
    assertLoadFails(modelBytes(w -> w.put("general.architecture", GgufValue.string("llama"))), "'llama' is not supported");
    assertLoadFails(modelBytes(w -> w.put(arch + "block_count", GgufValue.string("two"))), "block_count", "integer");
    assertLoadFails(modelBytes(w -> w.put(arch + "feed_forward_length", GgufValue.uint32(384))),
        "blk.0.ffn_gate.weight has shape [128, 256], expected [128, 384]");
    assertLoadFails(modelBytes(w -> w.put(arch + "embedding_length", GgufValue.uint32(256))), "token_embd.weight has shape");
    assertLoadFails(modelBytes(w -> w.put(arch + "block_count", GgufValue.uint32(3))), "missing tensor 'blk.2.attn_norm.weight'");
    assertLoadFails(modelBytes(w -> w.put(arch + "attention.head_count", GgufValue.uint32(3))), "unsupported model shape");
    assertLoadFails(modelBytes(w -> w.put(arch + "rope.dimension_count", GgufValue.uint32(16))), "partial RoPE");
    assertLoadFails(modelBytes(w -> w.put("tokenizer.ggml.pre", GgufValue.string("qwen2"))), "'qwen2' is not supported");
    assertLoadFails(modelBytes(w -> w.put("tokenizer.ggml.model", GgufValue.string("llama"))), "tokenizer.ggml.model");
    assertLoadFails(modelBytes(w -> w.put("tokenizer.ggml.bos_token_id", GgufValue.uint32(9999))), "bad tokenizer", "9999");
    // an I2_S tensor whose bytes hold the invalid code 3, and one with a NaN scale
    byte[] bad = new byte[128 * 128 / 4 + 32];
    Arrays.fill(bad, (byte) 0xFF);
    assertLoadFails(modelBytes(w -> w.tensor("blk.0.attn_output.weight", GgufTensorType.I2_S, new long[] {128, 128}, bad)),
        "blk.0.attn_output.weight is not usable");
    byte[] nanScale = new byte[128 * 128 / 4 + 32];
    Arrays.fill(nanScale, 0, 128 * 128 / 4, (byte) 0x55);
    ByteBuffer.wrap(nanScale).order(ByteOrder.LITTLE_ENDIAN).putFloat(128 * 128 / 4, Float.NaN);
    assertLoadFails(modelBytes(w -> w.tensor("blk.0.attn_output.weight", GgufTensorType.I2_S, new long[] {128, 128}, nanScale)),
        "scale");
  }

  @Test
  void missingMetadataIsNamed() throws Exception {
    // a file with the tensors but none of the model keys
    GgufWriter w = new GgufWriter().put("general.architecture", GgufValue.string("bitnet-b1.58"));
    GgufModelWriter.putVector(w, "output_norm.weight", new float[128]);
    Path p = dir.resolve("bare.gguf");
    w.write(p);
    GgufFormatException e = assertThrows(GgufFormatException.class,
        () -> GgufModelLoader.load(p, KERNELS, BitNetModel.LoadProgress.NONE));
    assertTrue(e.getMessage().contains("missing metadata key 'bitnet-b1.58.embedding_length'"), e.getMessage());
  }
}
