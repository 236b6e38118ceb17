package io.bitnet.runtime.gguf;

/**
 * GPT-2's byte-to-unicode table: byte-level BPE vocabularies spell every byte as one printable
 * character. Printable Latin-1 bytes ({@code !..~}, {@code ¡..¬}, {@code ®..ÿ}) stand for themselves;
 * the other 68 bytes, in increasing order, become U+0100, U+0101, ... (so a space is {@code Ġ}, U+0120,
 * and a newline {@code Ċ}, U+010A).
 */
final class ByteLevel {

  private static final char[] BYTE_TO_CHAR = new char[256];
  private static final int[] CHAR_TO_BYTE = new int[512];

  static {
    java.util.Arrays.fill(CHAR_TO_BYTE, -1);
    int next = 256;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      char c = (char) (printable ? b : next++);
      BYTE_TO_CHAR[b] = c;
      CHAR_TO_BYTE[c] = b;
    }
  }

  private ByteLevel() {}

  /** The vocabulary spelling of these bytes: one character per byte. */
  static String encode(byte[] bytes) {
    char[] out = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
    }
    return new String(out);
  }

  /** The character that spells this byte. */
  static char charOf(int b) {
    return BYTE_TO_CHAR[b & 0xFF];
  }

  /** The bytes a vocabulary spelling stands for, or {@code null} if a character is not in the table. */
  static byte[] decode(String spelling) {
    byte[] out = new byte[spelling.length()];
    for (int i = 0; i < out.length; i++) {
      char c = spelling.charAt(i);
      int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
      if (b < 0) {
        return null;
      }
      out[i] = (byte) b;
    }
    return out;
  }
}
