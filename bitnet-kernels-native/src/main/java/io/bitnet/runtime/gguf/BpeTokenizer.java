package io.bitnet.runtime.gguf;

import io.bitnet.runtime.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LLaMA-3 style byte-level BPE ({@code tokenizer.ggml.model = gpt2}), encoding as llama.cpp does:
 *
 * <ol>
 *   <li>the text is split by the pre-tokenizer regex into words;
 *   <li>a word's UTF-8 bytes are spelled with {@link ByteLevel}'s one character per byte;
 *   <li>with {@code ignoreMerges} (LLaMA-3), a word that is itself in the vocabulary is one token;
 *   <li>otherwise the word starts as one symbol per byte and the adjacent pair with the lowest merge
 *       rank (the leftmost among equals) is merged until no pair has a rank;
 *   <li>each symbol is its token; a symbol missing from the vocabulary falls back to byte tokens.
 * </ol>
 *
 * <p>Control tokens written in the text are not recognised: text is always text, as with llama.cpp's
 * {@code parse_special = false}, so a prompt cannot inject {@code <|eot_id|>}. Immutable, thread-safe.
 */
public final class BpeTokenizer implements Tokenizer {

  /** llama.cpp token types ({@code tokenizer.ggml.token_type}). */
  public static final int NORMAL = 1;
  public static final int UNKNOWN = 2;
  public static final int CONTROL = 3;
  public static final int USER_DEFINED = 4;
  public static final int UNUSED = 5;
  public static final int BYTE = 6;

  private static final String WS = "\\p{IsWhite_Space}";
  private static final String NOT_WS = "\\P{IsWhite_Space}";

  /**
   * The LLaMA-3 pre-tokenizer, {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
   * ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+}, written for Java: {@code \s} is Unicode
   * White_Space (Java's is ASCII only) and the case-insensitive contractions are ASCII, as in llama.cpp.
   */
  public static final Pattern LLAMA3 = Pattern.compile(
      "'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD]"
          + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+"
          + "|\\p{N}{1,3}"
          + "| ?[^" + WS + "\\p{L}\\p{N}]+[\\r\\n]*"
          + "|" + WS + "*[\\r\\n]+"
          + "|" + WS + "+(?!" + NOT_WS + ")"
          + "|" + WS + "+");

  private static final byte[] NONE = new byte[0];

  private final Map<String, Integer> ids;
  private final Map<String, Integer> mergeRanks;
  private final byte[][] tokenBytes;
  private final int[] byteTokens = new int[256];
  private final int bos;
  private final int eos;
  private final Pattern preTokenizer;
  private final boolean ignoreMerges;

