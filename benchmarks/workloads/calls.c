/* A call-heavy loop: every iteration makes two direct calls to small
 * non-inlined functions and one indirect call through a function-pointer
 * table (call_indirect), chosen by the running value. */
#include <stdint.h>

#define NOINLINE __attribute__((noinline))

NOINLINE static uint32_t mix(uint32_t a, uint32_t b) {
    return (a ^ b) * 0x01000193u;
}

NOINLINE static uint32_t rotl(uint32_t x, uint32_t r) {
    return (x << (r & 31)) | (x >> ((32 - r) & 31));
}

NOINLINE static uint32_t op_add(uint32_t a, uint32_t b) { return a + b; }
NOINLINE static uint32_t op_sub(uint32_t a, uint32_t b) { return a - b; }
NOINLINE static uint32_t op_xor(uint32_t a, uint32_t b) { return a ^ (b << 3); }
NOINLINE static uint32_t op_mul(uint32_t a, uint32_t b) { return a * (b | 1u); }

typedef uint32_t (*binop)(uint32_t, uint32_t);

binop ops[4] = {op_add, op_sub, op_xor, op_mul};

int32_t calls(int32_t n) {
    uint32_t acc = 0x811c9dc5u;
    for (int32_t i = 0; i < n; i++) {
        acc = mix(acc, (uint32_t)i);
        acc = rotl(acc, (uint32_t)i);
        acc = ops[(acc >> 13) & 3](acc, (uint32_t)i);
    }
    return (int32_t)acc;
}
