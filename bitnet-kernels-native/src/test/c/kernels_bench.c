/*
 * Raw kernel speed, measured the way the bitnet.cpp comparison in docs/benchmarks.md is: one thread,
 * the weights of the BitNet b1.58 2B-4T shapes resident between calls, the best of N GEMVs (batch 1)
 * of the dot kernel alone (activation preparation is timed apart). Where the CPU has AVX-512 VNNI, it
 * ends with the ceiling of vnni_ceiling.c: what the I2_S instruction mix allows with no memory at all.
 *
 *   bash src/main/c/build.sh target/native-bench --bench && target/native-bench/kernels_bench [filter] [runs]
 *
 * "kernels_bench dram [GiB]" measures instead what decode meets: the I2_S GEMV (AVX2 and AVX-512
 * kernels) over distinct matrices filling GiB (default 2) of memory, far past the caches, and the int8
 * LM head kernel over one matrix of that size, each against a plain read of the same bytes
 * (read_ceiling.c, AVX-512 loads), passes alternating, best of five each.
 */
#define _POSIX_C_SOURCE 199309L
#include "bitnet_kernels.h"
#include "bitnet_q8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

long vnni_ceiling_loop(long iterations);                     /* vnni_ceiling.c, built with the AVX-512 flags */
uint64_t read_ceiling_avx512(const uint8_t *p, size_t bytes); /* read_ceiling.c, likewise */

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

volatile uint64_t kernels_bench_sink; /* keeps the plain read's result, and so the read, alive */

static float *random_weights(int rows, int cols) {
    float *w = malloc(sizeof(float) * (size_t)rows * cols);
    if (!w) return NULL;
    for (size_t i = 0; i < (size_t)rows * cols; i++) w[i] = (float)(rand() % 2001 - 1000) / 1000.0f;
    return w;
}

/*
 * One shape: enough copies of one packed matrix to fill gib GiB, each GEMV on the next copy so its
 * weights come from DRAM, never from a cache; then the same bytes read plainly. Returns 0 on success.
 */
static int dram_shape(int isa, int rows, int cols, double gib) {
    srand(1);
    float *w = random_weights(rows, cols);
    float scale;
    bitnet_tensor *first = w ? bitnet_tensor_quantize(isa, BITNET_I2_S, w, rows, cols, &scale) : NULL;
    free(w);
    if (!first) return 1;
    size_t count = (size_t)(gib * (double)(1ul << 30) / (double)first->size) + 1;
    uint8_t *packed = malloc(bitnet_packed_size(BITNET_I2_S, rows, cols));
    bitnet_tensor **t = calloc(count, sizeof(*t));
    int8_t *q = malloc((size_t)cols);
    int32_t *dots = malloc(sizeof(int32_t) * (size_t)rows);
    uint8_t *p = aligned_alloc(BITNET_ALIGN, bitnet_prepared_size(first));
    int failed = !packed || !t || !q || !dots || !p;
    if (!failed) {
        bitnet_tensor_packed(first, packed);
        for (size_t i = 0; i < count && !failed; i++) {
            t[i] = bitnet_tensor_from_packed(isa, BITNET_I2_S, rows, cols, packed, scale);
            failed = t[i] == NULL;
        }
    }
    if (!failed) {
        for (int i = 0; i < cols; i++) q[i] = (int8_t)(rand() & 0xFF);
        bitnet_prepare_activations(first, q, 1, p);
        double gemv = 1e9, read = 1e9, bytes = (double)first->size * (double)count;
        uint64_t sink = 0;
        for (int pass = 0; pass < 5; pass++) {
            double t0 = now();
            for (size_t i = 0; i < count; i++) bitnet_dot_rows(t[i], p, 1, 0, rows, dots);
            double e = now() - t0;
            if (e < gemv) gemv = e;
            sink += (uint64_t)dots[0];
            t0 = now();
            for (size_t i = 0; i < count; i++) sink ^= read_ceiling_avx512(t[i]->data, t[i]->size);
            e = now() - t0;
            if (e < read) read = e;
        }
        kernels_bench_sink = sink;
        printf("%4dx%-8d %-11s %6zu %9.2f %10.1f %11.1f %10.1f %7.2f\n", rows, cols, first->kernel->name, count,
               bytes / (1 << 30),
               bytes / gemv / 1e9, (double)rows * cols * (double)count / gemv / 1e9, bytes / read / 1e9, read / gemv);
    }
    for (size_t i = 0; t && i < count; i++) bitnet_tensor_free(t[i]);
    bitnet_tensor_free(first);
    free(t);
    free(packed);
    free(q);
    free(dots);
    free(p);
    return failed;
}

