"""Storing component values into linear memory (component-model
``design/mvp/CanonicalABI.md``, "Storing"), plus the conversions of Python
values shared with flat lowering and handle lowering (``lower_own``,
``lower_borrow``).

``store(cx, v, t, ptr)`` writes the Python value ``v`` of type ``t`` at
``ptr``, allocating strings and lists through the guest's ``realloc``.
Python values are checked before anything is written where possible:
a value of the wrong Python type raises ``TypeError``, an integer outside
its WIT type's range ``OverflowError``, an invalid ``char``/string or an
unknown case/flag name ``ValueError``; the caller (``canon.py``) prefixes
the parameter name and WIT type.  A misaligned or out-of-bounds pointer
returned by ``realloc`` traps, as in the spec.  Numeric lists (``bytes``,
``array.array``, numpy arrays, Python lists) are converted with one C-level
copy (``array.array`` or numpy), not per element in Python.
"""

from __future__ import annotations

import enum
import struct
from array import array
from collections.abc import Mapping
from typing import Any

from ...interpreter.runtime.values import f32_round
from .layout import align_to, alignment, discriminant_type, elem_size, max_case_alignment
from .loading import NUMERIC_FORMATS
from .options import LiftLowerContext, trap
from .resources import HandleElem, ResourceHandle, ResourceState
from .strings import store_string
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
    snake,
    wit_type_name,
)
from .values import Err, Ok, Some

__all__ = ["store", "store_list", "lower_list", "int_value", "float_value", "bool_value", "char_value", "case_of",
           "record_values", "flags_bits", "lower_own", "lower_borrow", "f32_bits", "f64_bits", "INT_RANGES"]

INT_RANGES: dict[str, tuple[int, int, int]] = {
    "u8": (0, 0xFF, 1), "s8": (-0x80, 0x7F, 1), "u16": (0, 0xFFFF, 2), "s16": (-0x8000, 0x7FFF, 2),
    "u32": (0, 0xFFFF_FFFF, 4), "s32": (-0x8000_0000, 0x7FFF_FFFF, 4),
    "u64": (0, 0xFFFF_FFFF_FFFF_FFFF, 8), "s64": (-0x8000_0000_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, 8),
}
_F32 = struct.Struct("<f")
_I32 = struct.Struct("<I")
_F64 = struct.Struct("<d")
_I64 = struct.Struct("<Q")
_NAN = float("nan")


def int_value(v: Any, kind: str) -> int:
    """Check that ``v`` is an ``int`` in the range of WIT integer type ``kind``.

    Raises:
        TypeError: not an ``int`` (``bool`` is refused).
        OverflowError: out of range.
    """
    if type(v) is not int:
        if not isinstance(v, int) or isinstance(v, bool):
            raise TypeError(f"expected int for {kind}, got {type(v).__name__}")
        v = int(v)
    lo, hi, _ = INT_RANGES[kind]
    if not lo <= v <= hi:
        raise OverflowError(f"{v} is out of range for {kind} [{lo}, {hi}]")
    return v


def float_value(v: Any, single: bool) -> float:
    """``v`` as an f32/f64 value (f32: rounded to single precision; NaN canonical).

    Raises:
        TypeError: not an ``int`` or ``float``.
    """
    if isinstance(v, bool) or not isinstance(v, (float, int)):
        raise TypeError(f"expected float for {'f32' if single else 'f64'}, got {type(v).__name__}")
    x = float(v)
    if x != x:
        return _NAN
    return f32_round(x) if single else x


def f32_bits(x: float) -> int:
    return 0x7FC0_0000 if x != x else _I32.unpack(_F32.pack(x))[0]  # type: ignore[no-any-return]


def f64_bits(x: float) -> int:
    return 0x7FF8_0000_0000_0000 if x != x else _I64.unpack(_F64.pack(x))[0]  # type: ignore[no-any-return]


def bool_value(v: Any) -> int:
    """``v`` (a ``bool``) as 0 or 1.

    Raises:
        TypeError: not a ``bool``.
    """
    if not isinstance(v, bool):
        raise TypeError(f"expected bool, got {type(v).__name__}")
    return int(v)


def char_value(v: Any) -> int:
    """The code point of a 1-character ``str``.

    Raises:
        TypeError: not a 1-character ``str``.
        ValueError: a surrogate code point.
    """
    if not isinstance(v, str) or len(v) != 1:
        raise TypeError(f"expected a 1-character str for char, got {type(v).__name__} {v!r:.40}")
    i = ord(v)
    if 0xD800 <= i <= 0xDFFF:
        raise ValueError(f"char {i:#x} is a surrogate, not a Unicode scalar value")
    return i


