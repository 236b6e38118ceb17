/*
 * TL2 with AVX-512BW: tl2_avx2.c's method with 64 rows per pshufb, in tiles of 64 rows (row order
 * as in tl1_avx512.c), and the sign applied exactly through mask registers instead of XOR and counts.
 *
 * Per eight groups a tile stores four 64-byte runs of canonical nibble bytes (groups 2k and 2k + 1 of
 * a row in one byte), then eight 64-bit sign masks, bit r of mask j for group j of row r. After the
 * unpack, the int16 lanes are rows 0..31 and 32..63 in order, so the two halves of a mask negate them
 * with one masked subtract each. Then come the remainder's TL1 quads. The prepared tables are
 * tl2_avx2.c's (its act_prepare runs here too: this CPU has AVX2). int16 sums of 80 groups stay within
 * 80 * 384 < 32768 before widening.
 */
#include "bitnet_kernels.h"

#include <immintrin.h>
#include <string.h>

#define TILE 64
#define CHUNK 10 /* eight-group blocks summed in int16 before widening: 80 entries in [-384, 384] */
#define BLOCK_BYTES 320

static inline int tile_row(int b) { return ((b >> 3) & 1) * (TILE / 2) + (b >> 4) * 8 + (b & 7); }

static size_t tiles_of(int rows) { return ((size_t)rows + TILE - 1) / TILE; }

/* Shape of a tile: eight-group blocks of 320 bytes, then remainder quads of 64. */
typedef struct {
    int blocks, quads;
    size_t bytes;
} tile_shape;

static tile_shape shape_of(int cols) {
    int k3 = bitnet_tl2_three_cols(cols);
    tile_shape s = {.blocks = k3 / 24, .quads = (cols - k3) / 4};
    s.bytes = (size_t)s.blocks * BLOCK_BYTES + (size_t)s.quads * TILE;
    return s;
}

static size_t layout_size(int rows, int cols) { return tiles_of(rows) * shape_of(cols).bytes; }

static void from_canonical(const uint8_t *canonical, int rows, int cols, uint8_t *layout) {
    memset(layout, 0, layout_size(rows, cols)); /* padding rows and the sign masks start at zero */
    tile_shape s = shape_of(cols);
    size_t row_bytes = bitnet_tl2_row_bytes(cols), sign_at = (size_t)s.blocks * 4;
    for (size_t tile = 0; tile < tiles_of(rows); tile++) {
        uint8_t *dst = layout + tile * s.bytes, *tail = dst + (size_t)s.blocks * BLOCK_BYTES;
        for (int b = 0; b < TILE; b++) {
            int row = tile_row(b);
            size_t r = tile * TILE + row;
            if (r >= (size_t)rows) continue;
            const uint8_t *src = canonical + row_bytes * r;
            for (int i = 0; i < s.blocks; i++) {
                uint8_t *blk = dst + BLOCK_BYTES * i;
                for (int k = 0; k < 4; k++) blk[TILE * k + b] = src[4 * i + k];
                for (int j = 0; j < 8; j++)
                    blk[256 + 8 * j + row / 8] |= (uint8_t)(((src[sign_at + i] >> j) & 1) << (row % 8));
            }
            for (int j = 0; j < s.quads; j++) tail[TILE * j + b] = src[sign_at + s.blocks + j];
        }
    }
}

static void to_canonical(const uint8_t *layout, int rows, int cols, uint8_t *canonical) {
    tile_shape s = shape_of(cols);
    size_t row_bytes = bitnet_tl2_row_bytes(cols), sign_at = (size_t)s.blocks * 4;
    for (size_t tile = 0; tile < tiles_of(rows); tile++) {
        const uint8_t *src = layout + tile * s.bytes, *tail = src + (size_t)s.blocks * BLOCK_BYTES;
        for (int b = 0; b < TILE; b++) {
            int row = tile_row(b);
            size_t r = tile * TILE + row;
            if (r >= (size_t)rows) continue;
            uint8_t *dst = canonical + row_bytes * r;
            for (int i = 0; i < s.blocks; i++) {
                const uint8_t *blk = src + BLOCK_BYTES * i;
                uint8_t sign = 0;
                for (int k = 0; k < 4; k++) dst[4 * i + k] = blk[TILE * k + b];
                for (int j = 0; j < 8; j++) sign |= (uint8_t)(((blk[256 + 8 * j + row / 8] >> (row % 8)) & 1) << j);
                dst[sign_at + i] = sign;
            }
            for (int j = 0; j < s.quads; j++) dst[sign_at + s.blocks + j] = tail[TILE * j + b];
        }
    }
}

