"""Loading component values from linear memory (component-model
``design/mvp/CanonicalABI.md``, "Loading"), plus the value constructors
and handle lifting (``lift_own``, ``lift_borrow``) shared with flat lifting.

``load(cx, ptr, t)`` reads the value of type ``t`` at ``ptr`` and returns
its Python form (see :mod:`.values`).  Every check of the spec traps:
``char`` outside the Unicode scalar values, a variant discriminant out of
range, misaligned or out-of-bounds list and string ranges, unknown or
mistyped handles.  ``bool`` follows the spec: any non-zero byte is true.
Lists of numbers are lifted without per-element Python work
(``memoryview.cast(...).tolist()`` or ``numpy.frombuffer``); ``list<u8>``
becomes ``bytes``.
"""

from __future__ import annotations

import struct
from typing import Any

from .layout import align_to, alignment, discriminant_type, elem_size, max_case_alignment
from .options import LiftLowerContext, trap, trap_oob
from .resources import ResourceState
from .strings import load_string
from .types import (
    BorrowType,
    EnumType,
    FlagsType,
    ListType,
    OptionType,
    OwnType,
    Prim,
    RecordType,
    ResultType,
    TupleType,
    ValType,
    VariantType,
    despecialize,
)
from .values import Err, Ok, Some

__all__ = ["load", "load_list_from_range", "load_list", "lift_own", "lift_borrow", "variant_value", "record_value",
           "flags_value", "convert_char", "canonicalize_nan32", "canonicalize_nan64", "f32_from_i32", "f64_from_i64",
           "NUMERIC_FORMATS"]

_F32 = struct.Struct("<f")
_I32 = struct.Struct("<I")
_F64 = struct.Struct("<d")
_I64 = struct.Struct("<Q")
_NAN = float("nan")

# element kind -> (struct/memoryview format, numpy dtype name)
NUMERIC_FORMATS: dict[str, tuple[str, str]] = {
    "u8": ("B", "u1"), "s8": ("b", "i1"), "u16": ("H", "<u2"), "s16": ("h", "<i2"), "u32": ("I", "<u4"),
    "s32": ("i", "<i4"), "u64": ("Q", "<u8"), "s64": ("q", "<i8"), "f32": ("f", "<f4"), "f64": ("d", "<f8"),
}


def canonicalize_nan32(f: float) -> float:
    return _NAN if f != f else f


canonicalize_nan64 = canonicalize_nan32


def f32_from_i32(i: int) -> float:
    """``decode_i32_as_float`` with NaN canonicalisation."""
    f: float = _F32.unpack(_I32.pack(i & 0xFFFF_FFFF))[0]
    return _NAN if f != f else f


def f64_from_i64(i: int) -> float:
    f: float = _F64.unpack(_I64.pack(i & 0xFFFF_FFFF_FFFF_FFFF))[0]
    return _NAN if f != f else f


def convert_char(i: int) -> str:
    """``convert_i32_to_char``: trap on surrogates and values beyond U+10FFFF."""
    if i >= 0x110000 or 0xD800 <= i <= 0xDFFF:
        raise trap(f"invalid char code point {i:#x}")
    return chr(i)


# ---- Python value constructors ------------------------------------------------


def variant_value(cx: LiftLowerContext, t: ValType, case_index: int, payload: Any) -> Any:
    """The Python value of case ``case_index`` of (specialised) variant type ``t``."""
    if isinstance(t, OptionType):
        if case_index == 0:
            return None
        return Some(payload) if isinstance(t.t, OptionType) else payload
    if isinstance(t, ResultType):
        return Ok(payload) if case_index == 0 else Err(payload)
    if isinstance(t, EnumType):
        return cx.classes.get(t)(t.labels[case_index])
    assert isinstance(t, VariantType)
    cls = cx.classes.get(t)
    factory = getattr(cls, "from_case", cls)
    return factory(t.cases[case_index].label, payload)


def record_value(cx: LiftLowerContext, t: ValType, values: list[Any]) -> Any:
    if isinstance(t, TupleType):
        return tuple(values)
    return cx.classes.get(t)(*values)


def flags_value(cx: LiftLowerContext, t: FlagsType, bits: int) -> Any:
    return cx.classes.get(t)(bits & ((1 << len(t.labels)) - 1))


# ---- handles ------------------------------------------------------------------


def _state(cx: LiftLowerContext) -> ResourceState:
    if cx.inst is None:
        raise trap("resource handles need a component instance")
    return cx.inst


def lift_own(cx: LiftLowerContext, i: int, t: OwnType) -> Any:
    """CanonicalABI.md ``lift_own``: take the owned handle ``i`` out of the guest's table."""
    state = _state(cx)
    e = state.table.remove(i)
    if e.rt is not t.rt:
        raise trap(f"handle {i} is a {e.rt.name}, expected own<{t.rt.name}>")
    if not e.own:
        raise trap(f"handle {i} is a borrow, expected own<{t.rt.name}>")
    if t.rt.impl == "host":
        return state.host_objects.pop(e.rep, None)
    return state.handle(t.rt, e.rep, True)


def lift_borrow(cx: LiftLowerContext, i: int, t: BorrowType) -> Any:
    """CanonicalABI.md ``lift_borrow``: lend handle ``i`` for the duration of the call."""
    state = _state(cx)
    e = state.table.get(i)
    if e.rt is not t.rt:
        raise trap(f"handle {i} is a {e.rt.name}, expected borrow<{t.rt.name}>")
    if cx.scope is not None:
        e.lend_count += 1
        cx.scope.lenders.append(e)
    if t.rt.impl == "host":
        return state.host_object(e.rep)
    return state.handle(t.rt, e.rep, False)


