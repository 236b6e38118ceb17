package io.bitnet.runtime.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The key/value metadata of a GGUF file, in file order, with typed getters that fail with a
 * {@link GgufFormatException} naming the key when it is missing or of the wrong type.
 */
public final class GgufMetadata {

  private final Map<String, GgufValue> values;

  /** A copy of {@code values}, keeping their order. */
  public GgufMetadata(Map<String, GgufValue> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** Every entry, in file order. */
  public Map<String, GgufValue> asMap() {
    return values;
  }

  public Optional<GgufValue> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** A string value. */
  public String string(String key) throws GgufFormatException {
    return optionalString(key).orElseThrow(() -> missing(key));
  }

  public Optional<String> optionalString(String key) throws GgufFormatException {
    return typed(key, GgufValue.Str.class, "a string").map(GgufValue.Str::value);
  }

  /** An integer value of any width that fits an int. */
  public int integer(String key) throws GgufFormatException {
    return optionalInteger(key).orElseThrow(() -> missing(key));
  }

  public Optional<Integer> optionalInteger(String key) throws GgufFormatException {
    Optional<GgufValue.Int> v = typed(key, GgufValue.Int.class, "an integer that fits 32 bits");
    if (v.isPresent()) {
      GgufValue.Int i = v.get();
      if (i.value() < Integer.MIN_VALUE || i.value() > Integer.MAX_VALUE
          || (i.type() == GgufValueType.UINT64 && i.value() < 0)) {
        throw wrongType(key, i, "an integer that fits 32 bits");
      }
    }
    return v.map(i -> (int) i.value());
  }

  /** A float value (FLOAT32 or FLOAT64). */
  public float real(String key) throws GgufFormatException {
    return optionalReal(key).orElseThrow(() -> missing(key));
  }

  public Optional<Float> optionalReal(String key) throws GgufFormatException {
    return typed(key, GgufValue.Real.class, "a float").map(r -> (float) r.value());
  }

  public Optional<Boolean> optionalBool(String key) throws GgufFormatException {
    return typed(key, GgufValue.Bool.class, "a bool").map(GgufValue.Bool::value);
  }

  /** The value under {@code key} if present, which must be of {@code type}. */
  private <V extends GgufValue> Optional<V> typed(String key, Class<V> type, String expected) throws GgufFormatException {
    GgufValue v = values.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (type.isInstance(v)) {
      return Optional.of(type.cast(v));
    }
    throw wrongType(key, v, expected);
  }

  /** An array of strings. */
  public List<String> strings(String key) throws GgufFormatException {
    GgufValue.Array a = array(key, GgufValueType.STRING);
    return a.values().stream().map(v -> ((GgufValue.Str) v).value()).toList();
  }

  /** An array of integers that fit an int. */
  public int[] integers(String key) throws GgufFormatException {
    GgufValue v = values.get(key);
    if (!(v instanceof GgufValue.Array a) || !a.elementType().isInteger()) {
      throw v == null ? missing(key) : wrongType(key, v, "an array of integers");
    }
    int[] out = new int[a.values().size()];
    for (int i = 0; i < out.length; i++) {
      long x = ((GgufValue.Int) a.values().get(i)).value();
      if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
        throw new GgufFormatException("metadata '" + key + "'[" + i + "] = " + x + " does not fit 32 bits");
      }
      out[i] = (int) x;
    }
    return out;
  }

  private GgufValue.Array array(String key, GgufValueType element) throws GgufFormatException {
    GgufValue v = values.get(key);
    if (v == null) {
      throw missing(key);
    }
    if (v instanceof GgufValue.Array a && a.elementType() == element) {
      return a;
    }
    throw wrongType(key, v, "an array of " + element);
  }

  private static GgufFormatException missing(String key) {
    return new GgufFormatException("missing metadata key '" + key + "'");
  }

  private static GgufFormatException wrongType(String key, GgufValue v, String expected) {
    String actual = v instanceof GgufValue.Array a ? "an array of " + a.elementType() : v.type().toString();
    return new GgufFormatException("metadata '" + key + "' must be " + expected + ", got " + actual);
  }

  @Override
  public String toString() {
    return "GgufMetadata" + values.keySet();
  }
}
