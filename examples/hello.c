/* The README's first command: a WASI program that greets you.
   pywasm-host run examples/hello.wasm [NAME] */
#include <stdio.h>

int main(int argc, char **argv) {
    const char *name = argc > 1 ? argv[1] : "world";
    printf("Hello, %s! This is WebAssembly running on pywasm-host, in pure Python.\n", name);
    return 0;
}
