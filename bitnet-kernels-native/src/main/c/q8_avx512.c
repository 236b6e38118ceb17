/*
 * Int8 x int8 dots with AVX-512 VNNI. vpdpbusd takes unsigned x signed bytes, so the activation is
 * offset to unsigned (q + 128) and 128 * sum(w) is taken off the result: exact in int32. Four rows
 * share each activation load.
 */
#include "bitnet_q8.h"
#include "bitnet_vnni.h"

void bitnet_q8_dots_avx512(const bitnet_q8 *m, const int8_t *q, int row0, int row1, int32_t *dots) {
    int cols = m->cols;
    const __m512i bias = _mm512_set1_epi8((char)0x80);
    int r = row0;
    for (; r + 4 <= row1; r += 4) {
        const int8_t *w0 = m->values + (size_t)r * cols, *w1 = w0 + cols, *w2 = w1 + cols, *w3 = w2 + cols;
        __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
        for (int c = 0; c < cols; c += 64) {
            __m512i u = _mm512_xor_si512(_mm512_loadu_si512((const void *)(q + c)), bias); /* q + 128 */
            DPBUSD(a0, u, _mm512_loadu_si512((const void *)(w0 + c)));
            DPBUSD(a1, u, _mm512_loadu_si512((const void *)(w1 + c)));
            DPBUSD(a2, u, _mm512_loadu_si512((const void *)(w2 + c)));
            DPBUSD(a3, u, _mm512_loadu_si512((const void *)(w3 + c)));
        }
        dots[r - row0] = _mm512_reduce_add_epi32(a0) - 128 * m->sums[r];
        dots[r + 1 - row0] = _mm512_reduce_add_epi32(a1) - 128 * m->sums[r + 1];
        dots[r + 2 - row0] = _mm512_reduce_add_epi32(a2) - 128 * m->sums[r + 2];
        dots[r + 3 - row0] = _mm512_reduce_add_epi32(a3) - 128 * m->sums[r + 3];
    }
    for (; r < row1; r++) {
        const int8_t *w = m->values + (size_t)r * cols;
        __m512i a = _mm512_setzero_si512();
        for (int c = 0; c < cols; c += 64) {
            __m512i u = _mm512_xor_si512(_mm512_loadu_si512((const void *)(q + c)), bias);
            DPBUSD(a, u, _mm512_loadu_si512((const void *)(w + c)));
        }
        dots[r - row0] = _mm512_reduce_add_epi32(a) - 128 * m->sums[r];
    }
}
