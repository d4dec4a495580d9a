"""The validation context C of a module (spec 3.1.1 "Contexts" and 3.4.10 "Modules").

:func:`build_context` collects, for one module, the types of every index
space (types, functions, tables, memories, globals, element and data
segments) and ``C.refs``, the set of function indices that are referenced
outside function bodies (element segments, global initialisers, data
offsets, exports) and may therefore be taken by ``ref.func`` inside bodies.

Function signatures are also kept as pairs of *lists* of value types, the
shape the operand-stack algorithm compares against without converting.
"""

from __future__ import annotations

from ..binary.opcodes import Opcode
from ..errors import ValidationError
from ..syntax.module import Expr, Module
from ..syntax.types import ExternKind, FuncType, GlobalType, MemoryType, TableType, ValType

__all__ = ["Context", "Signature", "build_context", "op_name"]

Signature = tuple[list[ValType], list[ValType]]
"""``(params, results)`` of a function type, as lists."""


class Context:
    """The context C (spec 3.1.1); labels, locals and return live in the
    per-function state of :mod:`.instructions` instead."""

    __slots__ = (
        "types",
        "type_sigs",
        "funcs",
        "func_sigs",
        "tables",
        "mems",
        "globals",
        "imported_globals",
        "elems",
        "datas",
        "refs",
    )

    def __init__(self) -> None:
        self.types: list[FuncType] = []
        self.type_sigs: list[Signature] = []
        self.funcs: list[FuncType] = []
        self.func_sigs: list[Signature] = []
        self.tables: list[TableType] = []
        self.mems: list[MemoryType] = []
        self.globals: list[GlobalType] = []
        self.imported_globals: list[GlobalType] = []
        self.elems: list[ValType] = []
        self.datas: int = 0
        self.refs: set[int] = set()


def op_name(op: int) -> str:
    """The text-format mnemonic of *op* for messages (hex if not an :class:`Opcode`)."""
    try:
        return Opcode(op).mnemonic
    except ValueError:
        return f"opcode {op:#x}"


def _signature(ft: FuncType) -> Signature:
    return (list(ft.params), list(ft.results))


def _collect_refs(expr: Expr | None, refs: set[int]) -> None:
    if expr is None:
        return
    for ins in expr:
        if ins.opcode == Opcode.REF_FUNC:
            refs.add(ins.imm)


def build_context(module: Module) -> Context:
    """Build the context C of *module* (spec 3.4.10, "Modules").

    Raises:
        ValidationError: a function (imported or defined) names a type index
            that does not exist ("unknown type N").
    """
    c = Context()
    c.types = list(module.types)
    c.type_sigs = [_signature(t) for t in module.types]
    ntypes = len(c.types)
    for imp in module.imports:
        kind = imp.kind
        if kind == ExternKind.FUNC:
            x = imp.desc
            if not isinstance(x, int) or not 0 <= x < ntypes:
                raise ValidationError(f"unknown type {x}")
            c.funcs.append(c.types[x])
            c.func_sigs.append(c.type_sigs[x])
        elif kind == ExternKind.TABLE:
            c.tables.append(imp.desc)  # type: ignore[arg-type]
        elif kind == ExternKind.MEMORY:
            c.mems.append(imp.desc)  # type: ignore[arg-type]
        elif kind == ExternKind.GLOBAL:
            c.globals.append(imp.desc)  # type: ignore[arg-type]
    c.imported_globals = list(c.globals)
    for func in module.funcs:
        x = func.type_index
        if not 0 <= x < ntypes:
            raise ValidationError(f"unknown type {x}")
        c.funcs.append(c.types[x])
        c.func_sigs.append(c.type_sigs[x])
    c.tables.extend(module.tables)
    c.mems.extend(module.mems)
    c.globals.extend(g.type for g in module.globals)
    c.elems = [e.type for e in module.elems]
    c.datas = module.data_count if module.data_count is not None else len(module.datas)

    refs = c.refs
    for g in module.globals:
        _collect_refs(g.init, refs)
    for e in module.elems:
        _collect_refs(e.offset, refs)
        for init in e.init:
            _collect_refs(init, refs)
    for d in module.datas:
        _collect_refs(d.offset, refs)
    for ex in module.exports:
        if ex.kind == ExternKind.FUNC:
            refs.add(ex.index)
    return c
