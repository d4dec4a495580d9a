"""``v128`` values through the public API (wasmtime-py's shape): arguments
are Python ints in ``[-2**127, 2**128)``, results unsigned ints in
``[0, 2**128)`` with lane 0 in the low bits; wrong Python types raise
``TypeError``, out-of-range ints ``OverflowError``. Expected values are
worked out by hand. Modules are assembled with wabt's ``wat2wasm``
(skipped when absent).
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest

import pywasm_host as P

WAT2WASM = shutil.which("wat2wasm")
pytestmark = pytest.mark.skipif(WAT2WASM is None, reason="wabt's wat2wasm not installed")

WAT = """
(module
  (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
  (func (export "double") (param v128) (result v128) (i32x4.add (local.get 0) (local.get 0)))
  (func (export "lane1") (param v128) (result i32) (i32x4.extract_lane 1 (local.get 0)))
  (func (export "zero") (result v128) (local v128) (local.get 0))
  (func (export "get_g") (result v128) (global.get $g))
)
"""


@pytest.fixture(scope="module")
def api() -> tuple[Any, Any]:
    wasm = subprocess.run([WAT2WASM, "-", "-o", "/dev/stdout"], input=WAT.encode(), capture_output=True, check=True).stdout
    engine = P.Engine()
    store = P.Store(engine)
    instance = P.Instance(store, P.Module(engine, wasm), [])
    return store, instance.exports(store)


def test_v128_type_is_public() -> None:
    assert P.ValType.v128() == P.ValType.v128()
    assert str(P.ValType.v128()) == "v128"


def test_arguments_and_results(api: tuple[Any, Any]) -> None:
    store, ex = api
    # lanes (low to high) 0xffffffff, 3, 2, 1 doubled: 0xfffffffe, 6, 4, 2
    assert ex["double"](store, 0x00000001_00000002_00000003_FFFFFFFF) == 0x00000002_00000004_00000006_FFFFFFFE
    assert ex["double"](store, -1) == (1 << 128) - 2 - (1 << 32) - (1 << 64) - (1 << 96)  # every lane 0xfffffffe
    assert ex["lane1"](store, 0x00000000_00000000_80000000_00000000) == -0x80000000  # i32 results are signed
    assert ex["zero"](store) == 0  # v128 locals start at zero
    assert ex["get_g"](store) == 0x00000004_00000003_00000002_00000001


def test_bad_arguments(api: tuple[Any, Any]) -> None:
    store, ex = api
    with pytest.raises(TypeError, match="v128"):
        ex["double"](store, 1.5)
    with pytest.raises(TypeError):
        ex["double"](store, "0")
    with pytest.raises(OverflowError, match="v128"):
        ex["double"](store, 1 << 128)
    with pytest.raises(OverflowError):
        ex["double"](store, -(1 << 127) - 1)


def test_v128_global(api: tuple[Any, Any]) -> None:
    store, ex = api
    g = ex["g"]
    assert g.value(store) == 0x00000004_00000003_00000002_00000001
    g.set_value(store, 5)
    assert ex["get_g"](store) == 5


def test_host_function_with_v128() -> None:
    wat = """(module (import "h" "f" (func $f (param v128) (result v128)))
      (func (export "g") (param i32) (result i32) (i32x4.extract_lane 3 (call $f (i32x4.splat (local.get 0))))))"""
    wasm = subprocess.run([WAT2WASM, "-", "-o", "/dev/stdout"], input=wat.encode(), capture_output=True, check=True).stdout
    engine = P.Engine()
    store = P.Store(engine)
    seen: list[int] = []

    def host(v: int) -> int:
        seen.append(v)
        return v >> 32  # lane 3 becomes 0, lanes shift down by one

    ft = P.FuncType([P.ValType.v128()], [P.ValType.v128()])
    g = P.Instance(store, P.Module(engine, wasm), [P.Func(store, ft, host)]).exports(store)["g"]
    assert g(store, 7) == 0
    assert seen == [0x00000007_00000007_00000007_00000007]

    def bad(v: int) -> float:
        return 1.5

    g = P.Instance(store, P.Module(engine, wasm), [P.Func(store, ft, bad)]).exports(store)["g"]
    with pytest.raises(TypeError, match="v128"):
        g(store, 1)
