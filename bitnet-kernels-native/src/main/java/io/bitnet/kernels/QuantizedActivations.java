package io.bitnet.kernels;

/**
 * Activation vectors after per-vector absmax int8 quantisation, as every backend computes them:
 * {@code scale = (float) (127 / max(1e-5, max|x|))} and {@code q = clamp(rint(x * scale), -128, 127)}.
 *
 * @param batch number of vectors
 * @param cols length of each vector
 * @param values {@code batch * cols} int8 values, vector after vector
 * @param scales the scale of each vector
 * @param sums the sum of each vector's int8 values
 */
public record QuantizedActivations(int batch, int cols, byte[] values, float[] scales, int[] sums) {}
