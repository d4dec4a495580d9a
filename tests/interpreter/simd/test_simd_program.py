"""A clang ``-msimd128`` program under our engine: every f32x4/f64x2 lane
operation and float<->int vector conversion (WebAssembly 2.0, 4.4.3 "Vector
Instructions" over 4.3.3 / 4.3.4) on special and random operands, compared
with independent oracles.

The fixtures (``tests/fixtures/simd``, rebuilt by its ``build.sh``) come from
one C file, ``kernels.h``: built with ``-msimd128`` it uses the
``wasm_simd128.h`` intrinsics, built without it the same file computes the
same words in scalar C (the scalar twin). ``expected_stdout.txt`` is the
stdout of the scalar twin compiled natively with gcc, so it depends on no
wasm engine. Checked here:

* core API: ``simd_core.wasm`` (no imports) writes its result words to
  memory; per operation their FNV-1a hash and first words must equal the
  native output, and all words must equal wasmtime's (when installed);
* WASI: ``simd_main.wasm`` prints per-operation hashes with ``printf``; its
  stdout under our WASI preview1 host (through the API and through
  ``pywasm-host run``) must equal the native output and wasmtime-py's.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import pywasm_host as ours

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "simd"
SEEDS = (1, 2, 3)
HAVE_WASMTIME = importlib.util.find_spec("wasmtime") is not None


def _fnv1a(words: list[int]) -> int:
    h = 2166136261
    for w in words:
        h = ((h ^ w) * 16777619) & 0xFFFF_FFFF
    return h


def _expected() -> dict[int, tuple[list[tuple[str, int, int, list[int]]], int]]:
    """seed -> ([(op, word count, hash, first four words)], total hash), from the native run."""
    result: dict[int, tuple[list[tuple[str, int, int, list[int]]], int]] = {}
    seed = 0
    ops: list[tuple[str, int, int, list[int]]] = []
    for line in (FIXTURES / "expected_stdout.txt").read_text().splitlines():
        fields = line.split()
        if fields[0] == "seed":
            seed = int(fields[1].rstrip(":"))
            ops = []
        elif fields[0] == "total":
            result[seed] = (ops, int(fields[1], 16))
        else:
            ops.append((fields[0], int(fields[1]), int(fields[2], 16), [int(w, 16) for w in fields[3:7]]))
    return result


EXPECTED = _expected()


def _words_ours(wasm: str, seed: int) -> tuple[int, list[int], list[int]]:
    """(run's result, the result words, the operation ends) of a core fixture under our engine."""
    engine = ours.Engine()
    store = ours.Store(engine)
    instance = ours.Instance(store, ours.Module.from_file(engine, str(FIXTURES / wasm)), [])
    exports = instance.exports(store)
    result = exports["run"](store, seed) & 0xFFFF_FFFF
    base, count = exports["out_words"](store), exports["out_count"](store)
    data = exports["memory"].read(store, base, base + 4 * count)
    words = [int.from_bytes(data[i : i + 4], "little") for i in range(0, len(data), 4)]
    ends = [exports["op_end_at"](store, i) for i in range(exports["op_count"](store))]
    return result, words, ends


@pytest.mark.parametrize("wasm", ["simd_core.wasm", "simd_core_scalar.wasm"])
@pytest.mark.parametrize("seed", SEEDS)
def test_core_matches_native(wasm: str, seed: int) -> None:
    result, words, ends = _words_ours(wasm, seed)
    ops, total = EXPECTED[seed]
    assert len(ends) == len(ops) == 52
    begin = 0
    for (name, count, digest, first), end in zip(ops, ends):
        chunk = words[begin:end]
        assert len(chunk) == count, name
        assert chunk[:4] == first, f"{name}: first words {[hex(w) for w in chunk[:4]]}, native {first}"
        assert _fnv1a(chunk) == digest, f"{name} (seed {seed}): words differ from the native build"
        begin = end
    assert result == total == _fnv1a(words)


@pytest.mark.skipif(not HAVE_WASMTIME, reason="wasmtime is not installed (the `compare` extra)")
@pytest.mark.parametrize("seed", SEEDS)
def test_core_agrees_with_wasmtime(seed: int) -> None:
    import wasmtime

    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    instance = wasmtime.Instance(store, wasmtime.Module.from_file(engine, str(FIXTURES / "simd_core.wasm")), [])
    exports = instance.exports(store)
    result = exports["run"](store, seed) & 0xFFFF_FFFF
    base, count = exports["out_words"](store), exports["out_count"](store)
    data = exports["memory"].read(store, base, base + 4 * count)
    theirs = [int.from_bytes(data[i : i + 4], "little") for i in range(0, len(data), 4)]
    mine = _words_ours("simd_core.wasm", seed)
    assert mine[0] == result
    assert mine[1] == theirs


def _stdout_ours(wasm: str) -> str:
    from pywasm_host.wasi import WasiConfig

    engine = ours.Engine()
    store = ours.Store(engine)
    linker = ours.Linker(engine)
    linker.define_wasi()
    config = WasiConfig()
    chunks: list[bytes] = []
    config.stdout_custom = chunks.append
    store.set_wasi(config)
    instance = linker.instantiate(store, ours.Module.from_file(engine, str(FIXTURES / wasm)))
    instance.exports(store)["_start"](store)
    return b"".join(chunks).decode()


def _stdout_wasmtime(wasm: str) -> str:
    import wasmtime

    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    config = wasmtime.WasiConfig()
    fd, path = tempfile.mkstemp()
    os.close(fd)
    try:
        config.stdout_file = path
        store.set_wasi(config)
        instance = linker.instantiate(store, wasmtime.Module.from_file(engine, str(FIXTURES / wasm)))
        instance.exports(store)["_start"](store)
        return Path(path).read_text()
    finally:
        os.unlink(path)


@pytest.mark.parametrize("wasm", ["simd_main.wasm", "simd_main_scalar.wasm"])
def test_wasi_stdout_matches_native(wasm: str) -> None:
    assert _stdout_ours(wasm) == (FIXTURES / "expected_stdout.txt").read_text()


@pytest.mark.skipif(not HAVE_WASMTIME, reason="wasmtime is not installed (the `compare` extra)")
def test_wasi_stdout_agrees_with_wasmtime() -> None:
    assert _stdout_ours("simd_main.wasm") == _stdout_wasmtime("simd_main.wasm")


def test_cli_run_stdout_matches_native_and_wasmtime() -> None:
    # ``pywasm-host run FILE`` (the console script's entry point, in a fresh interpreter).
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from pywasm_host.cli import main; sys.exit(main())", "run",
         str(FIXTURES / "simd_main.wasm")],
        capture_output=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert done.stdout.decode() == (FIXTURES / "expected_stdout.txt").read_text()
    if HAVE_WASMTIME:
        assert done.stdout.decode() == _stdout_wasmtime("simd_main.wasm")
