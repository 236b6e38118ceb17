/*
 * TL1 with AVX2: bitnet.cpp's lookup tables, one pshufb fetching the partial sums of 32 rows at once.
 *
 * The nine partial sums of a pair of activations are int16 in [-256, 256] (-a0 - a1 reaches 256 at
 * a0 = a1 = -128). The prepared vector holds, per pair, their low bytes and their high bytes as two
 * 16-byte pshufb tables (32 bytes per pair).
 *
 * The weights are re-tiled at load into tiles of 32 rows (the last one padded): per column quad
 * (two pairs) a tile stores 32 bytes, byte b holding the canonical byte of row tile_row(b), so one
 * load brings the 4-bit indices of 32 rows. Per pair, a pshufb on each table gives the low and the
 * high bytes of 32 rows; unpacklo/unpackhi rejoin them into int16, and tile_row makes those come out
 * in row order. 127 entries sum in int16 without wrapping (128 * 256 would not), so the sums are
 * widened to int32 every 63 quads (126 entries).
 */
#include "bitnet_kernels.h"

#include <immintrin.h>
#include <string.h>

#define TILE 32
#define CHUNK 63 /* quads summed in int16 before widening: 126 entries in [-256, 256] */

/* Row of the tile held by byte b of a 32-byte register: unpacklo covers rows 0..15, unpackhi 16..31. */
static inline int tile_row(int b) { return ((b >> 3) & 1) * (TILE / 2) + (b >> 4) * 8 + (b & 7); }

static size_t tiles_of(int rows) { return ((size_t)rows + TILE - 1) / TILE; }

static size_t layout_size(int rows, int cols) { return tiles_of(rows) * TILE * (size_t)cols / 4; }

static void from_canonical(const uint8_t *canonical, int rows, int cols, uint8_t *layout) {
    memset(layout, 0, layout_size(rows, cols)); /* padding rows stay zero */
    size_t quads = (size_t)cols / 4;
    for (size_t tile = 0; tile < tiles_of(rows); tile++) {
        uint8_t *dst = layout + tile * TILE * quads;
        for (int b = 0; b < TILE; b++) {
            size_t r = tile * TILE + tile_row(b);
            if (r >= (size_t)rows) continue;
            for (size_t j = 0; j < quads; j++) dst[TILE * j + b] = canonical[quads * r + j];
        }
    }
}

static void to_canonical(const uint8_t *layout, int rows, int cols, uint8_t *canonical) {
    size_t quads = (size_t)cols / 4;
    for (size_t tile = 0; tile < tiles_of(rows); tile++) {
        const uint8_t *src = layout + tile * TILE * quads;
        for (int b = 0; b < TILE; b++) {
            size_t r = tile * TILE + tile_row(b);
            if (r >= (size_t)rows) continue;
            for (size_t j = 0; j < quads; j++) canonical[quads * r + j] = src[TILE * j + b];
        }
    }
}

/* Low bytes of eight int16 lanes, then their high bytes, in each 128-bit lane. */
static inline __m256i split_bytes(__m256i v) {
    const __m256i order = _mm256_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8,
                                           10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
    return _mm256_permute4x64_epi64(_mm256_shuffle_epi8(v, order), 0xD8);
}

void bitnet_tl1_avx2_tables(const int8_t *a, int pairs, uint8_t *tables) {
    /* Entry i is (i / 3 - 1) * a0 + (i % 3 - 1) * a1; psign by -1/0/+1 multiplies exactly. */
    const __m256i c0 = _mm256_setr_epi16(-1, -1, -1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0);
    const __m256i c1 = _mm256_setr_epi16(-1, 0, 1, -1, 0, 1, -1, 0, 1, 0, 0, 0, 0, 0, 0, 0);
    for (int g = 0; g < pairs; g++) {
        __m256i v = _mm256_add_epi16(_mm256_sign_epi16(_mm256_set1_epi16(a[2 * g]), c0),
                                     _mm256_sign_epi16(_mm256_set1_epi16(a[2 * g + 1]), c1));
        _mm256_store_si256((__m256i *)(tables + 32 * g), split_bytes(v));
    }
}

/* A 16-byte table in both 128-bit lanes, straight from the load. */
static inline __m256i bcast_table(const uint8_t *p) {
    return _mm256_broadcastsi128_si256(_mm_load_si128((const __m128i *)p));
}

