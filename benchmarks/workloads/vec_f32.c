/* A float-array loop for the SIMD comparison (built twice: vec_f32 without,
 * vec_f32_simd with -msimd128, where clang autovectorises every loop to
 * f32x4). 256-lane arrays, n rounds of  y = y * 1.03125 + x * s  wrapped
 * into [-8, 8] by adding or subtracting 16, with s changing per round. The map
 * expands, so an error in any round survives to the end; the arrays are
 * filled with int -> float conversions. The checksum is a polynomial hash of
 * the final f32 bit patterns, so it is exact. */
#include <stdint.h>

#define LEN 256

static float xs[LEN];
static float ys[LEN];

int32_t vec_f32(int32_t n) {
    for (int32_t i = 0; i < LEN; i++) {
        xs[i] = (float)((i * 37) % 101) * 0.125f - 6.0f;
        ys[i] = (float)(i % 13) * 0.5f;
    }
    for (int32_t r = 0; r < n; r++) {
        float s = 1.0f + (float)(r & 7) * 0.25f;
        for (int32_t i = 0; i < LEN; i++) {
            float v = ys[i] * 1.03125f + xs[i] * s;
            v = v > 8.0f ? v - 16.0f : v;
            v = v < -8.0f ? v + 16.0f : v;
            ys[i] = v;
        }
    }
    uint32_t sum = 0;
    for (int32_t i = 0; i < LEN; i++) {
        union {
            float f;
            uint32_t u;
        } bits = {ys[i]};
        sum = sum * 31u + bits.u;
    }
    return (int32_t)sum;
}
