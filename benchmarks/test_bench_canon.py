"""Benchmarks of the canonical ABI (component-model ``design/mvp/CanonicalABI.md``):
lifting and lowering a 10 MB ``list<u8>`` and a 10 MB string through guest
memory, next to a plain numpy copy of 10 MB, and the per-call overhead of a
scalar export (``get-u32`` of the seed guest) against calling the raw core
export.  Uses the committed fixtures of ``tests/fixtures``; with benchmarks
disabled (the default) each case runs once as a smoke test.

    python -m pytest benchmarks/test_bench_canon.py --benchmark-enable
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pywasm_host.abi.canonical import types as T
from pywasm_host.abi.canonical.loading import load_list_from_range
from pywasm_host.abi.canonical.options import CanonicalOptions, LiftLowerContext
from pywasm_host.abi.canonical.storing import lower_list
from pywasm_host.abi.canonical.strings import load_string_from_range, lower_string
from pywasm_host.abi.canonical.values import ValueClasses

from pywasm_host.component import load_core

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
CANON = FIXTURES / "canon" / "canon" / "canon.wasm"
MACHINE = FIXTURES / "component" / "machine" / "machine.wasm"
SIZE = 10 * 1024 * 1024
BYTES = bytes(range(256)) * (SIZE // 256)
TEXT = ("pywasm-host canonical ABI " * (SIZE // 26 + 1))[:SIZE]

ENGINES = ["ours"]
try:
    import wasmtime  # noqa: F401

    ENGINES.append("wasmtime")
except ImportError:  # pragma: no cover
    pass


@pytest.fixture(scope="module", params=ENGINES)
def cx(request: pytest.FixtureRequest) -> LiftLowerContext:
    m = load_core(CANON, {"test:canon/host": {"greet": str, "add": lambda p, n: 0}},
                  engine=None if request.param == "ours" else "wasmtime")
    return LiftLowerContext(CanonicalOptions("utf8", "fixed_realloc"), m.core, m.state, ValueClasses())


def test_numpy_copy_10mb(benchmark) -> None:
    src = np.frombuffer(BYTES, dtype=np.uint8)
    out = benchmark(src.copy)
    assert len(out) == SIZE


def test_lower_list_u8_10mb(benchmark, cx: LiftLowerContext) -> None:
    ptr, n = benchmark(lower_list, cx, BYTES, T.U8)
    assert n == SIZE and cx.core.read(ptr + SIZE - 3, 3) == BYTES[-3:]


def test_lift_list_u8_10mb(benchmark, cx: LiftLowerContext) -> None:
    ptr, n = lower_list(cx, BYTES, T.U8)
    out = benchmark(load_list_from_range, cx, ptr, n, T.U8)
    assert out == BYTES


def test_lower_string_10mb(benchmark, cx: LiftLowerContext) -> None:
    ptr, n = benchmark(lower_string, cx, TEXT)
    assert n == SIZE


def test_lift_string_10mb(benchmark, cx: LiftLowerContext) -> None:
    ptr, n = lower_string(cx, TEXT)
    out = benchmark(load_string_from_range, cx, ptr, n)
    assert out == TEXT


@pytest.fixture(scope="module", params=ENGINES)
def machine(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    if not MACHINE.exists():
        pytest.skip("machine fixture not built")
    return load_core(MACHINE, engine=None if request.param == "ours" else "wasmtime")


def test_scalar_call_get_u32(benchmark, machine) -> None:  # type: ignore[no-untyped-def]
    f = machine.exports.machine_interface.get_u32
    assert benchmark(f) == 123


def test_raw_core_call_get_u32(benchmark, machine) -> None:  # type: ignore[no-untyped-def]
    name = "xyz:machine/machine-interface#get-u32"
    fn = getattr(machine.core, "function", None)
    if fn is not None:  # our engine: the export's invoke, as the ABI's fast path uses it
        assert benchmark(fn(name), []) == [123]
    else:  # wasmtime: the core interface's call
        assert benchmark(machine.core.call, name, []) == [123]
