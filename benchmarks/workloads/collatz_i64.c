/* A tight integer loop over i64: Collatz trajectories of 1..n.
 * The checksum mixes the total step count and the highest value reached. */
#include <stdint.h>

int64_t collatz_i64(int32_t n) {
    uint64_t total = 0;
    uint64_t peak = 0;
    for (int32_t i = 1; i <= n; i++) {
        uint64_t x = (uint64_t)i;
        while (x != 1) {
            if (x & 1) {
                x = 3 * x + 1;
                if (x > peak) {
                    peak = x;
                }
            } else {
                x >>= 1;
            }
            total++;
        }
    }
    return (int64_t)(total * 0x9e3779b97f4a7c15ull ^ peak);
}
