"""Validation of modules (spec 3.2 "Types" for limits, table and memory types,
and 3.4 "Modules": functions, tables, memories, globals, element and data
segments, start function, imports, exports).

:func:`validate_module` is the entry point: it builds the context C
(:mod:`.context`), checks every definition against it (constant
expressions in :mod:`.constants`, function bodies in :mod:`.instructions`)
and raises :class:`ValidationError` on the first violation found. Messages
follow the wording of the spec test suite's ``assert_invalid`` texts.
"""

from __future__ import annotations

from ..errors import ValidationError
from ..syntax.module import DataMode, ElemMode, Module
from ..syntax.types import MAX_PAGES, REFERENCE_TYPES, ExternKind, Limits, MemoryType, TableType, ValType
from .constants import validate_const_expr
from .context import Context, build_context
from .instructions import validate_function

__all__ = ["validate_module", "MAX_TABLE_SIZE"]

MAX_TABLE_SIZE = 2**32 - 1
"""Upper bound of table limits (spec 3.2.5 "Table Types")."""


def _check_limits(limits: Limits, bound: int, too_large: str) -> None:
    """Spec 3.2.1 "Limits": ``min <= bound``, ``max <= bound``, ``min <= max``."""
    if not 0 <= limits.min <= bound:
        raise ValidationError(too_large)
    if limits.max is not None:
        if not 0 <= limits.max <= bound:
            raise ValidationError(too_large)
        if limits.min > limits.max:
            raise ValidationError(
                f"size minimum must not be greater than maximum ({limits.min} > {limits.max})"
            )


def _check_table_type(tt: TableType) -> None:
    _check_limits(tt.limits, MAX_TABLE_SIZE, "table size must be at most 2^32-1")
    if tt.elem not in REFERENCE_TYPES:
        raise ValidationError(f"malformed reference type: table of {tt.elem}")


def _check_memory_type(mt: MemoryType) -> None:
    _check_limits(mt.limits, MAX_PAGES, "memory size must be at most 65536 pages (4GiB)")


def _check_index(x: int, count: int, what: str) -> None:
    if not 0 <= x < count:
        raise ValidationError(f"unknown {what} {x}")


def validate_module(module: Module) -> None:
    """Check that *module* is valid (spec 3.4.10 "Modules"), WebAssembly 2.0.

    Raises:
        ValidationError: the module is invalid; for an invalid function body
            it carries the function index and the instruction's byte offset.
    """
    c = build_context(module)

    # imports and definitions of tables, memories (3.4.2, 3.4.3, 3.4.8)
    for imp in module.imports:
        if imp.kind == ExternKind.TABLE:
            _check_table_type(imp.desc)  # type: ignore[arg-type]
        elif imp.kind == ExternKind.MEMORY:
            _check_memory_type(imp.desc)  # type: ignore[arg-type]
    for tt in module.tables:
        _check_table_type(tt)
    for mt in module.mems:
        _check_memory_type(mt)
    if len(c.mems) > 1:
        raise ValidationError(f"multiple memories ({len(c.mems)}); at most one is allowed")

    # globals (3.4.4), under C' (imported globals only)
    for g in module.globals:
        validate_const_expr(c, g.init, g.type.valtype)

    # element segments (3.4.5)
    for seg in module.elems:
        for init in seg.init:
            validate_const_expr(c, init, seg.type)
        if seg.mode == ElemMode.ACTIVE:
            _check_index(seg.table, len(c.tables), "table")
            table_elem = c.tables[seg.table].elem
            if table_elem != seg.type:
                raise ValidationError(
                    f"type mismatch: element segment of {seg.type} for table {seg.table} of {table_elem}"
                )
            if seg.offset is None:
                raise ValidationError("active element segment without offset")
            validate_const_expr(c, seg.offset, ValType.I32)

    # data segments (3.4.6)
    for data in module.datas:
        if data.mode == DataMode.ACTIVE:
            _check_index(data.memory, len(c.mems), "memory")
            if data.offset is None:
                raise ValidationError("active data segment without offset")
            validate_const_expr(c, data.offset, ValType.I32)

    # start function (3.4.7)
    if module.start is not None:
        _check_index(module.start, len(c.funcs), "function")
        ft = c.funcs[module.start]
        if ft.params or ft.results:
            raise ValidationError(f"start function must have type [] -> [], has {ft}")

    _validate_exports(module, c)

    # function bodies (3.4.1), last: the bulk of the work
    first = len(c.funcs) - len(module.funcs)
    for i, func in enumerate(module.funcs):
        validate_function(c, first + i, func)


def _validate_exports(module: Module, c: Context) -> None:
    """Exports (3.4.9) and name uniqueness (3.4.10)."""
    counts = {
        ExternKind.FUNC: (len(c.funcs), "function"),
        ExternKind.TABLE: (len(c.tables), "table"),
        ExternKind.MEMORY: (len(c.mems), "memory"),
        ExternKind.GLOBAL: (len(c.globals), "global"),
    }
    names: set[str] = set()
    for ex in module.exports:
        count, what = counts[ex.kind]
        _check_index(ex.index, count, what)
        if ex.name in names:
            raise ValidationError(f"duplicate export name {ex.name!r}")
        names.add(ex.name)
