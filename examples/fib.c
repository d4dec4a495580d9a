/* The README's first example: the naive recursive Fibonacci function,
 * compiled to a freestanding wasm32 module exporting fib(i32) -> i32.
 * Build (see README.md in this folder):
 *   clang --target=wasm32 -O2 -ffreestanding -nostdlib -c -o /tmp/fib.o examples/fib.c
 *   wasm-ld --no-entry --export=fib -o examples/fib.wasm /tmp/fib.o
 */
#include <stdint.h>

int32_t fib(int32_t n) {
    if (n < 2) {
        return n;
    }
    return fib(n - 1) + fib(n - 2);
}
