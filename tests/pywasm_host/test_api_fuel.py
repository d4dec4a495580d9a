"""Fuel (``Config.consume_fuel``, ``Store.set_fuel``/``get_fuel``): costs
counted by hand from tests/fixtures/api/fuel.wat with wasmtime's rule (1 per
instruction except nop/drop/block/loop/unreachable/return/else/end, 1 per
function entered; out of fuel is detected on function entry and at loop
headers), and compared with wasmtime-py's fuel where it is installed."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import pywasm_host
from pywasm_host import Config, Engine, Func, FuncType, Instance, Module, Store, Trap, TrapCode, ValType, WasmError

FIXTURE = Path(__file__).parent.parent / "fixtures" / "api" / "fuel.wasm"
HAVE_WASMTIME = importlib.util.find_spec("wasmtime") is not None

# (export, args, fuel given, result or "trap", fuel left) — counted by hand.
CASES: list[tuple[str, tuple[int, ...], int, Any, int]] = [
    ("empty", (), 100, None, 99),
    ("empty", (), 2, None, 1),
    ("empty", (), 1, "trap", 0),  # entry leaves 0: out of fuel
    ("empty", (), 0, "trap", 0),
    ("add", (1, 2), 100, 3, 96),
    ("add", (1, 2), 2, 3, 0),  # entry check passes with 1 left; the rest overdraws (shown as 0)
    ("add", (1, 2), 1, "trap", 0),
    ("nops", (), 100, None, 98),
    ("count", (0,), 1000, 0, 995),
    ("count", (1,), 1000, 1, 983),
    ("count", (3,), 1000, 3, 959),
    ("count", (1,), 13, "trap", 0),  # 13 - 1 - 12 = 0 at the loop header
    ("count", (1,), 14, 1, 0),
    ("count", (1,), 18, 1, 1),
    ("count", (3,), 15, "trap", 0),
    ("call", (), 100, 5, 95),
    ("ifelse", (0,), 100, 2, 96),
    ("ifelse", (1,), 100, 1, 96),
    ("early", (), 100, 7, 98),
    ("forever", (), 1000, "trap", 0),
]


def run_case(w: ModuleType, name: str, args: tuple[int, ...], fuel: int) -> tuple[Any, int, list[int]]:
    config = w.Config()
    config.consume_fuel = True
    engine = w.Engine(config)
    store = w.Store(engine)
    store.set_fuel(fuel)
    seen: list[int] = []
    probe = w.Func(store, w.FuncType([w.ValType.i32()], []), lambda x: seen.append(store.get_fuel()))
    instance = w.Instance(store, w.Module.from_file(engine, str(FIXTURE)), [probe])
    try:
        result = instance.exports(store)[name](store, *args)
    except w.Trap as trap:
        assert "fuel" in str(trap)
        result = "trap"
    return result, store.get_fuel(), seen


@pytest.mark.parametrize("name,args,fuel,result,left", CASES)
def test_fuel_counted_by_hand(name: str, args: tuple[int, ...], fuel: int, result: Any, left: int) -> None:
    assert run_case(pywasm_host, name, args, fuel)[:2] == (result, left)


@pytest.mark.skipif(not HAVE_WASMTIME, reason="wasmtime-py is not installed (the `compare` extra)")
@pytest.mark.parametrize("name,args,fuel,result,left", CASES)
def test_fuel_matches_wasmtime(name: str, args: tuple[int, ...], fuel: int, result: Any, left: int) -> None:
    wasmtime = importlib.import_module("wasmtime")
    assert run_case(wasmtime, name, args, fuel) == run_case(pywasm_host, name, args, fuel)


def test_host_function_sees_fuel_charged_up_to_the_call() -> None:
    # entry 1 + i32.const 1 + call 1 are charged before the host runs
    assert run_case(pywasm_host, "host", (), 100) == (None, 97, [97])


def test_out_of_fuel_trap_code_and_refuel() -> None:
    config = Config()
    config.consume_fuel = True
    engine = Engine(config)
    store = Store(engine)
    assert store.get_fuel() == 0  # stores start empty
    probe = Func(store, FuncType([ValType.i32()], []), lambda x: None)
    ex = Instance(store, Module.from_file(engine, FIXTURE), [probe]).exports(store)
    with pytest.raises(Trap) as info:
        ex["count"](store, 5)
    assert info.value.code is TrapCode.OUT_OF_FUEL
    store.set_fuel(10_000)
    assert ex["count"](store, 5) == 5
    assert store.get_fuel() == 10_000 - (5 + 12 * 5)


def test_fuel_not_configured() -> None:
    store = Store(Engine())
    with pytest.raises(WasmError, match="fuel is not configured"):
        store.set_fuel(10)
    with pytest.raises(WasmError, match="fuel is not configured"):
        store.get_fuel()


def test_fuel_is_per_store_across_nested_calls() -> None:
    # A host function that calls into another store's instance: each store
    # pays for its own code.
    config = Config()
    config.consume_fuel = True
    engine = Engine(config)
    module = Module.from_file(engine, FIXTURE)
    inner = Store(engine)
    inner.set_fuel(50)
    noop = Func(inner, FuncType([ValType.i32()], []), lambda x: None)
    inner_ex = Instance(inner, module, [noop]).exports(inner)
    outer = Store(engine)
    outer.set_fuel(100)
    results = []

    def call_inner(x: int) -> None:
        results.append(inner_ex["add"](inner, 1, 2))
    probe = Func(outer, FuncType([ValType.i32()], []), call_inner)
    outer_ex = Instance(outer, module, [probe]).exports(outer)
    outer_ex["host"](outer)
    assert results == [3]
    assert (outer.get_fuel(), inner.get_fuel()) == (97, 46)


def test_fuel_rejects_bad_values() -> None:
    config = Config()
    config.consume_fuel = True
    store = Store(Engine(config))
    with pytest.raises(ValueError):
        store.set_fuel(-1)
    with pytest.raises(TypeError):
        store.set_fuel(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        config.consume_fuel = 1  # type: ignore[assignment]


WORKLOADS = Path(__file__).resolve().parents[2] / "benchmarks" / "workloads"


def _workloads() -> list[tuple[str, int]]:
    import json

    spec = json.loads((WORKLOADS / "workloads.json").read_text())
    return [(name, w["sizes"]["test"]) for name, w in spec.items() if not w.get("features")]


def fuel_used(w: ModuleType, name: str, n: int) -> tuple[Any, int]:
    config = w.Config()
    config.consume_fuel = True
    engine = w.Engine(config)
    store = w.Store(engine)
    store.set_fuel(10**12)
    exports = w.Instance(store, w.Module.from_file(engine, str(WORKLOADS / f"{name}.wasm")), []).exports(store)
    result = exports[name](store, n)
    return result, 10**12 - store.get_fuel()


@pytest.mark.skipif(not HAVE_WASMTIME, reason="wasmtime-py is not installed (the `compare` extra)")
@pytest.mark.parametrize("name,n", _workloads())
def test_fuel_of_compiled_c_matches_wasmtime(name: str, n: int) -> None:
    wasmtime = importlib.import_module("wasmtime")
    assert fuel_used(pywasm_host, name, n) == fuel_used(wasmtime, name, n)