void bitnet_tl1_avx2_tile(const uint8_t *w, const uint8_t *tables, int quads, int32_t *out) {
    const __m256i m0F = _mm256_set1_epi8(0x0F);
    __m256i s0 = _mm256_setzero_si256(), s1 = s0, s2 = s0, s3 = s0;
    for (int j0 = 0; j0 < quads; j0 += CHUNK) {
        int j1 = j0 + CHUNK < quads ? j0 + CHUNK : quads;
        __m256i lo = _mm256_setzero_si256(), hi = lo; /* int16 sums of rows 0..15 and 16..31 */
        for (int j = j0; j < j1; j++) {
            __m256i wv = _mm256_load_si256((const __m256i *)(w + TILE * j));
            __m256i ia = _mm256_and_si256(_mm256_srli_epi16(wv, 4), m0F); /* pair 2j: high nibbles */
            __m256i ib = _mm256_and_si256(wv, m0F);
            const uint8_t *t = tables + 64 * j;
            __m256i la = _mm256_shuffle_epi8(bcast_table(t), ia);
            __m256i ha = _mm256_shuffle_epi8(bcast_table(t + 16), ia);
            __m256i lb = _mm256_shuffle_epi8(bcast_table(t + 32), ib);
            __m256i hb = _mm256_shuffle_epi8(bcast_table(t + 48), ib);
            lo = _mm256_add_epi16(lo, _mm256_add_epi16(_mm256_unpacklo_epi8(la, ha), _mm256_unpacklo_epi8(lb, hb)));
            hi = _mm256_add_epi16(hi, _mm256_add_epi16(_mm256_unpackhi_epi8(la, ha), _mm256_unpackhi_epi8(lb, hb)));
        }
        s0 = _mm256_add_epi32(s0, _mm256_cvtepi16_epi32(_mm256_castsi256_si128(lo)));
        s1 = _mm256_add_epi32(s1, _mm256_cvtepi16_epi32(_mm256_extracti128_si256(lo, 1)));
        s2 = _mm256_add_epi32(s2, _mm256_cvtepi16_epi32(_mm256_castsi256_si128(hi)));
        s3 = _mm256_add_epi32(s3, _mm256_cvtepi16_epi32(_mm256_extracti128_si256(hi, 1)));
    }
    __m256i *o = (__m256i *)out;
    _mm256_storeu_si256(o, _mm256_add_epi32(_mm256_loadu_si256(o), s0));
    _mm256_storeu_si256(o + 1, _mm256_add_epi32(_mm256_loadu_si256(o + 1), s1));
    _mm256_storeu_si256(o + 2, _mm256_add_epi32(_mm256_loadu_si256(o + 2), s2));
    _mm256_storeu_si256(o + 3, _mm256_add_epi32(_mm256_loadu_si256(o + 3), s3));
}

static size_t act_size(int cols) { return (size_t)cols / 2 * 32; }

static void act_prepare(const int8_t *q, int cols, void *prepared) { bitnet_tl1_avx2_tables(q, cols / 2, prepared); }

static void dot(const bitnet_tensor *t, const uint8_t *prepared, size_t act_stride, int n, int row0, int row1,
                int32_t *dots, int dots_stride) {
    int quads = t->cols / 4;
    /* Whole tiles are computed; only the rows in [row0, row1) are written. */
    for (int r0 = row0, r1; r0 < row1; r0 = r1) {
        int tile = r0 / TILE;
        r1 = tile * TILE + TILE < row1 ? tile * TILE + TILE : row1;
        const uint8_t *w = t->data + (size_t)tile * TILE * quads;
        for (int v = 0; v < n; v++) {
            int32_t out[TILE] = {0};
            bitnet_tl1_avx2_tile(w, prepared + act_stride * v, quads, out);
            memcpy(dots + (size_t)v * dots_stride + (r0 - row0), out + (r0 - tile * TILE),
                   sizeof(int32_t) * (size_t)(r1 - r0));
        }
    }
}

const bitnet_kernel bitnet_tl1_avx2 = {
    .name = "tl1_avx2",
    .format = BITNET_TL1,
    .isa = BITNET_ISA_AVX2,
    .layout_size = layout_size,
    .from_canonical = from_canonical,
    .to_canonical = to_canonical,
    .act_size = act_size,
    .act_prepare = act_prepare,
    .dot = dot,
};