def _label_index(index: dict[str, int], labels: tuple[str, ...], name: Any, what: str) -> int:
    if isinstance(name, str):
        i = index.get(name)
        if i is None:
            i = next((j for j, label in enumerate(labels) if snake(label) == name or snake(label).upper() == name),
                     None)
        if i is not None:
            return i
    raise ValueError(f"unknown {what} {name!r}; expected one of {list(labels)}")


def case_of(cx: LiftLowerContext, v: Any, t: ValType) -> tuple[int, Any, ValType | None]:
    """``(case_index, payload, payload_type)`` of Python value ``v`` of variant-like type ``t``.

    Raises:
        TypeError, ValueError: ``v`` is not a value of ``t``.
    """
    if isinstance(t, OptionType):
        if v is None:
            return 0, None, None
        if isinstance(v, Some):
            return 1, v.value, t.t
        # a bare value is some(v); for option<option<T>> that is some(some(v))
        return 1, v, t.t
    if isinstance(t, ResultType):
        if isinstance(v, Ok):
            return 0, v.value, t.ok
        if isinstance(v, Err):
            return 1, v.value, t.error
        raise TypeError(f"expected Ok(...) or Err(...) for {wit_type_name(t)}, got {type(v).__name__}")
    if isinstance(t, EnumType):
        if isinstance(v, enum.Enum):
            v = v.value
        return _label_index(t.index, t.labels, v, f"case of enum {t.name}"), None, None
    assert isinstance(t, VariantType)
    tag = getattr(v, "tag", None)
    if tag is None:
        raise TypeError(f"expected a variant value with .tag/.value for {wit_type_name(t)}, got {type(v).__name__}")
    i = _label_index(t.index, tuple(c.label for c in t.cases), tag, f"case of variant {t.name}")
    c = t.cases[i]
    return i, (getattr(v, "value", None) if c.t is not None else None), c.t


def record_values(v: Any, t: ValType) -> list[tuple[Any, ValType]]:
    """The field values of record/tuple ``v`` with their types.

    Raises:
        TypeError: ``v`` lacks a field or has the wrong arity.
    """
    if isinstance(t, TupleType):
        if not isinstance(v, (tuple, list)) or len(v) != len(t.types):
            raise TypeError(f"expected a tuple of {len(t.types)} values for {wit_type_name(t)}, got {v!r:.60}")
        return list(zip(v, t.types))
    assert isinstance(t, RecordType)
    out = []
    if isinstance(v, Mapping):
        for f in t.fields:
            if f.pyname in v:
                out.append((v[f.pyname], f.t))
            elif f.label in v:
                out.append((v[f.label], f.t))
            else:
                raise TypeError(f"record {t.name}: missing field {f.pyname!r}")
        return out
    for f in t.fields:
        try:
            out.append((getattr(v, f.pyname), f.t))
        except AttributeError:
            raise TypeError(f"record {t.name}: {type(v).__name__} has no field {f.pyname!r}") from None
    return out


def flags_bits(v: Any, t: FlagsType) -> int:
    """The bit set of flags value ``v`` (an ``enum.Flag``, an ``int``, or an iterable of names).

    Raises:
        TypeError, ValueError: ``v`` is not a flags value of ``t``.
    """
    n = len(t.labels)
    if isinstance(v, enum.Flag):
        bits = int(v.value)
    elif isinstance(v, int) and not isinstance(v, bool):
        bits = v
    elif isinstance(v, (set, frozenset, list, tuple)):
        bits = 0
        for name in v:
            bits |= 1 << _label_index(t.index, t.labels, name, f"flag of {t.name}")
    else:
        raise TypeError(f"expected a Flag, int or set of names for flags {t.name}, got {type(v).__name__}")
    if bits < 0 or bits >> n:
        raise ValueError(f"flags {t.name}: bits {bits:#x} outside its {n} flags")
    return bits


# ---- handles ------------------------------------------------------------------


def _state(cx: LiftLowerContext) -> ResourceState:
    if cx.inst is None:
        raise TypeError("resource handles need a component instance")
    return cx.inst


def _guest_rep(v: Any, t: OwnType | BorrowType) -> int:
    if not isinstance(v, ResourceHandle) or v.rt is not t.rt:
        raise TypeError(f"expected a {t.rt.name} handle for {wit_type_name(t)}, got {v!r:.60}")
    return v._take(wit_type_name(t))


