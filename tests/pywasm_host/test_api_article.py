"""The seed article's host code, written once against the wasmtime-py API and
run twice: with ``pywasm_host`` and with ``wasmtime`` as the imported module
(only the import differs). Each run's results are checked against values
worked out by hand from tests/fixtures/api/article.wat, and the two runs
must agree."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

FIXTURE = Path(__file__).parent.parent / "fixtures" / "api" / "article.wasm"
HAVE_WASMTIME = importlib.util.find_spec("wasmtime") is not None


def article(w: ModuleType) -> dict[str, Any]:
    """The article's program, over the API module ``w``."""
    Engine, Store, Module, Linker = w.Engine, w.Store, w.Module, w.Linker
    FuncType, ValType = w.FuncType, w.ValType

    engine = Engine()
    store = Store(engine)
    module = Module.from_file(engine, str(FIXTURE))
    linker = Linker(engine)

    logged: list[str] = []

    def log(caller: Any, ptr: int, length: int) -> None:
        memory = caller["memory"]
        logged.append(memory.read(caller, ptr, ptr + length).decode())

    linker.define_func("env", "log", FuncType([ValType.i32(), ValType.i32()], []), log, access_caller=True)
    linker.define_func("env", "scale", FuncType([ValType.i32()], [ValType.i32()]), lambda x: x * 3)
    instance = linker.instantiate(store, module)
    exports = instance.exports(store)
    memory = exports["memory"]

    out: dict[str, Any] = {}
    exports["greet"](store)
    out["logged"] = logged
    out["fib"] = [exports["fib"](store, n) for n in (0, 1, 2, 10, 20, 46, 47)]
    memory.write(store, bytes([1, 2, 3, 250]), 100)
    out["sum"] = exports["sum_bytes"](store, 100, 4)
    memory.write(store, b"make me LOUD!", 200)
    exports["upper"](store, 200, 13)
    out["upper"] = bytes(memory.read(store, 200, 213))
    out["read_tail"] = bytes(memory.read(store, -3))
    out["read_clamped"] = len(memory.read(store, 65530, 70000))
    out["scaled"] = exports["scaled"](store, 14)
    out["bump"] = [exports["bump"](store) for _ in range(3)]
    out["counter"] = exports["counter"].value(store)
    out["swap"] = exports["swap"](store, -1, 2**40)
    out["mul"] = exports["mul"](store, 1.5, -4.0)
    out["size"] = (memory.size(store), memory.data_len(store))
    out["grow"] = (memory.grow(store, 1), exports["pages"](store), exports["grow"](store, 10))
    with pytest.raises(w.Trap) as trap:
        exports["div"](store, 1, 0)
    out["trap"] = "divide by zero" in str(trap.value) or "division by zero" in str(trap.value)
    try:
        memory.write(store, b"xx", memory.data_len(store) - 1)
        out["write_past_end"] = "no error"
    except IndexError:
        out["write_past_end"] = "IndexError"
    out["names"] = list(exports)
    out["len"] = len(exports)
    out["by_index_is_memory"] = isinstance(exports.by_index[0], w.Memory)
    out["types"] = [str(t) for t in exports["swap"].type(store).results]
    return out


EXPECTED = {
    "logged": ["Hello, pywasm!"],
    "fib": [0, 1, 1, 55, 6765, 1836311903, -1323752223],  # fib(47) = 2971215073 wraps to i32
    "sum": 1 + 2 + 3 + 250,
    "upper": b"MAKE ME LOUD!",
    "read_tail": b"\0\0\0",
    "read_clamped": 6,
    "scaled": 14 * 3 + 1,
    "bump": [1, 2, 3],
    "counter": 3,
    "swap": [2**40, -1],
    "mul": -6.0,
    "size": (1, 65536),
    "grow": (1, 2, -1),  # max is 4 pages: 2 + 10 does not fit
    "trap": True,
    "write_past_end": "IndexError",
    "names": ["memory", "counter", "greet", "fib", "sum_bytes", "upper", "scaled", "bump", "div", "swap", "mul",
              "pages", "grow"],
    "len": 13,
    "by_index_is_memory": True,
    "types": ["i64", "i32"],
}


def test_article_with_pywasm_host() -> None:
    assert article(importlib.import_module("pywasm_host")) == EXPECTED


@pytest.mark.skipif(not HAVE_WASMTIME, reason="wasmtime-py is not installed (the `compare` extra)")
def test_article_with_wasmtime_gives_the_same_results() -> None:
    theirs = article(importlib.import_module("wasmtime"))
    assert theirs == EXPECTED
    assert article(importlib.import_module("pywasm_host")) == theirs
