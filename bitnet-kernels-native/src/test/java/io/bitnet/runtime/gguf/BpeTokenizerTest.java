package io.bitnet.runtime.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The BPE tokenizer against encodings worked out by hand for {@link TestVocab}. Every expected array
 * starts with BOS (269); byte {@code b} alone is token {@code b}.
 */
class BpeTokenizerTest {

  private final BpeTokenizer tok = TestVocab.tokenizer();

  private void assertEncodes(String text, int... expected) {
    int[] withBos = new int[expected.length + 1];
    withBos[0] = TestVocab.BOS;
    System.arraycopy(expected, 0, withBos, 1, expected.length);
    assertArrayEquals(withBos, tok.encode(text), () -> "encoding of '" + text + "': " + Arrays.toString(tok.encode(text)));
    assertEquals(text, decode(tok.encode(text)), "decodes back");
  }

  private String decode(int[] ids) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int id : ids) {
      out.writeBytes(tok.tokenBytes(id));
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void mergesApplyLowestRankFirst() {
    // " theme" is one word "Ġtheme", not in the vocabulary. Symbols Ġ t h e m e; ranked pairs:
    // "Ġ t" = 0, "h e" = 1. Merge rank 0 -> Ġt h e m e; then "h e" = 1 -> Ġt he m e; then "Ġt he" = 2
    // -> Ġthe m e. No pair left with a rank: [Ġthe 258, m 109, e 101].
    assertEncodes(" theme", 258, 109, 101);
    // "hellos": h e l l o s. "h e" (1) beats "l l" (3): he l l o s -> he ll o s. "he ll" has no rank
    // (only "e ll" and "h ell" do), so the chain to "hello" never starts: [he 257, ll 259, o 111, s 115].
    assertEncodes("hellos", 257, 259, 111, 115);
  }

  @Test
  void wordsInTheVocabularySkipTheMergesAsLlama3Does() {
    // "hello" is token 262, though merging alone would give he ll o (see above)
    assertEncodes("hello", 262);
    // " xyz" -> "Ġxyz", token 268, which no merge rule builds
    assertEncodes(" xyz", TestVocab.XYZ);
    BpeTokenizer mergesOnly = new BpeTokenizer(TestVocab.tokens(), TestVocab.types(), TestVocab.MERGES,
        TestVocab.BOS, TestVocab.EOS, BpeTokenizer.LLAMA3, false);
    assertArrayEquals(new int[] {TestVocab.BOS, 257, 259, 111}, mergesOnly.encode("hello"));
    assertArrayEquals(new int[] {TestVocab.BOS, 32, 120, 121, 122}, mergesOnly.encode(" xyz"));
  }

  @Test
  void multiByteUtf8() {
    // "café": one word; é is C3 A9, spelled "Ã©" (both bytes are printable Latin-1): c a f Ã © ->
    // merge "Ã ©" (7): [c 99, a 97, f 102, Ã© 263]
    assertEncodes("café", 99, 97, 102, 263);
    // " 😀": the emoji is no letter or number, so " ?[^\s\p{L}\p{N}]+" takes it with its space: bytes
    // 20 F0 9F 98 80, no merges apply: five byte tokens
    assertEncodes(" 😀", 32, 0xF0, 0x9F, 0x98, 0x80);
    // "日本": letters, one word; E6 97 A5 E6 9C AC, no merges
    assertEncodes("日本", 0xE6, 0x97, 0xA5, 0xE6, 0x9C, 0xAC);
  }

  @Test
  void digitsSplitIntoRunsOfAtMostThree() {
    // \p{N}{1,3}: "12345" -> "123", "45"; "123" -> 1 2 3 -> "1 2" (8) -> [12 264, 3 51]; "45" -> [52, 53]
    assertEncodes("12345", 264, 51, 52, 53);
    assertEquals(List.of("123", "456", "7"), tok.preTokenize("1234567"));
  }

  @Test
  void contractionsAreTheirOwnWords() {
    // "it's" -> "it", "'s"; "'s" is token 265 (merge 9)
    assertEncodes("it's", 105, 116, 265);
    assertEquals(List.of("it", "'s"), tok.preTokenize("it's"));
    // ASCII case-insensitive: "IT'S" -> "IT", "'S"; "'S" has no merge -> [' 39, S 83]
    assertEquals(List.of("IT", "'S"), tok.preTokenize("IT'S"));
    assertEncodes("IT'S", 73, 84, 39, 83);
    assertEquals(List.of("we", "'ll", " go"), tok.preTokenize("we'll go"));
  }

  @Test
  void spacesAndNewlines() {
    // "a  b\n\nc": \s+(?!\S) leaves the last space to the word " b", and \s*[\r\n]+ takes both newlines:
    // "a", " ", " b", "\n\n", "c" -> [a 97], [Ġ 32], [Ġ 32, b 98], [ĊĊ 267], [c 99]
    assertEquals(List.of("a", " ", " b", "\n\n", "c"), tok.preTokenize("a  b\n\nc"));
    assertEncodes("a  b\n\nc", 97, 32, 32, 98, 267, 99);
    // three spaces before a word: "  " (ĠĠ 266), then " b"
    assertEncodes("a   b", 97, 266, 32, 98);
    // trailing spaces are one word: ĠĠ
    assertEncodes("a  ", 97, 266);
    // punctuation keeps the newlines that follow it; a tab, like a space, may lead a word
    assertEquals(List.of("!\n", "\tx"), tok.preTokenize("!\n\tx"));
    // three tabs before a word: \s+(?!\S) backs off one, which leads the word
    assertEquals(List.of("!\n", "\t\t", "\tx"), tok.preTokenize("!\n\t\t\tx"));
    // Unicode whitespace (U+3000) is whitespace, not punctuation, as in llama.cpp
    assertEquals(List.of("a", "\u3000", "\u3000b"), tok.preTokenize("a\u3000\u3000b"));
  }

  @Test
  void controlTokensInTextStayText() {
    int[] ids = tok.encode("<|end_of_text|>");
    assertTrue(Arrays.stream(ids).skip(1).noneMatch(id -> id == TestVocab.EOS || id == TestVocab.BOS));
    assertEquals("<|end_of_text|>", decode(ids));
  }

  @Test
  void decodingGivesRawBytesAndNothingForControlTokens() {
    assertArrayEquals(new byte[0], tok.tokenBytes(TestVocab.BOS));
    assertArrayEquals(new byte[0], tok.tokenBytes(TestVocab.EOS));
    assertArrayEquals(new byte[] {(byte) 0xC3, (byte) 0xA9}, tok.tokenBytes(263));
    assertArrayEquals(new byte[] {' ', 't', 'h', 'e'}, tok.tokenBytes(258));
    assertArrayEquals(new byte[] {(byte) 0x80}, tok.tokenBytes(0x80));
    assertArrayEquals(new byte[0], tok.tokenBytes(-1));
    assertArrayEquals(new byte[0], tok.tokenBytes(TestVocab.SIZE));
    assertEquals(TestVocab.SIZE, tok.vocabSize());
  }

  @Test
  void anyTextRoundTrips() {
    for (String s : List.of("", "héllo wörld 😀\n\t 123456 it's", "  leading\r\n\r\ntrailing  ", "a\u00A0b\u2028c",
        "🇫🇷👨‍👩‍👧 ∑ x² ≥ ½", "'''", "中文，标点。")) {
      assertEquals(s, decode(tok.encode(s)), s);
    }
  }

  @Test
  void aVocabularyWithoutEveryByteIsRejected() {
    List<String> tokens = new java.util.ArrayList<>(TestVocab.tokens());
    tokens.set(0x41, "AA");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BpeTokenizer(tokens,
        TestVocab.types(), TestVocab.MERGES, TestVocab.BOS, TestVocab.EOS, BpeTokenizer.LLAMA3, true));
    assertTrue(e.getMessage().contains("0x41"), e.getMessage());
  }
}
