"""Differential execution of SIMD code against wasmtime (an independent
engine) on random modules from ``wasm-tools smith`` with SIMD enabled: every
exported function without ``v128`` parameters or results (wasmtime-py cannot
pass ``v128`` values) is called with the same arguments on both engines, and
the results, traps, numeric exported globals and memory contents must agree,
so ``v128`` values are compared through what they leave in memory, globals
and scalar results.

NaNs are canonicalised by smith (so float results compare bit for bit) and
``--ensure-termination`` bounds loops. Needs wasm-tools and wasmtime (the
`compare` extra); skipped without them.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import struct
import subprocess
from typing import Any

import pytest

import pywasm_host as ours

wasmtime = pytest.importorskip("wasmtime")
WASM_TOOLS = shutil.which("wasm-tools")
pytestmark = pytest.mark.skipif(WASM_TOOLS is None, reason="wasm-tools is not installed (the `compare` extra)")

SEEDS = range(60)
SMITH_FLAGS = [
    "--ensure-termination", "--max-imports", "0", "--allow-start-export", "false",
    "--simd-enabled", "true", "--relaxed-simd-enabled", "false", "--threads-enabled", "false",
    "--exceptions-enabled", "false", "--gc-enabled", "false", "--tail-call-enabled", "false",
    "--memory64-enabled", "false", "--custom-page-sizes-enabled", "false", "--extended-const-enabled", "false",
    "--wide-arithmetic-enabled", "false", "--max-memories", "1", "--max-memory32-bytes", "1048576",
    "--max-table-elements", "1000", "--canonicalize-nans", "true", "--export-everything", "true",
    "--reference-types-enabled", "true", "--bulk-memory-enabled", "true", "--multi-value-enabled", "true",
    "--max-instructions", "600", "--min-funcs", "3", "--max-funcs", "10",
]
NUMERIC = {"i32", "i64", "f32", "f64"}
MEMORY_CAP = 16 * 65536
TABLE_CAP = 10_000


def smith(seed: int) -> bytes:
    entropy = random.Random(1000 + seed).randbytes(16384)
    flags = [*SMITH_FLAGS, "--disallow-traps", "true" if seed % 2 else "false"]
    return subprocess.run([WASM_TOOLS, "smith", *flags], input=entropy, capture_output=True, check=True).stdout


def wasmtime_engine() -> Any:
    config = wasmtime.Config()
    for feature in ("wasm_relaxed_simd", "wasm_threads", "wasm_tail_call", "wasm_memory64", "wasm_multi_memory",
                    "wasm_gc", "wasm_function_references", "wasm_exceptions", "wasm_wide_arithmetic",
                    "wasm_custom_page_sizes", "wasm_extended_const"):
        if hasattr(config, feature):
            setattr(config, feature, False)
    if hasattr(config, "wasm_simd"):
        config.wasm_simd = True
    return wasmtime.Engine(config)


def args_for(params: list[str], rng: random.Random) -> list[Any]:
    out: list[Any] = []
    for p in params:
        if p == "i32":
            out.append(rng.choice([0, 1, -1, 7, 0x7FFFFFFF, -0x80000000, rng.randrange(-2**31, 2**31)]))
        elif p == "i64":
            out.append(rng.choice([0, 1, -1, 2**63 - 1, -2**63, rng.randrange(-2**63, 2**63)]))
        else:
            x = rng.choice([0.0, -0.0, 1.5, -2.25, 1e30, float("inf"), rng.uniform(-1e6, 1e6)])
            out.append(struct.unpack("<f", struct.pack("<f", x))[0] if p == "f32" else x)
    return out


def bits(kind: str, v: Any) -> Any:
    if kind == "i32":
        return v & 0xFFFFFFFF
    if kind == "i64":
        return v & 0xFFFFFFFFFFFFFFFF
    if kind == "f32":
        return struct.unpack("<I", struct.pack("<f", v))[0]
    if kind == "f64":
        return struct.unpack("<Q", struct.pack("<d", v))[0]
    return v is None


def outcome(func: Any, store: Any, args: list[Any], kinds: list[str], traps: tuple[type, ...]) -> tuple[str, Any]:
    try:
        result = func(store, *args)
    except traps as e:
        text = str(e)
        if "stack" in text and "exhaust" in text or "stack overflow" in text:
            return ("exhausted", None)
        return ("trap", None)
    values = result if isinstance(result, list) else [result] if kinds else []
    return ("ok", tuple(bits(k, v) for k, v in zip(kinds, values)))


def kind_name(t: Any) -> str:
    return str(t).lower().replace("valtype.", "")


@pytest.mark.parametrize("seed", SEEDS)
def test_random_simd_module_agrees_with_wasmtime(seed: int) -> None:
    wasm = smith(seed)
    w_store = wasmtime.Store(wasmtime_engine())
    o_store = ours.Store(ours.Engine())
    w_store.set_limits(memory_size=MEMORY_CAP, table_elements=TABLE_CAP)
    o_store.set_limits(memory_size=MEMORY_CAP, table_elements=TABLE_CAP)
    w_module = wasmtime.Module(w_store.engine, wasm)
    o_module = ours.Module(o_store.engine, wasm)
    w_inst = o_inst = w_fail = o_fail = None
    try:
        w_inst = wasmtime.Instance(w_store, w_module, [])
    except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
        w_fail = e
    try:
        o_inst = ours.Instance(o_store, o_module, [])
    except ours.WasmError as e:
        o_fail = e
    assert (w_fail is None) == (o_fail is None), f"instantiation: wasmtime {w_fail!r}, ours {o_fail!r}"
    if w_inst is None or o_inst is None:
        return
    rng = random.Random(seed)
    w_exports = w_inst.exports(w_store)
    o_exports = o_inst.exports(o_store)
    for name in o_exports:
        o_item = o_exports[name]
        if not isinstance(o_item, ours.Func):
            continue
        ft = o_item.type(o_store)
        params = [kind_name(t) for t in ft.params]
        results = [kind_name(t) for t in ft.results]
        if not set(params) <= NUMERIC or "v128" in results:
            continue
        for _ in range(3):
            args = args_for(params, rng)
            w = outcome(w_exports[name], w_store, args, results, (wasmtime.Trap, wasmtime.WasmtimeError))
            o = outcome(o_item, o_store, args, results, (ours.Trap,))
            if "exhausted" in (w[0], o[0]):
                continue
            assert w == o, f"{name}{tuple(args)}: wasmtime {w}, ours {o}"
    for name in o_exports:
        o_item = o_exports[name]
        w_item = w_exports[name]
        if isinstance(o_item, ours.Global):
            kind = kind_name(o_item.type(o_store).content)
            if kind in NUMERIC:
                assert bits(kind, w_item.value(w_store)) == bits(kind, o_item.value(o_store)), f"global {name}"
        elif isinstance(o_item, ours.Memory):
            w_bytes = bytes(w_item.read(w_store, 0, w_item.data_len(w_store)))
            o_bytes = bytes(o_item.read(o_store, 0, o_item.data_len(o_store)))
            assert hashlib.sha256(w_bytes).digest() == hashlib.sha256(o_bytes).digest(), f"memory {name}"