  /**
   * @param tokens the vocabulary spellings, by id
   * @param types the token types by id (see {@link #NORMAL} ...), or {@code null} for all normal
   * @param merges merge rules {@code "left right"}, highest priority first
   * @param bos beginning-of-sequence token id
   * @param eos end-of-sequence token id
   * @param preTokenizer the regex that splits text into words
   * @param ignoreMerges whether a word found whole in the vocabulary is one token (LLaMA-3 does this)
   * @throws IllegalArgumentException if the vocabulary lacks a byte token, a merge is malformed, or an id
   *     is out of range
   */
  public BpeTokenizer(List<String> tokens, int[] types, List<String> merges, int bos, int eos,
      Pattern preTokenizer, boolean ignoreMerges) {
    if (tokens == null || tokens.isEmpty() || merges == null || preTokenizer == null) {
      throw new IllegalArgumentException("tokens, merges and preTokenizer must be given");
    }
    if (types != null && types.length != tokens.size()) {
      throw new IllegalArgumentException(types.length + " token types for " + tokens.size() + " tokens");
    }
    if (bos < 0 || bos >= tokens.size() || eos < 0 || eos >= tokens.size()) {
      throw new IllegalArgumentException("bos " + bos + " or eos " + eos + " is outside the vocabulary of "
          + tokens.size());
    }
    this.bos = bos;
    this.eos = eos;
    this.preTokenizer = preTokenizer;
    this.ignoreMerges = ignoreMerges;
    this.ids = new HashMap<>(tokens.size() * 2);
    this.tokenBytes = new byte[tokens.size()][];
    for (int id = 0; id < tokens.size(); id++) {
      String text = tokens.get(id);
      ids.put(text, id); // a repeated spelling maps to its last id, as in llama.cpp
      tokenBytes[id] = bytesOf(text, types == null ? NORMAL : types[id]);
    }
    for (int b = 0; b < 256; b++) {
      Integer id = ids.get(String.valueOf(ByteLevel.charOf(b)));
      if (id == null) {
        throw new IllegalArgumentException(String.format("the vocabulary has no token for byte 0x%02X", b));
      }
      byteTokens[b] = id;
    }
    this.mergeRanks = new HashMap<>(merges.size() * 2);
    for (int rank = 0; rank < merges.size(); rank++) {
      String m = merges.get(rank);
      int space = m.indexOf(' ', 1);
      if (space < 0 || space == m.length() - 1) {
        throw new IllegalArgumentException("merge " + rank + " '" + m + "' is not 'left right'");
      }
      mergeRanks.putIfAbsent(m, rank);
    }
  }

  /**
   * The tokenizer a GGUF file describes: {@code tokenizer.ggml.model = gpt2} with the tokens, merges,
   * token types, BOS and EOS ids and a LLaMA-3 pre-tokenizer ({@code tokenizer.ggml.pre} =
   * {@code llama-bpe}, or its aliases {@code llama3}, {@code llama-v3}).
   *
   * @throws GgufFormatException if a key is missing or malformed, or the tokenizer is of another kind
   */
  public static BpeTokenizer fromGguf(GgufMetadata metadata) throws GgufFormatException {
    String model = metadata.string("tokenizer.ggml.model");
    if (!model.equals("gpt2")) {
      throw new GgufFormatException("tokenizer.ggml.model '" + model + "' is not supported (only gpt2, byte-level BPE)");
    }
    String pre = metadata.string("tokenizer.ggml.pre");
    if (!List.of("llama-bpe", "llama3", "llama-v3").contains(pre)) {
      throw new GgufFormatException("tokenizer.ggml.pre '" + pre + "' is not supported (only llama-bpe)");
    }
    List<String> tokens = metadata.strings("tokenizer.ggml.tokens");
    int[] types = metadata.get("tokenizer.ggml.token_type").isPresent()
        ? metadata.integers("tokenizer.ggml.token_type") : null;
    List<String> merges = metadata.strings("tokenizer.ggml.merges");
    try {
      return new BpeTokenizer(tokens, types, merges, metadata.integer("tokenizer.ggml.bos_token_id"),
          metadata.integer("tokenizer.ggml.eos_token_id"), LLAMA3, true);
    } catch (IllegalArgumentException e) {
      throw new GgufFormatException("bad tokenizer: " + e.getMessage(), e);
    }
  }

  /** What a token decodes to: byte-level spelling for normal tokens, nothing for control tokens. */
  private static byte[] bytesOf(String text, int type) {
    switch (type) {
      case NORMAL: {
        byte[] b = ByteLevel.decode(text);
        // a spelling outside the byte table is not byte-level: keep its text rather than fail
        return b != null ? b : text.getBytes(StandardCharsets.UTF_8);
      }
      case USER_DEFINED:
        return text.getBytes(StandardCharsets.UTF_8);
      default:
        return NONE;
    }
  }

