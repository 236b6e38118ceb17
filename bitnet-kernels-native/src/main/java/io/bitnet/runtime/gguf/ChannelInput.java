package io.bitnet.runtime.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Sequential little-endian reads of a GGUF header through a small buffer. Every read checks the bytes
 * left in the file first, so a truncated file fails with a message instead of an underflow, and no
 * length read from the file allocates more than the file could hold.
 */
final class ChannelInput {

  private final FileChannel channel;
  private final long size;
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
  private long bufferStart;

  ChannelInput(FileChannel channel) throws IOException {
    this.channel = channel;
    this.size = channel.size();
    buffer.limit(0);
  }

  long position() {
    return bufferStart + buffer.position();
  }

  long remaining() {
    return size - position();
  }

  long size() {
    return size;
  }

  /** Makes {@code n} bytes (at most the buffer's capacity) readable from the buffer. */
  private void need(int n, String what) throws IOException {
    if (remaining() < n) {
      throw new GgufFormatException("truncated file: " + what + " at offset " + position() + " needs " + n
          + " bytes, " + remaining() + " left");
    }
    if (buffer.remaining() >= n) {
      return;
    }
    long pos = position();
    buffer.clear();
    bufferStart = pos;
    while (buffer.position() < n) {
      int read = channel.read(buffer, pos + buffer.position());
      if (read < 0) {
        throw new GgufFormatException("truncated file: " + what + " at offset " + pos);
      }
    }
    buffer.flip();
  }

  int u8(String what) throws IOException {
    need(1, what);
    return buffer.get() & 0xFF;
  }

  int u16(String what) throws IOException {
    need(2, what);
    return buffer.getShort() & 0xFFFF;
  }

  int i32(String what) throws IOException {
    need(4, what);
    return buffer.getInt();
  }

  long u32(String what) throws IOException {
    return i32(what) & 0xFFFF_FFFFL;
  }

  long i64(String what) throws IOException {
    need(8, what);
    return buffer.getLong();
  }

  /** A uint64 count or length that must lie in {@code [0, max]}. */
  long count(String what, long max) throws IOException {
    long n = i64(what);
    if (n < 0 || n > max) {
      throw new GgufFormatException(what + " " + Long.toUnsignedString(n) + " at offset " + (position() - 8)
          + " is out of range: at most " + max + " here, given the bytes left (truncated or corrupt file)");
    }
    return n;
  }

  /** A GGUF string: uint64 length, then that many bytes of UTF-8. */
  String string(String what, int maxBytes) throws IOException {
    int n = (int) count(what + " length", Math.min(maxBytes, remaining()));
    byte[] bytes = new byte[n];
    int done = 0;
    while (done < n) {
      int chunk = Math.min(n - done, buffer.capacity());
      need(chunk, what);
      buffer.get(bytes, done, chunk);
      done += chunk;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new GgufFormatException(what + " at offset " + (position() - n) + " is not valid UTF-8");
    }
  }

  void skipTo(long pos) throws IOException {
    if (pos < position() || pos > size) {
      throw new GgufFormatException("offset " + pos + " lies outside the file (" + size + " bytes)");
    }
    buffer.clear().limit(0);
    bufferStart = pos;
  }
}
