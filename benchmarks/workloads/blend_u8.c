/* A byte-array loop for the SIMD comparison (built twice: blend_u8 without,
 * blend_u8_simd with -msimd128, where clang autovectorises the loops to
 * i8x16/i16x8 lanes). Two 1024-byte "images" are alpha-blended n times with
 * an alpha changing per round:  a = (a * alpha + b * (256 - alpha)) >> 8,
 * then b = b + a (wrapping). The checksum sums the final bytes with a
 * position-dependent weight. */
#include <stdint.h>

#define LEN 1024

static uint8_t as[LEN];
static uint8_t bs[LEN];

int32_t blend_u8(int32_t n) {
    for (int32_t i = 0; i < LEN; i++) {
        as[i] = (uint8_t)(i * 7 + 3);
        bs[i] = (uint8_t)((i * 13) ^ (i >> 3));
    }
    for (int32_t r = 0; r < n; r++) {
        uint32_t alpha = 32u + (uint32_t)(r * 29 & 127);
        for (int32_t i = 0; i < LEN; i++) {
            uint32_t v = ((uint32_t)as[i] * alpha + (uint32_t)bs[i] * (256u - alpha)) >> 8;
            as[i] = (uint8_t)v;
            bs[i] = (uint8_t)(bs[i] + v);
        }
    }
    uint32_t sum = 0;
    for (int32_t i = 0; i < LEN; i++) {
        sum += (uint32_t)as[i] * (uint32_t)(i + 1) + (uint32_t)bs[i];
    }
    return (int32_t)sum;
}
