"""Flat lifting and lowering (component-model ``design/mvp/CanonicalABI.md``,
"Flat Lifting", "Flat Lowering" and "Lifting and Lowering Values").

Flat values are the core values of :func:`.flatten.flatten_type`: ``i32``
and ``i64`` as unsigned ``int``, ``f32``/``f64`` as ``float``.
``lift_flat`` consumes them through a :class:`ValueIter`; variant payloads
go through :class:`CoerceValueIter`, which reinterprets joined slots
(``i32``<->``f32``, ``i64`` -> ``i32``/``f32``/``f64``) exactly as the spec.
``lift_flat_values``/``lower_flat_values`` apply the ``MAX_FLAT_*`` limits:
beyond them the values live in memory (a tuple at a pointer).
"""

from __future__ import annotations

from typing import Any

from .flatten import flatten_type, flatten_types
from .layout import align_to, alignment, elem_size
from .loading import (
    convert_char,
    f32_from_i32,
    f64_from_i64,
    flags_value,
    lift_borrow,
    lift_own,
    load,
    load_list_from_range,
    record_value,
    variant_value,
)
from .options import LiftLowerContext, trap, trap_oob
from .storing import (
    INT_RANGES,
    bool_value,
    case_of,
    char_value,
    f32_bits,
    f64_bits,
    flags_bits,
    float_value,
    int_value,
    lower_borrow,
    lower_list,
    lower_own,
    record_values,
    store,
)
from .strings import load_string_from_range, lower_string
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
    wit_type_name,
)

__all__ = ["ValueIter", "CoerceValueIter", "lift_flat", "lower_flat", "lift_flat_values", "lower_flat_values",
           "describe_error"]

_NAN = float("nan")


class ValueIter:
    """Iterates over a list of flat values (CanonicalABI.md ``CoreValueIter``)."""

    __slots__ = ("values", "i")

    def __init__(self, values: list[Any]) -> None:
        self.values = values
        self.i = 0

    def next(self, want: str) -> Any:
        i = self.i
        if i >= len(self.values):
            raise trap("too few flat values")
        self.i = i + 1
        return self.values[i]


class CoerceValueIter:
    """Reads a variant payload from the joined flat slots of its variant."""

    __slots__ = ("vi", "flat_types")

    def __init__(self, vi: ValueIter | CoerceValueIter, flat_types: list[str]) -> None:
        self.vi = vi
        self.flat_types = flat_types

    def next(self, want: str) -> Any:
        have = self.flat_types.pop(0)
        x = self.vi.next(have)
        if have == "i32" and want == "f32":
            return f32_from_i32(x)
        if have == "i64":
            if want == "i32":
                return x & 0xFFFF_FFFF
            if want == "f32":
                return f32_from_i32(x & 0xFFFF_FFFF)
            if want == "f64":
                return f64_from_i64(x)
        return x


