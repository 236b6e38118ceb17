package io.bitnet.runtime;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Incremental UTF-8 decoding of a token stream: each piece it returns holds only whole characters, and
 * bytes of a character split across tokens wait for the rest. Invalid sequences become U+FFFD.
 * One per request; not thread-safe.
 */
final class TextDecoder {

  private final Tokenizer tokenizer;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private ByteBuffer pending = ByteBuffer.allocate(16);
  private final StringBuilder text = new StringBuilder();

  TextDecoder(Tokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /** The text that token completes, possibly empty. */
  String append(int token) {
    byte[] bytes = tokenizer.tokenBytes(token);
    if (pending.remaining() < bytes.length) {
      ByteBuffer bigger = ByteBuffer.allocate(pending.capacity() * 2 + bytes.length);
      pending.flip();
      bigger.put(pending);
      pending = bigger;
    }
    pending.put(bytes);
    pending.flip();
    CharBuffer out = CharBuffer.allocate(pending.remaining() + 2);
    decoder.decode(pending, out, false);
    pending.compact();
    out.flip();
    String piece = out.toString();
    text.append(piece);
    return piece;
  }

  /** Everything decoded so far, with any dangling partial character as U+FFFD. */
  String finish() {
    pending.flip();
    if (pending.hasRemaining()) {
      CharBuffer out = CharBuffer.allocate(pending.remaining() + 2);
      decoder.decode(pending, out, true);
      decoder.flush(out);
      out.flip();
      text.append(out);
    }
    pending.clear();
    return text.toString();
  }
}
