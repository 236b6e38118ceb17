/*
 * Kernel table and the exported tensor API. Each (format, isa) cell names the kernel that serves it;
 * a missing cell falls back to the next lower instruction set, down to the scalar reference.
 */
#include "bitnet_kernels.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static const bitnet_kernel *const KERNELS[BITNET_FORMAT_COUNT][BITNET_ISA_COUNT] = {
    [BITNET_I2_S] = {&bitnet_i2s_scalar, &bitnet_i2s_avx2, &bitnet_i2s_avx512},
    [BITNET_TL1] = {&bitnet_tl1_scalar, &bitnet_tl1_avx2, &bitnet_tl1_avx512},
    [BITNET_TL2] = {&bitnet_tl2_scalar, &bitnet_tl2_avx2, &bitnet_tl2_avx512},
};

static _Atomic int64_t live_bytes;

const bitnet_kernel *bitnet_kernel_for(int format, int isa) {
    for (int i = isa; i >= 0; i--)
        if (KERNELS[format][i]) return KERNELS[format][i];
    return KERNELS[format][BITNET_ISA_SCALAR];
}

const char *bitnet_kernel_name(int format, int isa) { return bitnet_kernel_for(format, isa)->name; }

size_t bitnet_packed_size(int format, int rows, int cols) {
    if (format == BITNET_TL2) return (size_t)rows * bitnet_tl2_row_bytes(cols);
    return (size_t)rows * (size_t)cols / 4; /* I2_S and TL1: 2 bits per weight */
}

static void pack(int format, const int8_t *t, int rows, int cols, uint8_t *out) {
    switch (format) {
    case BITNET_I2_S: bitnet_i2s_pack(t, rows, cols, out); break;
    case BITNET_TL1: bitnet_tl1_pack(t, rows, cols, out); break;
    default: bitnet_tl2_pack(t, rows, cols, out); break;
    }
}

static void unpack(int format, const uint8_t *p, int rows, int cols, int8_t *t) {
    switch (format) {
    case BITNET_I2_S: bitnet_i2s_unpack(p, rows, cols, t); break;
    case BITNET_TL1: bitnet_tl1_unpack(p, rows, cols, t); break;
    default: bitnet_tl2_unpack(p, rows, cols, t); break;
    }
}

static bitnet_tensor *tensor_new(int isa, int format, int rows, int cols, float scale,
                                 const uint8_t *canonical) {
    const bitnet_kernel *k = bitnet_kernel_for(format, isa);
    size_t size = bitnet_align_up(k->layout_size(rows, cols));
    bitnet_tensor *t = malloc(sizeof *t);
    uint8_t *data = aligned_alloc(BITNET_ALIGN, size);
    if (!t || !data) {
        free(t);
        free(data);
        return NULL;
    }
    memset(data, 0, size);
    if (k->from_canonical) {
        k->from_canonical(canonical, rows, cols, data);
    } else {
        memcpy(data, canonical, bitnet_packed_size(format, rows, cols));
    }
    *t = (bitnet_tensor){.kernel = k, .rows = rows, .cols = cols, .scale = scale, .size = size, .data = data};
    atomic_fetch_add(&live_bytes, (int64_t)(size + sizeof *t));
    return t;
}

/* Absmean ternarisation, exactly as the golden vectors define it (docs/formats.md). */
static float ternarise(const float *w, size_t n, int8_t *t) {
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) sum += fabs((double)w[i]);
    double mean = sum / (double)n;
    float s = (float)(1.0 / (mean > 1e-5 ? mean : 1e-5));
    for (size_t i = 0; i < n; i++) {
        float v = rintf(w[i] * s);
        t[i] = (int8_t)(v > 1.0f ? 1 : v < -1.0f ? -1 : (int)v);
    }
    return 1.0f / s;
}

bitnet_tensor *bitnet_tensor_quantize(int isa, int format, const float *weights, int rows, int cols,
                                      float *scale_out) {
    size_t n = (size_t)rows * (size_t)cols;
    int8_t *t = malloc(n);
    uint8_t *canonical = malloc(bitnet_packed_size(format, rows, cols));
    bitnet_tensor *result = NULL;
    if (t && canonical) {
        float scale = ternarise(weights, n, t);
        pack(format, t, rows, cols, canonical);
        result = tensor_new(isa, format, rows, cols, scale, canonical);
        if (result) *scale_out = scale;
    }
    free(t);
    free(canonical);
    return result;
}

bitnet_tensor *bitnet_tensor_from_packed(int isa, int format, int rows, int cols, const uint8_t *packed,
                                         float scale) {
    return tensor_new(isa, format, rows, cols, scale, packed);
}

void bitnet_tensor_packed(const bitnet_tensor *t, uint8_t *packed_out) {
    const bitnet_kernel *k = t->kernel;
    if (k->to_canonical) {
        k->to_canonical(t->data, t->rows, t->cols, packed_out);
    } else {
        memcpy(packed_out, t->data, bitnet_packed_size(k->format, t->rows, t->cols));
    }
}