def lift_flat(cx: LiftLowerContext, vi: ValueIter | CoerceValueIter, t: ValType) -> Any:
    """CanonicalABI.md ``lift_flat``: the value of type ``t`` from flat values.

    Raises:
        Trap: any check of the spec fails.
    """
    if isinstance(t, Prim):
        k = t.kind
        if k == "string":
            ptr = vi.next("i32")
            return load_string_from_range(cx, ptr, vi.next("i32"))
        if k == "bool":
            return vi.next("i32") != 0
        if k == "char":
            return convert_char(vi.next("i32"))
        if k == "f32" or k == "f64":
            x = vi.next(k)
            return _NAN if x != x else float(x)
        lo, hi, size = INT_RANGES[k]
        v = vi.next("i64" if size == 8 else "i32") & ((1 << (8 * size)) - 1)
        if v > hi:  # signed types: lift_flat_signed
            v -= 1 << (8 * size)
        return v
    if isinstance(t, ListType):
        if t.length is not None:
            return [lift_flat(cx, vi, t.elem) for _ in range(t.length)]
        ptr = vi.next("i32")
        return load_list_from_range(cx, ptr, vi.next("i32"), t.elem)
    if isinstance(t, TupleType):
        return tuple(lift_flat(cx, vi, x) for x in t.types)
    if isinstance(t, RecordType):
        return record_value(cx, t, [lift_flat(cx, vi, f.t) for f in t.fields])
    if isinstance(t, (VariantType, EnumType, OptionType, ResultType)):
        d = despecialize(t)
        assert isinstance(d, VariantType)
        flat_types = list(flatten_type(t)[1:])  # the joined payload slots (cached on the type)
        case_index = vi.next("i32")
        if case_index >= len(d.cases):
            raise trap(f"variant discriminant {case_index} out of range ({len(d.cases)} cases)")
        c = d.cases[case_index]
        payload = None
        if c.t is not None:
            cvi = CoerceValueIter(vi, flat_types)
            payload = lift_flat(cx, cvi, c.t)
        for have in flat_types:
            vi.next(have)
        return variant_value(cx, t, case_index, payload)
    if isinstance(t, FlagsType):
        bits = 0
        for i in range(len(flatten_type(t))):
            bits |= vi.next("i32") << (32 * i)
        return flags_value(cx, t, bits)
    if isinstance(t, OwnType):
        return lift_own(cx, vi.next("i32"), t)
    if isinstance(t, BorrowType):
        return lift_borrow(cx, vi.next("i32"), t)
    raise TypeError(f"cannot lift {t!r}")  # pragma: no cover


def _coerce(have: str, want: str, x: Any) -> Any:
    """Lowering side of the variant join: put a ``have`` value in a ``want`` slot."""
    if have == want:
        return x
    if have == "f32":
        return f32_bits(x)
    if have == "f64":
        return f64_bits(x)
    return x  # i32 into i64: the unsigned value is already zero-extended


def lower_flat(cx: LiftLowerContext, v: Any, t: ValType) -> list[Any]:
    """CanonicalABI.md ``lower_flat``: the flat values of ``v`` of type ``t``.

    Raises:
        TypeError, OverflowError, ValueError: ``v`` is not a value of ``t``.
        Trap: ``realloc`` misbehaved.
    """
    if isinstance(t, Prim):
        k = t.kind
        if k == "string":
            return list(lower_string(cx, v))
        if k == "bool":
            return [bool_value(v)]
        if k == "char":
            return [char_value(v)]
        if k == "f32":
            return [float_value(v, True)]
        if k == "f64":
            return [float_value(v, False)]
        i = int_value(v, k)
        return [i & (0xFFFF_FFFF_FFFF_FFFF if INT_RANGES[k][2] == 8 else 0xFFFF_FFFF)]
    if isinstance(t, ListType):
        if t.length is not None:
            return _lower_fixed_list(cx, v, t)
        return list(lower_list(cx, v, t.elem))
    if isinstance(t, (RecordType, TupleType)):
        out: list[Any] = []
        for fv, ft in record_values(v, t):
            out.extend(lower_flat(cx, fv, ft))
        return out
    if isinstance(t, (VariantType, EnumType, OptionType, ResultType)):
        flat_types = flatten_type(t)
        case_index, payload, pt = case_of(cx, v, t)
        out = [case_index]
        if pt is not None:
            payload_flat = lower_flat(cx, payload, pt)
            for have, x in zip(flatten_type(pt), payload_flat):
                out.append(_coerce(have, flat_types[len(out)], x))
        for want in flat_types[len(out):]:
            out.append(0.0 if want in ("f32", "f64") else 0)
        return out
    if isinstance(t, FlagsType):
        bits = flags_bits(v, t)
        return [(bits >> (32 * i)) & 0xFFFF_FFFF for i in range(len(flatten_type(t)))]
    if isinstance(t, OwnType):
        return [lower_own(cx, v, t)]
    if isinstance(t, BorrowType):
        return [lower_borrow(cx, v, t)]
    raise TypeError(f"cannot lower {t!r}")  # pragma: no cover


