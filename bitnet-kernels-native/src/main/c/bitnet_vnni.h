/* What the AVX-512 VNNI kernels share. Include only from files built with -mavx512vnni. */
#ifndef BITNET_VNNI_H
#define BITNET_VNNI_H

#include <immintrin.h>

/*
 * acc += u8 x s8, four products per int32 lane. gcc 12 wraps the intrinsic _mm512_dpbusd_epi32 in
 * register copies and spills (seen in objdump); this form keeps the accumulators in place.
 */
#define DPBUSD(acc, u, s) __asm__("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(u), "v"(s))

#endif
