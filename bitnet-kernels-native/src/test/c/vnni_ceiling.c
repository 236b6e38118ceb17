/*
 * The most an I2_S kernel built on AVX-512 VNNI can do on this CPU with the weights in registers: each
 * 64 bytes of 2-bit codes take four masks (vpandd) and four vpdpbusd, so the bound is the rate at which
 * the core issues those pairs. On Sapphire Rapids both run on ports 0 and 5 only, one pair per cycle,
 * which caps the kernel at 64 weights per cycle whatever its memory does. kernels_bench times this loop
 * beside the kernels so their speed reads as a fraction of what the instruction mix allows.
 */
#include "bitnet_vnni.h"

/* volatile: the masks' inputs do not change, and the compiler would otherwise hoist them out of the loop. */
#define VPAND(dst, a, b) __asm__ volatile("vpandd %2, %1, %0" : "=v"(dst) : "v"(a), "v"(b))

/* Four masks and four products on independent accumulators: no load, no dependency stall. */
#define QUAD(c0, c1, c2, c3)                                                                       \
    do {                                                                                           \
        VPAND(t0, w, m0); VPAND(t1, w, m1); VPAND(t2, w, m2); VPAND(t3, w, m3);                    \
        DPBUSD(c0, t0, a); DPBUSD(c1, t1, a); DPBUSD(c2, t2, a); DPBUSD(c3, t3, a);                \
    } while (0)

volatile int vnni_ceiling_sink; /* keeps the accumulators, and so the loop, alive */

/* Runs the mask-and-multiply loop; returns the weights it covered (16 products of 64 per iteration). */
long vnni_ceiling_loop(long iterations) {
    const __m512i w = _mm512_set1_epi8(0x5A), a = _mm512_set1_epi8(3);
    const __m512i m0 = _mm512_set1_epi8((char)0xC0), m1 = _mm512_set1_epi8(0x30);
    const __m512i m2 = _mm512_set1_epi8(0x0C), m3 = _mm512_set1_epi8(0x03);
    __m512i z = _mm512_setzero_si512(), t0, t1, t2, t3;
    __m512i c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
    __m512i c8 = z, c9 = z, c10 = z, c11 = z, c12 = z, c13 = z, c14 = z, c15 = z;
    for (long i = 0; i < iterations; i++) {
        QUAD(c0, c1, c2, c3);
        QUAD(c4, c5, c6, c7);
        QUAD(c8, c9, c10, c11);
        QUAD(c12, c13, c14, c15);
    }
    __m512i sum = _mm512_add_epi32(_mm512_add_epi32(_mm512_add_epi32(c0, c1), _mm512_add_epi32(c2, c3)),
                                   _mm512_add_epi32(_mm512_add_epi32(c4, c5), _mm512_add_epi32(c6, c7)));
    sum = _mm512_add_epi32(sum, _mm512_add_epi32(_mm512_add_epi32(c8, c9), _mm512_add_epi32(c10, c11)));
    sum = _mm512_add_epi32(sum, _mm512_add_epi32(_mm512_add_epi32(c12, c13), _mm512_add_epi32(c14, c15)));
    vnni_ceiling_sink = _mm512_reduce_add_epi32(sum);
    return iterations * 16 * 64;
}
