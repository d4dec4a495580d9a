"""Instantiation (spec 4.5.4 "Instantiation") and import matching (spec
4.5.2 "Import Subtyping"), for a module that has been validated.

Order, as in the spec: imports are checked against the module's import
types (:class:`LinkError` before anything is allocated); globals,
tables, memories, functions and segments are allocated; active element
segments are copied into tables, then active data segments into memory,
each dropped afterwards (a trap midway leaves the earlier writes in place,
as the spec requires); finally the start function runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import LinkError, Trap, TrapCode
from ..runtime.instances import (
    ExternValue,
    FunctionInstance,
    GlobalInstance,
    ModuleInstance,
    WasmFunction,
)
from ..runtime.memory import MemoryInstance
from ..runtime.table import TableInstance
from ..runtime.values import f32_from_bits, f64_from_bits
from ..syntax.module import DataMode, ElemMode, Expr, Import, Module
from ..syntax.types import ExternKind, GlobalType, Limits, MemoryType, TableType

__all__ = ["instantiate", "eval_const", "extern_kind", "check_import", "InstanceLimits"]

_KIND_NAMES = {ExternKind.FUNC: "function", ExternKind.TABLE: "table", ExternKind.MEMORY: "memory",
               ExternKind.GLOBAL: "global"}


class InstanceLimits:
    """Embedder caps applied to what instantiation allocates (Store limits)."""

    __slots__ = ("memory_pages", "table_elements")

    def __init__(self, memory_pages: int | None = None, table_elements: int | None = None) -> None:
        self.memory_pages = memory_pages
        self.table_elements = table_elements


def extern_kind(value: ExternValue) -> ExternKind:
    if isinstance(value, FunctionInstance):
        return ExternKind.FUNC
    if isinstance(value, TableInstance):
        return ExternKind.TABLE
    if isinstance(value, MemoryInstance):
        return ExternKind.MEMORY
    if isinstance(value, GlobalInstance):
        return ExternKind.GLOBAL
    raise TypeError(f"not an external value: {value!r}")


def _limits_match(actual_min: int, actual_max: int | None, expected: Limits) -> bool:
    """Spec 4.5.2.1 "Limits": {n1, m1?} matches {n2, m2?} iff n1 >= n2 and,
    when m2 is present, m1 is present and m1 <= m2."""
    if actual_min < expected.min:
        return False
    if expected.max is None:
        return True
    return actual_max is not None and actual_max <= expected.max


def check_import(imp: Import, value: ExternValue, module: Module) -> None:
    """Raise :class:`LinkError` unless ``value`` matches import ``imp``."""
    where = f"import {imp.module!r} {imp.name!r}"
    kind = extern_kind(value)
    if kind != imp.kind:
        raise LinkError(f"incompatible import type: {where} expects a {_KIND_NAMES[imp.kind]}, "
                        f"got a {_KIND_NAMES[kind]}")
    if isinstance(value, FunctionInstance):
        expected = module.types[imp.desc]  # type: ignore[index]
        if value.type != expected:
            raise LinkError(f"incompatible import type: {where} expects {expected}, got {value.type}")
    elif isinstance(value, TableInstance):
        tt: TableType = imp.desc  # type: ignore[assignment]
        if value.type.elem != tt.elem or not _limits_match(len(value.elements), value.type.limits.max, tt.limits):
            raise LinkError(f"incompatible import type: {where} table type mismatch")
    elif isinstance(value, MemoryInstance):
        mt: MemoryType = imp.desc  # type: ignore[assignment]
        if not _limits_match(value.pages, value.type.limits.max, mt.limits):
            raise LinkError(f"incompatible import type: {where} memory type mismatch")
    elif isinstance(value, GlobalInstance):
        gt: GlobalType = imp.desc  # type: ignore[assignment]
        if value.type != gt:
            raise LinkError(f"incompatible import type: {where} global type mismatch")


def eval_const(expr: Expr, inst: ModuleInstance) -> Any:
    """Evaluate a (validated) constant expression (spec 3.3.10 "Constant Expressions")."""
    from ..binary.opcodes import Opcode as O

    value: Any = None
    for ins in expr:
        op = ins.opcode
        if op == O.I32_CONST or op == O.I64_CONST or op == O.V128_CONST:
            value = ins.imm
        elif op == O.F32_CONST:
            value = f32_from_bits(ins.imm)
        elif op == O.F64_CONST:
            value = f64_from_bits(ins.imm)
        elif op == O.REF_NULL:
            value = None
        elif op == O.REF_FUNC:
            value = inst.funcs[ins.imm]
        elif op == O.GLOBAL_GET:
            value = inst.globals[ins.imm].value
        elif op == O.END:
            break
        else:  # the validator admits nothing else
            raise LinkError(f"unsupported constant instruction {op.mnemonic}")
    return value


def instantiate(module: Module, externs: Sequence[ExternValue], limits: InstanceLimits | None = None) -> ModuleInstance:
    """Instantiate a validated ``module`` with ``externs`` given in import order.

    Raises:
        LinkError: the number, kinds or types of ``externs`` do not match the imports.
        Trap: a segment does not fit its table or memory, or the start function traps.
        WasmError: a table or memory is larger than the embedder's limits allow.
    """
    if len(externs) != len(module.imports):
        raise LinkError(f"module has {len(module.imports)} imports, {len(externs)} external values given")
    for imp, value in zip(module.imports, externs):
        check_import(imp, value, module)
    limits = limits or InstanceLimits()

    inst = ModuleInstance(module)
    for value in externs:
        if isinstance(value, FunctionInstance):
            inst.funcs.append(value)
        elif isinstance(value, TableInstance):
            inst.tables.append(value)
        elif isinstance(value, MemoryInstance):
            inst.mems.append(value)
        else:
            inst.globals.append(value)  # type: ignore[arg-type]

    base = len(inst.funcs)
    for i, func in enumerate(module.funcs):
        inst.funcs.append(WasmFunction(module.types[func.type_index], inst, func, base + i))
    for tt in module.tables:
        inst.tables.append(TableInstance(tt, None, limits.table_elements))
    for mt in module.mems:
        inst.mems.append(MemoryInstance(mt, limits.memory_pages))
    for g in module.globals:
        inst.globals.append(GlobalInstance(g.type, eval_const(g.init, inst)))
    for seg in module.elems:
        inst.elems.append([eval_const(e, inst) for e in seg.init])
    for data in module.datas:
        inst.datas.append(bytes(data.data))

    spaces: dict[ExternKind, list[Any]] = {ExternKind.FUNC: inst.funcs, ExternKind.TABLE: inst.tables,
                                           ExternKind.MEMORY: inst.mems, ExternKind.GLOBAL: inst.globals}
    for export in module.exports:
        inst.exports[export.name] = spaces[export.kind][export.index]

    for i, seg in enumerate(module.elems):
        if seg.mode == ElemMode.ACTIVE:
            table = inst.tables[seg.table]
            offset = eval_const(seg.offset or (), inst)
            refs = inst.elems[i]
            if offset + len(refs) > len(table.elements):
                raise Trap(TrapCode.OUT_OF_BOUNDS_TABLE_ACCESS)
            table.elements[offset : offset + len(refs)] = refs
            inst.elems[i] = []
        elif seg.mode == ElemMode.DECLARATIVE:
            inst.elems[i] = []

    for i, data in enumerate(module.datas):
        if data.mode == DataMode.ACTIVE:
            mem = inst.mems[data.memory]
            offset = eval_const(data.offset or (), inst)
            if offset + len(data.data) > len(mem.data):
                raise Trap(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS)
            mem.write(offset, data.data)
            inst.datas[i] = b""

    if module.start is not None:
        inst.funcs[module.start].invoke([])
    return inst
