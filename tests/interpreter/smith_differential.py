"""Differential execution against wasmtime (an independent engine) on random
modules from ``wasm-tools smith`` (not a test module; shared by
``exec/test_exec_differential.py`` and ``simd/test_simd_differential.py``).

Every exported function with numeric parameters and no ``v128`` result
(wasmtime-py cannot pass ``v128`` values) is called with the same arguments on
both engines, in the same order, and the results (bit patterns), traps,
numeric exported globals and memory contents must agree. NaNs are
canonicalised by smith (so float results compare bit for bit) and
``--ensure-termination`` bounds loops and calls with a fuel global.

Importers must have checked that wasmtime and wasm-tools are installed (the
`compare` extra): ``pytest.importorskip("wasmtime")`` before the import.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import struct
import subprocess
from typing import Any

import pytest
import wasmtime

import pywasm_host as ours

WASM_TOOLS = shutil.which("wasm-tools")
NUMERIC = {"i32", "i64", "f32", "f64"}
MEMORY_CAP = 16 * 65536
TABLE_CAP = 10_000
_DISABLED = (
    "wasm_relaxed_simd", "wasm_threads", "wasm_tail_call", "wasm_memory64", "wasm_multi_memory", "wasm_gc",
    "wasm_function_references", "wasm_exceptions", "wasm_wide_arithmetic", "wasm_custom_page_sizes",
    "wasm_extended_const",
)  # fmt: skip


def smith(entropy_seed: int, *, simd: bool, max_instructions: int, max_funcs: int, disallow_traps: bool) -> bytes:
    """A random WebAssembly 2.0 module (with or without SIMD) from 16 KiB of seeded entropy."""
    flags = [
        "--ensure-termination", "--max-imports", "0", "--allow-start-export", "false",
        "--simd-enabled", "true" if simd else "false", "--relaxed-simd-enabled", "false",
        "--threads-enabled", "false", "--exceptions-enabled", "false", "--gc-enabled", "false",
        "--tail-call-enabled", "false", "--memory64-enabled", "false", "--custom-page-sizes-enabled", "false",
        "--extended-const-enabled", "false", "--wide-arithmetic-enabled", "false", "--max-memories", "1",
        "--max-memory32-bytes", "1048576", "--max-table-elements", "1000", "--canonicalize-nans", "true",
        "--export-everything", "true", "--reference-types-enabled", "true", "--bulk-memory-enabled", "true",
        "--multi-value-enabled", "true", "--max-instructions", str(max_instructions), "--min-funcs", "3",
        "--max-funcs", str(max_funcs), "--disallow-traps", "true" if disallow_traps else "false",
    ]  # fmt: skip
    entropy = random.Random(entropy_seed).randbytes(16384)
    assert WASM_TOOLS is not None
    return subprocess.run([WASM_TOOLS, "smith", *flags], input=entropy, capture_output=True, check=True).stdout


def wasmtime_engine(*, simd: bool) -> Any:
    """A wasmtime engine with the 2.0 feature set (SIMD on or off) and every later proposal off."""
    config = wasmtime.Config()
    for feature in _DISABLED:
        if hasattr(config, feature):
            setattr(config, feature, False)
    if hasattr(config, "wasm_simd"):
        config.wasm_simd = simd
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
    return v is None  # references: compare null-ness


def outcome(func: Any, store: Any, args: list[Any], kinds: list[str],
            trap_types: tuple[type, ...]) -> tuple[str, Any]:
    try:
        result = func(store, *args)
    except trap_types as e:
        text = str(e)
        if "stack" in text and "exhaust" in text or "stack overflow" in text:
            return ("exhausted", None)
        return ("trap", None)
    if not kinds:
        return ("ok", ())
    values = result if isinstance(result, list) else [result]
    return ("ok", tuple(bits(k, v) for k, v in zip(kinds, values)))


def kind_name(t: Any) -> str:
    return str(t).lower().replace("valtype.", "")


def assert_agrees_with_wasmtime(wasm: bytes, rng: random.Random, *, simd: bool, skip_if_rejected: bool) -> None:
    """Instantiate ``wasm`` on both engines and compare every exported function,
    global and memory as the module docstring says; ``skip_if_rejected``: skip
    (instead of failing) when wasmtime's configuration rejects the module."""
    w_store = wasmtime.Store(wasmtime_engine(simd=simd))
    o_store = ours.Store(ours.Engine())
    # the same cap on both sides keeps memory.grow from reaching 4 GiB
    w_store.set_limits(memory_size=MEMORY_CAP, table_elements=TABLE_CAP)
    o_store.set_limits(memory_size=MEMORY_CAP, table_elements=TABLE_CAP)
    try:
        w_module = wasmtime.Module(w_store.engine, wasm)
    except wasmtime.WasmtimeError:
        if not skip_if_rejected:
            raise
        pytest.skip("wasmtime rejects this module (feature outside its 2.0 configuration)")
    o_module = ours.Module(o_store.engine, wasm)  # must be accepted too

    w_inst: Any = None
    o_inst: Any = None
    w_fail = o_fail = None
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
                continue  # the engines' stack bounds differ; nothing to compare
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
