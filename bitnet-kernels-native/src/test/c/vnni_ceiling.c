/*
 * The most an I2_S kernel built on AVX-512 VNNI can do on this CPU with the weights in registers: each
 * 64 bytes of 2-bit codes take four masks (vpandd) and four vpdpbusd, so the bound is the rate at which
 * the core issues those pairs. On Sapphire Rapids both run on ports 0 and 5 only, one pair per cycle,
 * which caps the kernel at 64 weights per cycle whatever its memory does. kernels_bench prints it beside
 * the kernels so their speed reads as a fraction of what the instruction mix allows.
 */
#define _POSIX_C_SOURCE 199309L
#include <immintrin.h>
#include <time.h>

#define DPBUSD(acc, codes, act) __asm__ volatile("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(codes), "v"(act))
#define VPAND(dst, a, b) __asm__ volatile("vpandd %2, %1, %0" : "=v"(dst) : "v"(a), "v"(b))

/* Four masks and four products on independent accumulators, four times: no load, no dependency stall. */
#define QUAD(c0, c1, c2, c3)                                                                       \
    do {                                                                                           \
        VPAND(t0, w, m0); VPAND(t1, w, m1); VPAND(t2, w, m2); VPAND(t3, w, m3);                    \
        DPBUSD(c0, t0, a); DPBUSD(c1, t1, a); DPBUSD(c2, t2, a); DPBUSD(c3, t3, a);                \
    } while (0)

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Gweights/s of the mask-and-multiply loop alone, best of five runs of 20 million iterations. */
double vnni_ceiling_gweights(void) {
    const __m512i w = _mm512_set1_epi8(0x5A), a = _mm512_set1_epi8(3);
    const __m512i m0 = _mm512_set1_epi8((char)0xC0), m1 = _mm512_set1_epi8(0x30);
    const __m512i m2 = _mm512_set1_epi8(0x0C), m3 = _mm512_set1_epi8(0x03);
    const long iterations = 20000000;
    double best = 1e9;
    for (int run = 0; run < 5; run++) {
        __m512i z = _mm512_setzero_si512(), t0, t1, t2, t3;
        __m512i c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
        __m512i c8 = z, c9 = z, c10 = z, c11 = z, c12 = z, c13 = z, c14 = z, c15 = z;
        double start = seconds();
        for (long i = 0; i < iterations; i++) {
            QUAD(c0, c1, c2, c3);
            QUAD(c4, c5, c6, c7);
            QUAD(c8, c9, c10, c11);
            QUAD(c12, c13, c14, c15);
        }
        double elapsed = seconds() - start;
        /* Keep the accumulators live so the loop is not dropped. */
        __m512i sum = _mm512_add_epi32(_mm512_add_epi32(_mm512_add_epi32(c0, c1), _mm512_add_epi32(c2, c3)),
                                       _mm512_add_epi32(_mm512_add_epi32(c4, c5), _mm512_add_epi32(c6, c7)));
        sum = _mm512_add_epi32(sum, _mm512_add_epi32(_mm512_add_epi32(c8, c9), _mm512_add_epi32(c10, c11)));
        sum = _mm512_add_epi32(sum, _mm512_add_epi32(_mm512_add_epi32(c12, c13), _mm512_add_epi32(c14, c15)));
        if (_mm512_reduce_add_epi32(sum) == 1) elapsed += 1e-12;
        if (elapsed < best) best = elapsed;
    }
    /* 16 products of 64 codes each per iteration. */
    return (double)iterations * 16 * 64 / best / 1e9;
}
