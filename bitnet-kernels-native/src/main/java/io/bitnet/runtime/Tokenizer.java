package io.bitnet.runtime;

/** Turns text into token ids and back. Implementations are immutable and thread-safe. */
public interface Tokenizer {

  /** Token ids of the text, starting with {@link #bos()}. */
  int[] encode(String text);

  /** The bytes a token stands for (empty for special tokens); UTF-8 text may span several tokens. */
  byte[] tokenBytes(int token);

  /** Beginning-of-sequence token. */
  int bos();

  /** End-of-sequence token: generation stops when it is sampled. */
  int eos();

  /** Number of token ids this tokenizer knows. */
  int vocabSize();
}