/* The int8 LM head's kernel: one matrix of 2560 columns filling gib GiB, against a plain read of it. */
static int dram_q8(int isa, double gib) {
    const int cols = 2560;
    int rows = (int)(gib * (double)(1ul << 30) / cols) / 4 * 4;
    int8_t *values = malloc((size_t)rows * cols);
    float *scales = malloc(sizeof(float) * (size_t)rows);
    int8_t *q = aligned_alloc(BITNET_ALIGN, (size_t)cols);
    int32_t *dots = malloc(sizeof(int32_t) * (size_t)rows);
    bitnet_q8 *m = NULL;
    if (values && scales && q && dots) {
        for (size_t i = 0; i < (size_t)rows * cols; i++) values[i] = (int8_t)((i * 2654435761u >> 24) % 255 - 127);
        for (int r = 0; r < rows; r++) scales[r] = 0.01f;
        for (int i = 0; i < cols; i++) q[i] = (int8_t)(rand() & 0xFF);
        m = bitnet_q8_create(isa, values, scales, rows, cols);
    }
    free(values);
    if (m) {
        double gemv = 1e9, read = 1e9, bytes = (double)rows * cols;
        uint64_t sink = 0;
        for (int pass = 0; pass < 5; pass++) {
            double t0 = now();
            if (isa == BITNET_ISA_AVX512) bitnet_q8_dots_avx512(m, q, 0, rows, dots);
            else bitnet_q8_dots_avx2(m, q, 0, rows, dots);
            double e = now() - t0;
            if (e < gemv) gemv = e;
            sink += (uint64_t)dots[rows - 1];
            t0 = now();
            sink ^= read_ceiling_avx512((const uint8_t *)m->values, bytes);
            e = now() - t0;
            if (e < read) read = e;
        }
        kernels_bench_sink = sink;
        printf("%6dx%-6d %-11s %6d %9.2f %10.1f %11.1f %10.1f %7.2f\n", rows, cols,
               isa == BITNET_ISA_AVX512 ? "q8_avx512" : "q8_avx2", 1, bytes / (1 << 30), bytes / gemv / 1e9,
               bytes / gemv / 1e9, bytes / read / 1e9, read / gemv);
    }
    int failed = m == NULL;
    bitnet_q8_free(m);
    free(scales);
    free(q);
    free(dots);
    return failed;
}

static int dram(double gib) {
    if (!bitnet_isa_supported(BITNET_ISA_AVX512)) {
        fprintf(stderr, "kernels_bench dram: this CPU has no AVX-512, which the plain read uses\n");
        return 2;
    }
    if (!(gib > 0 && gib <= 64)) {
        fprintf(stderr, "kernels_bench dram: GiB must be in (0, 64], got %g\n", gib);
        return 2;
    }
    printf("cpu: %s; GEMV over %.2f GiB of weights (I2_S: distinct copies of one matrix; int8 LM head kernel:\n"
           "one tall matrix) against a plain read of the same bytes, one thread, best of 5 passes each\n",
           bitnet_cpu_features(), gib);
    printf("%-13s %-11s %6s %9s %10s %11s %10s %7s\n", "shape", "kernel", "copies", "GiB", "GEMV GB/s", "Gweights/s",
           "read GB/s", "ratio");
    const int shapes[2][2] = {{2560, 6912}, {6912, 2560}};
    for (int isa = BITNET_ISA_AVX2; isa <= BITNET_ISA_AVX512; isa++)
        for (int s = 0; s < 2; s++)
            if (dram_shape(isa, shapes[s][0], shapes[s][1], gib)) {
                fprintf(stderr, "kernels_bench dram: out of memory for %.2f GiB\n", gib);
                return 1;
            }
    for (int isa = BITNET_ISA_AVX2; isa <= BITNET_ISA_AVX512; isa++)
        if (dram_q8(isa, gib)) {
            fprintf(stderr, "kernels_bench dram: out of memory for %.2f GiB\n", gib);
            return 1;
        }
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "dram")) return dram(argc > 2 ? atof(argv[2]) : 2.0);
    const int shapes[3][2] = {{2560, 2560}, {6912, 2560}, {2560, 6912}};
    const char *only = argc > 1 ? argv[1] : NULL;
    int runs = argc > 2 ? atoi(argv[2]) : 100;
    printf("cpu: %s; best of %d single-thread GEMVs\n", bitnet_cpu_features(), runs);
    printf("%-11s %-12s %10s %11s %12s\n", "shape", "kernel", "us", "Gweights/s", "prepare us");
    for (int s = 0; s < 3; s++) {
        int rows = shapes[s][0], cols = shapes[s][1];
        srand(1);
        float *w = random_weights(rows, cols);
        int8_t *q = malloc((size_t)cols);
        int32_t *dots = malloc(sizeof(int32_t) * (size_t)rows);
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
