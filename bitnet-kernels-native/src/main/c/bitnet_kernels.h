/*
 * bitnet-kernels: ternary (1.58-bit) weight kernels for I2_S, TL1 and TL2.
 *
 * The exported functions (BITNET_API) are the whole surface the Java side binds through JNA direct
 * mapping. They trust their arguments: the Java layer validates every size, pointer and format before
 * it calls in (see io.bitnet.kernels.internal.Validation).
 *
 * Layouts and formulas are documented in docs/formats.md.
 */
#ifndef BITNET_KERNELS_H
#define BITNET_KERNELS_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#define BITNET_API __attribute__((visibility("default")))

/* Formats; the numbers match io.bitnet.kernels.QuantizationFormat.ordinal(). */
enum bitnet_format { BITNET_I2_S = 0, BITNET_TL1 = 1, BITNET_TL2 = 2, BITNET_FORMAT_COUNT = 3 };

/* Instruction sets, from least to most capable. */
enum bitnet_isa { BITNET_ISA_SCALAR = 0, BITNET_ISA_AVX2 = 1, BITNET_ISA_AVX512 = 2, BITNET_ISA_COUNT = 3 };

/* Every format packs columns in blocks of this many weights; cols must be a multiple of it. */
#define BITNET_BLOCK 128
/* Upper bound on cols that keeps every kernel's int32 accumulators exact (see docs/formats.md). */
#define BITNET_MAX_COLS 65536
/* Alignment of tensor data and prepared activations. */
#define BITNET_ALIGN 64

struct bitnet_tensor;

/*
 * One kernel: a (format, instruction set) pair. The tensor's in-memory layout belongs to the kernel,
 * so a kernel may re-tile the canonical packed bytes at load time.
 */
typedef struct bitnet_kernel {
    const char *name;  /* e.g. "i2s_avx512" */
    int format;
    int isa;
    /* Bytes of the in-memory layout for a rows x cols tensor. */
    size_t (*layout_size)(int rows, int cols);
    /* Canonical packed bytes -> in-memory layout, and back. NULL means the layouts are identical. */
    void (*from_canonical)(const uint8_t *canonical, int rows, int cols, uint8_t *layout);
    void (*to_canonical)(const uint8_t *layout, int rows, int cols, uint8_t *canonical);
    /* Bytes of one prepared activation vector (a multiple of BITNET_ALIGN). */
    size_t (*act_size)(int cols);
    /* int8 activations of one vector -> the kernel's prepared form (tables, reordering, sums). */
    void (*act_prepare)(const int8_t *q, int cols, void *prepared);
    /*
     * Exact ternary dot products for rows [row0, row1) against n prepared vectors spaced
     * act_stride bytes apart: dots[v * dots_stride + (r - row0)] = sum_k t[r][k] * q_v[k].
     */
    void (*dot)(const struct bitnet_tensor *t, const uint8_t *prepared, size_t act_stride, int n,
                int row0, int row1, int32_t *dots, int dots_stride);
} bitnet_kernel;

typedef struct bitnet_tensor {
    const bitnet_kernel *kernel;
    int rows;
    int cols;
    float scale;
    size_t size;    /* bytes at data */
    uint8_t *data;  /* BITNET_ALIGN-aligned, in the kernel's layout */
} bitnet_tensor;

/* ---- CPU features and kernel selection ---------------------------------------------------- */

/* Best instruction set this CPU and OS support (cpuid plus XGETBV). */
BITNET_API int bitnet_best_isa(void);
/* 1 when the CPU and OS support isa. */
BITNET_API int bitnet_isa_supported(int isa);
/* "scalar", "avx2" or "avx512". */
BITNET_API const char *bitnet_isa_name(int isa);
/* Comma-separated features this library cares about, e.g. "avx512f,avx512bw,avx512vnni,avx2,fma". */
BITNET_API const char *bitnet_cpu_features(void);
/* Name of the kernel that serves (format, isa), e.g. "tl1_avx2". */
BITNET_API const char *bitnet_kernel_name(int format, int isa);

/* ---- Tensors -------------------------------------------------------------------------------- */

