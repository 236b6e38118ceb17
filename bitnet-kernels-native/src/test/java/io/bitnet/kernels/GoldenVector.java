package io.bitnet.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One folder of the I2_S golden vectors in test resources (see golden/README.md). */
record GoldenVector(String name, int rows, int cols, int batch) {

  static final List<String> NAMES =
      List.of("i2s-4x128-b1", "i2s-16x512-b3", "i2s-64x2048-b4", "i2s-4x4096-allplus");

  static GoldenVector load(String name) {
    String meta = new String(bytes(name, "meta.json"), java.nio.charset.StandardCharsets.UTF_8);
    return new GoldenVector(name, intField(meta, "rows"), intField(meta, "cols"), intField(meta, "batch"));
  }

  float[] weights() {
    return floats("weights.f32");
  }

  byte[] ternary() {
    return bytes(name, "ternary.i8");
  }

  byte[] packed() {
    return bytes(name, "i2s.bin");
  }

  float scale() {
    return floats("i2s_scale.f32")[0];
  }

  float[] activations() {
    return floats("activations.f32");
  }

  byte[] act() {
    return bytes(name, "act.i8");
  }

  float[] actScale() {
    return floats("act_scale.f32");
  }

  int[] actSum() {
    return ints("act_sum.i32");
  }

  /** Dot products re-ordered to the API's layout: [v * rows + r] (the files hold [r * batch + v]). */
  int[] dotsByVector() {
    int[] d = ints("dot.i32");
    int[] out = new int[d.length];
    for (int r = 0; r < rows; r++) {
      for (int v = 0; v < batch; v++) {
        out[v * rows + r] = d[r * batch + v];
      }
    }
    return out;
  }

  /** Outputs re-ordered to the API's layout: [v * rows + r]. */
  float[] outByVector() {
    float[] o = floats("out.f32");
    float[] out = new float[o.length];
    for (int r = 0; r < rows; r++) {
      for (int v = 0; v < batch; v++) {
        out[v * rows + r] = o[r * batch + v];
      }
    }
    return out;
  }

  private float[] floats(String file) {
    ByteBuffer b = ByteBuffer.wrap(bytes(name, file)).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[b.remaining() / 4];
    b.asFloatBuffer().get(out);
    return out;
  }

  private int[] ints(String file) {
    ByteBuffer b = ByteBuffer.wrap(bytes(name, file)).order(ByteOrder.LITTLE_ENDIAN);
    int[] out = new int[b.remaining() / 4];
    b.asIntBuffer().get(out);
    return out;
  }

  private static byte[] bytes(String name, String file) {
    String path = "/golden/" + name + "/" + file;
    try (InputStream in = GoldenVector.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int intField(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no " + field + " in meta.json");
    }
    return Integer.parseInt(m.group(1));
  }

  @Override
  public String toString() {
    return name;
  }
}