  @Override
  public int[] encode(String text) {
    List<Integer> out = new ArrayList<>();
    out.add(bos);
    for (String word : preTokenize(text)) {
      encodeWord(word, out);
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The words the pre-tokenizer splits text into; text no alternative matches is kept as a word. */
  List<String> preTokenize(String text) {
    List<String> words = new ArrayList<>();
    Matcher m = preTokenizer.matcher(text);
    int end = 0;
    while (m.find()) {
      if (m.start() > end) {
        words.add(text.substring(end, m.start()));
      }
      if (!m.group().isEmpty()) {
        words.add(m.group());
      }
      end = m.end();
    }
    if (end < text.length()) {
      words.add(text.substring(end));
    }
    return words;
  }

  private void encodeWord(String word, List<Integer> out) {
    if (word.isEmpty()) {
      return;
    }
    String spelled = ByteLevel.encode(word.getBytes(StandardCharsets.UTF_8));
    if (ignoreMerges) {
      Integer whole = ids.get(spelled);
      if (whole != null) {
        out.add(whole);
        return;
      }
    }
    for (String symbol : merge(spelled)) {
      Integer id = ids.get(symbol);
      if (id != null) {
        out.add(id);
      } else {
        for (int i = 0; i < symbol.length(); i++) {
          out.add(byteTokens[ByteLevel.decode(String.valueOf(symbol.charAt(i)))[0] & 0xFF]);
        }
      }
    }
  }

  /** A candidate merge of the symbols starting at {@code left} and {@code right}, as they were when queued. */
  private record Candidate(int rank, int left, int right, int leftLength, int rightLength) {}

  /** Applies the merge rules to a spelled word, lowest rank first, leftmost among equal ranks. */
  private List<String> merge(String spelled) {
    int n = spelled.length();
    String[] symbols = new String[n];
    int[] prev = new int[n];
    int[] next = new int[n];
    for (int i = 0; i < n; i++) {
      symbols[i] = String.valueOf(spelled.charAt(i));
      prev[i] = i - 1;
      next[i] = i + 1 < n ? i + 1 : -1;
    }
    PriorityQueue<Candidate> queue = new PriorityQueue<>((a, b) ->
        a.rank != b.rank ? Integer.compare(a.rank, b.rank) : Integer.compare(a.left, b.left));
    for (int i = 0; i + 1 < n; i++) {
      offer(queue, symbols, i, i + 1);
    }
    while (!queue.isEmpty()) {
      Candidate c = queue.poll();
      // stale if either side has been merged into something else since it was queued
      if (symbols[c.left] == null || symbols[c.right] == null || next[c.left] != c.right
          || symbols[c.left].length() != c.leftLength || symbols[c.right].length() != c.rightLength) {
        continue;
      }
      symbols[c.left] = symbols[c.left] + symbols[c.right];
      symbols[c.right] = null;
      next[c.left] = next[c.right];
      if (next[c.left] >= 0) {
        prev[next[c.left]] = c.left;
        offer(queue, symbols, c.left, next[c.left]);
      }
      if (prev[c.left] >= 0) {
        offer(queue, symbols, prev[c.left], c.left);
      }
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i >= 0; i = next[i]) {
      out.add(symbols[i]);
    }
    return out;
  }

  private void offer(PriorityQueue<Candidate> queue, String[] symbols, int left, int right) {
    Integer rank = mergeRanks.get(symbols[left] + " " + symbols[right]);
    if (rank != null) {
      queue.add(new Candidate(rank, left, right, symbols[left].length(), symbols[right].length()));
    }
  }

  @Override
  public byte[] tokenBytes(int token) {
    return token >= 0 && token < tokenBytes.length ? tokenBytes[token].clone() : NONE;
  }

  /** The token id of a vocabulary spelling, or -1. */
  public int id(String spelling) {
    return ids.getOrDefault(spelling, -1);
  }

  @Override
  public int bos() {
    return bos;
  }

  @Override
  public int eos() {
    return eos;
  }

  @Override
  public int vocabSize() {
    return tokenBytes.length;
  }

  @Override
  public String toString() {
    return "BpeTokenizer[" + tokenBytes.length + " tokens, " + mergeRanks.size() + " merges]";
  }
}
