"""The component fixtures (tests/fixtures/component) against an independent oracle:
wasmtime-py's component API runs each componentized guest and must return the
hand-computed results of ``cases.py``; the core modules import nothing but
component intrinsics and carry their WIT in a component-type section."""

from __future__ import annotations

import os
import sys

import pytest

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "component")
sys.path.insert(0, os.path.abspath(FIXTURES))

import cases  # noqa: E402

_INSTANCES: dict[str, object] = {}


def _wasmtime_host():  # type: ignore[no-untyped-def]
    pytest.importorskip("wasmtime", reason="wasmtime-py (the `compare` extra) is not installed")
    import wasmtime_host

    return wasmtime_host


def teardown_module() -> None:
    _INSTANCES.clear()  # release wasmtime objects before interpreter shutdown


def _instance(name: str):  # type: ignore[no-untyped-def]
    wasmtime_host = _wasmtime_host()
    if name not in _INSTANCES:
        _INSTANCES[name] = wasmtime_host.WasmtimeFixture(name)
    return _INSTANCES[name]


@pytest.mark.parametrize("case", cases.ALL_CASES, ids=lambda c: c.id)
def test_fixture_call_under_wasmtime(case: cases.Case) -> None:
    got = _instance(case.fixture).call(case.interface, case.func, *case.args)
    assert cases.same(got, case.expected), f"{got!r} != {case.expected!r}"


@pytest.mark.parametrize("name", ["machine", "kitchen", "res", "hostile", "utf16", "compact", "calls", "toplevel"])
def test_fixture_core_module_shape(name: str) -> None:
    from pywasm_host.abi.binary.wit import component_type_sections
    from pywasm_host.interpreter.binary.decode import decode_module

    with open(cases.fixture_path(name), "rb") as fh:
        data = fh.read()
    assert component_type_sections(data), "no component-type custom section"
    module = decode_module(data)
    for imp in module.imports:  # WIT functions and component intrinsics only: no WASI, no libc hooks
        assert imp.module.startswith(("xyz:", "[export]xyz:")) or imp.module in ("$root", "env"), \
            f"unexpected import {imp.module}.{imp.name}"
    assert any(e.name == "cabi_realloc" for e in module.exports)


def test_fixture_resources_under_wasmtime() -> None:
    host = _wasmtime_host().WasmtimeResHost()
    assert cases.run_res_script(host) == []
