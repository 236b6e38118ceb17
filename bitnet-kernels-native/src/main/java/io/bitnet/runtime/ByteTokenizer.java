package io.bitnet.runtime;

import java.nio.charset.StandardCharsets;

/**
 * Byte-level tokenizer: token {@code b} is the byte {@code b} (0..255), then BOS and EOS. Any UTF-8
 * prompt encodes, and any generated token sequence decodes. Ids above EOS (a larger model vocabulary)
 * stand for no bytes.
 */
public final class ByteTokenizer implements Tokenizer {

  public static final int BOS = 256;
  public static final int EOS = 257;
  public static final int VOCAB_SIZE = 258;

  private static final byte[] NONE = new byte[0];

  @Override
  public int[] encode(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int[] ids = new int[bytes.length + 1];
    ids[0] = BOS;
    for (int i = 0; i < bytes.length; i++) {
      ids[i + 1] = bytes[i] & 0xFF;
    }
    return ids;
  }

  @Override
  public byte[] tokenBytes(int token) {
    return token >= 0 && token < 256 ? new byte[] {(byte) token} : NONE;
  }

  @Override
  public int bos() {
    return BOS;
  }

  @Override
  public int eos() {
    return EOS;
  }

  @Override
  public int vocabSize() {
    return VOCAB_SIZE;
  }
}
