#!/bin/sh
# Rebuild the example modules (clang, lld and wasi-libc with the wasm32 target;
# Debian: clang lld wasi-libc libclang-rt-14-dev-wasm32).
set -e
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# hello.wasm: a WASI command (wasi-libc's printf)
clang --target=wasm32-wasi --sysroot=/usr -O2 -c -o "$tmp/hello.o" hello.c
clang --target=wasm32-wasi --sysroot=/usr -Wl,--strip-debug -o hello.wasm "$tmp/hello.o"
# fib.wasm: no libc at all, one export
clang --target=wasm32 -O2 -ffreestanding -nostdlib -c -o "$tmp/fib.o" fib.c
wasm-ld --no-entry --export=fib -o fib.wasm "$tmp/fib.o"
