package io.bitnet.runtime.gguf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small byte-level BPE vocabulary for tests. Token {@code b} (0..255) is byte {@code b}; then the
 * merged tokens of {@link #MERGES} in order (256..267), {@code Ġxyz} (268, reachable by no merge), and
 * two control tokens: BOS 269 and EOS 270.
 */
final class TestVocab {

  /** Merge rules by rank. {@code Ġ} spells a space, {@code Ċ} a newline, {@code Ã©} the bytes of "é". */
  static final List<String> MERGES = List.of(
      "Ġ t", // 0 -> 256 Ġt
      "h e", // 1 -> 257 he
      "Ġt he", // 2 -> 258 Ġthe
      "l l", // 3 -> 259 ll
      "e ll", // 4 -> 260 ell
      "h ell", // 5 -> 261 hell
      "hell o", // 6 -> 262 hello
      "Ã ©", // 7 -> 263 Ã© (é)
      "1 2", // 8 -> 264 12
      "' s", // 9 -> 265 's
      "Ġ Ġ", // 10 -> 266 ĠĠ
      "Ċ Ċ"); // 11 -> 267 ĊĊ

  static final int XYZ = 268;
  static final int BOS = 269;
  static final int EOS = 270;
  static final int SIZE = 271;

  private TestVocab() {}

  static List<String> tokens() {
    List<String> tokens = new ArrayList<>();
    for (int b = 0; b < 256; b++) {
      tokens.add(String.valueOf(ByteLevel.charOf(b)));
    }
    for (String m : MERGES) {
      tokens.add(m.replace(" ", ""));
    }
    tokens.add("Ġxyz");
    tokens.add("<|begin_of_text|>");
    tokens.add("<|end_of_text|>");
    return tokens;
  }

  static int[] types() {
    int[] types = new int[SIZE];
    Arrays.fill(types, BpeTokenizer.NORMAL);
    types[BOS] = BpeTokenizer.CONTROL;
    types[EOS] = BpeTokenizer.CONTROL;
    return types;
  }

  static BpeTokenizer tokenizer() {
    return new BpeTokenizer(tokens(), types(), MERGES, BOS, EOS, BpeTokenizer.LLAMA3, true);
  }
}
