"""Module-level validation (spec 3.2 limits/types, 3.3.10 constant
expressions, 3.4 modules) on hand-built modules; messages are the spec test
suite's ``assert_invalid`` texts."""

from __future__ import annotations

import pytest
from pywasm_host.interpreter.binary.opcodes import Opcode as O
from pywasm_host.interpreter.errors import ValidationError
from pywasm_host.interpreter.syntax.module import (
    DataMode,
    DataSegment,
    ElementSegment,
    ElemMode,
    Export,
    Function,
    Global,
    Import,
    Instruction,
    Module,
)
from pywasm_host.interpreter.syntax.types import (
    ExternKind,
    FuncType,
    GlobalType,
    Limits,
    MemoryType,
    TableType,
    ValType,
)
from pywasm_host.interpreter.valid.module import validate_module

I32, I64, F32 = ValType.I32, ValType.I64, ValType.F32
FUNCREF, EXTERNREF = ValType.FUNCREF, ValType.EXTERNREF
END = Instruction(O.END)
NOP_FUNC = Function(0, (), (END,))
EMPTY_TYPE = FuncType((), ())


def expr(*ins: Instruction) -> tuple[Instruction, ...]:
    return (*ins, END)


def i32(v: int = 0) -> Instruction:
    return Instruction(O.I32_CONST, v)


def gget(x: int) -> Instruction:
    return Instruction(O.GLOBAL_GET, x)


def rejects(message: str, m: Module) -> None:
    with pytest.raises(ValidationError) as info:
        validate_module(m)
    assert info.value.message.startswith(message), info.value.message


IMPORTED_I32 = Import("test", "global-i32", ExternKind.GLOBAL, GlobalType(I32, False))
IMPORTED_MUT = Import("test", "global-mut-i32", ExternKind.GLOBAL, GlobalType(I32, True))


# -- limits, tables, memories ------------------------------------------------
def test_memory_limits() -> None:
    validate_module(Module(mems=(MemoryType(Limits(0, 65536)),)))
    rejects("memory size must be at most 65536 pages (4GiB)", Module(mems=(MemoryType(Limits(65537)),)))
    rejects("memory size must be at most 65536 pages (4GiB)", Module(mems=(MemoryType(Limits(0, 65537)),)))
    rejects("size minimum must not be greater than maximum", Module(mems=(MemoryType(Limits(2, 1)),)))
    imported = Import("m", "mem", ExternKind.MEMORY, MemoryType(Limits(1, 0)))
    rejects("size minimum must not be greater than maximum", Module(imports=(imported,)))


def test_table_limits() -> None:
    validate_module(Module(tables=(TableType(Limits(0, 2**32 - 1), FUNCREF),)))
    rejects("size minimum must not be greater than maximum", Module(tables=(TableType(Limits(10, 1), FUNCREF),)))
    rejects("table size", Module(tables=(TableType(Limits(2**32), FUNCREF),)))


def test_multiple_memories() -> None:
    imported = Import("m", "mem", ExternKind.MEMORY, MemoryType(Limits(1)))
    rejects("multiple memories", Module(imports=(imported,), mems=(MemoryType(Limits(1)),)))
    rejects("multiple memories", Module(mems=(MemoryType(Limits(1)), MemoryType(Limits(1)))))


def test_multiple_tables_allowed() -> None:
    validate_module(Module(tables=(TableType(Limits(1), FUNCREF), TableType(Limits(1), EXTERNREF))))


# -- functions and types ---------------------------------------------------------
def test_function_unknown_type() -> None:
    rejects("unknown type", Module(funcs=(NOP_FUNC,)))
    rejects("unknown type", Module(types=(EMPTY_TYPE,), imports=(Import("m", "f", ExternKind.FUNC, 1),)))


# -- constant expressions and globals ---------------------------------------------
def test_global_init_constants() -> None:
    ok = (
        Global(GlobalType(I64, False), expr(Instruction(O.I64_CONST, 5))),
        Global(GlobalType(I32, True), expr(gget(0))),
        Global(GlobalType(EXTERNREF, False), expr(Instruction(O.REF_NULL, EXTERNREF))),
    )
    validate_module(Module(imports=(IMPORTED_I32,), globals=ok))


def test_global_get_only_imported_immutable() -> None:
    rejects("constant expression required", Module(imports=(IMPORTED_MUT,), globals=(Global(GlobalType(I32, False), expr(gget(0))),)))
    own = Global(GlobalType(I32, False), expr(i32()))
    rejects("unknown global", Module(globals=(own, Global(GlobalType(I32, False), expr(gget(0))))))
    rejects("unknown global", Module(globals=(Global(GlobalType(I32, False), expr(gget(0))),)))


def test_const_expr_rejects_other_instructions() -> None:
    g = Global(GlobalType(I32, False), expr(i32(1), i32(2), Instruction(O.I32_ADD)))
    rejects("constant expression required", Module(globals=(g,)))
    g = Global(GlobalType(I32, False), expr(Instruction(O.NOP)))
    rejects("constant expression required", Module(globals=(g,)))


