"""Trap/TrapCode compatibility with wasmtime-py: host code raises ``Trap("message")``,
wasmtime's TrapCode names are aliases of ours, ``.message``/``.trap_code`` exist."""

from __future__ import annotations

import pytest

from pywasm_host import Trap, TrapCode

WAT = '(module (import "h" "f" (func $f)) (func (export "g") call $f) (func (export "oob") (drop (i32.load (i32.const -1)))) (memory 1))'


def _run(wt: object) -> tuple[str, object, object]:
    engine = wt.Engine()  # type: ignore[attr-defined]
    store = wt.Store(engine)  # type: ignore[attr-defined]
    module = wt.Module(engine, WAT)  # type: ignore[attr-defined]

    def host() -> None:
        raise wt.Trap("custom host failure")  # type: ignore[attr-defined]

    inst = wt.Instance(store, module, [wt.Func(store, wt.FuncType([], []), host)])  # type: ignore[attr-defined]
    with pytest.raises(wt.Trap) as host_trap:  # type: ignore[attr-defined]
        inst.exports(store)["g"](store)
    with pytest.raises(wt.Trap) as oob:  # type: ignore[attr-defined]
        inst.exports(store)["oob"](store)
    return host_trap.value.message, host_trap.value.trap_code, oob.value.trap_code


def test_host_trap_message_and_codes() -> None:
    message, host_code, oob_code = _run(__import__("pywasm_host"))
    assert message == "custom host failure"
    assert host_code is None
    assert oob_code is TrapCode.MEMORY_OUT_OF_BOUNDS is TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS


def test_same_as_wasmtime() -> None:
    wasmtime = pytest.importorskip("wasmtime", reason="wasmtime-py (compare extra) not installed")
    ours = _run(__import__("pywasm_host"))
    theirs = _run(wasmtime)
    assert ours[0] == theirs[0]
    assert ours[1] is None and theirs[1] is None
    assert theirs[2].name == "MEMORY_OUT_OF_BOUNDS"  # type: ignore[union-attr]
    assert TrapCode[theirs[2].name] is ours[2]  # type: ignore[union-attr]


@pytest.mark.parametrize("alias, ours", [
    ("MEMORY_OUT_OF_BOUNDS", "OUT_OF_BOUNDS_MEMORY_ACCESS"), ("TABLE_OUT_OF_BOUNDS", "OUT_OF_BOUNDS_TABLE_ACCESS"),
    ("INDIRECT_CALL_TO_NULL", "UNINITIALIZED_ELEMENT"), ("BAD_SIGNATURE", "INDIRECT_CALL_TYPE_MISMATCH"),
    ("INTEGER_DIVISION_BY_ZERO", "INTEGER_DIVIDE_BY_ZERO"), ("BAD_CONVERSION_TO_INTEGER", "INVALID_CONVERSION_TO_INTEGER"),
    ("STACK_OVERFLOW", "CALL_STACK_EXHAUSTED")])
def test_wasmtime_names_are_aliases(alias: str, ours: str) -> None:
    assert TrapCode[alias] is TrapCode[ours]
    assert str(Trap(TrapCode[alias])) == TrapCode[ours].value
