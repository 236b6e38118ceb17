/*
 * Int8 x int8 dots with AVX2. maddubs multiplies unsigned by signed bytes, so the activation's sign
 * moves onto the weight: |q| * sign(w, q). With |w| <= 127 and |q| <= 128 a pair sums to at most
 * 32512 in int16, then madd widens to int32 at once: nothing wraps.
 */
#include "bitnet_q8.h"

#include <immintrin.h>

static inline int32_t hsum(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return _mm_cvtsi128_si32(s);
}

void bitnet_q8_dots_avx2(const bitnet_q8 *m, const int8_t *q, int row0, int row1, int32_t *dots) {
    const __m256i ones = _mm256_set1_epi16(1);
    int cols = m->cols;
    for (int r = row0; r < row1; r++) {
        const int8_t *w = m->values + (size_t)r * cols;
        __m256i acc = _mm256_setzero_si256();
        for (int c = 0; c < cols; c += 32) {
            __m256i qv = _mm256_loadu_si256((const __m256i *)(q + c));
            __m256i wv = _mm256_loadu_si256((const __m256i *)(w + c));
            __m256i prod = _mm256_maddubs_epi16(_mm256_abs_epi8(qv), _mm256_sign_epi8(wv, qv));
            acc = _mm256_add_epi32(acc, _mm256_madd_epi16(prod, ones));
        }
        dots[r - row0] = hsum(acc);
    }
}
