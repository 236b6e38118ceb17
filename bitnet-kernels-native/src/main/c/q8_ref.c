/* Int8 matrices: allocation, row lookup, the scalar dot kernel and the per-ISA dispatch. */
#include "bitnet_q8.h"

#include <stdlib.h>
#include <string.h>

bitnet_q8 *bitnet_q8_create(int isa, const int8_t *values, const float *scales, int rows, int cols) {
    bitnet_q8 *m = calloc(1, sizeof *m);
    size_t n = (size_t)rows * (size_t)cols;
    if (!m) return NULL;
    m->values = aligned_alloc(BITNET_ALIGN, bitnet_align_up(n));
    m->scales = malloc(sizeof(float) * (size_t)rows);
    m->sums = malloc(sizeof(int32_t) * (size_t)rows);
    if (!m->values || !m->scales || !m->sums) {
        bitnet_q8_free(m);
        return NULL;
    }
    memcpy(m->values, values, n);
    memcpy(m->scales, scales, sizeof(float) * (size_t)rows);
    for (int r = 0; r < rows; r++) m->sums[r] = bitnet_sum_i8(values + (size_t)r * cols, cols);
    m->rows = rows;
    m->cols = cols;
    m->isa = isa;
    return m;
}

void bitnet_q8_free(bitnet_q8 *m) {
    if (!m) return;
    free(m->values);
    free(m->scales);
    free(m->sums);
    free(m);
}

void bitnet_q8_row(const bitnet_q8 *m, int r, float *out) {
    const int8_t *w = m->values + (size_t)r * m->cols;
    for (int c = 0; c < m->cols; c++) out[c] = (float)w[c] * m->scales[r];
}

void bitnet_q8_dots_scalar(const bitnet_q8 *m, const int8_t *q, int row0, int row1, int32_t *dots) {
    for (int r = row0; r < row1; r++) {
        const int8_t *w = m->values + (size_t)r * m->cols;
        int32_t acc = 0;
        for (int c = 0; c < m->cols; c++) acc += w[c] * q[c];
        dots[r - row0] = acc;
    }
}

#define Q8_SLICE 256

void bitnet_q8_matmul_rows(const bitnet_q8 *m, const int8_t *q, const float *act_scales, int n, int row0,
                           int row1, float *out) {
    int32_t dots[Q8_SLICE];
    for (int v = 0; v < n; v++) {
        const int8_t *qv = q + (size_t)v * m->cols;
        for (int r0 = row0; r0 < row1; r0 += Q8_SLICE) {
            int r1 = r0 + Q8_SLICE < row1 ? r0 + Q8_SLICE : row1;
            switch (m->isa) {
            case BITNET_ISA_AVX512: bitnet_q8_dots_avx512(m, qv, r0, r1, dots); break;
            case BITNET_ISA_AVX2: bitnet_q8_dots_avx2(m, qv, r0, r1, dots); break;
            default: bitnet_q8_dots_scalar(m, qv, r0, r1, dots); break;
            }
            float *o = out + (size_t)v * m->rows;
            for (int r = r0; r < r1; r++) o[r] = (float)dots[r - r0] * m->scales[r] / act_scales[v];
        }
    }
}
