"""Shared pieces of the benchmark suite: the workload registry and engine adapters.

The workloads are the freestanding wasm32 modules in ``workloads/`` (built from
C by ``workloads/build.sh``, WebAssembly Core Specification 2.0 modules with no
imports). Each exports one function ``<name>(i32 size)`` returning a checksum
whose value for every size in ``workloads.json`` is recorded in
``expected.json``, computed by a native (gcc) build of the same C source.

An *engine adapter* hides one runtime's API behind two steps: ``prepare``
(decode/compile a module once, untimed) and ``instantiate`` (a fresh instance,
untimed), which returns a one-argument callable that runs the workload (the
timed part). Adapters exist for our engine (public API only), pywasm 2.2.3,
pwasm 0.2a0 (interpreter and Python code generator) and wasmtime-py (native
reference). Workloads that need a feature beyond the 1.0 instruction set
(fixed-width SIMD: the ``*_simd`` twins) say so, and so do the engines that
implement it: ours, pywasm 2.2.3 and wasmtime; pwasm 0.2a0 has no SIMD (its
decoder rejects the ``v128`` type).
"""

from __future__ import annotations

import importlib.util
import json
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORKLOAD_DIR = HERE / "workloads"

__all__ = [
    "ENGINES",
    "Engine",
    "Workload",
    "count_instructions",
    "count_method",
    "load_workloads",
    "result_matches",
]


@dataclass(frozen=True, slots=True)
class Workload:
    """One benchmark module: export ``name`` in ``workloads/<name>.wasm``."""

    name: str
    doc: str
    sizes: dict[str, int]
    result_type: str  # "i32" | "i64" | "f32" | "f64"
    expected: dict[int, int]  # size -> signed integer, or IEEE bits for floats
    features: frozenset[str] = frozenset()  # wasm proposals beyond 1.0 MVP that need naming ("simd")
    scalar_twin: str | None = None  # for a SIMD build: the workload built from the same C without SIMD

    @property
    def path(self) -> Path:
        return WORKLOAD_DIR / f"{self.name}.wasm"

    def wasm_bytes(self) -> bytes:
        return self.path.read_bytes()


def load_workloads() -> dict[str, Workload]:
    """Read ``workloads.json`` and ``expected.json`` into Workload records.

    Raises:
        KeyError: a workload or size of workloads.json has no expected result
            (rerun ``workloads/build.sh``).
    """
    specs = json.loads((WORKLOAD_DIR / "workloads.json").read_text())
    expected = json.loads((WORKLOAD_DIR / "expected.json").read_text())
    workloads = {}
    for name, spec in specs.items():
        exp = expected[name]
        results = {int(size): value for size, value in exp["results"].items()}
        for size in spec["sizes"].values():
            if size not in results:
                raise KeyError(f"no expected result for {name}({size}): rerun benchmarks/workloads/build.sh")
        workloads[name] = Workload(
            name,
            spec["doc"],
            dict(spec["sizes"]),
            exp["type"],
            results,
            frozenset(spec.get("features", ())),
            spec.get("scalar_twin"),
        )
    return workloads


def result_bits(result_type: str, value: Any) -> int:
    """Normalise a result to the form stored in expected.json, masked to its width.

    Integers are compared modulo 2**width (engines differ on signed vs
    unsigned results); floats by their IEEE bit pattern.
    """
    if result_type == "i32":
        return int(value) & 0xFFFF_FFFF
    if result_type == "i64":
        return int(value) & 0xFFFF_FFFF_FFFF_FFFF
    if result_type == "f32":
        return int(struct.unpack("<I", struct.pack("<f", value))[0])
    if result_type == "f64":
        return int(struct.unpack("<Q", struct.pack("<d", value))[0])
    raise ValueError(f"unknown result type {result_type!r}")


def result_matches(workload: Workload, size: int, value: Any) -> bool:
    """Whether ``value`` returned by an engine equals the native result."""
    return result_bits(workload.result_type, value) == result_bits(workload.result_type, _expected_value(workload, size))


def _expected_value(workload: Workload, size: int) -> Any:
    stored = workload.expected[size]
    if workload.result_type == "f32":
        return struct.unpack("<f", struct.pack("<I", stored))[0]
    if workload.result_type == "f64":
        return struct.unpack("<d", struct.pack("<Q", stored))[0]
    return stored


# ---------------------------------------------------------------------------
# Engine adapters


Runner = Callable[[int], Any]


@dataclass(frozen=True, slots=True)
class Engine:
    """A runtime under test: ``prepare(bytes) -> prepared`` once per module,
    ``instantiate(prepared, export) -> run(size)`` once per repetition."""

    name: str
    label: str
    requires: str  # the import name that must be available
    prepare: Callable[[bytes], Any]
    instantiate: Callable[[Any, str], Runner]
    features: frozenset[str] = frozenset()  # the workload features it implements

    def unsupported(self, workload: Workload) -> str | None:
        """None if the engine implements every feature ``workload`` needs, else why not."""
        missing = sorted(workload.features - self.features)
        return f"{self.label} has no {', '.join(missing)}" if missing else None

    def available(self) -> str | None:
        """None if the engine can run here, else the reason why not."""
        if importlib.util.find_spec(self.requires) is None:
            return f"{self.requires} is not installed"
        if self.name == "ours":
            import pywasm_host

            missing = [name for name in ("Engine", "Store", "Module", "Instance") if not hasattr(pywasm_host, name)]
            if missing:
                return f"pywasm_host public API not there yet (missing {', '.join(missing)})"
        return None


