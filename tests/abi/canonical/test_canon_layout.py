"""Layout and flattening (CanonicalABI.md "Alignment", "Element Size", "Flattening"),
expected values worked out by hand from the spec's rules; plus the narrow core
interface, exercised with the same calls over our interpreter and wasmtime-py."""

from __future__ import annotations

from array import array
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pywasm_host.abi.canonical import types as T
from pywasm_host.abi.canonical.core import instantiate_engine_core
from pywasm_host.abi.canonical.flatten import flatten_functype, flatten_type
from pywasm_host.abi.canonical.layout import alignment, elem_size
from pywasm_host.abi.canonical.loading import load
from pywasm_host.abi.canonical.options import CanonicalOptions, LiftLowerContext
from pywasm_host.abi.canonical.storing import lower_list
from pywasm_host.abi.canonical.values import ValueClasses

from pywasm_host import Trap

GUEST = Path(__file__).resolve().parents[2] / "fixtures" / "canon" / "canon" / "canon.wasm"


def rec(*ts: T.ValType) -> T.RecordType:
    return T.RecordType([T.Field(f"f{i}", t) for i, t in enumerate(ts)])


def var(*ts: T.ValType | None) -> T.VariantType:
    return T.VariantType([T.Case(f"c{i}", t) for i, t in enumerate(ts)])


@pytest.mark.parametrize(("t", "align", "size"), [
    (T.BOOL, 1, 1), (T.U16, 2, 2), (T.CHAR, 4, 4), (T.F64, 8, 8), (T.STRING, 4, 8),
    (T.ListType(T.U64), 4, 8), (T.ListType(T.U16, 3), 2, 6),
    (rec(T.U8, T.U64), 8, 16),                 # u8 @0, u64 @8
    (rec(T.U8, T.U16, T.U8), 2, 6),            # @0, @2, @4 -> 5 -> 6
    (T.TupleType([T.U8, T.U32]), 4, 8),
    (var(None, T.F32, rec(T.U8, T.U64)), 8, 24),   # disc u8, payload @8, 16 bytes
    (T.EnumType([f"e{i}" for i in range(257)]), 2, 2),   # u16 discriminant
    (T.OptionType(T.U8), 1, 2), (T.OptionType(T.STRING), 4, 12),
    (T.ResultType(None, None), 1, 1), (T.ResultType(T.U64, T.U8), 8, 16),
    (T.FlagsType(["a"] * 8), 1, 1), (T.FlagsType(["a"] * 9), 2, 2), (T.FlagsType(["a"] * 32), 4, 4),
    (T.FlagsType(["a"] * 33), 4, 8),
])
def test_alignment_and_elem_size(t: T.ValType, align: int, size: int) -> None:
    assert (alignment(t), elem_size(t)) == (align, size)


@pytest.mark.parametrize(("t", "flat"), [
    (T.STRING, ("i32", "i32")), (T.S64, ("i64",)), (T.F32, ("f32",)),
    (rec(T.U8, T.F64, T.STRING), ("i32", "f64", "i32", "i32")),
    (var(None, T.F32, rec(T.U8, T.U64)), ("i32", "i32", "i64")),      # join(f32, i32) = i32
    (var(T.F32, T.F64), ("i32", "i64")),                             # join(f32, f64) = i64
    (var(T.F32, T.F32), ("i32", "f32")),
    (T.OptionType(T.F64), ("i32", "f64")),
    (T.ResultType(T.STRING, T.U64), ("i32", "i64", "i32")),          # join(i32, i64) = i64
    (T.FlagsType(["a"] * 33), ("i32", "i32")),
    (T.ListType(T.U8, 3), ("i32", "i32", "i32")),
])
def test_flatten_type(t: T.ValType, flat: tuple[str, ...]) -> None:
    assert flatten_type(t) == flat


def test_flatten_functype_limits() -> None:
    many = T.FuncType([(f"a{i}", T.U32) for i in range(17)], T.STRING)
    assert flatten_functype(many, "lift") == (("i32",), ("i32",))
    assert flatten_functype(T.FuncType([(f"a{i}", T.U32) for i in range(17)], T.STRING), "lower") == (
        ("i32", "i32"), ())
    sixteen = T.FuncType([(f"a{i}", T.U32) for i in range(16)], T.U32)
    assert flatten_functype(sixteen, "lift") == (("i32",) * 16, ("i32",))


def test_despecialize() -> None:
    d = T.despecialize(T.OptionType(T.U8))
    assert isinstance(d, T.VariantType) and [c.label for c in d.cases] == ["none", "some"]
    d = T.despecialize(T.TupleType([T.U8, T.U16]))
    assert isinstance(d, T.RecordType) and [f.label for f in d.fields] == ["0", "1"]


# ---- the core interface, same calls over both engines ---------------------------

def _dummy(module: str, name: str, params: tuple[str, ...], results: tuple[str, ...]) -> Any:
    return lambda args: [0] * len(results)


def _cores() -> list[Any]:
    out: list[Any] = [pytest.param("ours", id="ours")]
    try:
        import wasmtime  # noqa: F401
        out.append(pytest.param("wasmtime", id="wasmtime"))
    except ImportError:  # pragma: no cover
        pass
    return out