def test_const_expr_result_type() -> None:
    rejects("type mismatch", Module(globals=(Global(GlobalType(I32, False), expr(Instruction(O.I64_CONST, 0))),)))
    rejects("type mismatch", Module(globals=(Global(GlobalType(I32, False), expr()),)))
    rejects("type mismatch", Module(globals=(Global(GlobalType(I32, False), expr(i32(), i32())),)))
    funcref_global = Global(GlobalType(FUNCREF, False), expr(Instruction(O.REF_NULL, EXTERNREF)))
    rejects("type mismatch", Module(globals=(funcref_global,)))


def test_const_expr_ref_func() -> None:
    g = Global(GlobalType(FUNCREF, False), expr(Instruction(O.REF_FUNC, 0)))
    validate_module(Module(types=(EMPTY_TYPE,), funcs=(NOP_FUNC,), globals=(g,)))
    rejects("unknown function", Module(globals=(g,)))


# -- element segments ------------------------------------------------------------
def test_active_elem_segment() -> None:
    table = (TableType(Limits(1), FUNCREF),)
    seg = ElementSegment(FUNCREF, (expr(Instruction(O.REF_FUNC, 0)),), ElemMode.ACTIVE, 0, expr(i32()))
    validate_module(Module(types=(EMPTY_TYPE,), funcs=(NOP_FUNC,), tables=table, elems=(seg,)))
    rejects("unknown table", Module(types=(EMPTY_TYPE,), funcs=(NOP_FUNC,), elems=(seg,)))
    ext = ElementSegment(EXTERNREF, (), ElemMode.ACTIVE, 0, expr(i32()))
    rejects("type mismatch", Module(tables=table, elems=(ext,)))
    bad_offset = ElementSegment(FUNCREF, (), ElemMode.ACTIVE, 0, expr(Instruction(O.I64_CONST, 0)))
    rejects("type mismatch", Module(tables=table, elems=(bad_offset,)))


def test_elem_init_types() -> None:
    seg = ElementSegment(FUNCREF, (expr(Instruction(O.REF_NULL, EXTERNREF)),), ElemMode.PASSIVE)
    rejects("type mismatch", Module(elems=(seg,)))
    seg = ElementSegment(EXTERNREF, (expr(Instruction(O.REF_NULL, EXTERNREF)), expr(gget(0))), ElemMode.DECLARATIVE)
    imported = Import("m", "g", ExternKind.GLOBAL, GlobalType(EXTERNREF, False))
    validate_module(Module(imports=(imported,), elems=(seg,)))


# -- data segments ------------------------------------------------------------------
def test_active_data_needs_memory() -> None:
    seg = DataSegment(b"ab", DataMode.ACTIVE, 0, expr(gget(0)))
    validate_module(Module(imports=(IMPORTED_I32,), mems=(MemoryType(Limits(1)),), datas=(seg,)))
    rejects("unknown memory", Module(imports=(IMPORTED_I32,), datas=(seg,)))
    validate_module(Module(datas=(DataSegment(b"ab", DataMode.PASSIVE),)))


# -- start -----------------------------------------------------------------------------
def test_start_function() -> None:
    validate_module(Module(types=(EMPTY_TYPE,), funcs=(NOP_FUNC,), start=0))
    rejects("unknown function", Module(types=(EMPTY_TYPE,), funcs=(NOP_FUNC,), start=1))
    typed = Module(
        types=(FuncType((I32,), ()),),
        funcs=(Function(0, (), (END,)),),
        start=0,
    )
    rejects("start function", typed)
    returns = Module(types=(FuncType((), (I32,)),), funcs=(Function(0, (), (i32(), END)),), start=0)
    rejects("start function", returns)


# -- exports -------------------------------------------------------------------------
def test_exports() -> None:
    base = {"types": (EMPTY_TYPE,), "funcs": (NOP_FUNC,), "mems": (MemoryType(Limits(0)),)}
    validate_module(Module(exports=(Export("a", ExternKind.FUNC, 0), Export("b", ExternKind.MEMORY, 0)), **base))  # type: ignore[arg-type]
    rejects("duplicate export name", Module(exports=(Export("a", ExternKind.FUNC, 0), Export("a", ExternKind.MEMORY, 0)), **base))  # type: ignore[arg-type]
    rejects("unknown function", Module(exports=(Export("a", ExternKind.FUNC, 1),), **base))  # type: ignore[arg-type]
    rejects("unknown table", Module(exports=(Export("a", ExternKind.TABLE, 0),), **base))  # type: ignore[arg-type]
    rejects("unknown global", Module(exports=(Export("a", ExternKind.GLOBAL, 0),), **base))  # type: ignore[arg-type]
    rejects("unknown memory", Module(exports=(Export("a", ExternKind.MEMORY, 1),), **base))  # type: ignore[arg-type]
