/*
 * I2_S with AVX-512 VNNI (vpdpbusd), which bitnet.cpp lacks.
 *
 * One 64-byte load of weights covers two 128-weight blocks. The activations are reshuffled once per
 * vector so that each of the four code planes of that load meets one contiguous 64-byte run: chunk q
 * of block pair p is a[256p + 32q ..+32] followed by a[256p + 128 + 32q ..+32]. The code planes are
 * masked in place (& 0xC0, 0x30, 0x0C, 0x03) into four accumulators, and the x64/x16/x4 factors are
 * undone with exact arithmetic shifts at the end. Four rows share each activation load.
 *
 * The weights are re-tiled at load so that the four rows' 64 bytes of each block pair follow each
 * other: the kernel reads one sequential stream, prefetched ahead in software. Weights beyond L2
 * stream from L3 at what one core can pull (about 30 GB/s on the development machine), which this
 * reaches; the prefetch also helps L2-resident weights.
 */
#include "bitnet_kernels.h"
#include "bitnet_vnni.h"

#include <string.h>

#define PREFETCH 1024 /* bytes ahead of the weight stream: farther ran slower from DRAM (kernels_bench dram) */

static size_t pairs_of(int cols) { return ((size_t)cols / BITNET_BLOCK + 1) / 2; }

/* In-memory layout: bitnet_i2s_rows4 with 64-byte chunks, one block pair of a row; 256 bytes per step. */
static size_t layout_size(int rows, int cols) { return bitnet_i2s_rows4_size(rows, cols, 64); }

static void from_canonical(const uint8_t *canonical, int rows, int cols, uint8_t *layout) {
    bitnet_i2s_rows4_from_canonical(canonical, rows, cols, 64, layout);
}

static void to_canonical(const uint8_t *layout, int rows, int cols, uint8_t *canonical) {
    bitnet_i2s_rows4_to_canonical(layout, rows, cols, 64, canonical);
}

static size_t act_size(int cols) { return BITNET_ALIGN + pairs_of(cols) * 256; }

static void act_prepare(const int8_t *q, int cols, void *prepared) {
    uint8_t *p = prepared;
    int32_t sum = bitnet_sum_i8(q, cols);
    memcpy(p, &sum, sizeof sum);
    int8_t *dst = (int8_t *)(p + BITNET_ALIGN);
    int blocks = cols / BITNET_BLOCK;
    memset(dst, 0, pairs_of(cols) * 256);
    for (int b = 0; b < blocks; b++) {
        int pair = b / 2, half = b % 2;
        for (int q4 = 0; q4 < 4; q4++)
            memcpy(dst + 256 * pair + 64 * q4 + 32 * half, q + BITNET_BLOCK * b + 32 * q4, 32);
    }
}

/* One row's four planes with the x64/x16/x4 undone: exact, since every lane of c0 is a multiple of 64. */
static inline __m512i planes(__m512i c0, __m512i c1, __m512i c2, __m512i c3) {
    return _mm512_add_epi32(_mm512_add_epi32(_mm512_srai_epi32(c0, 6), _mm512_srai_epi32(c1, 4)),
                            _mm512_add_epi32(_mm512_srai_epi32(c2, 2), c3));
}

static inline int32_t combine(__m512i c0, __m512i c1, __m512i c2, __m512i c3) {
    return _mm512_reduce_add_epi32(planes(c0, c1, c2, c3));
}

/*
 * The lane sums of four rows together, in 14 instructions instead of four reductions' 32: on a
 * 2560-column row the reductions were a sixth of the work. Two halvings move each row into one
 * 128-bit lane, then two in-lane additions and a gather finish it.
 */
static inline void sum4(__m512i s0, __m512i s1, __m512i s2, __m512i s3, int32_t out[4]) {
    /* [s0 lanes 0+2, s0 lanes 1+3, s1 lanes 0+2, s1 lanes 1+3], likewise for s2 and s3 */
    __m512i h01 = _mm512_add_epi32(_mm512_shuffle_i64x2(s0, s1, _MM_SHUFFLE(1, 0, 1, 0)),
                                   _mm512_shuffle_i64x2(s0, s1, _MM_SHUFFLE(3, 2, 3, 2)));
    __m512i h23 = _mm512_add_epi32(_mm512_shuffle_i64x2(s2, s3, _MM_SHUFFLE(1, 0, 1, 0)),
                                   _mm512_shuffle_i64x2(s2, s3, _MM_SHUFFLE(3, 2, 3, 2)));
    /* 128-bit lane r now holds four partial sums of row r */
    __m512i q = _mm512_add_epi32(_mm512_shuffle_i64x2(h01, h23, _MM_SHUFFLE(2, 0, 2, 0)),
                                 _mm512_shuffle_i64x2(h01, h23, _MM_SHUFFLE(3, 1, 3, 1)));
    q = _mm512_add_epi32(q, _mm512_shuffle_epi32(q, _MM_PERM_BADC));
    q = _mm512_add_epi32(q, _mm512_shuffle_epi32(q, _MM_PERM_CDAB));
    __m512i first = _mm512_permutexvar_epi32(_mm512_setr_epi32(0, 4, 8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), q);
    _mm_storeu_si128((__m128i *)out, _mm512_castsi512_si128(first));
}

