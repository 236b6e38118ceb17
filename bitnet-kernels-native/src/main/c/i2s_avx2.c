/*
 * I2_S with AVX2: per 128-weight block, the four 2-bit code planes multiply the four contiguous
 * 32-byte runs of activations with maddubs (unsigned code x signed activation). The planes are
 * masked in place rather than shifted down: bits 3..2 and 1..0 of a byte (& 0x0C, & 0x03), then the
 * same after one 16-bit shift by 4, so a block costs one shift, four ANDs, four maddubs and four adds.
 * The & 0x0C planes carry their codes times 4; they are summed in an int16 accumulator of their own,
 * and the other planes' sum is multiplied by 4 when both are widened, so the int32 total is 4 x the
 * code-weighted sum, divided back exactly at the end. Four rows share each activation load.
 *
 * Exactness: a maddubs lane adds two products; times-4 codes (0, 4, 8) against activations in
 * [-128, 127] give at most 2048 in magnitude, two such maddubs per block: 8 blocks reach -32768 at
 * worst, still an int16. The times-1 planes stay at a quarter of that.
 *
 * The weights are re-tiled at load, as in i2s_avx512.c: rows in groups of four, and per block the four
 * rows' 32 bytes follow each other, so the kernel reads one sequential stream. Read as four rows
 * hundreds of bytes apart, the weights came from DRAM at 0.57-0.72 of a plain read
 * (kernels_bench dram): four short streams at once starve the hardware prefetcher.
 */
#include "bitnet_kernels.h"

#include <immintrin.h>
#include <string.h>

#define WIDEN_EVERY 8 /* blocks summed in int16 before widening: 8 * 4096 = 32768 for the x4 planes */
#define PREFETCH 2048 /* bytes ahead of the weight stream: 1024, 3072 and 4096 ran slower from DRAM */
#define TILE 128      /* bytes of one block of a group: four rows' 32 */

/* acc += x in acc's own register: gcc 12 adds into a copy and moves it back, which costs ~10% here. */
#define ADD16(acc, x) __asm__("vpaddw %1, %0, %0" : "+x"(acc) : "x"(x))

static inline int32_t hsum(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return _mm_cvtsi128_si32(s);
}

/* One block of `count` rows, 32 bytes apart: the x4 planes into s4[r], the x1 planes into s1[r]. */
static inline void block_step(const uint8_t *w, int count, const int8_t *ab, __m256i s1[4], __m256i s4[4]) {
    const __m256i m03 = _mm256_set1_epi8(0x03), m0C = _mm256_set1_epi8(0x0C);
    __m256i a0 = _mm256_load_si256((const __m256i *)ab), a1 = _mm256_load_si256((const __m256i *)(ab + 32));
    __m256i a2 = _mm256_load_si256((const __m256i *)(ab + 64)), a3 = _mm256_load_si256((const __m256i *)(ab + 96));
    for (int r = 0; r < count; r++) {
        __m256i wv = _mm256_loadu_si256((const __m256i *)(w + 32 * r));
        __m256i wh = _mm256_srli_epi16(wv, 4);
        /* weight j in bits 7..6 (x4 after the shift), j+32 in 5..4, j+64 in 3..2 (x4), j+96 in 1..0 */
        ADD16(s4[r], _mm256_maddubs_epi16(_mm256_and_si256(wh, m0C), a0));
        ADD16(s1[r], _mm256_maddubs_epi16(_mm256_and_si256(wh, m03), a1));
        ADD16(s4[r], _mm256_maddubs_epi16(_mm256_and_si256(wv, m0C), a2));
        ADD16(s1[r], _mm256_maddubs_epi16(_mm256_and_si256(wv, m03), a3));
    }
}

/* 4 x (sum of code * a) for `count` rows (1..4) of one group, the first one's bytes starting at w. */
static inline void rows_dot(const uint8_t *w, int count, const int8_t *a, int blocks, int32_t out[4]) {
    const __m256i ones = _mm256_set1_epi16(1), fours = _mm256_set1_epi16(4);
    __m256i acc[4] = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(),
                      _mm256_setzero_si256()};
    for (int b0 = 0; b0 < blocks; b0 += WIDEN_EVERY) {
        int b1 = b0 + WIDEN_EVERY < blocks ? b0 + WIDEN_EVERY : blocks;
        __m256i s1[4], s4[4]; /* int16 sums of the x1 planes and of the x4 planes */
        for (int r = 0; r < 4; r++) s1[r] = s4[r] = _mm256_setzero_si256();
        for (int b = b0; b < b1; b++) {
            const uint8_t *wb = w + TILE * (size_t)b;
            _mm_prefetch((const char *)(wb + PREFETCH), _MM_HINT_T0);
            _mm_prefetch((const char *)(wb + PREFETCH + 64), _MM_HINT_T0);
            block_step(wb, count, a + BITNET_BLOCK * b, s1, s4);
        }
        for (int r = 0; r < count; r++)
            acc[r] = _mm256_add_epi32(acc[r], _mm256_add_epi32(_mm256_madd_epi16(s4[r], ones),
                                                               _mm256_madd_epi16(s1[r], fours)));
    }
    for (int r = 0; r < count; r++) out[r] = hsum(acc[r]);
}

/* In-memory layout: bitnet_i2s_rows4 with 32-byte chunks, one block of a row; TILE bytes per step. */
static size_t layout_size(int rows, int cols) { return bitnet_i2s_rows4_size(rows, cols, 32); }

static void from_canonical(const uint8_t *canonical, int rows, int cols, uint8_t *layout) {
    bitnet_i2s_rows4_from_canonical(canonical, rows, cols, 32, layout);
}

static void to_canonical(const uint8_t *layout, int rows, int cols, uint8_t *canonical) {
    bitnet_i2s_rows4_to_canonical(layout, rows, cols, 32, canonical);
}

static void dot(const bitnet_tensor *t, const uint8_t *prepared, size_t act_stride, int n, int row0, int row1,
                int32_t *dots, int dots_stride) {
    int blocks = t->cols / BITNET_BLOCK;
    size_t group_bytes = (size_t)blocks * TILE;
    for (int r = row0; r < row1;) {
        /* the rows left in r's group, up to row1: a range may start or end inside a group */
        int count = 4 - r % 4 < row1 - r ? 4 - r % 4 : row1 - r;
        const uint8_t *w = t->data + group_bytes * (size_t)(r / 4) + 32 * (size_t)(r % 4);
        for (int v = 0; v < n; v++) {
            const uint8_t *p = prepared + act_stride * v;
            int32_t sum, out[4];
            memcpy(&sum, p, sizeof sum);
            /* The constant count lets the compiler unroll the row loop fully in the common case. */
            if (count == 4) {
                rows_dot(w, 4, (const int8_t *)(p + BITNET_ALIGN), blocks, out);
            } else {
                rows_dot(w, count, (const int8_t *)(p + BITNET_ALIGN), blocks, out);
            }
            /* out[i] is 4 x the code-weighted sum: the shift divides exactly */
            for (int i = 0; i < count; i++) dots[(size_t)v * dots_stride + (r + i - row0)] = (out[i] >> 2) - sum;
        }
        r += count;
    }
}

const bitnet_kernel bitnet_i2s_avx2 = {
    .name = "i2s_avx2",
    .format = BITNET_I2_S,
    .isa = BITNET_ISA_AVX2,
    .layout_size = layout_size,
    .from_canonical = from_canonical,
    .to_canonical = to_canonical,
    .act_size = bitnet_i2s_plain_act_size,
    .act_prepare = bitnet_i2s_plain_act_prepare,
    .dot = dot,
};
