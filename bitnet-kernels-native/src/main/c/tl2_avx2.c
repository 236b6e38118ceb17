/*
 * TL2 with AVX2: bitnet.cpp's lookup tables over three-weight groups, 32 rows per pshufb.
 *
 * The 14 magnitude entries of a group of activations are int16 in [-384, 384]; the prepared vector
 * holds, per group, their low bytes and their high bytes as two 16-byte pshufb tables, followed by
 * TL1's tables for the remainder columns.
 *
 * The weights are re-tiled at load into tiles of 32 rows, the rows in tl1_avx2.c's tile_row order.
 * Per eight groups a tile stores four 32-byte runs of canonical nibble bytes (groups 2k and 2k + 1 of
 * a row in one byte), then 32 bytes of signs, bit 7 - j of byte b for group j of that row. The sign
 * is applied to the looked-up bytes by XOR with 0xFF, which turns an int16 v into ~v = -v - 1; the
 * tile ends with the per-row count of negative groups, added back at the end. Then come the
 * remainder's TL1 quads. int16 sums of 80 groups stay within 80 * 385 < 32768 before widening.
 */
#include "bitnet_kernels.h"

#include <immintrin.h>
#include <string.h>

#define TILE 32
#define CHUNK 10 /* eight-group blocks summed in int16 before widening: 80 entries in [-385, 384] */

static inline int tile_row(int b) { return ((b >> 3) & 1) * (TILE / 2) + (b >> 4) * 8 + (b & 7); }

static size_t tiles_of(int rows) { return ((size_t)rows + TILE - 1) / TILE; }

/* Shape of a tile: eight-group blocks of 160 bytes, remainder quads of 32, then 32 int32 counts. */
typedef struct {
    int blocks, quads;
    size_t bytes;
} tile_shape;

static tile_shape shape_of(int cols) {
    int k3 = bitnet_tl2_three_cols(cols);
    tile_shape s = {.blocks = k3 / 24, .quads = (cols - k3) / 4};
    s.bytes = (size_t)s.blocks * 160 + (size_t)s.quads * TILE + TILE * sizeof(int32_t);
    return s;
}

static size_t layout_size(int rows, int cols) { return tiles_of(rows) * shape_of(cols).bytes; }

static uint8_t reverse_bits(uint8_t x) {
    uint8_t r = 0;
    for (int i = 0; i < 8; i++) r |= (uint8_t)(((x >> i) & 1) << (7 - i));
    return r;
}

static void from_canonical(const uint8_t *canonical, int rows, int cols, uint8_t *layout) {
    memset(layout, 0, layout_size(rows, cols)); /* padding rows stay zero */
    tile_shape s = shape_of(cols);
    size_t row_bytes = bitnet_tl2_row_bytes(cols), sign_at = (size_t)s.blocks * 4;
    for (size_t tile = 0; tile < tiles_of(rows); tile++) {
        uint8_t *dst = layout + tile * s.bytes, *tail = dst + (size_t)s.blocks * 160;
        int32_t counts[TILE] = {0};
        for (int b = 0; b < TILE; b++) {
            size_t r = tile * TILE + tile_row(b);
            if (r >= (size_t)rows) continue;
            const uint8_t *src = canonical + row_bytes * r;
            for (int i = 0; i < s.blocks; i++) {
                for (int k = 0; k < 4; k++) dst[160 * i + TILE * k + b] = src[4 * i + k];
                dst[160 * i + 128 + b] = reverse_bits(src[sign_at + i]);
                counts[tile_row(b)] += __builtin_popcount(src[sign_at + i]);
            }
            for (int j = 0; j < s.quads; j++) tail[TILE * j + b] = src[sign_at + s.blocks + j];
        }
        memcpy(tail + (size_t)s.quads * TILE, counts, sizeof counts);
    }
}

