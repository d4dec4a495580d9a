"""Alignment and size of component values in linear memory (component-model
``design/mvp/CanonicalABI.md``, "Alignment" and "Element Size").

Both functions work on the despecialised type (:func:`.types.despecialize`)
and cache their answer on the type object.  Flags with more than 32 labels
use one ``i32`` per 32 labels (the pre-2024 rule; the current spec limits
flags to 32 labels, for which both rules agree).
"""

from __future__ import annotations

from .types import (
    BorrowType,
    FlagsType,
    ListType,
    OwnType,
    Prim,
    RecordType,
    ValType,
    VariantType,
    despecialize,
)

__all__ = ["alignment", "elem_size", "align_to", "discriminant_type", "num_i32_flags", "max_case_alignment"]

_PRIM_LAYOUT: dict[str, tuple[int, int]] = {
    "bool": (1, 1), "s8": (1, 1), "u8": (1, 1), "s16": (2, 2), "u16": (2, 2), "s32": (4, 4), "u32": (4, 4),
    "s64": (8, 8), "u64": (8, 8), "f32": (4, 4), "f64": (8, 8), "char": (4, 4), "string": (4, 8),
}


def align_to(ptr: int, alignment: int) -> int:
    return -(-ptr // alignment) * alignment


def discriminant_type(n: int) -> str:
    """``u8``/``u16``/``u32``: the smallest unsigned type holding ``n`` case indices."""
    if n <= 1 << 8:
        return "u8"
    if n <= 1 << 16:
        return "u16"
    return "u32"


def num_i32_flags(labels: tuple[str, ...]) -> int:
    return -(-len(labels) // 32)


def _layout(t: ValType) -> tuple[int, int]:
    if t._layout is not None:
        return t._layout
    d = despecialize(t)
    out: tuple[int, int]
    if isinstance(d, Prim):
        out = _PRIM_LAYOUT[d.kind]
    elif isinstance(d, ListType):
        if d.length is None:
            out = (4, 8)
        else:
            a, s = _layout(d.elem)
            out = (a, s * d.length)
    elif isinstance(d, RecordType):
        align, size = 1, 0
        for f in d.fields:
            fa, fs = _layout(f.t)
            size = align_to(size, fa) + fs
            align = max(align, fa)
        out = (align, align_to(size, align))
    elif isinstance(d, VariantType):
        disc = _PRIM_LAYOUT[discriminant_type(len(d.cases))][0]
        case_align = max_case_alignment(d)
        align = max(disc, case_align)
        size = align_to(disc, case_align)
        size += max((_layout(c.t)[1] for c in d.cases if c.t is not None), default=0)
        out = (align, align_to(size, align))
    elif isinstance(d, FlagsType):
        n = len(d.labels)
        if n == 0:
            out = (1, 0)
        elif n <= 8:
            out = (1, 1)
        elif n <= 16:
            out = (2, 2)
        else:
            out = (4, 4 * num_i32_flags(d.labels))
    elif isinstance(d, (OwnType, BorrowType)):
        out = (4, 4)
    else:  # pragma: no cover - every ValType subclass is handled above
        raise TypeError(f"no layout for {t!r}")
    t._layout = out
    return out


def max_case_alignment(v: VariantType) -> int:
    return max((alignment(c.t) for c in v.cases if c.t is not None), default=1)


def alignment(t: ValType) -> int:
    """CanonicalABI.md "Alignment": the alignment of ``t`` in linear memory."""
    return _layout(t)[0]


def elem_size(t: ValType) -> int:
    """CanonicalABI.md "Element Size": the byte size of ``t`` in linear memory (a multiple of its alignment)."""
    return _layout(t)[1]
