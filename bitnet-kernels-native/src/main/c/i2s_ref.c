/*
 * I2_S: bitnet.cpp's x86 layout, and the portable scalar kernel every SIMD variant is tested against.
 *
 * Code = ternary + 1 (0 means -1, 1 means 0, 2 means +1). The flat tensor is cut into blocks of 128
 * weights; byte j of a block holds weight j in bits 7..6, j+32 in bits 5..4, j+64 in bits 3..2 and
 * j+96 in bits 1..0.
 */
#include "bitnet_kernels.h"

#include <string.h>

void bitnet_i2s_pack(const int8_t *t, int rows, int cols, uint8_t *packed) {
    size_t blocks = (size_t)rows * (size_t)cols / BITNET_BLOCK;
    for (size_t b = 0; b < blocks; b++) {
        const int8_t *src = t + b * BITNET_BLOCK;
        uint8_t *dst = packed + b * 32;
        for (int j = 0; j < 32; j++) {
            dst[j] = (uint8_t)(((src[j] + 1) << 6) | ((src[j + 32] + 1) << 4) | ((src[j + 64] + 1) << 2) |
                               (src[j + 96] + 1));
        }
    }
}

void bitnet_i2s_unpack(const uint8_t *packed, int rows, int cols, int8_t *t) {
    size_t blocks = (size_t)rows * (size_t)cols / BITNET_BLOCK;
    for (size_t b = 0; b < blocks; b++) {
        const uint8_t *src = packed + b * 32;
        int8_t *dst = t + b * BITNET_BLOCK;
        for (int j = 0; j < 32; j++) {
            dst[j] = (int8_t)(((src[j] >> 6) & 3) - 1);
            dst[j + 32] = (int8_t)(((src[j] >> 4) & 3) - 1);
            dst[j + 64] = (int8_t)(((src[j] >> 2) & 3) - 1);
            dst[j + 96] = (int8_t)((src[j] & 3) - 1);
        }
    }
}

static size_t layout_size(int rows, int cols) { return (size_t)rows * (size_t)cols / 4; }

/* Steps of `chunk` bytes a row takes in the SIMD layout; a row's last step may be part padding. */
static size_t rows4_steps(int cols, size_t chunk) { return ((size_t)cols / 4 + chunk - 1) / chunk; }

size_t bitnet_i2s_rows4_size(int rows, int cols, size_t chunk) {
    return ((size_t)rows + 3) / 4 * rows4_steps(cols, chunk) * 4 * chunk;
}

void bitnet_i2s_rows4_from_canonical(const uint8_t *canonical, int rows, int cols, size_t chunk, uint8_t *layout) {
    size_t row_bytes = (size_t)cols / 4, steps = rows4_steps(cols, chunk);
    memset(layout, 0, bitnet_i2s_rows4_size(rows, cols, chunk));
    for (size_t r = 0; r < (size_t)rows; r++)
        for (size_t k = 0; k < steps; k++) {
            size_t n = row_bytes - chunk * k < chunk ? row_bytes - chunk * k : chunk;
            memcpy(layout + ((r / 4 * steps + k) * 4 + r % 4) * chunk, canonical + row_bytes * r + chunk * k, n);
        }
}

void bitnet_i2s_rows4_to_canonical(const uint8_t *layout, int rows, int cols, size_t chunk, uint8_t *canonical) {
    size_t row_bytes = (size_t)cols / 4, steps = rows4_steps(cols, chunk);
    for (size_t r = 0; r < (size_t)rows; r++)
        for (size_t k = 0; k < steps; k++) {
            size_t n = row_bytes - chunk * k < chunk ? row_bytes - chunk * k : chunk;
            memcpy(canonical + row_bytes * r + chunk * k, layout + ((r / 4 * steps + k) * 4 + r % 4) * chunk, n);
        }
}

/* Prepared form shared by the scalar and AVX2 kernels: the activation sum, then the plain vector. */
size_t bitnet_i2s_plain_act_size(int cols) { return BITNET_ALIGN + bitnet_align_up((size_t)cols); }

void bitnet_i2s_plain_act_prepare(const int8_t *q, int cols, void *prepared) {
    uint8_t *p = prepared;
    int32_t sum = bitnet_sum_i8(q, cols);
    memcpy(p, &sum, sizeof sum);
    memcpy(p + BITNET_ALIGN, q, (size_t)cols);
}

static void dot(const bitnet_tensor *t, const uint8_t *prepared, size_t act_stride, int n, int row0, int row1,
                int32_t *dots, int dots_stride) {
    int cols = t->cols;
    size_t row_bytes = (size_t)cols / 4;
    for (int v = 0; v < n; v++) {
        const uint8_t *p = prepared + act_stride * v;
        int32_t sum;
        memcpy(&sum, p, sizeof sum);
        const int8_t *a = (const int8_t *)(p + BITNET_ALIGN);
        for (int r = row0; r < row1; r++) {
            const uint8_t *w = t->data + row_bytes * r;
            int32_t acc = 0;
            for (int b = 0; b < cols / BITNET_BLOCK; b++) {
                const uint8_t *wb = w + 32 * b;
                const int8_t *ab = a + BITNET_BLOCK * b;
                for (int j = 0; j < 32; j++) {
                    acc += ((wb[j] >> 6) & 3) * ab[j] + ((wb[j] >> 4) & 3) * ab[j + 32] +
                           ((wb[j] >> 2) & 3) * ab[j + 64] + (wb[j] & 3) * ab[j + 96];
                }
            }
            /* sum of (code) * a minus sum of a is sum of (code - 1) * a, the ternary dot */
            dots[(size_t)v * dots_stride + (r - row0)] = acc - sum;
        }
    }
}

const bitnet_kernel bitnet_i2s_scalar = {
    .name = "i2s_scalar",
    .format = BITNET_I2_S,
    .isa = BITNET_ISA_SCALAR,
    .layout_size = layout_size,
    .act_size = bitnet_i2s_plain_act_size,
    .act_prepare = bitnet_i2s_plain_act_prepare,
    .dot = dot,
};