static void to_canonical(const uint8_t *layout, int rows, int cols, uint8_t *canonical) {
    tile_shape s = shape_of(cols);
    size_t row_bytes = bitnet_tl2_row_bytes(cols), sign_at = (size_t)s.blocks * 4;
    for (size_t tile = 0; tile < tiles_of(rows); tile++) {
        const uint8_t *src = layout + tile * s.bytes, *tail = src + (size_t)s.blocks * 160;
        for (int b = 0; b < TILE; b++) {
            size_t r = tile * TILE + tile_row(b);
            if (r >= (size_t)rows) continue;
            uint8_t *dst = canonical + row_bytes * r;
            for (int i = 0; i < s.blocks; i++) {
                for (int k = 0; k < 4; k++) dst[4 * i + k] = src[160 * i + TILE * k + b];
                dst[sign_at + i] = reverse_bits(src[160 * i + 128 + b]);
            }
            for (int j = 0; j < s.quads; j++) dst[sign_at + s.blocks + j] = tail[TILE * j + b];
        }
    }
}

size_t bitnet_tl2_avx2_act_size(int cols) {
    int k3 = bitnet_tl2_three_cols(cols);
    return bitnet_align_up((size_t)(k3 / 3 + (cols - k3) / 2) * 32);
}

void bitnet_tl2_avx2_act_prepare(const int8_t *q, int cols, void *prepared) {
    /* Entry m is (m / 9 - 1) * a0 + (m / 3 % 3 - 1) * a1 + (m % 3 - 1) * a2; psign multiplies exactly. */
    const __m256i c0 = _mm256_setr_epi16(-1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0);
    const __m256i c1 = _mm256_setr_epi16(-1, -1, -1, 0, 0, 0, 1, 1, 1, -1, -1, -1, 0, 0, 0, 0);
    const __m256i c2 = _mm256_setr_epi16(-1, 0, 1, -1, 0, 1, -1, 0, 1, -1, 0, 1, -1, 0, 0, 0);
    const __m256i order = _mm256_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8,
                                           10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
    int k3 = bitnet_tl2_three_cols(cols), g3 = k3 / 3;
    uint8_t *tables = prepared;
    for (int g = 0; g < g3; g++) {
        __m256i v = _mm256_add_epi16(_mm256_sign_epi16(_mm256_set1_epi16(q[3 * g]), c0),
                                     _mm256_sign_epi16(_mm256_set1_epi16(q[3 * g + 1]), c1));
        v = _mm256_add_epi16(v, _mm256_sign_epi16(_mm256_set1_epi16(q[3 * g + 2]), c2));
        /* low bytes of the 16 entries, then their high bytes */
        v = _mm256_permute4x64_epi64(_mm256_shuffle_epi8(v, order), 0xD8);
        _mm256_store_si256((__m256i *)(tables + 32 * g), v);
    }
    bitnet_tl1_avx2_tables(q + k3, (cols - k3) / 2, tables + 32 * (size_t)g3);
}

/* A 16-byte table in both 128-bit lanes, straight from the load. */
static inline __m256i bcast_table(const uint8_t *p) {
    return _mm256_broadcastsi128_si256(_mm_load_si128((const __m128i *)p));
}

/* One group of 32 rows: look up, apply the sign (top bit of s, then shift s), add as int16. */
#define GROUP(idx, tp)                                                              \
    do {                                                                            \
        __m256i neg = _mm256_cmpgt_epi8(zero, s);                                   \
        s = _mm256_add_epi8(s, s);                                                  \
        __m256i l = _mm256_xor_si256(_mm256_shuffle_epi8(bcast_table(tp), idx), neg);      \
        __m256i h = _mm256_xor_si256(_mm256_shuffle_epi8(bcast_table((tp) + 16), idx), neg); \
        lo = _mm256_add_epi16(lo, _mm256_unpacklo_epi8(l, h));                      \
        hi = _mm256_add_epi16(hi, _mm256_unpackhi_epi8(l, h));                      \
    } while (0)