# ---- load ---------------------------------------------------------------------


def load(cx: LiftLowerContext, ptr: int, t: ValType) -> Any:
    """CanonicalABI.md ``load``: the value of type ``t`` stored at ``ptr``.

    Raises:
        Trap: any check of the spec fails (see the module docstring).
    """
    core = cx.core
    if isinstance(t, Prim):
        k = t.kind
        if k == "string":
            return load_string(cx, ptr)
        if k == "bool":
            return core.load_int(ptr, 1) != 0
        if k == "char":
            return convert_char(core.load_int(ptr, 4))
        if k == "f32":
            return f32_from_i32(core.load_int(ptr, 4))
        if k == "f64":
            return f64_from_i64(core.load_int(ptr, 8))
        size = _INT_SIZE[k]
        v = core.load_int(ptr, size)
        if k[0] == "s" and v >= 1 << (8 * size - 1):
            v -= 1 << (8 * size)
        return v
    if isinstance(t, ListType):
        if t.length is not None:
            return load_list_from_range(cx, ptr, t.length, t.elem, fixed=True)
        return load_list(cx, ptr, t.elem)
    if isinstance(t, (RecordType, TupleType)):
        d = despecialize(t)
        assert isinstance(d, RecordType)
        values = []
        for f in d.fields:
            ptr = align_to(ptr, alignment(f.t))
            values.append(load(cx, ptr, f.t))
            ptr += elem_size(f.t)
        return record_value(cx, t, values)
    if isinstance(t, (VariantType, EnumType, OptionType, ResultType)):
        d = despecialize(t)
        assert isinstance(d, VariantType)
        disc_size = _INT_SIZE[discriminant_type(len(d.cases))]
        case_index = core.load_int(ptr, disc_size)
        ptr += disc_size
        if case_index >= len(d.cases):
            raise trap(f"variant discriminant {case_index} out of range ({len(d.cases)} cases)")
        c = d.cases[case_index]
        ptr = align_to(ptr, max_case_alignment(d))
        payload = None if c.t is None else load(cx, ptr, c.t)
        return variant_value(cx, t, case_index, payload)
    if isinstance(t, FlagsType):
        size = elem_size(t)  # 0, 1 or 2 bytes for up to 16 flags, else one i32 per 32 flags
        if size <= 2:
            bits = core.load_int(ptr, size) if size else 0
        else:
            bits = 0
            for i in range(size // 4):
                bits |= core.load_int(ptr + 4 * i, 4) << (32 * i)
        return flags_value(cx, t, bits)
    if isinstance(t, OwnType):
        return lift_own(cx, core.load_int(ptr, 4), t)
    if isinstance(t, BorrowType):
        return lift_borrow(cx, core.load_int(ptr, 4), t)
    raise TypeError(f"cannot load {t!r}")  # pragma: no cover


_INT_SIZE = {"u8": 1, "s8": 1, "u16": 2, "s16": 2, "u32": 4, "s32": 4, "u64": 8, "s64": 8}


def load_list(cx: LiftLowerContext, ptr: int, elem_type: ValType) -> Any:
    begin = cx.core.load_int(ptr, 4)
    length = cx.core.load_int(ptr + 4, 4)
    return load_list_from_range(cx, begin, length, elem_type)


def load_list_from_range(cx: LiftLowerContext, ptr: int, length: int, elem_type: ValType, fixed: bool = False) -> Any:
    """CanonicalABI.md ``load_list_from_range``: ``length`` elements at ``ptr``.

    Raises:
        Trap: misaligned ``ptr`` or the range lies outside memory.
    """
    size = elem_size(elem_type)
    align = alignment(elem_type)
    if ptr % align:
        raise trap(f"misaligned list pointer {ptr:#x} (alignment {align})")
    if ptr + length * size > cx.core.memory_size():
        raise trap_oob(f"list [{ptr:#x}, +{length}x{size}) outside memory")
    if isinstance(elem_type, Prim) and elem_type.kind in NUMERIC_FORMATS:
        kind = elem_type.kind
        if kind == "u8" and not cx.opts.numpy_lists and not fixed:
            return cx.core.read(ptr, length)
        # a zero-copy view when the core offers one (it is only read before the guest runs again)
        view = getattr(cx.core, "view", None)
        raw = view(ptr, length * size) if view is not None else cx.core.read(ptr, length * size)
        fmt, dtype = NUMERIC_FORMATS[kind]
        if cx.opts.numpy_lists or kind in ("f32", "f64"):
            import numpy as np

            arr = np.frombuffer(raw, dtype=dtype)
            if view is not None and cx.opts.numpy_lists:
                arr = arr.copy()  # the caller's array must not alias guest memory
            if kind in ("f32", "f64"):
                nans = np.isnan(arr)
                if nans.any():
                    arr = arr.copy()  # never canonicalise inside guest memory
                    arr[nans] = np.nan
            if cx.opts.numpy_lists:
                return arr
            return arr.tolist()
        return memoryview(raw).cast(fmt).tolist()
    out = []
    for i in range(length):
        out.append(load(cx, ptr + i * size, elem_type))
    return out



