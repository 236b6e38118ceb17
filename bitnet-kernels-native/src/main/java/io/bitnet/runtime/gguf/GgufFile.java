package io.bitnet.runtime.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GGUF (version 3) file opened for reading: the header, metadata and tensor infos are parsed at
 * {@link #open}; tensor data stays in the file and is memory-mapped on demand, one region at a time,
 * so files larger than 2 GiB work and nothing is copied onto the heap unless the caller asks.
 *
 * <p>Every count and length read from the file is bounded by the bytes left in it (and by fixed
 * limits) before anything is allocated, and every tensor must lie inside the file: a truncated or
 * hostile file fails with a {@link GgufFormatException} that names the problem. Not thread-safe while
 * opening; {@link #map} may be called from any thread.
 */
public final class GgufFile implements AutoCloseable {

  /** "GGUF" read as a little-endian uint32. */
  static final int MAGIC = 0x46554747;
  static final int VERSION = 3;
  static final String ALIGNMENT_KEY = "general.alignment";
  static final int DEFAULT_ALIGNMENT = 32;

  // Bounds against hostile files; real models are far below them (2B-4T: 332 tensors, 24 keys, 280k merges).
  static final long MAX_TENSORS = 1 << 20;
  static final long MAX_KEYS = 1 << 20;
  static final long MAX_ARRAY = 1 << 24;
  static final int MAX_STRING = 1 << 24;
  static final int MAX_NAME = 1 << 16;
  static final int MAX_DIMS = 4;
  private static final int MAX_NESTING = 4;

  private final Path path;
  private final FileChannel channel;
  private final GgufMetadata metadata;
  private final Map<String, GgufTensorInfo> tensors;
  private final long dataStart;
  private final int alignment;

  private GgufFile(Path path, FileChannel channel, GgufMetadata metadata, Map<String, GgufTensorInfo> tensors,
      long dataStart, int alignment) {
    this.path = path;
    this.channel = channel;
    this.metadata = metadata;
    this.tensors = tensors;
    this.dataStart = dataStart;
    this.alignment = alignment;
  }

  /**
   * Opens and parses a GGUF file.
   *
   * @throws GgufFormatException if the file is not a well-formed GGUF v3 file of supported tensor types
   * @throws IOException if it cannot be read
   */
  public static GgufFile open(Path path) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      return parse(path, channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static GgufFile parse(Path path, FileChannel channel) throws IOException {
    ChannelInput in = new ChannelInput(channel);
    if (in.size() < 4 || in.i32("magic") != MAGIC) {
      throw new GgufFormatException(path + " is not a GGUF file (wrong magic)");
    }
    long version = in.u32("version");
    if (version != VERSION) {
      throw new GgufFormatException("unsupported GGUF version " + version + " (only version " + VERSION
          + " is read" + (Integer.reverseBytes((int) version) == VERSION ? "; this looks like a big-endian file)" : ")"));
    }
    // each tensor info takes at least 8 (name) + 4 (dims) + 8 (one dim) + 4 (type) + 8 (offset) bytes
    long tensorCount = in.count("tensor count", Math.min(MAX_TENSORS, in.remaining() / 32));
    long keyCount = in.count("metadata count", Math.min(MAX_KEYS, in.remaining() / 12));
    Map<String, GgufValue> values = new LinkedHashMap<>();
    for (long i = 0; i < keyCount; i++) {
      String key = in.string("metadata key", MAX_NAME);
      GgufValueType type = valueType(in.u32("type of '" + key + "'"), key);
      if (values.put(key, readValue(in, type, key, 0)) != null) {
        throw new GgufFormatException("duplicate metadata key '" + key + "'");
      }
    }
    GgufMetadata metadata = new GgufMetadata(values);
    int alignment = alignment(metadata);
    List<GgufTensorInfo> infos = new ArrayList<>();
    for (long i = 0; i < tensorCount; i++) {
      infos.add(readTensorInfo(in, alignment));
    }
    long dataStart = align(in.position(), alignment);
    long dataBytes = in.size() - dataStart;
    Map<String, GgufTensorInfo> tensors = new LinkedHashMap<>();
    for (GgufTensorInfo t : infos) {
      if (t.offset() > dataBytes || t.size() > dataBytes - t.offset()) {
        throw new GgufFormatException("tensor " + t.name() + " (" + t.size() + " bytes at data offset " + t.offset()
            + ") extends beyond the end of the file (" + in.size() + " bytes): truncated file?");
      }
      if (tensors.put(t.name(), t) != null) {
        throw new GgufFormatException("duplicate tensor '" + t.name() + "'");
      }
    }
    return new GgufFile(path, channel, metadata, Collections.unmodifiableMap(tensors), dataStart, alignment);
  }

  private static int alignment(GgufMetadata metadata) throws GgufFormatException {
    int alignment = metadata.optionalInteger(ALIGNMENT_KEY).orElse(DEFAULT_ALIGNMENT);
    if (alignment <= 0 || Integer.bitCount(alignment) != 1 || alignment > (1 << 20)) {
      throw new GgufFormatException(ALIGNMENT_KEY + " must be a power of two, got " + alignment);
    }
    return alignment;
  }

  private static GgufValueType valueType(long id, String key) throws GgufFormatException {
    GgufValueType type = GgufValueType.byId(id);
    if (type == null) {
      throw new GgufFormatException("metadata '" + key + "' has unknown value type " + id);
    }
    return type;
  }

  private static GgufValue readValue(ChannelInput in, GgufValueType type, String key, int depth) throws IOException {
    return switch (type) {
      case UINT8 -> new GgufValue.Int(type, in.u8(key));
      case INT8 -> new GgufValue.Int(type, (byte) in.u8(key));
      case UINT16 -> new GgufValue.Int(type, in.u16(key));
      case INT16 -> new GgufValue.Int(type, (short) in.u16(key));
      case UINT32 -> new GgufValue.Int(type, in.u32(key));
      case INT32 -> new GgufValue.Int(type, in.i32(key));
      case UINT64, INT64 -> new GgufValue.Int(type, in.i64(key));
      case FLOAT32 -> new GgufValue.Real(type, Float.intBitsToFloat(in.i32(key)));
      case FLOAT64 -> new GgufValue.Real(type, Double.longBitsToDouble(in.i64(key)));
      case BOOL -> {
        int b = in.u8(key);
        if (b > 1) {
          throw new GgufFormatException("metadata '" + key + "' is a bool of value " + b);
        }
        yield new GgufValue.Bool(b == 1);
      }
      case STRING -> new GgufValue.Str(in.string("metadata '" + key + "'", MAX_STRING));
      case ARRAY -> {
        if (depth >= MAX_NESTING) {
          throw new GgufFormatException("metadata '" + key + "' nests arrays deeper than " + MAX_NESTING);
        }
        GgufValueType element = valueType(in.u32("element type of '" + key + "'"), key);
        long n = in.count("length of array '" + key + "'", Math.min(MAX_ARRAY, in.remaining() / element.minBytes()));
        GgufValue[] items = new GgufValue[(int) n];
        for (int i = 0; i < n; i++) {
          items[i] = readValue(in, element, key, depth + 1);
        }
        yield new GgufValue.Array(element, List.of(items));
      }
    };
  }

  private static GgufTensorInfo readTensorInfo(ChannelInput in, int alignment) throws IOException {
    String name = in.string("tensor name", MAX_NAME);
    long nDims = in.u32("dimension count of " + name);
    if (nDims < 1 || nDims > MAX_DIMS) {
      throw new GgufFormatException("tensor " + name + " has " + nDims + " dimensions (1.." + MAX_DIMS + " allowed)");
    }
    long[] dims = new long[(int) nDims];
    long elements = 1;
    for (int d = 0; d < nDims; d++) {
      dims[d] = in.count("dimension " + d + " of " + name, Long.MAX_VALUE);
      if (dims[d] == 0 || Math.multiplyHigh(elements, dims[d]) != 0 || elements * dims[d] < 0) {
        throw new GgufFormatException("tensor " + name + " has an empty or overflowing shape");
      }
      elements *= dims[d];
    }
    long typeId = in.u32("type of " + name);
    GgufTensorType type = GgufTensorType.byId(typeId);
    if (type == null) {
      throw new GgufFormatException("tensor " + name + " has unsupported type " + typeId
          + " (supported: F32 = 0, F16 = 1, I2_S = 36)");
    }
    if (type == GgufTensorType.I2_S && elements % 4 != 0) {
      throw new GgufFormatException("I2_S tensor " + name + " has " + elements + " elements, not a multiple of 4");
    }
    long offset = in.count("data offset of " + name, Long.MAX_VALUE);
    if (offset % alignment != 0) {
      throw new GgufFormatException("tensor " + name + " data offset " + offset + " is not aligned to " + alignment);
    }
    if (elements > Long.MAX_VALUE / 4) {
      throw new GgufFormatException("tensor " + name + " is too large");
    }
    return new GgufTensorInfo(name, dims, type, offset, type.dataSize(elements));
  }

  static long align(long pos, int alignment) {
    return (pos + alignment - 1) / alignment * alignment;
  }

  public Path path() {
    return path;
  }

  public GgufMetadata metadata() {
    return metadata;
  }

  /** The tensor infos by name, in file order. */
  public Map<String, GgufTensorInfo> tensors() {
    return tensors;
  }

  /** The alignment of tensor data: {@code general.alignment}, 32 by default. */
  public int alignment() {
    return alignment;
  }

  /** Where the data section starts in the file. */
  public long dataStart() {
    return dataStart;
  }

  /** The tensor with this name. */
  public GgufTensorInfo tensor(String name) throws GgufFormatException {
    GgufTensorInfo t = tensors.get(name);
    if (t == null) {
      throw new GgufFormatException("missing tensor '" + name + "' in " + path);
    }
    return t;
  }

  /**
   * Maps {@code length} bytes of a tensor's data, from {@code from}, read-only and little-endian. A
   * region is at most 2 GiB - 1; larger tensors are read region by region.
   */
  public ByteBuffer map(GgufTensorInfo tensor, long from, long length) throws IOException {
    if (from < 0 || length < 0 || length > Integer.MAX_VALUE || from > tensor.size() - length) {
      throw new IllegalArgumentException("region " + from + "+" + length + " is outside tensor " + tensor.name()
          + " (" + tensor.size() + " bytes) or over 2 GiB");
    }
    return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + tensor.offset() + from, length)
        .order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  @Override
  public String toString() {
    return "GgufFile[" + path + ", " + tensors.size() + " tensors]";
  }
}
