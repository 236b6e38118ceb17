package io.bitnet.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet.kernels.BitNetKernels;
import io.bitnet.runtime.gguf.GgufModel;
import io.bitnet.runtime.gguf.GgufModelLoader;
import io.bitnet.runtime.gguf.GgufModelWriter;
import io.bitnet.runtime.gguf.GgufTensorType;
import io.bitnet.runtime.gguf.GgufWriter;
import io.bitnet.runtime.gguf.TinyGguf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model loaded from a GGUF file computes the same logits as a model built directly from the tensors
 * the file was written from: I2_S bytes adopted as they are, query/key rows restored from the file's
 * NeoX order, the embedding re-quantised to the same int8 rows.
 */
class GgufForwardTest {

  @TempDir
  Path dir;

  private final BitNetKernels kernels = BitNetKernels.getDefault();

  /** Logits after a 5-token prefill and after one more decoded token. */
  private static float[][] run(BitNetModel model) {
    int vocab = model.config().vocabSize();
    KvCache cache = model.newCache(16);
    float[][] prefill = {new float[vocab]};
    model.forward(new int[][] {{269, 104, 101, 108, 263}}, new int[] {0}, new KvCache[] {cache}, prefill);
    float[][] decode = {new float[vocab]};
    model.forward(new int[][] {{258}}, new int[] {5}, new KvCache[] {cache}, decode);
    return new float[][] {prefill[0], decode[0]};
  }

  private float[][] loadAndRun(Path path, List<String> progress) throws Exception {
    try (GgufModel m = GgufModelLoader.load(path, kernels, (done, total, name) -> progress.add(done + "/" + total + " " + name))) {
      assertEquals(TinyGguf.NAME, m.model().id());
      assertEquals(TinyGguf.CONFIG, m.model().config());
      return run(m.model());
    }
  }

  @Test
  void loadedModelMatchesTheModelBuiltFromTheSameTensors() throws Exception {
    for (GgufTensorType embedding : new GgufTensorType[] {GgufTensorType.F32, GgufTensorType.F16}) {
      TinyGguf.Weights w = TinyGguf.weights(kernels, 11);
      Path path = dir.resolve("tiny-" + embedding + ".gguf");
      TinyGguf.writer(w, embedding).write(path);
      float[][] expected;
      try (BitNetModel reference = w.model(kernels)) {
        expected = run(reference);
      }
      List<String> progress = new ArrayList<>();
      float[][] actual = loadAndRun(path, progress);
      assertArrayEquals(expected[0], actual[0], embedding + " prefill logits");
      assertArrayEquals(expected[1], actual[1], embedding + " decode logits");
      assertFalse(Arrays.equals(expected[0], expected[1]), "the two steps differ");
      assertEquals(2 * 11 + 2, progress.size());
      assertEquals("24/24 token_embd.weight", progress.get(progress.size() - 1));
      assertTrue(progress.contains("2/24 blk.0.attn_q.weight"), progress.toString());
    }
  }

  @Test
  void queryAndKeyRowOrderMatters() throws Exception {
    TinyGguf.Weights w = TinyGguf.weights(kernels, 12);
    Path path = dir.resolve("runtime-order.gguf");
    TinyGguf.writer(w, GgufTensorType.F32, false).write(path);
    float[][] expected;
    try (BitNetModel reference = w.model(kernels)) {
      expected = run(reference);
    }
    float[][] actual = loadAndRun(path, new ArrayList<>());
    assertFalse(Arrays.equals(expected[1], actual[1]), "without the reorder RoPE pairs the wrong dimensions");
  }
}
