package io.bitnet.runtime.gguf;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes GGUF version 3 files: metadata of every type and tensors of the types in
 * {@link GgufTensorType}. For tests, tools and small models: tensor data is held in memory until
 * {@link #write}. Not thread-safe.
 */
public final class GgufWriter {

  private record Tensor(String name, long[] dims, GgufTensorType type, byte[] data) {}

  private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
  private final List<Tensor> tensors = new ArrayList<>();

  /** Adds (or replaces) a metadata entry. {@code general.alignment} sets the data alignment. */
  public GgufWriter put(String key, GgufValue value) {
    if (key == null || value == null) {
      throw new IllegalArgumentException("key and value must not be null");
    }
    metadata.put(key, value);
    return this;
  }

  /**
   * Adds a tensor, or replaces the one of the same name in place.
   *
   * @param dims ggml dimensions, innermost (columns) first
   * @param data exactly {@code type.dataSize(elements)} bytes, little-endian
   */
  public GgufWriter tensor(String name, GgufTensorType type, long[] dims, byte[] data) {
    long elements = 1;
    for (long d : dims) {
      elements *= d;
    }
    if (data.length != type.dataSize(elements)) {
      throw new IllegalArgumentException(name + ": " + type + " data of " + elements + " elements must be "
          + type.dataSize(elements) + " bytes, got " + data.length);
    }
    Tensor t = new Tensor(name, dims.clone(), type, data);
    for (int i = 0; i < tensors.size(); i++) {
      if (tensors.get(i).name.equals(name)) {
        tensors.set(i, t);
        return this;
      }
    }
    tensors.add(t);
    return this;
  }

  /** Writes the file. */
  public void write(Path path) throws IOException {
    try (OutputStream out = Files.newOutputStream(path)) {
      write(out);
    }
  }

  /** Writes the file to a stream (not closed). */
  public void write(OutputStream sink) throws IOException {
    int alignment = GgufFile.DEFAULT_ALIGNMENT;
    if (metadata.get(GgufFile.ALIGNMENT_KEY) instanceof GgufValue.Int a) {
      alignment = (int) a.value();
    }
    LittleEndianOutput out = new LittleEndianOutput(new BufferedOutputStream(sink));
    out.i32(GgufFile.MAGIC);
    out.i32(GgufFile.VERSION);
    out.i64(tensors.size());
    out.i64(metadata.size());
    for (Map.Entry<String, GgufValue> e : metadata.entrySet()) {
      out.string(e.getKey());
      out.i32(e.getValue().type().id());
      value(out, e.getValue());
    }
    long offset = 0;
    for (Tensor t : tensors) {
      out.string(t.name);
      out.i32(t.dims.length);
      for (long d : t.dims) {
        out.i64(d);
      }
      out.i32(t.type.id());
      out.i64(offset);
      offset = GgufFile.align(offset + t.data.length, alignment);
    }
    out.pad(alignment);
    for (Tensor t : tensors) {
      out.bytes(t.data);
      out.pad(alignment);
    }
    out.flush();
  }

  private static void value(LittleEndianOutput out, GgufValue v) throws IOException {
    if (v instanceof GgufValue.Int i) {
      switch (i.type()) {
        case UINT8, INT8 -> out.u8((int) i.value());
        case UINT16, INT16 -> out.u16((int) i.value());
        case UINT32, INT32 -> out.i32((int) i.value());
        default -> out.i64(i.value());
      }
    } else if (v instanceof GgufValue.Real r) {
      if (r.type() == GgufValueType.FLOAT32) {
        out.i32(Float.floatToRawIntBits((float) r.value()));
      } else {
        out.i64(Double.doubleToRawLongBits(r.value()));
      }
    } else if (v instanceof GgufValue.Bool b) {
      out.u8(b.value() ? 1 : 0);
    } else if (v instanceof GgufValue.Str s) {
      out.string(s.value());
    } else if (v instanceof GgufValue.Array a) {
      out.i32(a.elementType().id());
      out.i64(a.values().size());
      for (GgufValue item : a.values()) {
        value(out, item);
      }
    }
  }

  /** Little-endian primitives over a stream, counting bytes for alignment padding. */
  private static final class LittleEndianOutput {
    private final DataOutputStream out;

    LittleEndianOutput(OutputStream out) {
      this.out = new DataOutputStream(out);
    }

    void u8(int v) throws IOException {
      out.writeByte(v);
    }

    void u16(int v) throws IOException {
      out.writeShort(Short.reverseBytes((short) v));
    }

    void i32(int v) throws IOException {
      out.writeInt(Integer.reverseBytes(v));
    }

    void i64(long v) throws IOException {
      out.writeLong(Long.reverseBytes(v));
    }

    void string(String s) throws IOException {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      i64(b.length);
      out.write(b);
    }

    void bytes(byte[] b) throws IOException {
      out.write(b);
    }

    void pad(int alignment) throws IOException {
      // DataOutputStream.size() saturates at 2 GiB; this writer is for files below that
      while (out.size() % alignment != 0) {
        out.writeByte(0);
      }
    }

    void flush() throws IOException {
      out.flush();
    }
  }
}
