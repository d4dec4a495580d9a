"""``Caller`` (host functions with ``access_caller=True``) and ``Val``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pywasm_host import (
    Caller,
    Engine,
    Func,
    FuncType,
    Global,
    GlobalType,
    Linker,
    Memory,
    Module,
    Store,
    Val,
    ValType,
    WasmError,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "api"
I32 = ValType.i32()


def article(store: Store, log: Any, access_caller: bool = True) -> Any:
    linker = Linker(store.engine)
    linker.define_func("env", "log", FuncType([I32, I32], []), log, access_caller=access_caller)
    linker.define_func("env", "scale", FuncType([I32], [I32]), lambda x: x)
    return linker.instantiate(store, Module.from_file(store.engine, FIXTURES / "article.wasm")).exports(store)


def test_caller_sees_the_calling_instance_exports() -> None:
    store = Store(Engine(), data={"user": 1})
    kept: list[Caller] = []
    seen: list[Any] = []

    def log(caller: Caller, ptr: int, n: int) -> None:
        kept.append(caller)
        mem = caller["memory"]
        assert isinstance(mem, Memory)
        seen.append(bytes(mem.read(caller, ptr, ptr + n)))
        seen.append(caller.get("counter").value(caller))  # type: ignore[union-attr]
        seen.append(caller.get("no-such-export"))
        seen.append(caller.data)
        with pytest.raises(KeyError):
            caller["no-such-export"]

    ex = article(store, log)
    ex["bump"](store)
    ex["greet"](store)
    assert seen == [b"Hello, pywasm!", 1, None, None]  # define_func functions have no store: data is None
    # the Caller is only valid during the call (as wasmtime-py)
    assert kept[0].get("memory") is None
    with pytest.raises(KeyError):
        kept[0]["memory"]


def test_caller_store_data_with_func() -> None:
    store = Store(Engine(), data="payload")
    got: list[Any] = []
    f = Func(store, FuncType([I32, I32], []), lambda caller, a, b: got.append((caller.data, a, b)), access_caller=True)
    linker = Linker(store.engine)
    linker.define(store, "env", "log", f)
    linker.define_func("env", "scale", FuncType([I32], [I32]), lambda x: x)
    linker.instantiate(store, Module.from_file(store.engine, FIXTURES / "article.wasm")).exports(store)["greet"](store)
    assert got == [("payload", 0, 14)]
    assert store.data() == "payload"


def test_caller_of_a_host_function_called_from_python_has_no_instance() -> None:
    store = Store(Engine())
    seen: list[Any] = []
    f = Func(store, FuncType([I32], [I32]), lambda caller, x: seen.append(caller.get("memory")) or x + 1,
             access_caller=True)
    assert f(store, 1) == 2
    assert seen == [None]


def test_caller_can_call_back_into_wasm() -> None:
    store = Store(Engine())
    out: list[int] = []

    def log(caller: Caller, ptr: int, n: int) -> None:
        fib = caller["fib"]
        assert isinstance(fib, Func)
        out.append(fib(caller, 10))

    article(store, log)["greet"](store)
    assert out == [55]


def test_val_constructors_and_values() -> None:
    assert Val.i32(0xFFFF_FFFF).value == -1
    assert Val.i32(5).type == ValType.i32()
    assert Val.i64(2**63).value == -(2**63)
    assert Val.f32(0.1).value == 0.10000000149011612  # nearest single
    assert Val.f64(0.1).value == 0.1
    assert Val.externref("x").value == "x" and Val.externref(None).type == ValType.externref()
    assert Val.ref_null(ValType.funcref()).value is None
    assert Val.i32(3) == Val.i32(3) and Val.i32(3) != Val.i64(3) and Val.i32(3) == 3
    assert Val.i32(3).as_i32() == 3 and Val.i32(3).as_i64() is None
    with pytest.raises(TypeError):
        Val.i32(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Val.f64(1)  # type: ignore[arg-type]
    with pytest.raises(WasmError):
        Val.ref_null(ValType.i32())
    with pytest.raises(TypeError):
        Val.funcref("not a func")


def test_val_accepted_as_argument_global_and_host_result() -> None:
    store = Store(Engine())
    ex = article(store, lambda c, a, b: None)
    assert ex["swap"](store, Val.i32(1), Val.i64(2)) == [2, 1]
    with pytest.raises(TypeError, match="wrong type of `Val`"):
        ex["swap"](store, Val.i64(1), Val.i64(2))
    g = Global(store, GlobalType(ValType.i64(), True), Val.i64(-7))
    assert g.value(store) == -7
    g.set_value(store, Val.i64(8))
    assert g.value(store) == 8
    f = Func(store, FuncType([], [ValType.f64()]), lambda: Val.f64(2.5))
    assert f(store) == 2.5


def test_caller_through_call_indirect() -> None:
    import importlib.util

    if importlib.util.find_spec("pywasm_host.interpreter.text.parser") is None:
        pytest.skip("needs the text parser")
    wat = """(module
      (import "env" "peek" (func $peek (param i32) (result i32)))
      (type $t (func (param i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 3) "\\2a")
      (table 1 funcref)
      (elem (i32.const 0) $peek)
      (func (export "direct") (param i32) (result i32) local.get 0 call $peek)
      (func (export "indirect") (param i32) (result i32) local.get 0 i32.const 0 call_indirect (type $t)))"""
    store = Store(Engine())

    def peek(caller: Caller, addr: int) -> int:
        return caller["memory"].read(caller, addr, addr + 1)[0]  # type: ignore[union-attr]

    module = Module(store.engine, wat)
    f = Func(store, FuncType([I32], [I32]), peek, access_caller=True)
    from pywasm_host import Instance

    ex = Instance(store, module, [f]).exports(store)
    assert ex["direct"](store, 3) == 42
    assert ex["indirect"](store, 3) == 42


def test_memory_write_rejects_non_bytes() -> None:
    store = Store(Engine())
    ex = article(store, lambda c, a, b: None)
    mem = ex["memory"]
    assert isinstance(mem, Memory)
    with pytest.raises(TypeError):
        mem.write(store, 5, 0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        mem.write(store, "text", 0)  # type: ignore[arg-type]
    with pytest.raises(IndexError):
        mem.write(store, b"x", 65536)
    with pytest.raises(TypeError):
        mem.read(store, "0", 3)  # type: ignore[arg-type]