static void tile_dot(const uint8_t *w, const uint8_t *tables, tile_shape sh, int32_t out[TILE]) {
    const __m256i m0F = _mm256_set1_epi8(0x0F), zero = _mm256_setzero_si256();
    __m256i s0 = zero, s1 = zero, s2 = zero, s3 = zero;
    for (int i0 = 0; i0 < sh.blocks; i0 += CHUNK) {
        int i1 = i0 + CHUNK < sh.blocks ? i0 + CHUNK : sh.blocks;
        __m256i lo = zero, hi = zero; /* int16 sums of rows 0..15 and 16..31 */
        for (int i = i0; i < i1; i++) {
            const uint8_t *wb = w + 160 * i, *t = tables + 256 * i;
            __m256i s = _mm256_load_si256((const __m256i *)(wb + 128));
            for (int k = 0; k < 4; k++) {
                __m256i wv = _mm256_load_si256((const __m256i *)(wb + TILE * k));
                __m256i ia = _mm256_and_si256(_mm256_srli_epi16(wv, 4), m0F); /* group 2k: high nibbles */
                __m256i ib = _mm256_and_si256(wv, m0F);
                GROUP(ia, t + 64 * k);
                GROUP(ib, t + 64 * k + 32);
            }
        }
        s0 = _mm256_add_epi32(s0, _mm256_cvtepi16_epi32(_mm256_castsi256_si128(lo)));
        s1 = _mm256_add_epi32(s1, _mm256_cvtepi16_epi32(_mm256_extracti128_si256(lo, 1)));
        s2 = _mm256_add_epi32(s2, _mm256_cvtepi16_epi32(_mm256_castsi256_si128(hi)));
        s3 = _mm256_add_epi32(s3, _mm256_cvtepi16_epi32(_mm256_extracti128_si256(hi, 1)));
    }
    /* ~v = -v - 1 for each negative group: add the per-row counts back */
    const __m256i *counts = (const __m256i *)(w + (size_t)sh.blocks * 160 + (size_t)sh.quads * TILE);
    __m256i *o = (__m256i *)out;
    _mm256_storeu_si256(o, _mm256_add_epi32(s0, _mm256_load_si256(counts)));
    _mm256_storeu_si256(o + 1, _mm256_add_epi32(s1, _mm256_load_si256(counts + 1)));
    _mm256_storeu_si256(o + 2, _mm256_add_epi32(s2, _mm256_load_si256(counts + 2)));
    _mm256_storeu_si256(o + 3, _mm256_add_epi32(s3, _mm256_load_si256(counts + 3)));
    if (sh.quads)
        bitnet_tl1_avx2_tile(w + (size_t)sh.blocks * 160, tables + 256 * (size_t)sh.blocks, sh.quads, out);
}

static void dot(const bitnet_tensor *t, const uint8_t *prepared, size_t act_stride, int n, int row0, int row1,
                int32_t *dots, int dots_stride) {
    tile_shape sh = shape_of(t->cols);
    /* Whole tiles are computed; only the rows in [row0, row1) are written. */
    for (int r0 = row0, r1; r0 < row1; r0 = r1) {
        int tile = r0 / TILE;
        r1 = tile * TILE + TILE < row1 ? tile * TILE + TILE : row1;
        const uint8_t *w = t->data + (size_t)tile * sh.bytes;
        for (int v = 0; v < n; v++) {
            int32_t out[TILE];
            tile_dot(w, prepared + act_stride * v, sh, out);
            memcpy(dots + (size_t)v * dots_stride + (r0 - row0), out + (r0 - tile * TILE),
                   sizeof(int32_t) * (size_t)(r1 - r0));
        }
    }
}

const bitnet_kernel bitnet_tl2_avx2 = {
    .name = "tl2_avx2",
    .format = BITNET_TL2,
    .isa = BITNET_ISA_AVX2,
    .layout_size = layout_size,
    .from_canonical = from_canonical,
    .to_canonical = to_canonical,
    .act_size = bitnet_tl2_avx2_act_size,
    .act_prepare = bitnet_tl2_avx2_act_prepare,
    .dot = dot,
};