def lower_own(cx: LiftLowerContext, v: Any, t: OwnType) -> int:
    """CanonicalABI.md ``lower_own``: a new owned handle in the guest's table (moves ``v``)."""
    state = _state(cx)
    if t.rt.impl == "host":
        if isinstance(v, ResourceHandle) or v is None:
            raise TypeError(f"expected a host object for {wit_type_name(t)}, got {v!r:.60}")
        rep = state.host_rep(v)
    else:
        rep = _guest_rep(v, t)
        v._alive = False
    return state.table.add(HandleElem(t.rt, rep, True))


def lower_borrow(cx: LiftLowerContext, v: Any, t: BorrowType) -> int:
    """CanonicalABI.md ``lower_borrow``: the ``rep`` itself when the guest implements the
    resource, else a borrow handle released when the call ends."""
    state = _state(cx)
    if t.rt.impl != "host":
        return _guest_rep(v, t)
    if isinstance(v, ResourceHandle) or v is None:
        raise TypeError(f"expected a host object for {wit_type_name(t)}, got {v!r:.60}")
    rep = state.host_rep(v)
    i = state.table.add(HandleElem(t.rt, rep, False, cx.scope))
    if cx.scope is not None:
        cx.scope.lent.append(i)
    return i


# ---- store --------------------------------------------------------------------