void bitnet_tensor_dequantize(const bitnet_tensor *t, float *out) {
    size_t n = (size_t)t->rows * (size_t)t->cols;
    size_t psize = bitnet_packed_size(t->kernel->format, t->rows, t->cols);
    uint8_t *canonical = malloc(psize);
    int8_t *tmp = malloc(n);
    if (!canonical || !tmp) {
        /* Out of memory: report it as NaN rather than crash the host JVM. */
        for (size_t i = 0; i < n; i++) out[i] = NAN;
        free(canonical);
        free(tmp);
        return;
    }
    bitnet_tensor_packed(t, canonical);
    unpack(t->kernel->format, canonical, t->rows, t->cols, tmp);
    for (size_t i = 0; i < n; i++) out[i] = (float)tmp[i] * t->scale;
    free(canonical);
    free(tmp);
}

void bitnet_tensor_free(bitnet_tensor *t) {
    if (!t) return;
    atomic_fetch_sub(&live_bytes, (int64_t)(t->size + sizeof *t));
    free(t->data);
    free(t);
}

int64_t bitnet_live_bytes(void) { return atomic_load(&live_bytes); }

/* The instruction set for activation quantisation, found once: cpuid is slow in a virtual machine. */
static _Atomic int activation_isa = -1;

void bitnet_quantize_activations(const float *x, int n, int cols, int8_t *q, float *scales, int32_t *sums) {
    int isa = atomic_load(&activation_isa);
    if (isa < 0) {
        isa = bitnet_isa_supported(BITNET_ISA_AVX2) ? BITNET_ISA_AVX2 : BITNET_ISA_SCALAR;
        atomic_store(&activation_isa, isa);
    }
    if (isa == BITNET_ISA_AVX2) {
        bitnet_quantize_activations_avx2(x, n, cols, q, scales, sums);
    } else {
        bitnet_quantize_activations_scalar(x, n, cols, q, scales, sums);
    }
}

void bitnet_quantize_activations_scalar(const float *x, int n, int cols, int8_t *q, float *scales, int32_t *sums) {
    for (int v = 0; v < n; v++) {
        const float *xv = x + (size_t)v * cols;
        int8_t *qv = q + (size_t)v * cols;
        double max = 0.0;
        for (int i = 0; i < cols; i++) {
            double a = fabs((double)xv[i]);
            if (a > max) max = a;
        }
        float s = bitnet_act_scale(max);
        int32_t sum = 0;
        for (int i = 0; i < cols; i++) {
            int iv = bitnet_act_quantize(xv[i], s);
            qv[i] = (int8_t)iv;
            sum += iv;
        }
        scales[v] = s;
        sums[v] = sum;
    }
}

size_t bitnet_prepared_size(const bitnet_tensor *t) { return t->kernel->act_size(t->cols); }

void bitnet_prepare_activations(const bitnet_tensor *t, const int8_t *q, int n, uint8_t *prepared) {
    size_t stride = bitnet_prepared_size(t);
    for (int v = 0; v < n; v++) t->kernel->act_prepare(q + (size_t)v * t->cols, t->cols, prepared + stride * v);
}

void bitnet_dot_rows(const bitnet_tensor *t, const uint8_t *prepared, int n, int row0, int row1, int32_t *dots) {
    t->kernel->dot(t, prepared, bitnet_prepared_size(t), n, row0, row1, dots + row0, t->rows);
}

/*
 * Rows per slice of the fused matmul: the int32 scratch stays on the stack. Slices start at multiples
 * of 64 rows, so a slice never straddles two of the TL kernels' row tiles (32 or 64 rows), which a
 * kernel would compute whole for each slice.
 */
#define MATMUL_SLICE 64

void bitnet_matmul_rows(const bitnet_tensor *t, const uint8_t *prepared, const float *act_scales, int n,
                        int row0, int row1, float *out) {
    size_t stride = bitnet_prepared_size(t);
    int32_t dots[MATMUL_SLICE * 8];
    for (int v0 = 0; v0 < n; v0 += 8) {
        int nv = n - v0 < 8 ? n - v0 : 8;
        for (int r0 = row0, r1; r0 < row1; r0 = r1) {
            r1 = (r0 / MATMUL_SLICE + 1) * MATMUL_SLICE;
            if (r1 > row1) r1 = row1;
            t->kernel->dot(t, prepared + stride * v0, stride, nv, r0, r1, dots, MATMUL_SLICE);
            for (int v = 0; v < nv; v++) {
                float s = act_scales[v0 + v];
                float *o = out + (size_t)(v0 + v) * t->rows;
                for (int r = r0; r < r1; r++) o[r] = (float)dots[v * MATMUL_SLICE + (r - r0)] / s * t->scale;
            }
        }
    }
}
