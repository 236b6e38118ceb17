/*
 * Native self-test: every kernel variant this CPU supports against a naive ternary dot product,
 * plus pack/unpack round trips and the int16-wrap case. Built by `./mvnw -Pnative-sanitize verify`
 * under AddressSanitizer and UndefinedBehaviorSanitizer. Exit status 0 means every check passed.
 */
#include "bitnet_kernels.h"
#include "bitnet_q8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
static int checks;

#define CHECK(cond, ...)                                     \
    do {                                                     \
        checks++;                                            \
        if (!(cond)) {                                       \
            failures++;                                      \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                    \
            fputc('\n', stderr);                             \
        }                                                    \
    } while (0)

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint32_t next_u32(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 32);
}

static void check_shape(int format, int rows, int cols, int n, int extreme) {
    size_t count = (size_t)rows * cols;
    int8_t *t = malloc(count), *t2 = malloc(count);
    int8_t *q = malloc((size_t)n * cols);
    int32_t *expect = malloc(sizeof(int32_t) * rows * n), *got = malloc(sizeof(int32_t) * rows * n);
    uint8_t *packed = malloc(bitnet_packed_size(format, rows, cols));
    uint8_t *packed2 = malloc(bitnet_packed_size(format, rows, cols));
    for (size_t i = 0; i < count; i++) t[i] = extreme == 1 ? 1 : extreme == 2 ? -1 : (int8_t)(next_u32() % 3) - 1;
    for (size_t i = 0; i < (size_t)n * cols; i++) q[i] = extreme ? -128 : (int8_t)(next_u32() & 0xFF);
    for (int v = 0; v < n; v++)
        for (int r = 0; r < rows; r++) {
            int32_t s = 0;
            for (int k = 0; k < cols; k++) s += t[(size_t)r * cols + k] * q[(size_t)v * cols + k];
            expect[v * rows + r] = s;
        }
    switch (format) {
    case BITNET_I2_S: bitnet_i2s_pack(t, rows, cols, packed); bitnet_i2s_unpack(packed, rows, cols, t2); break;
    case BITNET_TL1: bitnet_tl1_pack(t, rows, cols, packed); bitnet_tl1_unpack(packed, rows, cols, t2); break;
    default: bitnet_tl2_pack(t, rows, cols, packed); bitnet_tl2_unpack(packed, rows, cols, t2); break;
    }
    CHECK(memcmp(t, t2, count) == 0, "format %d %dx%d: unpack(pack(t)) != t", format, rows, cols);
    for (int isa = 0; isa < BITNET_ISA_COUNT; isa++) {
        if (!bitnet_isa_supported(isa)) continue;
        bitnet_tensor *tensor = bitnet_tensor_from_packed(isa, format, rows, cols, packed, 0.5f);
        CHECK(tensor != NULL, "allocation failed");
        if (!tensor) continue;
        bitnet_tensor_packed(tensor, packed2);
        CHECK(memcmp(packed, packed2, bitnet_packed_size(format, rows, cols)) == 0,
              "%s %dx%d: packed bytes differ after load", tensor->kernel->name, rows, cols);
        size_t psize = bitnet_prepared_size(tensor);
        uint8_t *prep = aligned_alloc(BITNET_ALIGN, psize * n);
        bitnet_prepare_activations(tensor, q, n, prep);
        /* Split the rows in two ranges, as the Java thread pool does. */
        int mid = rows / 3;
        memset(got, 0x55, sizeof(int32_t) * rows * n);
        bitnet_dot_rows(tensor, prep, n, 0, mid, got);
        bitnet_dot_rows(tensor, prep, n, mid, rows, got);
        int bad = 0;
        for (int i = 0; i < rows * n; i++) bad += got[i] != expect[i];
        CHECK(bad == 0, "%s %dx%d n=%d: %d dot products differ (first expect %d got %d)", tensor->kernel->name,
              rows, cols, n, bad, expect[0], got[0]);
        /* The fused matmul over the same unaligned split: its row slices must not disturb the tiles. */
        float *scales = malloc(sizeof(float) * n), *out = malloc(sizeof(float) * rows * n);
        for (int v = 0; v < n; v++) scales[v] = 1.0f + (float)v;
        bitnet_matmul_rows(tensor, prep, scales, n, 0, mid, out);
        bitnet_matmul_rows(tensor, prep, scales, n, mid, rows, out);
        bad = 0;
        for (int i = 0; i < rows * n; i++) bad += out[i] != (float)expect[i] / scales[i / rows] * 0.5f;
        CHECK(bad == 0, "%s %dx%d n=%d: %d matmul outputs differ", tensor->kernel->name, rows, cols, n, bad);
        free(scales);
        free(out);
        free(prep);
        bitnet_tensor_free(tensor);
    }
    free(t); free(t2); free(q); free(expect); free(got); free(packed); free(packed2);
}

