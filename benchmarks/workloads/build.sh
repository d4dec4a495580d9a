#!/bin/sh
# Rebuild the benchmark workloads and their expected results.
#
#   benchmarks/workloads/build.sh
#
# 1. Each <name>.c is compiled with clang to a freestanding wasm32 module
#    <name>.wasm (no libc, no imports) exporting the function <name>. Compiling
#    and linking are separate steps on purpose: when clang drives the link it
#    also runs binaryen's wasm-opt if one is on PATH, which inlines the
#    noinline functions of calls.c and makes the output depend on the machine.
#    Function names are kept (a "name" custom section). A workload may list
#    extra clang flags as "wasm_cflags" in workloads.json: the SIMD twins
#    (<name>_simd.c, which include <name>.c under another function name) add
#    -msimd128, so clang autovectorises their loops to v128 instructions.
# 2. The same C source is compiled natively with gcc (an independent compiler)
#    and run for every size listed in workloads.json; the results are written
#    to expected.json by make_expected.py. The Python harness never needs a
#    toolchain: the .wasm files and expected.json are committed.
set -eu
cd "$(dirname "$0")"

CLANG=${CLANG:-clang}
WASM_LD=${WASM_LD:-wasm-ld}
CC_NATIVE=${CC_NATIVE:-gcc}
PYTHON=${PYTHON:-python3}

# -fno-builtin: no implicit memset/memcpy calls (there is no libc to link);
# -ffp-contract=off: no fused multiply-add, so native and wasm floats agree bit for bit.
WASM_CFLAGS="--target=wasm32 -O2 -ffreestanding -nostdlib -fno-builtin -ffp-contract=off -std=c11 -Wall -Wextra -Werror"
NATIVE_CFLAGS="-O2 -fno-builtin -ffp-contract=off -std=c11 -Wall -Wextra -Werror"

NAMES=$("$PYTHON" -c 'import json; print(" ".join(json.load(open("workloads.json"))))')

NATIVE_DIR=$(mktemp -d)
trap 'rm -rf "$NATIVE_DIR"' EXIT

for name in $NAMES; do
    EXTRA=$("$PYTHON" -c 'import json, sys; print(" ".join(json.load(open("workloads.json"))[sys.argv[1]].get("wasm_cflags", [])))' "$name")
    "$CLANG" $WASM_CFLAGS $EXTRA -c -o "$NATIVE_DIR/$name.o" "$name.c"
    "$WASM_LD" --no-entry --export="$name" -o "$name.wasm" "$NATIVE_DIR/$name.o"
    "$CC_NATIVE" $NATIVE_CFLAGS -DWORKLOAD_FILE="\"$name.c\"" -DENTRY="$name" -o "$NATIVE_DIR/$name" native_main.c -lm
    echo "built $name.wasm ($(wc -c < "$name.wasm") bytes)"
done

"$PYTHON" make_expected.py "$NATIVE_DIR"
