/* A memory-heavy loop: the sieve of Eratosthenes over a byte array in linear
 * memory (static storage, no allocator). The checksum combines the number of
 * primes below n and their sum modulo 2^32. */
#include <stdint.h>

#define SIEVE_MAX (1 << 21)

static uint8_t composite[SIEVE_MAX];

int32_t sieve(int32_t n) {
    if (n > SIEVE_MAX) {
        n = SIEVE_MAX;
    }
    for (int32_t i = 0; i < n; i++) {
        composite[i] = 0;
    }
    for (int32_t i = 2; i * i < n; i++) {
        if (!composite[i]) {
            for (int32_t j = i * i; j < n; j += i) {
                composite[j] = 1;
            }
        }
    }
    uint32_t count = 0;
    uint32_t sum = 0;
    for (int32_t i = 2; i < n; i++) {
        if (!composite[i]) {
            count++;
            sum += (uint32_t)i;
        }
    }
    return (int32_t)(count * 2654435761u ^ sum);
}