def _ours_prepare(wasm: bytes) -> Any:
    import pywasm_host

    engine = pywasm_host.Engine()
    return engine, pywasm_host.Module(engine, wasm)


def _ours_instantiate(prepared: Any, export: str) -> Runner:
    import pywasm_host

    engine, module = prepared
    store = pywasm_host.Store(engine)
    instance = pywasm_host.Instance(store, module, [])
    func = instance.exports(store)[export]
    return lambda size: func(store, size)


def _pywasm_prepare(wasm: bytes) -> Any:
    return wasm  # pywasm decodes and instantiates in one step (Runtime.instance)


def _pywasm_instantiate(prepared: Any, export: str) -> Runner:
    import io

    import pywasm

    runtime = pywasm.core.Runtime()
    instance = runtime.instance(pywasm.core.ModuleDesc.from_reader(io.BytesIO(prepared)))
    return lambda size: runtime.invocate(instance, export, [size])[0]


def _pwasm_prepare(wasm: bytes) -> Any:
    import pwasm

    return pwasm.decode_module(wasm)


def _pwasm_instantiate_in(mode: str) -> Callable[[Any, str], Runner]:
    def instantiate(prepared: Any, export: str) -> Runner:
        import pwasm

        instance = pwasm.instantiate(prepared, mode=mode)
        return instance.exports[export]  # type: ignore[no-any-return]

    return instantiate


def _wasmtime_prepare(wasm: bytes) -> Any:
    import wasmtime

    engine = wasmtime.Engine()
    return engine, wasmtime.Module(engine, wasm)


def _wasmtime_instantiate(prepared: Any, export: str) -> Runner:
    import wasmtime

    engine, module = prepared
    store = wasmtime.Store(engine)
    instance = wasmtime.Instance(store, module, [])
    func = instance.exports(store)[export]
    return lambda size: func(store, size)


ENGINES: dict[str, Engine] = {
    engine.name: engine
    for engine in (
        Engine("ours", "pywasm-host", "pywasm_host", _ours_prepare, _ours_instantiate, frozenset({"simd"})),
        Engine("pywasm", "pywasm 2.2.3", "pywasm", _pywasm_prepare, _pywasm_instantiate, frozenset({"simd"})),
        Engine("pwasm", "pwasm interp", "pwasm", _pwasm_prepare, _pwasm_instantiate_in("interpret")),
        Engine("pwasm-compile", "pwasm codegen", "pwasm", _pwasm_prepare, _pwasm_instantiate_in("compile")),
        Engine("wasmtime", "wasmtime", "wasmtime", _wasmtime_prepare, _wasmtime_instantiate, frozenset({"simd"})),
    )
}


# ---------------------------------------------------------------------------
# Instruction counts

FUEL = 1 << 62


def count_instructions(workload: Workload, size: int) -> int | None:
    """Executed wasm instructions of ``workload(size)``, or None without a counter.

    Counted as wasmtime fuel: one unit per executed operator except ``nop``,
    ``drop``, ``block``, ``loop``, ``end``, ``else``, ``return`` and
    ``unreachable``, which cost none (wasmtime's fuel model); deterministic,
    exact and cheap at full size. Without wasmtime, falls back to counting the
    instructions pywasm's interpreter dispatches (slow: about 1 M/s), which
    agrees with the fuel count to within a few per cent (pywasm also counts
    ``block``/``loop``; wasmtime charges one unit per function entry).
    """
    if importlib.util.find_spec("wasmtime") is not None:
        return _count_with_wasmtime(workload, size)
    if importlib.util.find_spec("pywasm") is not None:
        return _count_with_pywasm(workload, size)
    return None


def count_method() -> str | None:
    """How count_instructions counts here, for table footnotes."""
    if importlib.util.find_spec("wasmtime") is not None:
        return "wasmtime fuel (every operator except nop/drop/block/loop/end/else/return/unreachable)"
    if importlib.util.find_spec("pywasm") is not None:
        return "instructions dispatched by pywasm's interpreter"
    return None


def _count_with_wasmtime(workload: Workload, size: int) -> int:
    import wasmtime

    config = wasmtime.Config()
    config.consume_fuel = True
    engine = wasmtime.Engine(config)
    store = wasmtime.Store(engine)
    store.set_fuel(FUEL)
    instance = wasmtime.Instance(store, wasmtime.Module(engine, workload.wasm_bytes()), [])
    instance.exports(store)[workload.name](store, size)
    return FUEL - store.get_fuel()


def _count_with_pywasm(workload: Workload, size: int) -> int:
    # pywasm's interpreter loop calls pywasm.log.debugln once per dispatched
    # instruction (and once per invocation); count those calls.
    import pywasm

    count = 0

    def counter(*args: Any) -> None:
        nonlocal count
        count += 1

    original = pywasm.log.debugln
    pywasm.log.debugln = counter
    try:
        run = _pywasm_instantiate(_pywasm_prepare(workload.wasm_bytes()), workload.name)
        count = 0
        run(size)
    finally:
        pywasm.log.debugln = original
    return count - 1  # the 'invocate' log line
