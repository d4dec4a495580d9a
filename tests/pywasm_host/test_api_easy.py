"""The Pythonic layer: ``pywasm_host.instantiate`` and ``Memory.numpy()``."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import pywasm_host
from pywasm_host import Engine, Instance, Limits, LinkError, Memory, MemoryType, Module, Store

FIXTURES = Path(__file__).parent.parent / "fixtures" / "api"


def make(**kw: Any) -> pywasm_host.Instantiated:
    logged: list[tuple[int, int]] = []
    imports = {"env": {"log": lambda p, n: logged.append((p, n)), "scale": lambda x: 10 * x}}
    inst = pywasm_host.instantiate(FIXTURES / "article.wasm", imports=imports, **kw)
    inst.logged = logged  # type: ignore[attr-defined]
    return inst


def test_exports_are_attributes_taking_plain_values() -> None:
    inst = make()
    assert inst.exports.fib(20) == 6765
    assert inst.exports.scaled(4) == 41
    assert inst.exports.swap(1, 2) == [2, 1]
    inst.exports.greet()
    assert inst.logged == [(0, 14)]  # type: ignore[attr-defined]
    assert inst.exports["fib"](10) == 55
    assert "fib" in dir(inst.exports) and len(inst.exports) == 13
    assert inst.exports.counter.value == 0
    inst.exports.bump()
    assert inst.exports.counter.value == 1
    with pytest.raises(AttributeError):
        inst.exports.nope  # noqa: B018
    with pytest.raises(AttributeError):
        inst.exports.fib = None


def test_memory_attribute_and_numpy_view_is_zero_copy() -> None:
    inst = make()
    assert inst.memory is not None and inst.memory.size == 1
    view = inst.memory.numpy()
    assert isinstance(view, np.ndarray) and view.dtype == np.uint8 and len(view) == 65536
    assert bytes(view[0:5]) == b"Hello"
    view[100:103] = [1, 2, 3]  # writes through the view are the memory's
    assert inst.exports.sum_bytes(100, 3) == 6
    inst.exports.upper(0, 5)  # and wasm's writes show in the view
    assert bytes(view[0:5]) == b"HELLO"


def test_numpy_view_is_stale_after_grow() -> None:
    inst = make()
    assert inst.memory is not None
    old = inst.memory.numpy()
    assert inst.exports.grow(1) == 1
    old[7] = 99  # goes to the old array: the memory no longer sees it
    assert inst.memory.read(7, 8) == b"p"  # "Hello, pywasm!"[7], unchanged
    fresh = inst.memory.numpy()
    assert len(fresh) == 2 * 65536 and len(old) == 65536
    fresh[7] = 99
    assert inst.memory.read(7, 8) == bytes([99])


def test_memory_numpy_on_the_core_api() -> None:
    store = Store(Engine())
    mem = Memory(store, MemoryType(Limits(1, 2)))
    view = mem.numpy()
    view[0] = 5
    assert mem.read(store, 0, 1) == b"\x05"
    mem.grow(store, 1)
    assert len(view) == 65536 and mem.data_len(store) == 131072


def test_missing_import_and_wrong_values() -> None:
    with pytest.raises(LinkError, match="env::scale"):
        pywasm_host.instantiate(FIXTURES / "article.wasm", imports={"env": {"log": print}})
    with pytest.raises(TypeError, match="callable"):
        pywasm_host.instantiate(FIXTURES / "article.wasm", imports={"env": {"log": 1, "scale": abs}})
    with pytest.raises(TypeError):
        pywasm_host.instantiate(12)


def test_sources_bytes_module_and_text() -> None:
    data = (FIXTURES / "article.wasm").read_bytes()
    imports = {"env": {"log": lambda p, n: None, "scale": lambda x: x}}
    assert pywasm_host.instantiate(data, imports=imports).exports.fib(7) == 13
    module = Module(Engine(), data)
    assert pywasm_host.instantiate(module, imports=imports).exports.fib(7) == 13
    if importlib.util.find_spec("pywasm_host.interpreter.text.parser") is not None:
        inst = pywasm_host.instantiate('(module (func (export "f") (result i32) i32.const 3))')
        assert inst.exports.f() == 3 and inst.memory is None


@pytest.mark.skipif(importlib.util.find_spec("pywasm_host.wasi.preview1") is None, reason="no WASI host yet")
def test_wasi_true(capfd: pytest.CaptureFixture[str]) -> None:
    inst = pywasm_host.instantiate(FIXTURES / "hello_wasi.wasm", wasi=True)
    inst.exports._start()
    assert capfd.readouterr().out == "hi\n"


def test_instance_still_reachable() -> None:
    inst = make()
    assert isinstance(inst.instance, Instance) and isinstance(inst.store, Store)
