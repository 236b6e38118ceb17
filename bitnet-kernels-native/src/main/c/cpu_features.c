/* Runtime CPU feature detection: cpuid for what the CPU has, XGETBV for what the OS saves. */
#include "bitnet_kernels.h"

#include <cpuid.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    int avx2, fma, avx512f, avx512bw, avx512vl, avx512vnni;
    int os_avx, os_avx512;
} cpu_flags;

static unsigned long long read_xcr0(void) {
    unsigned int eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}

static cpu_flags detect(void) {
    cpu_flags f;
    memset(&f, 0, sizeof f);
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return f;
    int osxsave = (ecx >> 27) & 1;
    f.fma = (ecx >> 12) & 1;
    if (osxsave) {
        unsigned long long xcr0 = read_xcr0();
        f.os_avx = (xcr0 & 0x6) == 0x6;          /* SSE and AVX state */
        f.os_avx512 = (xcr0 & 0xE6) == 0xE6;     /* plus opmask, ZMM_Hi256, Hi16_ZMM */
    }
    if (__get_cpuid_max(0, NULL) >= 7) {
        __cpuid_count(7, 0, eax, ebx, ecx, edx);
        f.avx2 = (ebx >> 5) & 1;
        f.avx512f = (ebx >> 16) & 1;
        f.avx512bw = (ebx >> 30) & 1;
        f.avx512vl = (ebx >> 31) & 1;
        f.avx512vnni = (ecx >> 11) & 1;
    }
    return f;
}

/* Detection is pure and cheap, so it runs on each call instead of caching in mutable state. */
int bitnet_isa_supported(int isa) {
    cpu_flags f = detect();
    switch (isa) {
    case BITNET_ISA_SCALAR: return 1;
    case BITNET_ISA_AVX2: return f.os_avx && f.avx2 && f.fma;
    case BITNET_ISA_AVX512:
        return f.os_avx && f.os_avx512 && f.avx2 && f.fma && f.avx512f && f.avx512bw && f.avx512vl &&
               f.avx512vnni;
    default: return 0;
    }
}

int bitnet_best_isa(void) {
    for (int isa = BITNET_ISA_COUNT - 1; isa > BITNET_ISA_SCALAR; isa--)
        if (bitnet_isa_supported(isa)) return isa;
    return BITNET_ISA_SCALAR;
}

const char *bitnet_isa_name(int isa) {
    switch (isa) {
    case BITNET_ISA_SCALAR: return "scalar";
    case BITNET_ISA_AVX2: return "avx2";
    case BITNET_ISA_AVX512: return "avx512";
    default: return "unknown";
    }
}

const char *bitnet_cpu_features(void) {
    static __thread char buf[128];
    cpu_flags f = detect();
    buf[0] = '\0';
    const struct { int on; const char *name; } all[] = {
        {f.avx512f && f.os_avx512, "avx512f"}, {f.avx512bw && f.os_avx512, "avx512bw"},
        {f.avx512vl && f.os_avx512, "avx512vl"}, {f.avx512vnni && f.os_avx512, "avx512vnni"},
        {f.avx2 && f.os_avx, "avx2"}, {f.fma && f.os_avx, "fma"},
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (!all[i].on) continue;
        if (buf[0]) strncat(buf, ",", sizeof buf - strlen(buf) - 1);
        strncat(buf, all[i].name, sizeof buf - strlen(buf) - 1);
    }
    return buf;
}
