/*
 * Int8 matrices: rows of int8 values with one float scale per row. The runtime keeps its token
 * embedding this way; it is also the LM head, whose GEMV over the whole vocabulary is the largest
 * float-sized product of a decode step, so it runs here in SIMD rather than in Java.
 *
 * out[v * rows + r] = (sum_k w[r][k] * q_v[k]) * row_scale[r] / act_scale[v], exact in int32.
 * Row values must lie in [-127, 127]; activations are the int8 vectors of bitnet_quantize_activations.
 */
#ifndef BITNET_Q8_H
#define BITNET_Q8_H

#include "bitnet_kernels.h"

typedef struct bitnet_q8 {
    int rows;
    int cols;
    int isa;
    int8_t *values;   /* rows * cols, BITNET_ALIGN-aligned */
    float *scales;    /* per row */
    int32_t *sums;    /* per row: sum of the row's values, for the unsigned-activation VNNI form */
} bitnet_q8;

BITNET_API bitnet_q8 *bitnet_q8_create(int isa, const int8_t *values, const float *scales, int rows, int cols);
BITNET_API void bitnet_q8_free(bitnet_q8 *m);
/* Row r as floats: values times the row's scale. */
BITNET_API void bitnet_q8_row(const bitnet_q8 *m, int r, float *out);
/* Rows [row0, row1) of the product with n int8 vectors; out holds n * rows floats. */
BITNET_API void bitnet_q8_matmul_rows(const bitnet_q8 *m, const int8_t *q, const float *act_scales, int n,
                                      int row0, int row1, float *out);

/* Exact int32 dots of rows [row0, row1) with one vector, per instruction set. */
void bitnet_q8_dots_scalar(const bitnet_q8 *m, const int8_t *q, int row0, int row1, int32_t *dots);
void bitnet_q8_dots_avx2(const bitnet_q8 *m, const int8_t *q, int row0, int row1, int32_t *dots);
void bitnet_q8_dots_avx512(const bitnet_q8 *m, const int8_t *q, int row0, int row1, int32_t *dots);

#endif
