"""Property tests of the canonical ABI (CanonicalABI.md "Loading"/"Storing",
"Flat Lifting"/"Flat Lowering"): for random component types and random
values, lowering then lifting gives the value back, through a real guest
memory and its ``cabi_realloc``; random guest bytes and flat values only
ever give a value or a ``Trap``.  Runs over our interpreter and wasmtime-py."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pywasm_host.abi.canonical import types as T
from pywasm_host.abi.canonical.core import instantiate_engine_core
from pywasm_host.abi.canonical.flat import ValueIter, lift_flat, lower_flat
from pywasm_host.abi.canonical.flatten import flatten_type
from pywasm_host.abi.canonical.layout import alignment, elem_size
from pywasm_host.abi.canonical.loading import load
from pywasm_host.abi.canonical.options import CanonicalOptions, LiftLowerContext
from pywasm_host.abi.canonical.storing import store
from pywasm_host.abi.canonical.values import Err, Ok, Some, ValueClasses

from pywasm_host import Trap

GUEST = Path(__file__).resolve().parents[2] / "fixtures" / "canon" / "canon" / "canon.wasm"
_names = itertools.count()


def _dummy(module: str, name: str, params: tuple[str, ...], results: tuple[str, ...]) -> Any:
    return lambda args: [0] * len(results)


def _cores() -> list[Any]:
    cores: list[Any] = [pytest.param(lambda: instantiate_engine_core(GUEST.read_bytes(), _dummy), id="ours")]
    try:
        from pywasm_host.component.wasmtime_core import instantiate_wasmtime_core

        cores.append(pytest.param(lambda: instantiate_wasmtime_core(GUEST.read_bytes(), _dummy), id="wasmtime"))
    except ImportError:  # pragma: no cover
        pass
    return cores


@pytest.fixture(params=_cores(), scope="module")
def core(request: pytest.FixtureRequest) -> Any:
    return request.param()


# ---- random types --------------------------------------------------------------

def _named(t: T.ValType) -> T.ValType:
    t.name = f"t{next(_names)}"
    return t


prims = st.sampled_from(list(T.PRIMS.values()))


def _extend(inner: st.SearchStrategy[T.ValType]) -> st.SearchStrategy[T.ValType]:
    return st.one_of(
        inner.map(T.ListType),
        st.tuples(inner, st.integers(1, 3)).map(lambda p: T.ListType(p[0], p[1])),
        st.lists(inner, min_size=1, max_size=4).map(
            lambda ts: _named(T.RecordType([T.Field(f"f{i}", t) for i, t in enumerate(ts)]))),
        st.lists(inner, min_size=1, max_size=3).map(T.TupleType),
        st.lists(st.one_of(st.none(), inner), min_size=1, max_size=4).map(
            lambda ts: _named(T.VariantType([T.Case(f"c{i}", t) for i, t in enumerate(ts)]))),
        inner.map(T.OptionType),
        st.tuples(st.one_of(st.none(), inner), st.one_of(st.none(), inner)).map(lambda p: T.ResultType(*p)),
    )


types = st.recursive(
    st.one_of(prims,
              st.integers(1, 300).map(lambda n: _named(T.EnumType([f"e{i}" for i in range(n)]))),
              st.integers(1, 40).map(lambda n: _named(T.FlagsType([f"g{i}" for i in range(n)])))),
    _extend, max_leaves=6)

INT_BOUNDS = {"u8": (0, 2**8 - 1), "s8": (-2**7, 2**7 - 1), "u16": (0, 2**16 - 1), "s16": (-2**15, 2**15 - 1),
              "u32": (0, 2**32 - 1), "s32": (-2**31, 2**31 - 1), "u64": (0, 2**64 - 1), "s64": (-2**63, 2**63 - 1)}


def values(t: T.ValType, classes: ValueClasses) -> st.SearchStrategy[Any]:
    if isinstance(t, T.Prim):
        k = t.kind
        if k in INT_BOUNDS:
            return st.integers(*INT_BOUNDS[k])
        if k == "bool":
            return st.booleans()
        if k == "f32":
            return st.floats(width=32, allow_nan=False)
        if k == "f64":
            return st.floats(allow_nan=False)
        if k == "char":
            return st.characters(blacklist_categories=("Cs",))
        return st.text(max_size=20)
    if isinstance(t, T.ListType):
        if t.length is not None:
            return st.lists(values(t.elem, classes), min_size=t.length, max_size=t.length)
        if t.elem is T.U8:
            return st.binary(max_size=40)
        return st.lists(values(t.elem, classes), max_size=4)
    if isinstance(t, T.RecordType):
        cls = classes.get(t)
        return st.tuples(*[values(f.t, classes) for f in t.fields]).map(lambda vs: cls(*vs))
    if isinstance(t, T.TupleType):
        return st.tuples(*[values(x, classes) for x in t.types])
    if isinstance(t, T.VariantType):
        cls = classes.get(t)
        return st.one_of(*[
            (st.just(None) if c.t is None else values(c.t, classes)).map(lambda v, label=c.label: cls(label, v))
            for c in t.cases])
    if isinstance(t, T.EnumType):
        cls = classes.get(t)
        return st.sampled_from(t.labels).map(cls)
    if isinstance(t, T.FlagsType):
        cls = classes.get(t)
        return st.integers(0, 2 ** len(t.labels) - 1).map(cls)
    if isinstance(t, T.OptionType):
        inner = values(t.t, classes)
        if isinstance(t.t, T.OptionType):
            inner = inner.map(Some)
        return st.one_of(st.none(), inner)
    if isinstance(t, T.ResultType):
        ok = st.just(None) if t.ok is None else values(t.ok, classes)
        err = st.just(None) if t.error is None else values(t.error, classes)
        return st.one_of(ok.map(Ok), err.map(Err))
    raise AssertionError(t)


def _cx(core: Any, classes: ValueClasses, encoding: str = "utf8") -> LiftLowerContext:
    return LiftLowerContext(CanonicalOptions(encoding), core, None, classes)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(data=st.data(), t=types, encoding=st.sampled_from(["utf8", "utf16", "latin1+utf16"]))
def test_store_then_load_is_identity(core: Any, data: st.DataObject, t: T.ValType, encoding: str) -> None:
    classes = ValueClasses()
    v = data.draw(values(t, classes))
    cx = _cx(core, classes, encoding)
    ptr = cx.realloc(0, 0, alignment(t), elem_size(t))
    store(cx, v, t, ptr)
    assert load(cx, ptr, t) == v


@SETTINGS
@given(data=st.data(), t=types)
def test_lower_flat_then_lift_flat_is_identity(core: Any, data: st.DataObject, t: T.ValType) -> None:
    classes = ValueClasses()
    v = data.draw(values(t, classes))
    cx = _cx(core, classes)
    flat = lower_flat(cx, v, t)
    assert len(flat) == len(flatten_type(t))
    vi = ValueIter(flat)
    assert lift_flat(cx, vi, t) == v
    assert vi.i == len(flat)


@SETTINGS
@given(t=types, ptr=st.integers(0, 2**32 - 1), junk=st.binary(min_size=64, max_size=64))
def test_hostile_memory_gives_value_or_trap(core: Any, t: T.ValType, ptr: int, junk: bytes) -> None:
    cx = _cx(core, ValueClasses())
    core.write(8192, junk)
    for p in (ptr, 8192, 8192 + (ptr % 64)):
        try:
            load(cx, p, t)
        except Trap:
            pass


def _flat_values(t: T.ValType) -> st.SearchStrategy[list[Any]]:
    gens = {"i32": st.integers(0, 2**32 - 1), "i64": st.integers(0, 2**64 - 1),
            "f32": st.floats(width=32), "f64": st.floats()}
    return st.tuples(*[gens[x] for x in flatten_type(t)]).map(list)


@SETTINGS
@given(data=st.data(), t=types)
def test_hostile_flat_values_give_value_or_trap(core: Any, data: st.DataObject, t: T.ValType) -> None:
    flat = data.draw(_flat_values(t))
    cx = _cx(core, ValueClasses())
    try:
        lift_flat(cx, ValueIter(flat), t)
    except Trap:
        pass


@SETTINGS
@given(data=st.data(), ts=st.lists(types, min_size=1, max_size=6))
def test_hostile_import_arguments_give_value_or_trap(core: Any, data: st.DataObject, ts: list[T.ValType]) -> None:
    """A guest calling a host import (``canon lower``) with arbitrary flat arguments, spilled or not."""
    from pywasm_host.abi.canonical.canon import canon_lower
    from pywasm_host.abi.canonical.flatten import flatten_functype

    ft = T.FuncType([(f"p{i}", t) for i, t in enumerate(ts)], None)
    params, _ = flatten_functype(ft, "lower")
    gens = {"i32": st.integers(0, 2**32 - 1), "i64": st.integers(0, 2**64 - 1),
            "f32": st.floats(width=32), "f64": st.floats()}
    args = data.draw(st.tuples(*[gens[p] for p in params]).map(list))
    fn = canon_lower(CanonicalOptions(), lambda: core, None, ValueClasses(), ft, lambda *a: None, "f")
    try:
        assert fn(args) == []
    except Trap:
        pass
