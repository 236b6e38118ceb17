package io.bitnet.runtime.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing and reading back GGUF files: every metadata type, tensor infos, alignment and mapping. */
class GgufReaderTest {

  @TempDir
  Path dir;

  static Map<String, GgufValue> everyType() {
    Map<String, GgufValue> m = new LinkedHashMap<>();
    m.put("u8", new GgufValue.Int(GgufValueType.UINT8, 255));
    m.put("i8", new GgufValue.Int(GgufValueType.INT8, -128));
    m.put("u16", new GgufValue.Int(GgufValueType.UINT16, 65535));
    m.put("i16", new GgufValue.Int(GgufValueType.INT16, -32768));
    m.put("u32", new GgufValue.Int(GgufValueType.UINT32, 0xFFFF_FFFFL));
    m.put("i32", new GgufValue.Int(GgufValueType.INT32, Integer.MIN_VALUE));
    m.put("f32", new GgufValue.Real(GgufValueType.FLOAT32, 0.1f));
    m.put("bool.true", new GgufValue.Bool(true));
    m.put("bool.false", new GgufValue.Bool(false));
    m.put("string", new GgufValue.Str("héllo 😀"));
    m.put("string.empty", new GgufValue.Str(""));
    m.put("u64", new GgufValue.Int(GgufValueType.UINT64, -1L)); // 2^64 - 1
    m.put("i64", new GgufValue.Int(GgufValueType.INT64, Long.MIN_VALUE));
    m.put("f64", new GgufValue.Real(GgufValueType.FLOAT64, Math.PI));
    m.put("array.i32", GgufValue.int32s(new int[] {1, -2, 3}));
    m.put("array.string", GgufValue.strings(List.of("a", "", "ü")));
    m.put("array.empty", new GgufValue.Array(GgufValueType.FLOAT64, List.of()));
    m.put("array.nested", new GgufValue.Array(GgufValueType.ARRAY, List.of(
        GgufValue.int32s(new int[] {7}), GgufValue.int32s(new int[] {8, 9}))));
    m.put("array.bool", new GgufValue.Array(GgufValueType.BOOL, List.of(new GgufValue.Bool(true), new GgufValue.Bool(false))));
    return m;
  }

  @Test
  void everyMetadataTypeRoundTrips() throws Exception {
    GgufWriter w = new GgufWriter();
    everyType().forEach(w::put);
    Path path = dir.resolve("types.gguf");
    w.write(path);
    try (GgufFile f = GgufFile.open(path)) {
      assertEquals(everyType(), f.metadata().asMap());
      assertEquals(new ArrayList<>(everyType().keySet()), new ArrayList<>(f.metadata().asMap().keySet()), "order kept");
      assertEquals(GgufValueType.UINT64, f.metadata().get("u64").orElseThrow().type());
      assertEquals(0.1f, f.metadata().real("f32"));
      assertEquals("héllo 😀", f.metadata().string("string"));
      assertArrayEquals(new int[] {1, -2, 3}, f.metadata().integers("array.i32"));
      assertEquals(List.of("a", "", "ü"), f.metadata().strings("array.string"));
      assertEquals(0, f.tensors().size());
    }
  }

  @Test
  void tensorsAreAlignedAndMapped() throws Exception {
    for (int alignment : new int[] {32, 64}) {
      GgufWriter w = new GgufWriter();
      if (alignment != 32) {
        w.put("general.alignment", GgufValue.uint32(alignment));
      }
      byte[] a = bytes(12, 1);
      byte[] b = bytes(2 * 3 * 2, 50);
      byte[] c = bytes(128 * 2 / 4 + 32, 100);
      w.tensor("a", GgufTensorType.F32, new long[] {3}, a);
      w.tensor("b", GgufTensorType.F16, new long[] {3, 2}, b);
      w.tensor("c", GgufTensorType.I2_S, new long[] {128, 2}, c);
      Path path = dir.resolve("tensors" + alignment + ".gguf");
      w.write(path);
      try (GgufFile f = GgufFile.open(path)) {
        assertEquals(alignment, f.alignment());
        assertEquals(0, f.dataStart() % alignment);
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(f.tensors().keySet()));
        GgufTensorInfo tb = f.tensor("b");
        assertArrayEquals(new long[] {3, 2}, tb.dims());
        assertEquals(3, tb.cols());
        assertEquals(2, tb.rows());
        assertEquals(GgufTensorType.F16, tb.type());
        assertEquals(12, tb.size());
        assertEquals(96, f.tensor("c").size());
        for (GgufTensorInfo t : f.tensors().values()) {
          assertEquals(0, t.offset() % alignment, t.name());
        }
        assertArrayEquals(a, read(f.map(f.tensor("a"), 0, 12)));
        assertArrayEquals(b, read(f.map(tb, 0, 12)));
        assertArrayEquals(c, read(f.map(f.tensor("c"), 0, 96)));
        assertArrayEquals(new byte[] {c[10], c[11]}, read(f.map(f.tensor("c"), 10, 2)));
        assertEquals(f.dataStart() + f.tensor("c").offset() + 96, Files.size(path) - padding(96, alignment));
      }
    }
  }

  private static long padding(long n, int alignment) {
    return GgufFile.align(n, alignment) - n;
  }

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (seed + i * 7);
    }
    return b;
  }

  private static byte[] read(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.get(out);
    return out;
  }

  @Test
  void halfPrecisionConversions() {
    for (float f : new float[] {0f, -0f, 1f, -2.5f, 65504f, 6.1035156e-5f, 5.9604645e-8f, 0.333251953125f}) {
      assertEquals(f, Half.toFloat(Half.fromFloat(f)), "exact in binary16: " + f);
    }
    assertEquals(Float.POSITIVE_INFINITY, Half.toFloat(Half.fromFloat(1e6f)));
    assertEquals(0x3C00, Half.fromFloat(1f) & 0xFFFF);
    assertEquals(0x3C00, Half.fromFloat(1.0004883f) & 0xFFFF, "half-way rounds to even");
    assertEquals(0x3C01, Half.fromFloat(1.0004884f) & 0xFFFF);
  }
}