def _lower_fixed_list(cx: LiftLowerContext, v: Any, t: ListType) -> list[Any]:
    items = v if isinstance(v, (list, tuple)) else list(v) if not isinstance(v, (str, bytes)) else None
    if isinstance(v, (bytes, bytearray)):
        items = list(v)
    if items is None or len(items) != t.length:
        raise TypeError(f"expected {t.length} elements for list<_, {t.length}>")
    out: list[Any] = []
    for e in items:
        out.extend(lower_flat(cx, e, t.elem))
    return out


_TUPLES: dict[tuple[int, ...], tuple[TupleType, tuple[ValType, ...]]] = {}


def _tuple_type(ts: list[ValType]) -> TupleType:
    """The (cached) tuple type of spilled values, so its layout is computed once."""
    key = tuple(map(id, ts))
    found = _TUPLES.get(key)
    if found is None:
        found = (TupleType(ts), tuple(ts))  # keeps ``ts`` alive so ids stay unique
        _TUPLES[key] = found
    return found[0]


def describe_error(e: Exception, name: str, t: ValType | None) -> Exception:
    """The same kind of exception as ``e``, its message prefixed with ``name`` and WIT type ``t``."""
    return type(e)(f"{name} ({wit_type_name(t)}): {e}")


def lift_flat_values(cx: LiftLowerContext, max_flat: int, vi: ValueIter, ts: list[ValType]) -> list[Any]:
    """CanonicalABI.md ``lift_flat_values``: beyond ``max_flat`` flat values, read a tuple at a pointer.

    Raises:
        Trap: misaligned or out-of-bounds tuple pointer, or any check of the values.
    """
    flat_types = flatten_types(ts)
    if len(flat_types) > max_flat:
        ptr = vi.next("i32")
        tuple_type = _tuple_type(ts)
        align = alignment(tuple_type)
        if ptr % align:
            raise trap(f"misaligned pointer {ptr:#x} to spilled values (alignment {align})")
        if ptr + elem_size(tuple_type) > cx.core.memory_size():
            raise trap_oob(f"spilled values at {ptr:#x} outside memory")
        return list(load(cx, ptr, tuple_type))
    return [lift_flat(cx, vi, t) for t in ts]


def lower_flat_values(cx: LiftLowerContext, max_flat: int, vs: list[Any], ts: list[ValType],
                      out_param: int | None = None, names: list[str] | None = None) -> list[Any]:
    """CanonicalABI.md ``lower_flat_values``: beyond ``max_flat`` flat values, store a tuple in
    memory: allocated through ``realloc`` (``out_param`` is ``None``), or at the caller's
    return pointer ``out_param``.  ``names`` label the values in error messages.

    Raises:
        TypeError, OverflowError, ValueError: a value does not match its type (the message names it).
        Trap: misaligned or out-of-bounds pointer.
    """
    flat_types = flatten_types(ts)
    if len(flat_types) > max_flat:
        tuple_type = _tuple_type(ts)
        align = alignment(tuple_type)
        size = elem_size(tuple_type)
        if out_param is None:
            ptr = cx.realloc(0, 0, align, size)
            flat_vals: list[Any] = [ptr]
        else:
            ptr = out_param
            flat_vals = []
        if ptr % align:
            raise trap(f"misaligned pointer {ptr:#x} for spilled values (alignment {align})")
        if ptr + size > cx.core.memory_size():
            raise trap_oob(f"spilled values at {ptr:#x} outside memory")
        for i, (v, t) in enumerate(zip(vs, ts)):
            ptr = align_to(ptr, alignment(t))
            try:
                store(cx, v, t, ptr)
            except (TypeError, OverflowError, ValueError) as e:
                raise describe_error(e, names[i] if names else f"value {i}", t) from None
            ptr += elem_size(t)
        return flat_vals
    out: list[Any] = []
    for i, (v, t) in enumerate(zip(vs, ts)):
        try:
            out.extend(lower_flat(cx, v, t))
        except (TypeError, OverflowError, ValueError) as e:
            raise describe_error(e, names[i] if names else f"value {i}", t) from None
    return out