@pytest.fixture(params=_cores())
def core(request: pytest.FixtureRequest) -> Any:
    if request.param == "ours":
        return instantiate_engine_core(GUEST.read_bytes(), _dummy)
    from pywasm_host.component.wasmtime_core import instantiate_wasmtime_core

    return instantiate_wasmtime_core(GUEST.read_bytes(), _dummy)


def test_core_interface(core: Any) -> None:
    assert core.memory_size() == 65536
    assert core.read(1240, 5) == b"hello"
    core.write(3000, b"\x01\x02\x03\x04\x05\x06\x07\x08")
    assert core.load_int(3000, 4) == 0x04030201
    assert core.load_int(3000, 8) == 0x0807060504030201
    core.store_int(3000, 2, -1)
    assert core.read(3000, 3) == b"\xff\xff\x03"
    assert core.has_export("cabi_realloc") and not core.has_export("nope")
    assert core.call("test:canon/api#echo-u64", [2**64 - 1]) == [2**64 - 1]
    assert core.call("test:canon/api#echo-s8", [0xFFFF_FFFF]) == [0xFFFF_FFFF]
    assert core.call("test:canon/api#echo-f32", [1.5]) == [1.5]
    for bad in (lambda: core.read(65535, 2), lambda: core.write(65534, b"abc"), lambda: core.load_int(65533, 4),
                lambda: core.store_int(65535, 2, 0)):
        with pytest.raises(Trap, match="out of bounds"):
            bad()


def test_numeric_lists_without_per_element_work(core: Any) -> None:
    cx = LiftLowerContext(CanonicalOptions(), core, None, ValueClasses())
    for v in ([1, 2, 3], array("I", [1, 2, 3]), np.array([1, 2, 3], dtype=np.uint32), np.array([1, 2, 3])):
        ptr, n = lower_list(cx, v, T.U32)
        assert n == 3 and core.read(ptr, 12) == b"\x01\0\0\0\x02\0\0\0\x03\0\0\0"
    with pytest.raises(OverflowError):
        lower_list(cx, np.array([1, -1]), T.U32)
    with pytest.raises(OverflowError):
        lower_list(cx, [1, 2**32], T.U32)
    with pytest.raises(TypeError):
        lower_list(cx, [1.0], T.U32)
    with pytest.raises(TypeError):
        lower_list(cx, [True], T.U32)
    ptr, n = lower_list(cx, [0.5, float("nan"), -1.0], T.F32)
    core.store_int(4000, 4, ptr)
    core.store_int(4004, 4, n)
    lifted = load(cx, 4000, T.ListType(T.F32))
    assert lifted[0] == 0.5 and lifted[1] != lifted[1] and lifted[2] == -1.0
    npcx = LiftLowerContext(CanonicalOptions(numpy_lists=True), core, None, ValueClasses())
    arr = load(npcx, 4000, T.ListType(T.F32))
    assert arr.dtype == np.float32 and arr[0] == 0.5 and np.isnan(arr[1])
    ptr, n = lower_list(cx, np.arange(5, dtype=np.int16) - 2, T.S16)
    core.store_int(4000, 4, ptr)
    core.store_int(4004, 4, n)
    assert load(cx, 4000, T.ListType(T.S16)) == [-2, -1, 0, 1, 2]
    assert load(npcx, 4000, T.ListType(T.S16)).tolist() == [-2, -1, 0, 1, 2]


def test_lifted_arrays_do_not_alias_guest_memory(core: Any) -> None:
    core.write(5000, b"\x00\x00\xa0\x7f" + b"\x00\x00\x80\x3f")   # f32 sNaN payload, 1.0
    core.store_int(4000, 4, 5000)
    core.store_int(4004, 4, 2)
    for numpy_lists in (False, True):
        cx = LiftLowerContext(CanonicalOptions(numpy_lists=numpy_lists), core, None, ValueClasses())
        out = load(cx, 4000, T.ListType(T.F32))
        assert out[0] != out[0] and out[1] == 1.0
        if numpy_lists:
            out[1] = 2.0
        assert core.read(5000, 8) == b"\x00\x00\xa0\x7f\x00\x00\x80\x3f"


def test_scalar_lifting_rules(core: Any) -> None:
    """CanonicalABI.md: any non-zero bool is true; integers keep their low bits (lift_flat_signed/
    unsigned); chars must be Unicode scalar values."""
    from pywasm_host.abi.canonical.flat import ValueIter, lift_flat

    cx = LiftLowerContext(CanonicalOptions(), core, None, ValueClasses())
    assert lift_flat(cx, ValueIter([2]), T.BOOL) is True
    core.write(6000, b"\xff")
    assert load(cx, 6000, T.BOOL) is True
    assert lift_flat(cx, ValueIter([0x1_80]), T.S8) == -128
    assert lift_flat(cx, ValueIter([0xFFFF_FFFF]), T.U16) == 0xFFFF
    assert lift_flat(cx, ValueIter([2**64 - 1]), T.S64) == -1
    for bad in (0xD800, 0xDFFF, 0x110000):
        with pytest.raises(Trap, match="invalid char"):
            lift_flat(cx, ValueIter([bad]), T.CHAR)
