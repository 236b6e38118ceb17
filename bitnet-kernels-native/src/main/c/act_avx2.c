/*
 * Per-vector absmax int8 quantisation of activations with AVX2, bit-identical to the scalar code in
 * dispatch.c: the max of |x| is exact in float, the scale and the tail come from the same inline
 * helpers (bitnet_kernels.h), and _mm256_round_ps with round-to-nearest is rintf (ties to even).
 * |x * scale| never exceeds 127 after rounding, and the saturating packs clamp exactly as the scalar
 * code does anyway.
 */
#include "bitnet_kernels.h"

#include <immintrin.h>
#include <math.h>

void bitnet_quantize_activations_avx2(const float *x, int n, int cols, int8_t *q, float *scales, int32_t *sums) {
    const __m256 abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    int body = cols - cols % 32;
    for (int v = 0; v < n; v++) {
        const float *xv = x + (size_t)v * cols;
        int8_t *qv = q + (size_t)v * cols;
        __m256 mx = _mm256_setzero_ps();
        int i = 0;
        for (; i + 8 <= cols; i += 8) mx = _mm256_max_ps(mx, _mm256_and_ps(_mm256_loadu_ps(xv + i), abs_mask));
        __m128 m4 = _mm_max_ps(_mm256_castps256_ps128(mx), _mm256_extractf128_ps(mx, 1));
        m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
        m4 = _mm_max_ss(m4, _mm_shuffle_ps(m4, m4, 1));
        float m = _mm_cvtss_f32(m4);
        for (; i < cols; i++) m = fabsf(xv[i]) > m ? fabsf(xv[i]) : m;
        float s = bitnet_act_scale((double)m);
        const __m256 sv = _mm256_set1_ps(s);
        __m256i acc = _mm256_setzero_si256();
        for (i = 0; i < body; i += 32) {
            __m256i a = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(xv + i), sv),
                                                           _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
            __m256i b = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(xv + i + 8), sv),
                                                           _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
            __m256i c = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(xv + i + 16), sv),
                                                           _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
            __m256i d = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(xv + i + 24), sv),
                                                           _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
            acc = _mm256_add_epi32(acc, _mm256_add_epi32(_mm256_add_epi32(a, b), _mm256_add_epi32(c, d)));
            __m256i packed = _mm256_packs_epi16(_mm256_packs_epi32(a, b), _mm256_packs_epi32(c, d));
            _mm256_storeu_si256((__m256i *)(qv + i), _mm256_permutevar8x32_epi32(packed, order));
        }
        __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
        s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0x4E));
        s4 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0xB1));
        int32_t sum = _mm_cvtsi128_si32(s4);
        for (; i < cols; i++) {
            int iv = bitnet_act_quantize(xv[i], s);
            qv[i] = (int8_t)iv;
            sum += iv;
        }
        scales[v] = s;
        sums[v] = sum;
    }
}
