/* Native driver for the expected results: built by build.sh with gcc, once
 * per workload, as  gcc -DWORKLOAD_FILE='"fib.c"' -DENTRY=fib native_main.c.
 * Prints one line "<type> <value>" per size given on the command line, where
 * <value> is the signed integer, or for floats the unsigned IEEE bit pattern. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include WORKLOAD_FILE

static void print_i32(int32_t v) { printf("i32 %d\n", v); }
static void print_i64(int64_t v) { printf("i64 %lld\n", (long long)v); }
static void print_f32(float v) {
    uint32_t bits;
    memcpy(&bits, &v, sizeof bits);
    printf("f32 %u\n", bits);
}
static void print_f64(double v) {
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    printf("f64 %llu\n", (unsigned long long)bits);
}

#define PRINT_RESULT(v) \
    _Generic((v), int32_t: print_i32, int64_t: print_i64, float: print_f32, double: print_f64)(v)

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        PRINT_RESULT(ENTRY((int32_t)strtol(argv[i], NULL, 10)));
    }
    return 0;
}