/* Size of the canonical packed form (I2_S: bitnet.cpp's x86 layout). */
BITNET_API size_t bitnet_packed_size(int format, int rows, int cols);
/*
 * Absmean ternarisation of rows*cols weights, then packing. Returns NULL when memory runs out.
 * The scale (the absmean) is written to *scale_out.
 */
BITNET_API bitnet_tensor *bitnet_tensor_quantize(int isa, int format, const float *weights, int rows,
                                                 int cols, float *scale_out);
/* Adopts canonical packed bytes. Returns NULL when memory runs out. */
BITNET_API bitnet_tensor *bitnet_tensor_from_packed(int isa, int format, int rows, int cols,
                                                    const uint8_t *packed, float scale);
BITNET_API void bitnet_tensor_packed(const bitnet_tensor *t, uint8_t *packed_out);
BITNET_API void bitnet_tensor_dequantize(const bitnet_tensor *t, float *out);
BITNET_API void bitnet_tensor_free(bitnet_tensor *t);
/* Bytes currently held by live tensors, for leak checks. */
BITNET_API int64_t bitnet_live_bytes(void);

/* ---- Activations and matmul ----------------------------------------------------------------- */

/*
 * Per-vector absmax int8 quantisation of n vectors of cols floats:
 * scale = (float)(127 / max(1e-5, max|x|)), q = clamp(rint(x * scale), -128, 127).
 */
BITNET_API void bitnet_quantize_activations(const float *x, int n, int cols, int8_t *q, float *scales,
                                            int32_t *sums);
/* Bytes of one prepared vector for this tensor's kernel. */
BITNET_API size_t bitnet_prepared_size(const bitnet_tensor *t);
/* Prepares n int8 vectors for t's kernel; prepared holds n * bitnet_prepared_size(t) bytes. */
BITNET_API void bitnet_prepare_activations(const bitnet_tensor *t, const int8_t *q, int n, uint8_t *prepared);
/* dots[v * rows + r] for r in [row0, row1). */
BITNET_API void bitnet_dot_rows(const bitnet_tensor *t, const uint8_t *prepared, int n, int row0, int row1,
                                int32_t *dots);
/* out[v * rows + r] = (float)dot / act_scale[v] * t->scale, for r in [row0, row1). */
BITNET_API void bitnet_matmul_rows(const bitnet_tensor *t, const uint8_t *prepared, const float *act_scales,
                                   int n, int row0, int row1, float *out);

/* ---- Internal: kernel tables and shared helpers --------------------------------------------- */

/* bitnet_quantize_activations per instruction set; identical results. */
void bitnet_quantize_activations_scalar(const float *x, int n, int cols, int8_t *q, float *scales, int32_t *sums);
void bitnet_quantize_activations_avx2(const float *x, int n, int cols, int8_t *q, float *scales, int32_t *sums);

/* The absmax scale of one activation vector: 127 / max(|x|), with max(|x|) at least 1e-5. Both
 * variants use this, so their scales are the same bits. */
static inline float bitnet_act_scale(double absmax) {
    return (float)(127.0 / (absmax > 1e-5 ? absmax : 1e-5));
}

/* One activation in int8: round to nearest, ties to even (rintf), clamped to [-128, 127]. The scalar
 * variant and the AVX2 variant's tail use this; the AVX2 body matches it bit for bit. */
static inline int bitnet_act_quantize(float x, float scale) {
    float r = rintf(x * scale);
    return r > 127.0f ? 127 : r < -128.0f ? -128 : (int)r;
}

/* Kernel for (format, isa); falls back to the best lower isa that has one. */
const bitnet_kernel *bitnet_kernel_for(int format, int isa);

/* Scalar references, always present. */
extern const bitnet_kernel bitnet_i2s_scalar;
extern const bitnet_kernel bitnet_tl1_scalar;
extern const bitnet_kernel bitnet_tl2_scalar;
/* SIMD variants; compiled in their own files with their own -m flags. NULL-free: each file defines them. */
extern const bitnet_kernel bitnet_i2s_avx2;
extern const bitnet_kernel bitnet_i2s_avx512;
extern const bitnet_kernel bitnet_tl1_avx2;
extern const bitnet_kernel bitnet_tl2_avx2;
extern const bitnet_kernel bitnet_tl1_avx512;
extern const bitnet_kernel bitnet_tl2_avx512;

