package io.bitnet.runtime.gguf;

import java.util.List;

/**
 * One GGUF metadata value. Integers of every width share {@link Int}, floats share {@link Real}; the
 * {@link #type()} keeps the width so that a value written back is the value read.
 */
public sealed interface GgufValue {

  /** The value's type tag. */
  GgufValueType type();

  /**
   * An integer of any GGUF integer type. {@code UINT64} values above {@link Long#MAX_VALUE} are kept as
   * their two's-complement bits.
   */
  record Int(GgufValueType type, long value) implements GgufValue {
    public Int {
      if (type == null || !type.isInteger()) {
        throw new IllegalArgumentException("not an integer type: " + type);
      }
      if (!fits(type, value)) {
        throw new IllegalArgumentException(value + " does not fit " + type);
      }
    }

    private static boolean fits(GgufValueType type, long v) {
      return switch (type) {
        case UINT8 -> v >= 0 && v <= 0xFF;
        case INT8 -> v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE;
        case UINT16 -> v >= 0 && v <= 0xFFFF;
        case INT16 -> v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
        case UINT32 -> v >= 0 && v <= 0xFFFF_FFFFL;
        case INT32 -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
        default -> true;
      };
    }
  }

  /** A {@code FLOAT32} or {@code FLOAT64}; a {@code FLOAT32} holds a value a float represents exactly. */
  record Real(GgufValueType type, double value) implements GgufValue {
    public Real {
      if (type != GgufValueType.FLOAT32 && type != GgufValueType.FLOAT64) {
        throw new IllegalArgumentException("not a float type: " + type);
      }
    }
  }

  /** A {@code BOOL}. */
  record Bool(boolean value) implements GgufValue {
    @Override
    public GgufValueType type() {
      return GgufValueType.BOOL;
    }
  }

  /** A {@code STRING} (UTF-8 in the file). */
  record Str(String value) implements GgufValue {
    public Str {
      if (value == null) {
        throw new IllegalArgumentException("value must not be null");
      }
    }

    @Override
    public GgufValueType type() {
      return GgufValueType.STRING;
    }
  }

  /** An {@code ARRAY}: elements all of {@code elementType}. */
  record Array(GgufValueType elementType, List<GgufValue> values) implements GgufValue {
    public Array {
      values = List.copyOf(values);
      for (GgufValue v : values) {
        if (v.type() != elementType) {
          throw new IllegalArgumentException("array of " + elementType + " holds a " + v.type());
        }
      }
    }

    @Override
    public GgufValueType type() {
      return GgufValueType.ARRAY;
    }
  }

  /** A {@code UINT32}. */
  static Int uint32(long v) {
    return new Int(GgufValueType.UINT32, v);
  }

  /** A {@code FLOAT32}. */
  static Real float32(float v) {
    return new Real(GgufValueType.FLOAT32, v);
  }

  /** A {@code STRING}. */
  static Str string(String v) {
    return new Str(v);
  }

  /** An array of {@code STRING}. */
  static Array strings(List<String> values) {
    return new Array(GgufValueType.STRING, values.stream().map(s -> (GgufValue) new Str(s)).toList());
  }

  /** An array of {@code INT32}. */
  static Array int32s(int[] values) {
    GgufValue[] out = new GgufValue[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = new Int(GgufValueType.INT32, values[i]);
    }
    return new Array(GgufValueType.INT32, List.of(out));
  }
}
