package io.bitnet.runtime.gguf;

/**
 * The tensor types this runtime reads, with their ggml type ids. {@code I2_S} is the id of
 * bitnet.cpp's llama.cpp fork ({@code GGML_TYPE_I2_S = 36}).
 */
public enum GgufTensorType {
  F32(0),
  F16(1),
  /**
   * Ternary weights, 2 bits each, in bitnet.cpp's x86 layout ({@code QuantizationFormat.I2_S}):
   * {@code n / 4} packed bytes, then the float32 per-tensor scale, padded to 32 bytes.
   */
  I2_S(36);

  /** Bytes an I2_S tensor's data holds after its packed weights: the scale, padded as bitnet.cpp pads it. */
  public static final int I2_S_TRAILER = 32;

  private final int id;

  GgufTensorType(int id) {
    this.id = id;
  }

  public int id() {
    return id;
  }

  /** Bytes of data for this many elements. */
  public long dataSize(long elements) {
    return switch (this) {
      case F32 -> elements * 4;
      case F16 -> elements * 2;
      case I2_S -> elements / 4 + I2_S_TRAILER;
    };
  }

  /** The type with this id, or {@code null}. */
  static GgufTensorType byId(long id) {
    for (GgufTensorType t : values()) {
      if (t.id == id) {
        return t;
      }
    }
    return null;
  }
}
