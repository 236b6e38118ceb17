package io.bitnet.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TokenizerAndSamplerTest {

  private final ByteTokenizer tokenizer = new ByteTokenizer();

  @Test
  void anyUtf8PromptRoundTrips() {
    String text = "héllo, 世界 👋";
    int[] ids = tokenizer.encode(text);
    assertEquals(ByteTokenizer.BOS, ids[0]);
    assertEquals(text.getBytes(StandardCharsets.UTF_8).length + 1, ids.length);
    TextDecoder decoder = new TextDecoder(tokenizer);
    StringBuilder pieces = new StringBuilder();
    for (int i = 1; i < ids.length; i++) {
      String piece = decoder.append(ids[i]);
      assertTrue(piece.codePoints().noneMatch(c -> c == 0xFFFD), "no half characters in '" + piece + "'");
      pieces.append(piece);
    }
    assertEquals(text, pieces.toString());
    assertEquals(text, decoder.finish());
  }

  @Test
  void danglingBytesAndSpecialTokensDecodeSafely() {
    TextDecoder decoder = new TextDecoder(tokenizer);
    assertEquals("", decoder.append(0xE4)); // first byte of a three-byte character
    assertEquals("", decoder.append(ByteTokenizer.EOS));
    assertEquals("", decoder.append(100_000)); // beyond the byte vocabulary
    assertEquals("\uFFFD", decoder.finish());
  }

  @Test
  void greedyPicksTheMaximum() {
    Sampler s = new Sampler(0f, 1f, 1);
    assertEquals(2, s.sample(new float[] {0.1f, -3f, 4f, 3.9f}, 4));
  }

  @Test
  void topPKeepsOnlyTheNucleus() {
    float[] logits = {10f, 9.9f, -10f, -10f, -10f};
    Sampler s = new Sampler(1f, 0.5f, 42);
    for (int i = 0; i < 200; i++) {
      int t = s.sample(logits, logits.length);
      assertTrue(t == 0 || t == 1, "sampled " + t + " outside the nucleus");
    }
  }

  @Test
  void seedsAreReproducible() {
    float[] logits = new float[50];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) Math.sin(i);
    }
    int[] a = new int[30];
    int[] b = new int[30];
    Sampler sa = new Sampler(1.2f, 0.9f, 77);
    Sampler sb = new Sampler(1.2f, 0.9f, 77);
    for (int i = 0; i < 30; i++) {
      a[i] = sa.sample(logits, logits.length);
      b[i] = sb.sample(logits, logits.length);
    }
    assertArrayEquals(a, b);
  }

  @Test
  void invalidSamplerSettingsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Sampler(-1f, 1f, 0));
    assertThrows(IllegalArgumentException.class, () -> new Sampler(Float.NaN, 1f, 0));
    assertThrows(IllegalArgumentException.class, () -> new Sampler(1f, 0f, 0));
    assertThrows(IllegalArgumentException.class, () -> new Sampler(1f, 1.01f, 0));
  }

  @Test
  void presetsHaveTheRealShapes() {
    ModelConfig c = ModelConfig.preset("2b-4t");
    assertEquals(2560, c.hidden());
    assertEquals(6912, c.ffn());
    assertEquals(30, c.layers());
    assertEquals(20, c.heads());
    assertEquals(5, c.kvHeads());
    assertEquals(128256, c.vocabSize());
    assertThrows(IllegalArgumentException.class, () -> ModelConfig.preset("7b"));
  }
}
