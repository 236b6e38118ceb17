/*
 * TL2: bitnet.cpp's lookup-table method with groups of three weights. A group (t0, t1, t2) has the
 * base-3 value v = 9 (t0 + 1) + 3 (t1 + 1) + (t2 + 1), 0..26, and negating the group maps v to 26 - v.
 * So a group is stored as a sign bit plus a 4-bit magnitude index m = min(v, 26 - v), 0..13, and the
 * kernel needs tables of only 14 partial sums per group of activations.
 *
 * A canonical row is: the first three_cols = 96 * floor(cols / 96) columns as three-weight groups
 * (their nibbles, two per byte, high nibble first; then their sign bits, eight per byte, least
 * significant bit first), followed by the remaining columns coded as TL1 pairs.
 */
#include "bitnet_kernels.h"

#include <string.h>

void bitnet_tl2_pack(const int8_t *t, int rows, int cols, uint8_t *packed) {
    int k3 = bitnet_tl2_three_cols(cols), g3 = k3 / 3;
    size_t row_bytes = bitnet_tl2_row_bytes(cols);
    for (int r = 0; r < rows; r++) {
        const int8_t *w = t + (size_t)r * cols;
        uint8_t *nib = packed + row_bytes * r, *sign = nib + g3 / 2, *tail = sign + g3 / 8;
        memset(nib, 0, (size_t)g3 / 2 + (size_t)g3 / 8);
        for (int g = 0; g < g3; g++) {
            int v = 9 * (w[3 * g] + 1) + 3 * (w[3 * g + 1] + 1) + (w[3 * g + 2] + 1);
            int neg = v > 13;
            int m = neg ? 26 - v : v;
            nib[g / 2] |= (uint8_t)(g % 2 == 0 ? m << 4 : m);
            sign[g / 8] |= (uint8_t)(neg << (g % 8));
        }
        bitnet_tl1_pack(w + k3, 1, cols - k3, tail);
    }
}

void bitnet_tl2_unpack(const uint8_t *packed, int rows, int cols, int8_t *t) {
    int k3 = bitnet_tl2_three_cols(cols), g3 = k3 / 3;
    size_t row_bytes = bitnet_tl2_row_bytes(cols);
    for (int r = 0; r < rows; r++) {
        int8_t *w = t + (size_t)r * cols;
        const uint8_t *nib = packed + row_bytes * r, *sign = nib + g3 / 2, *tail = sign + g3 / 8;
        for (int g = 0; g < g3; g++) {
            int m = g % 2 == 0 ? nib[g / 2] >> 4 : nib[g / 2] & 15;
            int v = (sign[g / 8] >> (g % 8)) & 1 ? 26 - m : m;
            w[3 * g] = (int8_t)(v / 9 - 1);
            w[3 * g + 1] = (int8_t)(v / 3 % 3 - 1);
            w[3 * g + 2] = (int8_t)(v % 3 - 1);
        }
        bitnet_tl1_unpack(tail, 1, cols - k3, w + k3);
    }
}

static size_t layout_size(int rows, int cols) { return (size_t)rows * bitnet_tl2_row_bytes(cols); }

/* Prepared form: 14 entries per three-weight group, then 9 per TL1 pair of the remainder. */
static size_t act_size(int cols) {
    int k3 = bitnet_tl2_three_cols(cols);
    return bitnet_align_up(((size_t)k3 / 3 * 14 + (size_t)(cols - k3) / 2 * 9) * sizeof(int16_t));
}

static void act_prepare(const int8_t *q, int cols, void *prepared) {
    int k3 = bitnet_tl2_three_cols(cols), g3 = k3 / 3;
    int16_t *tables = prepared;
    for (int g = 0; g < g3; g++) {
        int a0 = q[3 * g], a1 = q[3 * g + 1], a2 = q[3 * g + 2];
        for (int m = 0; m < 14; m++)
            tables[14 * g + m] = (int16_t)((m / 9 - 1) * a0 + (m / 3 % 3 - 1) * a1 + (m % 3 - 1) * a2);
    }
    bitnet_tl1_build_tables(q + k3, (cols - k3) / 2, tables + 14 * g3);
}

static void dot(const bitnet_tensor *t, const uint8_t *prepared, size_t act_stride, int n, int row0, int row1,
                int32_t *dots, int dots_stride) {
    int cols = t->cols, k3 = bitnet_tl2_three_cols(cols), g3 = k3 / 3;
    size_t row_bytes = bitnet_tl2_row_bytes(cols);
    for (int v = 0; v < n; v++) {
        const int16_t *tables = (const int16_t *)(prepared + act_stride * v);
        for (int r = row0; r < row1; r++) {
            const uint8_t *nib = t->data + row_bytes * r, *sign = nib + g3 / 2, *tail = sign + g3 / 8;
            int32_t acc = 0;
            for (int g = 0; g < g3; g += 2) {
                int32_t hi = tables[14 * g + (nib[g / 2] >> 4)];
                int32_t lo = tables[14 * (g + 1) + (nib[g / 2] & 15)];
                int s = sign[g / 8] >> (g % 8);
                acc += (s & 1) ? -hi : hi;
                acc += (s & 2) ? -lo : lo;
            }
            acc += bitnet_tl1_row_dot(tail, (cols - k3) / 2, tables + 14 * g3);
            dots[(size_t)v * dots_stride + (r - row0)] = acc;
        }
    }
}

const bitnet_kernel bitnet_tl2_scalar = {
    .name = "tl2_scalar",
    .format = BITNET_TL2,
    .isa = BITNET_ISA_SCALAR,
    .layout_size = layout_size,
    .act_size = act_size,
    .act_prepare = act_prepare,
    .dot = dot,
};
