"""Flattening of component types into core value types (component-model
``design/mvp/CanonicalABI.md``, "Flattening").

``flatten_type`` gives the core types (``"i32"``, ``"i64"``, ``"f32"``,
``"f64"``) a value occupies when passed in registers; ``flatten_functype``
applies the limits ``MAX_FLAT_PARAMS`` (16) and ``MAX_FLAT_RESULTS`` (1):
beyond them parameters are spilled to memory allocated through
``cabi_realloc`` and results travel through a return pointer.
"""

from __future__ import annotations

from .layout import num_i32_flags
from .types import (
    BorrowType,
    FlagsType,
    FuncType,
    ListType,
    OwnType,
    Prim,
    RecordType,
    ValType,
    VariantType,
    despecialize,
)

__all__ = ["MAX_FLAT_PARAMS", "MAX_FLAT_RESULTS", "flatten_type", "flatten_types", "flatten_functype", "join",
           "flatten_variant", "CoreSig"]

MAX_FLAT_PARAMS = 16
MAX_FLAT_RESULTS = 1

_PRIM_FLAT: dict[str, tuple[str, ...]] = {
    "bool": ("i32",), "s8": ("i32",), "u8": ("i32",), "s16": ("i32",), "u16": ("i32",), "s32": ("i32",),
    "u32": ("i32",), "s64": ("i64",), "u64": ("i64",), "f32": ("f32",), "f64": ("f64",), "char": ("i32",),
    "string": ("i32", "i32"),
}

CoreSig = tuple[tuple[str, ...], tuple[str, ...]]


def join(a: str, b: str) -> str:
    if a == b:
        return a
    if {a, b} == {"i32", "f32"}:
        return "i32"
    return "i64"


def flatten_variant(v: VariantType) -> tuple[str, ...]:
    flat: list[str] = []
    for c in v.cases:
        if c.t is None:
            continue
        for i, ft in enumerate(flatten_type(c.t)):
            if i < len(flat):
                flat[i] = join(flat[i], ft)
            else:
                flat.append(ft)
    return ("i32", *flat)


def flatten_type(t: ValType) -> tuple[str, ...]:
    """CanonicalABI.md "Flattening": the core types of ``t`` passed in registers."""
    if t._flat is not None:
        return t._flat
    d = despecialize(t)
    out: tuple[str, ...]
    if isinstance(d, Prim):
        out = _PRIM_FLAT[d.kind]
    elif isinstance(d, ListType):
        if d.length is None:
            out = ("i32", "i32")
        else:
            out = flatten_type(d.elem) * d.length
    elif isinstance(d, RecordType):
        out = tuple(x for f in d.fields for x in flatten_type(f.t))
    elif isinstance(d, VariantType):
        out = flatten_variant(d)
    elif isinstance(d, FlagsType):
        out = ("i32",) * num_i32_flags(d.labels)
    elif isinstance(d, (OwnType, BorrowType)):
        out = ("i32",)
    else:  # pragma: no cover
        raise TypeError(f"cannot flatten {t!r}")
    t._flat = out
    return out


def flatten_types(ts: list[ValType]) -> tuple[str, ...]:
    return tuple(x for t in ts for x in flatten_type(t))


def flatten_functype(ft: FuncType, context: str) -> CoreSig:
    """CanonicalABI.md "Flattening", ``flatten_functype``: the core signature ``(params, results)``
    of ``ft`` for ``context`` ``"lift"`` (a guest export) or ``"lower"`` (a guest import).

    Raises:
        ValueError: ``context`` is neither ``"lift"`` nor ``"lower"``.
    """
    cached = ft._flat.get(context)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    flat_params = flatten_types(ft.param_types)
    if len(flat_params) > MAX_FLAT_PARAMS:
        flat_params = ("i32",)
    flat_results = flatten_types(ft.result_types)
    if len(flat_results) > MAX_FLAT_RESULTS:
        if context == "lift":
            flat_results = ("i32",)
        elif context == "lower":
            flat_params = (*flat_params, "i32")
            flat_results = ()
        else:
            raise ValueError(f"unknown context {context!r}")
    out = (flat_params, flat_results)
    ft._flat[context] = out
    return out