/* A 16-byte table in all four 128-bit lanes, straight from the load. */
static inline __m512i bcast_table(const uint8_t *p) {
    return _mm512_broadcast_i32x4(_mm_load_si128((const __m128i *)p));
}

static inline __m512i widen_add(__m512i acc, __m256i v) { return _mm512_add_epi32(acc, _mm512_cvtepi16_epi32(v)); }

/* One group of 64 rows: look up, rejoin as int16, negate the rows its mask names, add. */
#define GROUP(idx, tp, mp)                                                                          \
    do {                                                                                            \
        __m512i l = _mm512_shuffle_epi8(bcast_table(tp), idx);                                      \
        __m512i h = _mm512_shuffle_epi8(bcast_table((tp) + 16), idx);                               \
        __m512i u0 = _mm512_unpacklo_epi8(l, h), u1 = _mm512_unpackhi_epi8(l, h);                   \
        u0 = _mm512_mask_sub_epi16(u0, _load_mask32((__mmask32 *)(mp)), zero, u0);                  \
        u1 = _mm512_mask_sub_epi16(u1, _load_mask32((__mmask32 *)((mp) + 4)), zero, u1);            \
        lo = _mm512_add_epi16(lo, u0);                                                              \
        hi = _mm512_add_epi16(hi, u1);                                                              \
    } while (0)

static void tile_dot(const uint8_t *w, const uint8_t *tables, tile_shape sh, int32_t *out) {
    const __m512i m0F = _mm512_set1_epi8(0x0F), zero = _mm512_setzero_si512();
    __m512i s0 = zero, s1 = zero, s2 = zero, s3 = zero;
    for (int i0 = 0; i0 < sh.blocks; i0 += CHUNK) {
        int i1 = i0 + CHUNK < sh.blocks ? i0 + CHUNK : sh.blocks;
        __m512i lo = zero, hi = zero; /* int16 sums of rows 0..31 and 32..63 */
        for (int i = i0; i < i1; i++) {
            const uint8_t *wb = w + BLOCK_BYTES * i, *t = tables + 256 * i;
            for (int k = 0; k < 4; k++) {
                __m512i wv = _mm512_load_si512((const void *)(wb + TILE * k));
                __m512i ia = _mm512_and_si512(_mm512_srli_epi16(wv, 4), m0F); /* group 2k: high nibbles */
                __m512i ib = _mm512_and_si512(wv, m0F);
                GROUP(ia, t + 64 * k, wb + 256 + 16 * k);
                GROUP(ib, t + 64 * k + 32, wb + 264 + 16 * k);
            }
        }
        s0 = widen_add(s0, _mm512_castsi512_si256(lo));
        s1 = widen_add(s1, _mm512_extracti64x4_epi64(lo, 1));
        s2 = widen_add(s2, _mm512_castsi512_si256(hi));
        s3 = widen_add(s3, _mm512_extracti64x4_epi64(hi, 1));
    }
    _mm512_storeu_si512(out, s0);
    _mm512_storeu_si512(out + 16, s1);
    _mm512_storeu_si512(out + 32, s2);
    _mm512_storeu_si512(out + 48, s3);
    if (sh.quads)
        bitnet_tl1_avx512_tile(w + (size_t)sh.blocks * BLOCK_BYTES, tables + 256 * (size_t)sh.blocks, sh.quads, out);
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

const bitnet_kernel bitnet_tl2_avx512 = {
    .name = "tl2_avx512",
    .format = BITNET_TL2,
    .isa = BITNET_ISA_AVX512,
    .layout_size = layout_size,
    .from_canonical = from_canonical,
    .to_canonical = to_canonical,
    .act_size = bitnet_tl2_avx2_act_size,
    .act_prepare = bitnet_tl2_avx2_act_prepare,
    .dot = dot,
};