/* One row's four code planes against the four activation chunks of a block pair. */
#define ROW_STEP(c0, c1, c2, c3, wptr)                             \
    do {                                                           \
        __m512i wv = _mm512_load_si512((const void *)(wptr));      \
        DPBUSD(c0, _mm512_and_si512(wv, mC0), a0);                 \
        DPBUSD(c1, _mm512_and_si512(wv, m30), a1);                 \
        DPBUSD(c2, _mm512_and_si512(wv, m0C), a2);                 \
        DPBUSD(c3, _mm512_and_si512(wv, m03), a3);                 \
    } while (0)

/* Sixteen named accumulators: an array of them is kept in memory by gcc 12. */
static void rows4(const uint8_t *w, const int8_t *a, size_t pairs, int32_t out[4]) {
    const __m512i mC0 = _mm512_set1_epi8((char)0xC0), m30 = _mm512_set1_epi8(0x30);
    const __m512i m0C = _mm512_set1_epi8(0x0C), m03 = _mm512_set1_epi8(0x03);
    __m512i z = _mm512_setzero_si512();
    __m512i r0c0 = z, r0c1 = z, r0c2 = z, r0c3 = z, r1c0 = z, r1c1 = z, r1c2 = z, r1c3 = z;
    __m512i r2c0 = z, r2c1 = z, r2c2 = z, r2c3 = z, r3c0 = z, r3c1 = z, r3c2 = z, r3c3 = z;
    for (size_t p = 0; p < pairs; p++) {
        const int8_t *ap = a + 256 * p;
        const uint8_t *wp = w + 256 * p;
        for (int l = 0; l < 4; l++) _mm_prefetch((const char *)(wp + PREFETCH + 64 * l), _MM_HINT_T0);
        __m512i a0 = _mm512_load_si512((const void *)ap);
        __m512i a1 = _mm512_load_si512((const void *)(ap + 64));
        __m512i a2 = _mm512_load_si512((const void *)(ap + 128));
        __m512i a3 = _mm512_load_si512((const void *)(ap + 192));
        ROW_STEP(r0c0, r0c1, r0c2, r0c3, wp);
        ROW_STEP(r1c0, r1c1, r1c2, r1c3, wp + 64);
        ROW_STEP(r2c0, r2c1, r2c2, r2c3, wp + 128);
        ROW_STEP(r3c0, r3c1, r3c2, r3c3, wp + 192);
    }
    sum4(planes(r0c0, r0c1, r0c2, r0c3), planes(r1c0, r1c1, r1c2, r1c3), planes(r2c0, r2c1, r2c2, r2c3),
         planes(r3c0, r3c1, r3c2, r3c3), out);
}

/* One row of a group: its 64 bytes per block pair lie 256 bytes apart. */
static int32_t row1(const uint8_t *w, const int8_t *a, size_t pairs) {
    const __m512i mC0 = _mm512_set1_epi8((char)0xC0), m30 = _mm512_set1_epi8(0x30);
    const __m512i m0C = _mm512_set1_epi8(0x0C), m03 = _mm512_set1_epi8(0x03);
    __m512i c0 = _mm512_setzero_si512(), c1 = c0, c2 = c0, c3 = c0;
    for (size_t p = 0; p < pairs; p++) {
        const int8_t *ap = a + 256 * p;
        __m512i wv = _mm512_load_si512((const void *)(w + 256 * p));
        DPBUSD(c0, _mm512_and_si512(wv, mC0), _mm512_load_si512((const void *)ap));
        DPBUSD(c1, _mm512_and_si512(wv, m30), _mm512_load_si512((const void *)(ap + 64)));
        DPBUSD(c2, _mm512_and_si512(wv, m0C), _mm512_load_si512((const void *)(ap + 128)));
        DPBUSD(c3, _mm512_and_si512(wv, m03), _mm512_load_si512((const void *)(ap + 192)));
    }
    return combine(c0, c1, c2, c3);
}

static void dot(const bitnet_tensor *t, const uint8_t *prepared, size_t act_stride, int n, int row0, int row1_,
                int32_t *dots, int dots_stride) {
    size_t pairs = pairs_of(t->cols), group_bytes = pairs * 256;
    for (int r = row0; r < row1_;) {
        const uint8_t *w = t->data + group_bytes * (size_t)(r / 4);
        if (r % 4 == 0 && r + 4 <= row1_) {
            for (int v = 0; v < n; v++) {
                const uint8_t *p = prepared + act_stride * v;
                int32_t sum, out[4];
                memcpy(&sum, p, sizeof sum);
                rows4(w, (const int8_t *)(p + BITNET_ALIGN), pairs, out);
                for (int i = 0; i < 4; i++) dots[(size_t)v * dots_stride + (r + i - row0)] = out[i] - sum;
            }
            r += 4;
        } else {
            for (int v = 0; v < n; v++) {
                const uint8_t *p = prepared + act_stride * v;
                int32_t sum;
                memcpy(&sum, p, sizeof sum);
                dots[(size_t)v * dots_stride + (r - row0)] =
                    row1(w + 64 * (r % 4), (const int8_t *)(p + BITNET_ALIGN), pairs) - sum;
            }
            r++;
        }
    }
}

const bitnet_kernel bitnet_i2s_avx512 = {
    .name = "i2s_avx512",
    .format = BITNET_I2_S,
    .isa = BITNET_ISA_AVX512,
    .layout_size = layout_size,
    .from_canonical = from_canonical,
    .to_canonical = to_canonical,
    .act_size = act_size,
    .act_prepare = act_prepare,
    .dot = dot,
};
