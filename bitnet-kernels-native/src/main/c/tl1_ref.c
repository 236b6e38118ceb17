/*
 * TL1: bitnet.cpp's lookup-table method with groups of two weights. Each group (t0, t1) becomes the
 * 4-bit index 3 * (t0 + 1) + (t1 + 1), 0..8; byte j of a row holds group 2j in its high nibble and
 * group 2j + 1 in its low nibble. The kernel builds, once per activation vector, a table of the nine
 * possible partial sums of every pair of activations; a row's dot product is then one lookup per pair.
 */
#include "bitnet_kernels.h"

void bitnet_tl1_pack(const int8_t *t, int rows, int cols, uint8_t *packed) {
    size_t bytes = (size_t)rows * (size_t)cols / 4;
    for (size_t j = 0; j < bytes; j++) {
        const int8_t *w = t + 4 * j;
        int hi = 3 * (w[0] + 1) + (w[1] + 1);
        int lo = 3 * (w[2] + 1) + (w[3] + 1);
        packed[j] = (uint8_t)((hi << 4) | lo);
    }
}

void bitnet_tl1_unpack(const uint8_t *packed, int rows, int cols, int8_t *t) {
    size_t bytes = (size_t)rows * (size_t)cols / 4;
    for (size_t j = 0; j < bytes; j++) {
        int hi = packed[j] >> 4, lo = packed[j] & 15;
        t[4 * j] = (int8_t)(hi / 3 - 1);
        t[4 * j + 1] = (int8_t)(hi % 3 - 1);
        t[4 * j + 2] = (int8_t)(lo / 3 - 1);
        t[4 * j + 3] = (int8_t)(lo % 3 - 1);
    }
}

/* tables[9 * g + i] = (i / 3 - 1) * a[2g] + (i % 3 - 1) * a[2g + 1], for pairs g in [0, pairs). */
void bitnet_tl1_build_tables(const int8_t *a, int pairs, int16_t *tables) {
    for (int g = 0; g < pairs; g++) {
        int a0 = a[2 * g], a1 = a[2 * g + 1];
        int16_t *tg = tables + 9 * g;
        for (int i = 0; i < 9; i++) tg[i] = (int16_t)((i / 3 - 1) * a0 + (i % 3 - 1) * a1);
    }
}

/* Sum of table lookups for the pairs of one row; packed holds pairs / 2 bytes. */
int32_t bitnet_tl1_row_dot(const uint8_t *packed, int pairs, const int16_t *tables) {
    int32_t acc = 0;
    for (int j = 0; j < pairs / 2; j++) {
        acc += tables[18 * j + (packed[j] >> 4)];
        acc += tables[18 * j + 9 + (packed[j] & 15)];
    }
    return acc;
}

static size_t layout_size(int rows, int cols) { return (size_t)rows * (size_t)cols / 4; }

static size_t act_size(int cols) { return bitnet_align_up((size_t)cols / 2 * 9 * sizeof(int16_t)); }

static void act_prepare(const int8_t *q, int cols, void *prepared) {
    bitnet_tl1_build_tables(q, cols / 2, prepared);
}

static void dot(const bitnet_tensor *t, const uint8_t *prepared, size_t act_stride, int n, int row0, int row1,
                int32_t *dots, int dots_stride) {
    size_t row_bytes = (size_t)t->cols / 4;
    for (int v = 0; v < n; v++) {
        const int16_t *tables = (const int16_t *)(prepared + act_stride * v);
        for (int r = row0; r < row1; r++)
            dots[(size_t)v * dots_stride + (r - row0)] = bitnet_tl1_row_dot(t->data + row_bytes * r, t->cols / 2, tables);
    }
}

const bitnet_kernel bitnet_tl1_scalar = {
    .name = "tl1_scalar",
    .format = BITNET_TL1,
    .isa = BITNET_ISA_SCALAR,
    .layout_size = layout_size,
    .act_size = act_size,
    .act_prepare = act_prepare,
    .dot = dot,
};
