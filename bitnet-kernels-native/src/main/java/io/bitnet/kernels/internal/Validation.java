package io.bitnet.kernels.internal;

import io.bitnet.kernels.QuantizationFormat;

/**
 * Argument checks for the public kernel API. Native code never sees an argument that has not passed
 * through here. Every message names the argument and the value that was wrong.
 */
public final class Validation {

  /** The largest Java array the JVM reliably allocates. */
  private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

  /** Longer tensor names are rejected: they end up in logs and telemetry labels. */
  public static final int MAX_NAME_LENGTH = 256;

  private Validation() {}

  public static <T> T requireNonNull(T value, String argument) {
    if (value == null) {
      throw new IllegalArgumentException(argument + " must not be null");
    }
    return value;
  }

  public static String requireName(String name) {
    requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "name must be at most " + MAX_NAME_LENGTH + " characters, got " + name.length());
    }
    return name;
  }

  public static void requireShape(int rows, int cols, QuantizationFormat format) {
    requireNonNull(format, "format");
    if (rows <= 0) {
      throw new IllegalArgumentException("rows must be positive, got " + rows);
    }
    if (cols <= 0) {
      throw new IllegalArgumentException("cols must be positive, got " + cols);
    }
    if (cols % QuantizationFormat.BLOCK_SIZE != 0) {
      throw new IllegalArgumentException(
          "cols must be a multiple of " + format + "'s block of " + QuantizationFormat.BLOCK_SIZE + ", got " + cols);
    }
    if (cols > QuantizationFormat.MAX_COLS) {
      throw new IllegalArgumentException(
          "cols must be at most " + QuantizationFormat.MAX_COLS + " (exact int32 accumulation), got " + cols);
    }
    if ((long) rows * cols > MAX_ELEMENTS) {
      throw new IllegalArgumentException(
          "rows * cols must be at most " + MAX_ELEMENTS + ", got " + rows + " * " + cols);
    }
  }

  public static void requireWeights(float[] weights, int rows, int cols) {
    requireNonNull(weights, "weights");
    requireLength(weights.length, (long) rows * cols, "weights.length", "rows * cols");
    requireFinite(weights, weights.length, "weights");
  }

  public static void requirePacked(byte[] packed, QuantizationFormat format, int rows, int cols, float scale) {
    requireNonNull(packed, "packed");
    requireLength(packed.length, format.packedSize(rows, cols), "packed.length", format + " packed size");
    int bad = TernaryCodec.firstInvalidByte(format, packed, rows, cols);
    if (bad >= 0) {
      throw new IllegalArgumentException(
          "packed[" + bad + "] = 0x" + Integer.toHexString(packed[bad] & 0xFF) + " holds a code that is not valid " + format);
    }
    if (!Float.isFinite(scale) || scale <= 0) {
      throw new IllegalArgumentException("scale must be finite and positive, got " + scale);
    }
  }

  /** Checks the values, scales and shape of an int8 matrix. */
  public static void requireInt8Matrix(byte[] values, float[] scales, int rows, int cols) {
    requireNonNull(values, "values");
    requireNonNull(scales, "scales");
    if (rows <= 0) {
      throw new IllegalArgumentException("rows must be positive, got " + rows);
    }
    if (cols <= 0 || cols % 64 != 0) {
      throw new IllegalArgumentException("cols must be a positive multiple of 64, got " + cols);
    }
    if (cols > QuantizationFormat.MAX_COLS) {
      throw new IllegalArgumentException("cols must be at most " + QuantizationFormat.MAX_COLS + ", got " + cols);
    }
    if ((long) rows * cols > MAX_ELEMENTS) {
      throw new IllegalArgumentException("rows * cols must be at most " + MAX_ELEMENTS + ", got " + rows + " * " + cols);
    }
    requireLength(values.length, (long) rows * cols, "values.length", "rows * cols");
    requireLength(scales.length, rows, "scales.length", "rows");
    for (int i = 0; i < values.length; i++) {
      if (values[i] == Byte.MIN_VALUE) {
        throw new IllegalArgumentException("values[" + i + "] is -128: int8 rows must lie in [-127, 127]");
      }
    }
    for (int i = 0; i < scales.length; i++) {
      if (!Float.isFinite(scales[i]) || scales[i] < 0) {
        throw new IllegalArgumentException("scales[" + i + "] is " + scales[i] + ": scales must be finite and not negative");
      }
    }
  }

  /** Checks the input and output of a matmul against a {@code rows x cols} tensor. */
  public static void requireMatmul(float[] input, int batch, float[] output, int rows, int cols) {
    requireNonNull(input, "input");
    requireNonNull(output, "output");
    requireBatch(batch, rows, cols);
    requireAtLeast(input.length, (long) batch * cols, "input.length", "batch * cols");
    requireAtLeast(output.length, (long) batch * rows, "output.length", "batch * rows");
    requireFinite(input, batch * cols, "input");
  }

  /** Checks int8 activations and the dot-product output against a {@code rows x cols} tensor. */
  public static void requireDot(byte[] values, int batch, int actCols, int[] output, int rows, int cols) {
    requireNonNull(values, "activations.values");
    requireNonNull(output, "output");
    if (actCols != cols) {
      throw new IllegalArgumentException("activations.cols (" + actCols + ") must equal the tensor's cols (" + cols + ")");
    }
    requireBatch(batch, rows, cols);
    requireAtLeast(values.length, (long) batch * cols, "activations.values.length", "batch * cols");
    requireAtLeast(output.length, (long) batch * rows, "output.length", "batch * rows");
  }

  /** Checks a float vector set for {@code quantizeActivations}. */
  public static void requireActivations(float[] input, int batch, int cols) {
    requireNonNull(input, "input");
    if (cols <= 0) {
      throw new IllegalArgumentException("cols must be positive, got " + cols);
    }
    requireBatch(batch, 1, cols);
    requireAtLeast(input.length, (long) batch * cols, "input.length", "batch * cols");
    requireFinite(input, batch * cols, "input");
  }

  private static void requireBatch(int batch, int rows, int cols) {
    if (batch <= 0) {
      throw new IllegalArgumentException("batch must be positive, got " + batch);
    }
    if ((long) batch * cols > MAX_ELEMENTS || (long) batch * rows > MAX_ELEMENTS) {
      throw new IllegalArgumentException("batch " + batch + " is too large for a tensor with " + rows + " rows and " + cols + " cols");
    }
  }

  private static void requireLength(long actual, long expected, String what, String expectedName) {
    if (actual != expected) {
      throw new IllegalArgumentException(
          what + " (" + actual + ") must equal " + expectedName + " (" + expected + ")");
    }
  }

  private static void requireAtLeast(long actual, long needed, String what, String neededName) {
    if (actual < needed) {
      throw new IllegalArgumentException(what + " (" + actual + ") is smaller than " + neededName + " (" + needed + ")");
    }
  }

  private static void requireFinite(float[] values, int count, String argument) {
    for (int i = 0; i < count; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException(argument + "[" + i + "] is " + values[i] + ": values must be finite");
      }
    }
  }
}
