/* Recursive calls: the naive doubly recursive Fibonacci function.
 * fib(n) makes fib(n+1)*2-1 calls; the result is the checksum. */
#include <stdint.h>

int32_t fib(int32_t n) {
    if (n < 2) {
        return n;
    }
    return fib(n - 1) + fib(n - 2);
}