static void check_quantize_roundtrip(void) {
    int rows = 8, cols = 256;
    float *w = malloc(sizeof(float) * rows * cols), *d = malloc(sizeof(float) * rows * cols);
    for (int i = 0; i < rows * cols; i++) w[i] = ((float)(next_u32() % 2001) - 1000.0f) / 1000.0f;
    for (int format = 0; format < BITNET_FORMAT_COUNT; format++) {
        float scale = 0;
        bitnet_tensor *t = bitnet_tensor_quantize(BITNET_ISA_SCALAR, format, w, rows, cols, &scale);
        bitnet_tensor_dequantize(t, d);
        int bad = 0;
        for (int i = 0; i < rows * cols; i++)
            bad += !(d[i] == 0.0f || d[i] == scale || d[i] == -scale);
        CHECK(bad == 0 && scale > 0, "format %d: dequantized values are not in {-s, 0, s}", format);
        bitnet_tensor_free(t);
    }
    CHECK(bitnet_live_bytes() == 0, "live bytes %lld after freeing everything", (long long)bitnet_live_bytes());
    free(w);
    free(d);
}

/* Activation quantisation: the AVX2 path equals the scalar one bit for bit, ties and tails included. */
static void check_activations(int n, int cols) {
    float *x = malloc(sizeof(float) * (size_t)n * cols);
    int8_t *qa = malloc((size_t)n * cols), *qb = malloc((size_t)n * cols);
    float sa[8], sb[8];
    int32_t ua[8], ub[8];
    for (int i = 0; i < n * cols; i++) x[i] = ((float)(int)(next_u32() % 2001) - 1000.0f) / 37.0f;
    for (int v = 0; v < n; v++) x[(size_t)v * cols] = 127.0f; /* scale 1: x.5 values hit exact ties */
    for (int i = 1; i < n * cols; i += 7) x[i] = (float)(int)(next_u32() % 200) - 100.5f;
    bitnet_quantize_activations_scalar(x, n, cols, qa, sa, ua);
    if (bitnet_isa_supported(BITNET_ISA_AVX2)) {
        bitnet_quantize_activations_avx2(x, n, cols, qb, sb, ub);
        CHECK(memcmp(qa, qb, (size_t)n * cols) == 0, "avx2 activations differ (%dx%d)", n, cols);
        CHECK(memcmp(sa, sb, sizeof(float) * n) == 0 && memcmp(ua, ub, sizeof(int32_t) * n) == 0,
              "avx2 activation scales or sums differ (%dx%d)", n, cols);
    }
    free(x); free(qa); free(qb);
}

/* Int8 matrices: every supported ISA against a naive int32 dot, including the extreme values. */
static void check_q8(int rows, int cols, int extreme) {
    int8_t *w = malloc((size_t)rows * cols), *q = malloc((size_t)cols);
    float *scales = malloc(sizeof(float) * rows), *out = malloc(sizeof(float) * rows);
    for (int i = 0; i < rows * cols; i++) w[i] = extreme ? -127 : (int8_t)(next_u32() % 255 - 127);
    for (int i = 0; i < cols; i++) q[i] = extreme ? -128 : (int8_t)(next_u32() & 0xFF);
    for (int r = 0; r < rows; r++) scales[r] = 1.0f;
    float act_scale = 1.0f;
    for (int isa = 0; isa < BITNET_ISA_COUNT; isa++) {
        if (!bitnet_isa_supported(isa)) continue;
        bitnet_q8 *m = bitnet_q8_create(isa, w, scales, rows, cols);
        CHECK(m != NULL, "q8 allocation failed");
        if (!m) continue;
        int mid = rows / 2;
        bitnet_q8_matmul_rows(m, q, &act_scale, 1, 0, mid, out);
        bitnet_q8_matmul_rows(m, q, &act_scale, 1, mid, rows, out);
        int bad = 0;
        for (int r = 0; r < rows; r++) {
            int32_t s = 0;
            for (int c = 0; c < cols; c++) s += w[(size_t)r * cols + c] * q[c];
            bad += out[r] != (float)s;
        }
        CHECK(bad == 0, "q8 isa %d %dx%d: %d rows differ", isa, rows, cols, bad);
        bitnet_q8_free(m);
    }
    free(w); free(q); free(scales); free(out);
}

int main(void) {
    printf("cpu features: %s; best isa: %s\n", bitnet_cpu_features(), bitnet_isa_name(bitnet_best_isa()));
    const int shapes[][3] = {{1, 128, 1}, {4, 128, 1}, {5, 256, 2}, {7, 384, 3}, {16, 512, 3},
                             {33, 640, 1}, {64, 2048, 4}, {3, 2560, 8}, {9, 6912, 2},
                             {130, 768, 9}, {67, 4096, 1}};
    for (int format = 0; format < BITNET_FORMAT_COUNT; format++) {
        for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++)
            check_shape(format, shapes[s][0], shapes[s][1], shapes[s][2], 0);
        /* every weight +1 (then -1) and every activation -128: wraps any 16-bit accumulator */
        for (int extreme = 1; extreme <= 2; extreme++) {
            check_shape(format, 4, 4096, 1, extreme);
            check_shape(format, 5, BITNET_MAX_COLS, 1, extreme);
        }
    }
    check_quantize_roundtrip();
    check_activations(1, 128);
    check_activations(8, 2560);
    check_activations(3, 6912 + 5);
    check_q8(1, 64, 0);
    check_q8(7, 320, 0);
    check_q8(258, 2560, 0);
    check_q8(5, BITNET_MAX_COLS, 1);
    printf("%d passed, %d failed\n", checks - failures, failures);
    return failures ? 1 : 0;
}
