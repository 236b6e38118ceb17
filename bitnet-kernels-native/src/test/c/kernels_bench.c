/*
 * Raw kernel speed, measured the way the bitnet.cpp comparison in docs/benchmarks.md is: one thread,
 * the weights of the BitNet b1.58 2B-4T shapes resident between calls, the best of N GEMVs (batch 1)
 * of the dot kernel alone (activation preparation is timed apart). Where the CPU has AVX-512 VNNI, it
 * ends with the ceiling of vnni_ceiling.c: what the I2_S instruction mix allows with no memory at all.
 *
 *   bash src/main/c/build.sh target/native-bench --bench && target/native-bench/kernels_bench [filter] [runs]
 */
#define _POSIX_C_SOURCE 199309L
#include "bitnet_kernels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

long vnni_ceiling_loop(long iterations); /* vnni_ceiling.c, built with the AVX-512 flags */

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    const int shapes[3][2] = {{2560, 2560}, {6912, 2560}, {2560, 6912}};
    const char *only = argc > 1 ? argv[1] : NULL;
    int runs = argc > 2 ? atoi(argv[2]) : 100;
    printf("cpu: %s; best of %d single-thread GEMVs\n", bitnet_cpu_features(), runs);
    printf("%-11s %-12s %10s %11s %12s\n", "shape", "kernel", "us", "Gweights/s", "prepare us");
    for (int s = 0; s < 3; s++) {
        int rows = shapes[s][0], cols = shapes[s][1];
        srand(1);
        float *w = malloc(sizeof(float) * (size_t)rows * cols);
        int8_t *q = malloc((size_t)cols);
        int32_t *dots = malloc(sizeof(int32_t) * (size_t)rows);
        for (size_t i = 0; i < (size_t)rows * cols; i++) w[i] = (float)(rand() % 2001 - 1000) / 1000.0f;
        for (int i = 0; i < cols; i++) q[i] = (int8_t)(rand() & 0xFF);
        for (int f = 0; f < BITNET_FORMAT_COUNT; f++) {
            for (int isa = 0; isa < BITNET_ISA_COUNT; isa++) {
                if (!bitnet_isa_supported(isa)) continue;
                const char *name = bitnet_kernel_name(f, isa);
                if (isa > 0 && !strcmp(name, bitnet_kernel_name(f, isa - 1))) continue; /* same kernel */
                if (only && !strstr(name, only)) continue;
                float scale;
                bitnet_tensor *t = bitnet_tensor_quantize(isa, f, w, rows, cols, &scale);
                uint8_t *p = aligned_alloc(BITNET_ALIGN, bitnet_prepared_size(t));
                double prep = 1e9, best = 1e9;
                for (int i = 0; i < 20; i++) {
                    double t0 = now();
                    bitnet_prepare_activations(t, q, 1, p);
                    double e = now() - t0;
                    if (e < prep) prep = e;
                }
                for (int i = 0; i < runs; i++) {
                    double t0 = now();
                    bitnet_dot_rows(t, p, 1, 0, rows, dots);
                    double e = now() - t0;
                    if (e < best) best = e;
                }
                printf("%4dx%-6d %-12s %10.1f %11.1f %12.1f\n", rows, cols, name, best * 1e6,
                       (double)rows * cols / best / 1e9, prep * 1e6);
                free(p);
                bitnet_tensor_free(t);
            }
        }
        free(w);
        free(q);
        free(dots);
    }
    if (bitnet_isa_supported(BITNET_ISA_AVX512) && (!only || strstr("i2s_avx512", only))) {
        double best = 1e9;
        long weights = 0;
        for (int i = 0; i < 5; i++) {
            double t0 = now();
            weights = vnni_ceiling_loop(20000000);
            double e = now() - t0;
            if (e < best) best = e;
        }
        printf("ceiling: vpandd + vpdpbusd from registers, %.1f Gweights/s\n", (double)weights / best / 1e9);
    }
    return 0;
}
