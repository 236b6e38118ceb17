/*
 * I2_S with AVX2: per 128-weight block, the four 2-bit code planes multiply the four contiguous
 * 32-byte runs of activations with maddubs (unsigned code x signed activation), then madd widens to
 * int32. Codes are 0..2, so a block adds at most 2048 to an int16 lane: eight blocks stay far from
 * wrapping before they are widened. Four rows share each activation load.
 */
#include "bitnet_kernels.h"

#include <immintrin.h>
#include <string.h>

#define WIDEN_EVERY 8 /* blocks summed in int16 before widening: 8 * 2048 < 32767 */

static inline __m256i block_dot16(__m256i w, __m256i a0, __m256i a1, __m256i a2, __m256i a3, __m256i m3) {
    __m256i c0 = _mm256_and_si256(_mm256_srli_epi16(w, 6), m3);
    __m256i c1 = _mm256_and_si256(_mm256_srli_epi16(w, 4), m3);
    __m256i c2 = _mm256_and_si256(_mm256_srli_epi16(w, 2), m3);
    __m256i c3 = _mm256_and_si256(w, m3);
    __m256i s01 = _mm256_add_epi16(_mm256_maddubs_epi16(c0, a0), _mm256_maddubs_epi16(c1, a1));
    __m256i s23 = _mm256_add_epi16(_mm256_maddubs_epi16(c2, a2), _mm256_maddubs_epi16(c3, a3));
    return _mm256_add_epi16(s01, s23);
}

static inline int32_t hsum(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return _mm_cvtsi128_si32(s);
}

/* Code-weighted sums (sum of code * a) of `count` rows (1..4) starting at w, row_bytes apart. */
static inline void rows_dot(const uint8_t *w, size_t row_bytes, int count, const int8_t *a, int blocks,
                            int32_t out[4]) {
    const __m256i m3 = _mm256_set1_epi8(3), ones = _mm256_set1_epi16(1);
    __m256i acc[4] = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(),
                      _mm256_setzero_si256()};
    for (int b0 = 0; b0 < blocks; b0 += WIDEN_EVERY) {
        int b1 = b0 + WIDEN_EVERY < blocks ? b0 + WIDEN_EVERY : blocks;
        __m256i s16[4] = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(),
                          _mm256_setzero_si256()};
        for (int b = b0; b < b1; b++) {
            const int8_t *ab = a + BITNET_BLOCK * b;
            __m256i a0 = _mm256_loadu_si256((const __m256i *)ab);
            __m256i a1 = _mm256_loadu_si256((const __m256i *)(ab + 32));
            __m256i a2 = _mm256_loadu_si256((const __m256i *)(ab + 64));
            __m256i a3 = _mm256_loadu_si256((const __m256i *)(ab + 96));
            for (int r = 0; r < count; r++) {
                __m256i wv = _mm256_loadu_si256((const __m256i *)(w + row_bytes * r + 32 * b));
                s16[r] = _mm256_add_epi16(s16[r], block_dot16(wv, a0, a1, a2, a3, m3));
            }
        }
        for (int r = 0; r < count; r++) acc[r] = _mm256_add_epi32(acc[r], _mm256_madd_epi16(s16[r], ones));
    }
    for (int r = 0; r < count; r++) out[r] = hsum(acc[r]);
}

static void dot(const bitnet_tensor *t, const uint8_t *prepared, size_t act_stride, int n, int row0, int row1,
                int32_t *dots, int dots_stride) {
    size_t row_bytes = (size_t)t->cols / 4;
    int blocks = t->cols / BITNET_BLOCK;
    for (int r = row0; r < row1; r += 4) {
        int count = row1 - r < 4 ? row1 - r : 4;
        const uint8_t *w = t->data + row_bytes * r;
        for (int v = 0; v < n; v++) {
            const uint8_t *p = prepared + act_stride * v;
            int32_t sum, out[4];
            memcpy(&sum, p, sizeof sum);
            /* The constant count lets the compiler unroll the row loop fully in the common case. */
            if (count == 4) {
                rows_dot(w, row_bytes, 4, (const int8_t *)(p + BITNET_ALIGN), blocks, out);
            } else {
                rows_dot(w, row_bytes, count, (const int8_t *)(p + BITNET_ALIGN), blocks, out);
            }
            for (int i = 0; i < count; i++) dots[(size_t)v * dots_stride + (r + i - row0)] = out[i] - sum;
        }
    }
}

static size_t layout_size(int rows, int cols) { return (size_t)rows * (size_t)cols / 4; }

const bitnet_kernel bitnet_i2s_avx2 = {
    .name = "i2s_avx2",
    .format = BITNET_I2_S,
    .isa = BITNET_ISA_AVX2,
    .layout_size = layout_size,
    .act_size = bitnet_i2s_plain_act_size,
    .act_prepare = bitnet_i2s_plain_act_prepare,
    .dot = dot,
};