def store(cx: LiftLowerContext, v: Any, t: ValType, ptr: int) -> None:
    """CanonicalABI.md ``store``: write ``v`` of type ``t`` at ``ptr``.

    Raises:
        TypeError, OverflowError, ValueError: ``v`` is not a value of ``t``.
        Trap: ``realloc`` misbehaved, or ``ptr`` is outside memory.
    """
    core = cx.core
    if isinstance(t, Prim):
        k = t.kind
        if k == "string":
            store_string(cx, v, ptr)
        elif k == "bool":
            core.store_int(ptr, 1, bool_value(v))
        elif k == "char":
            core.store_int(ptr, 4, char_value(v))
        elif k == "f32":
            core.store_int(ptr, 4, f32_bits(float_value(v, True)))
        elif k == "f64":
            core.store_int(ptr, 8, f64_bits(float_value(v, False)))
        else:
            core.store_int(ptr, INT_RANGES[k][2], int_value(v, k))
        return
    if isinstance(t, ListType):
        if t.length is not None:
            _store_fixed_list(cx, v, t, ptr)
            return
        store_list(cx, v, ptr, t.elem)
        return
    if isinstance(t, (RecordType, TupleType)):
        for fv, ft in record_values(v, t):
            ptr = align_to(ptr, alignment(ft))
            store(cx, fv, ft, ptr)
            ptr += elem_size(ft)
        return
    if isinstance(t, (VariantType, EnumType, OptionType, ResultType)):
        d = despecialize(t)
        assert isinstance(d, VariantType)
        case_index, payload, pt = case_of(cx, v, t)
        disc_size = INT_RANGES[discriminant_type(len(d.cases))][2]
        core.store_int(ptr, disc_size, case_index)
        if pt is not None:
            store(cx, payload, pt, align_to(ptr + disc_size, max_case_alignment(d)))
        return
    if isinstance(t, FlagsType):
        bits = flags_bits(v, t)
        size = elem_size(t)  # 0, 1 or 2 bytes for up to 16 flags, else one i32 per 32 flags
        if size <= 2:
            if size:
                core.store_int(ptr, size, bits)
        else:
            for i in range(size // 4):
                core.store_int(ptr + 4 * i, 4, (bits >> (32 * i)) & 0xFFFF_FFFF)
        return
    if isinstance(t, OwnType):
        core.store_int(ptr, 4, lower_own(cx, v, t))
        return
    if isinstance(t, BorrowType):
        core.store_int(ptr, 4, lower_borrow(cx, v, t))
        return
    raise TypeError(f"cannot store {t!r}")  # pragma: no cover


def _store_fixed_list(cx: LiftLowerContext, v: Any, t: ListType, ptr: int) -> None:
    assert t.length is not None
    data = _numeric_bytes(v, t.elem)
    if data is not None:
        if len(data) != t.length * elem_size(t.elem):
            raise TypeError(f"expected {t.length} elements for {wit_type_name(t)}")
        cx.core.write(ptr, data)
        return
    items = _sequence(v, t)
    if len(items) != t.length:
        raise TypeError(f"expected {t.length} elements for {wit_type_name(t)}, got {len(items)}")
    size = elem_size(t.elem)
    for i, e in enumerate(items):
        store(cx, e, t.elem, ptr + i * size)


def _sequence(v: Any, t: ValType) -> list[Any] | tuple[Any, ...]:
    if isinstance(v, (list, tuple)):
        return v
    if isinstance(v, (str, bytes, Mapping)) or not hasattr(v, "__iter__"):
        raise TypeError(f"expected a list for {wit_type_name(t)}, got {type(v).__name__}")
    return list(v)


def _numeric_bytes(v: Any, elem: ValType) -> bytes | memoryview | None:
    """The little-endian bytes of numeric list ``v`` (one C-level conversion), or ``None``
    when ``elem`` is not numeric.

    Raises:
        TypeError: elements of the wrong type.
        OverflowError: elements out of range.
    """
    if not isinstance(elem, Prim) or elem.kind not in NUMERIC_FORMATS:
        return None
    kind = elem.kind
    fmt, dtype = NUMERIC_FORMATS[kind]
    if kind == "u8" and isinstance(v, (bytes, bytearray)):
        return v
    if isinstance(v, memoryview) and kind == "u8":
        return v.cast("B") if v.format != "B" else v
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is a dependency
        np = None
    if np is not None and isinstance(v, np.ndarray):
        if v.ndim != 1:
            raise TypeError(f"expected a 1-dimensional array for list<{kind}>, got shape {v.shape}")
        target = np.dtype(dtype)
        if v.dtype != target:
            if kind in ("f32", "f64"):
                if v.dtype.kind not in "fiu":
                    raise TypeError(f"expected a numeric array for list<{kind}>, got dtype {v.dtype}")
            else:
                if v.dtype.kind not in "iub":
                    raise TypeError(f"expected an integer array for list<{kind}>, got dtype {v.dtype}")
                if v.size:
                    lo, hi, _ = INT_RANGES[kind]
                    if int(v.min()) < lo or int(v.max()) > hi:
                        raise OverflowError(f"array values out of range for {kind}")
            v = v.astype(target)
        if kind in ("f32", "f64"):
            nans = np.isnan(v)
            if nans.any():
                v = v.copy()
                v[nans] = np.nan
        return memoryview(np.ascontiguousarray(v)).cast("B")
    if isinstance(v, array):
        if v.typecode == fmt:
            return memoryview(v).cast("B")
        v = v.tolist()
    if not isinstance(v, (list, tuple)):
        raise TypeError(f"expected a list for list<{kind}>, got {type(v).__name__}")
    if kind not in ("f32", "f64"):
        for x in v:  # array() accepts bool and rejects nothing else we need; keep bool out (C loop below)
            if type(x) is not int:
                int_value(x, kind)
        try:
            return memoryview(array(fmt, v)).cast("B")
        except OverflowError:
            lo, hi, _ = INT_RANGES[kind]
            bad = next(x for x in v if not lo <= x <= hi)
            raise OverflowError(f"{bad} is out of range for {kind} [{lo}, {hi}]") from None
    for x in v:
        if type(x) is not float:
            float_value(x, kind == "f32")
    return memoryview(array(fmt, v)).cast("B")


def lower_list(cx: LiftLowerContext, v: Any, elem_type: ValType) -> tuple[int, int]:
    """CanonicalABI.md ``store_list_into_range``: copy list ``v`` into a fresh ``realloc``
    allocation; returns ``(ptr, length)``.

    Raises:
        TypeError, OverflowError, ValueError: ``v`` is not a list of ``elem_type``.
        Trap: ``realloc`` returned a misaligned or out-of-bounds pointer.
    """
    size = elem_size(elem_type)
    align = alignment(elem_type)
    data = _numeric_bytes(v, elem_type)
    if data is not None:
        byte_length = len(data)
        length = byte_length // size
        items: Any = None
    else:
        items = _sequence(v, ListType(elem_type))
        length = len(items)
        byte_length = length * size
    if byte_length >= 1 << 32:
        raise trap("list too long")
    ptr = cx.allocate(align, byte_length)
    if data is not None:
        if byte_length:
            cx.core.write(ptr, data)
    else:
        for i, e in enumerate(items):
            store(cx, e, elem_type, ptr + i * size)
    return ptr, length


def store_list(cx: LiftLowerContext, v: Any, ptr: int, elem_type: ValType) -> None:
    begin, length = lower_list(cx, v, elem_type)
    cx.core.store_int(ptr, 4, begin)
    cx.core.store_int(ptr + 4, 4, length)
