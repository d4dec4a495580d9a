/* A tight integer loop over i32: xorshift32 feeding a multiply-rotate hash.
 * Only locals, arithmetic, shifts and one branch per iteration. */
#include <stdint.h>

int32_t loop_i32(int32_t n) {
    uint32_t x = 2463534242u;
    uint32_t acc = 0x9e3779b9u;
    for (int32_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        acc = acc * 31u + (x ^ (uint32_t)i);
        acc = (acc << 7) | (acc >> 25);
    }
    return (int32_t)acc;
}