/* Canonical packing, per format (ternary values -1/0/+1, row-major). */
void bitnet_i2s_pack(const int8_t *t, int rows, int cols, uint8_t *packed);
void bitnet_i2s_unpack(const uint8_t *packed, int rows, int cols, int8_t *t);
void bitnet_tl1_pack(const int8_t *t, int rows, int cols, uint8_t *packed);
void bitnet_tl1_unpack(const uint8_t *packed, int rows, int cols, int8_t *t);
void bitnet_tl2_pack(const int8_t *t, int rows, int cols, uint8_t *packed);
void bitnet_tl2_unpack(const uint8_t *packed, int rows, int cols, int8_t *t);

/*
 * The I2_S SIMD kernels' layout (AVX2: chunk 32, one block; AVX-512: chunk 64, a block pair): rows in
 * groups of four, the last group padded with zero rows, and the four rows' k-th chunks one after
 * another, so that a kernel reads one sequential stream. A row's last chunk may be part zero.
 */
size_t bitnet_i2s_rows4_size(int rows, int cols, size_t chunk);
void bitnet_i2s_rows4_from_canonical(const uint8_t *canonical, int rows, int cols, size_t chunk, uint8_t *layout);
void bitnet_i2s_rows4_to_canonical(const uint8_t *layout, int rows, int cols, size_t chunk, uint8_t *canonical);

/* I2_S prepared activations shared by the scalar and AVX2 kernels: the int32 sum, then the vector. */
size_t bitnet_i2s_plain_act_size(int cols);
void bitnet_i2s_plain_act_prepare(const int8_t *q, int cols, void *prepared);

/* TL1 tables, shared by TL2's remainder: tables[9 * g + i] for pairs of activations g. */
void bitnet_tl1_build_tables(const int8_t *a, int pairs, int16_t *tables);
int32_t bitnet_tl1_row_dot(const uint8_t *packed, int pairs, const int16_t *tables);

/*
 * The SIMD TL1 pieces TL2's remainder reuses: 32 bytes of pshufb tables per pair (low bytes, then high
 * bytes of the nine int16 entries; AVX-512 uses them too), and the lookups of `quads` column quads of
 * one tile (32 rows for AVX2, 64 for AVX-512) added to out[row of the tile].
 */
void bitnet_tl1_avx2_tables(const int8_t *a, int pairs, uint8_t *tables);
void bitnet_tl1_avx2_tile(const uint8_t *w, const uint8_t *tables, int quads, int32_t *out);
void bitnet_tl1_avx512_tile(const uint8_t *w, const uint8_t *tables, int quads, int32_t *out);
/* TL2's prepared tables for both SIMD kernels (tl2_avx2.c): 32 bytes per group, then TL1's per pair. */
size_t bitnet_tl2_avx2_act_size(int cols);
void bitnet_tl2_avx2_act_prepare(const int8_t *q, int cols, void *prepared);

/* TL2 splits each row into a three-weight part of this many columns and a TL1-coded remainder. */
static inline int bitnet_tl2_three_cols(int cols) { return (cols / 96) * 96; }
/* Bytes of one canonical TL2 row. */
static inline size_t bitnet_tl2_row_bytes(int cols) {
    int g3 = bitnet_tl2_three_cols(cols) / 3;
    return (size_t)g3 / 2 + (size_t)g3 / 8 + (size_t)(cols - bitnet_tl2_three_cols(cols)) / 4;
}

/* Rounds n up to a multiple of BITNET_ALIGN. */
static inline size_t bitnet_align_up(size_t n) { return (n + BITNET_ALIGN - 1) & ~(size_t)(BITNET_ALIGN - 1); }

/* Sum of int8 values, stored by act_prepare implementations that need it. */
static inline int32_t bitnet_sum_i8(const int8_t *q, int n) {
    int32_t s = 0;
    for (int i = 0; i < n; i++) s += q[i];
    return s;
}

#endif
