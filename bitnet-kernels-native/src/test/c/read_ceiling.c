/*
 * A plain read of a buffer, as fast as one core can stream it: 64-byte loads into four independent
 * accumulators, nothing else. kernels_bench times it over the very bytes a GEMV reads, in the same run,
 * so the kernel's speed on weights in DRAM reads as a fraction of what the memory gives one core.
 */
#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>

/* XOR of every 64-byte block (bytes a multiple of 256 are read; the tail is ignored). */
uint64_t read_ceiling_avx512(const uint8_t *p, size_t bytes) {
    __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
    for (size_t i = 0; i + 256 <= bytes; i += 256) {
        a0 = _mm512_xor_si512(a0, _mm512_load_si512((const void *)(p + i)));
        a1 = _mm512_xor_si512(a1, _mm512_load_si512((const void *)(p + i + 64)));
        a2 = _mm512_xor_si512(a2, _mm512_load_si512((const void *)(p + i + 128)));
        a3 = _mm512_xor_si512(a3, _mm512_load_si512((const void *)(p + i + 192)));
    }
    __m512i all = _mm512_xor_si512(_mm512_xor_si512(a0, a1), _mm512_xor_si512(a2, a3));
    return (uint64_t)_mm512_reduce_or_epi64(all);
}
