"""Function-body validation (spec 3.3 "Instructions", appendix "Validation
Algorithm") on hand-built modules. Expected outcomes follow the typing rules
of the spec; messages are the spec test suite's ``assert_invalid`` texts."""

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
    MemArg,
    Module,
    TypeIndex,
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

I32, I64, F32, F64 = ValType.I32, ValType.I64, ValType.F32, ValType.F64
FUNCREF, EXTERNREF = ValType.FUNCREF, ValType.EXTERNREF


def ins(op: O, imm: object = None) -> Instruction:
    return Instruction(op, imm)


def const(v: int = 0) -> Instruction:
    return ins(O.I32_CONST, v)


END = ins(O.END)


def module(
    *body: Instruction,
    params: tuple[ValType, ...] = (),
    results: tuple[ValType, ...] = (),
    locals_: tuple[ValType, ...] = (),
    types: tuple[FuncType, ...] = (),
    **fields: object,
) -> Module:
    """One function ``params -> results`` whose body is *body* + ``end``;
    its type is type 0, *types* follow."""
    numbered = tuple(Instruction(i.opcode, i.imm, offset=10 + n) for n, i in enumerate((*body, END)))
    return Module(
        types=(FuncType(params, results), *types),
        funcs=(Function(0, locals_, numbered),),
        **fields,  # type: ignore[arg-type]
    )


def valid(*body: Instruction, **kw: object) -> None:
    validate_module(module(*body, **kw))  # type: ignore[arg-type]


def invalid(message: str, *body: Instruction, **kw: object) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        validate_module(module(*body, **kw))  # type: ignore[arg-type]
    assert info.value.message.startswith(message), info.value.message
    return info.value


MEMORY = {"mems": (MemoryType(Limits(1)),)}
FUNCTABLE = {"tables": (TableType(Limits(1), FUNCREF),)}


# -- numeric and stack basics ------------------------------------------------
def test_numeric_ok() -> None:
    valid(const(1), const(2), ins(O.I32_ADD), ins(O.I64_EXTEND_I32_U), ins(O.F64_CONVERT_I64_S), results=(F64,))


def test_operand_type_mismatch() -> None:
    invalid("type mismatch", const(1), ins(O.I64_CONST, 2), ins(O.I32_ADD), results=(I32,))


def test_operand_missing() -> None:
    invalid("type mismatch", const(1), ins(O.I32_ADD), results=(I32,))


def test_leftover_value_at_end() -> None:
    invalid("type mismatch", const(1))


def test_missing_result() -> None:
    invalid("type mismatch", results=(I32,))


def test_operand_from_outside_block_not_visible() -> None:
    # the block's frame starts at height 1: i32.eqz cannot see the outer value
    invalid("type mismatch", const(1), ins(O.BLOCK, None), ins(O.I32_EQZ), ins(O.DROP), END, ins(O.DROP))


def test_error_carries_function_index_and_offset() -> None:
    m = Module(
        types=(FuncType((), ()),),
        imports=(Import("m", "f", ExternKind.FUNC, 0),),
        funcs=(Function(0, (), (Instruction(O.NOP, offset=5), Instruction(O.I32_EQZ, offset=6), Instruction(O.END, offset=7))),),
    )
    with pytest.raises(ValidationError) as info:
        validate_module(m)
    assert (info.value.func_index, info.value.offset) == (1, 6)


# -- unreachable code and the polymorphic stack ------------------------------
def test_unreachable_is_polymorphic() -> None:
    valid(ins(O.UNREACHABLE), ins(O.I32_ADD), ins(O.I64_EXTEND_I32_S), results=(I64,))


def test_unreachable_still_type_checks_known_values() -> None:
    invalid("type mismatch", ins(O.UNREACHABLE), ins(O.I64_CONST, 0), ins(O.I32_ADD), ins(O.DROP))


def test_select_of_unknowns_then_use() -> None:
    valid(ins(O.UNREACHABLE), ins(O.SELECT), ins(O.F32_NEG), results=(F32,))


def test_br_table_meet_bottom() -> None:
    # unreached-valid.wast "meet-bottom": labels [f32] and [f64] in dead code
    valid(
        ins(O.BLOCK, F64),
        ins(O.BLOCK, F32),
        ins(O.UNREACHABLE),
        const(1),
        ins(O.BR_TABLE, ((0, 1), 1)),
        END,
        ins(O.DROP),
        ins(O.F64_CONST, 0),
        END,
        ins(O.DROP),
    )


def test_instructions_after_unreachable_checked_for_indices() -> None:
    invalid("unknown local", ins(O.UNREACHABLE), ins(O.LOCAL_GET, 3), ins(O.DROP))


# -- blocks, multi-value -----------------------------------------------------
def test_block_with_params_via_type_index() -> None:
    # (type 1) = [i32 i32] -> [i64]
    valid(
        const(1),
        const(2),
        ins(O.BLOCK, TypeIndex(1)),
        ins(O.I32_ADD),
        ins(O.I64_EXTEND_I32_U),
        END,
        results=(I64,),
        types=(FuncType((I32, I32), (I64,)),),
    )


def test_block_params_missing() -> None:
    invalid("type mismatch", const(1), ins(O.BLOCK, TypeIndex(1)), ins(O.DROP), END, types=(FuncType((I32, I32), ()),))


def test_block_type_unknown() -> None:
    invalid("unknown type", ins(O.BLOCK, TypeIndex(7)), END)


def test_loop_label_takes_params() -> None:
    # br to a loop passes the loop's *params*: [i32] here, not its result [f32]
    valid(
        const(0),
        ins(O.LOOP, TypeIndex(1)),
        ins(O.BR, 0),
        END,
        results=(F32,),
        types=(FuncType((I32,), (F32,)),),
    )
    invalid(
        "type mismatch",
        const(0),
        ins(O.LOOP, TypeIndex(1)),
        ins(O.DROP),
        ins(O.F32_CONST, 0),
        ins(O.BR, 0),
        END,
        results=(F32,),
        types=(FuncType((I32,), (F32,)),),
    )


def test_if_else_with_params() -> None:
    valid(
        const(1),
        const(0),
        ins(O.IF, TypeIndex(1)),
        ins(O.I32_EQZ),
        ins(O.ELSE),
        ins(O.I32_CLZ),
        END,
        results=(I32,),
        types=(FuncType((I32,), (I32,)),),
    )


def test_if_without_else_params_equal_results_ok() -> None:
    valid(const(1), const(0), ins(O.IF, TypeIndex(1)), ins(O.I32_EQZ), END, results=(I32,), types=(FuncType((I32,), (I32,)),))


def test_if_without_else_needs_equal_types() -> None:
    invalid("type mismatch", const(0), ins(O.IF, I32), const(1), END, results=(I32,))


def test_if_needs_condition() -> None:
    invalid("type mismatch", ins(O.IF, None), END)


def test_else_branch_checked() -> None:
    invalid("type mismatch", const(0), ins(O.IF, I32), const(1), ins(O.ELSE), ins(O.F32_CONST, 0), END, results=(I32,))


def test_deep_nesting_is_iterative() -> None:
    n = 50_000
    body = [ins(O.BLOCK, I32)] * n + [const(1)] + [END] * n
    valid(*body, results=(I32,))


# -- branches ------------------------------------------------------------------
def test_br_unknown_label() -> None:
    invalid("unknown label", ins(O.BLOCK, None), ins(O.BR, 2), END)


def test_br_to_function_label_is_return() -> None:
    valid(ins(O.I64_CONST, 1), ins(O.BR, 0), results=(I64,))


def test_br_if_passes_values_through() -> None:
    valid(ins(O.BLOCK, I32), const(1), const(0), ins(O.BR_IF, 0), END, results=(I32,))
    invalid("type mismatch", ins(O.BLOCK, I32), ins(O.F32_CONST, 1), const(0), ins(O.BR_IF, 0), ins(O.DROP), const(0), END, ins(O.DROP))


def test_br_table_same_arity_required() -> None:
    invalid(
        "type mismatch",
        ins(O.BLOCK, I32),
        ins(O.BLOCK, None),
        const(1),
        const(0),
        ins(O.BR_TABLE, ((0,), 1)),
        END,
        const(1),
        END,
        ins(O.DROP),
    )


def test_br_table_same_types_ok_and_mismatch() -> None:
    valid(
        ins(O.BLOCK, I32),
        ins(O.BLOCK, I32),
        const(1),
        const(0),
        ins(O.BR_TABLE, ((0, 1, 0), 1)),
        END,
        END,
        ins(O.DROP),
    )
    invalid(
        "type mismatch",
        ins(O.BLOCK, I32),
        ins(O.BLOCK, F32),
        ins(O.F32_CONST, 0),
        const(0),
        ins(O.BR_TABLE, ((0,), 1)),
        END,
        ins(O.DROP),
        const(1),
        END,
        ins(O.DROP),
    )


def test_br_table_unknown_label() -> None:
    invalid("unknown label", const(0), ins(O.BR_TABLE, ((0, 5), 0)))


def test_return_checks_results() -> None:
    valid(ins(O.F64_CONST, 0), ins(O.RETURN), results=(F64,))
    invalid("type mismatch", ins(O.F32_CONST, 0), ins(O.RETURN), results=(F64,))


# -- calls -------------------------------------------------------------------
def test_call_signature_and_unknown_function() -> None:
    valid(const(3), ins(O.CALL, 0), results=(I32,), params=(I32,))
    invalid("unknown function", ins(O.CALL, 1))


def test_call_indirect() -> None:
    valid(const(5), const(0), ins(O.CALL_INDIRECT, (1, 0)), results=(I64,), types=(FuncType((I32,), (I64,)),), **FUNCTABLE)
    invalid("unknown table", const(0), ins(O.CALL_INDIRECT, (0, 0)))
    invalid("unknown type", const(0), ins(O.CALL_INDIRECT, (4, 0)), **FUNCTABLE)
    invalid(
        "type mismatch", const(0), ins(O.CALL_INDIRECT, (0, 0)), tables=(TableType(Limits(1), EXTERNREF),)
    )


# -- parametric ----------------------------------------------------------------
def test_select_numeric_only() -> None:
    valid(ins(O.F32_CONST, 0), ins(O.F32_CONST, 0), const(1), ins(O.SELECT), results=(F32,))
    invalid("type mismatch", ins(O.F32_CONST, 0), ins(O.F64_CONST, 0), const(1), ins(O.SELECT), ins(O.DROP))
    invalid(
        "type mismatch", ins(O.REF_NULL, FUNCREF), ins(O.REF_NULL, FUNCREF), const(1), ins(O.SELECT), ins(O.DROP)
    )


def test_select_typed() -> None:
    valid(ins(O.REF_NULL, EXTERNREF), ins(O.REF_NULL, EXTERNREF), const(1), ins(O.SELECT_T, (EXTERNREF,)), ins(O.DROP))
    invalid("invalid result arity", const(1), const(1), const(1), ins(O.SELECT_T, (I32, I32)), ins(O.DROP))
    invalid("invalid result arity", const(1), ins(O.SELECT_T, ()))


def test_drop_needs_value() -> None:
    invalid("type mismatch", ins(O.DROP))


# -- variables -----------------------------------------------------------------
def test_locals_include_params() -> None:
    valid(ins(O.LOCAL_GET, 0), ins(O.LOCAL_TEE, 1), ins(O.LOCAL_SET, 0), params=(I64,), locals_=(I64,))
    invalid("type mismatch", ins(O.LOCAL_GET, 0), ins(O.LOCAL_SET, 1), params=(I64,), locals_=(I32,))
    invalid("unknown local", ins(O.LOCAL_GET, 2), ins(O.DROP), params=(I64,), locals_=(I64,))
    invalid("unknown local", const(0), ins(O.LOCAL_TEE, 0), ins(O.DROP))


def test_globals() -> None:
    gm = GlobalType(I32, True)
    gi = GlobalType(F32, False)
    globs = (Global(gm, (const(0), END)), Global(gi, (ins(O.F32_CONST, 0), END)))
    valid(ins(O.GLOBAL_GET, 1), ins(O.DROP), const(1), ins(O.GLOBAL_SET, 0), globals=globs)
    invalid("global is immutable", ins(O.F32_CONST, 0), ins(O.GLOBAL_SET, 1), globals=globs)
    invalid("unknown global", ins(O.GLOBAL_GET, 2), ins(O.DROP), globals=globs)


# -- references -----------------------------------------------------------------
def test_ref_func_must_be_declared() -> None:
    invalid("undeclared function reference", ins(O.REF_FUNC, 0), ins(O.DROP))
    invalid("unknown function", ins(O.REF_FUNC, 3), ins(O.DROP))
    valid(ins(O.REF_FUNC, 0), ins(O.DROP), exports=(Export("f", ExternKind.FUNC, 0),))
    decl = ElementSegment(FUNCREF, ((ins(O.REF_FUNC, 0), END),), ElemMode.DECLARATIVE)
    valid(ins(O.REF_FUNC, 0), ins(O.DROP), elems=(decl,))


def test_ref_is_null() -> None:
    valid(ins(O.REF_NULL, EXTERNREF), ins(O.REF_IS_NULL), results=(I32,))
    invalid("type mismatch", const(0), ins(O.REF_IS_NULL), ins(O.DROP))


# -- tables -----------------------------------------------------------------------
TWO_TABLES = {"tables": (TableType(Limits(1), FUNCREF), TableType(Limits(1), EXTERNREF))}


def test_table_access() -> None:
    valid(const(0), ins(O.TABLE_GET, 1), ins(O.TABLE_SIZE, 0), ins(O.TABLE_GROW, 1), ins(O.DROP), **TWO_TABLES)
    invalid("type mismatch", const(0), ins(O.REF_NULL, FUNCREF), ins(O.TABLE_SET, 1), **TWO_TABLES)
    valid(const(0), ins(O.REF_NULL, EXTERNREF), const(2), ins(O.TABLE_FILL, 1), **TWO_TABLES)
    invalid("unknown table", ins(O.TABLE_SIZE, 2), ins(O.DROP), **TWO_TABLES)


def test_table_copy_and_init_types() -> None:
    three = (const(0), const(0), const(0))
    valid(*three, ins(O.TABLE_COPY, (0, 0)), **TWO_TABLES)
    invalid("type mismatch", *three, ins(O.TABLE_COPY, (0, 1)), **TWO_TABLES)
    seg = ElementSegment(EXTERNREF, (), ElemMode.PASSIVE)
    valid(*three, ins(O.TABLE_INIT, (0, 1)), ins(O.ELEM_DROP, 0), elems=(seg,), **TWO_TABLES)
    invalid("type mismatch", *three, ins(O.TABLE_INIT, (0, 0)), elems=(seg,), **TWO_TABLES)
    invalid("unknown elem segment", *three, ins(O.TABLE_INIT, (1, 0)), elems=(seg,), **TWO_TABLES)
    invalid("unknown elem segment", ins(O.ELEM_DROP, 1), elems=(seg,))


# -- memory -------------------------------------------------------------------------
def test_loads_and_stores() -> None:
    valid(const(0), ins(O.I64_LOAD32_U, MemArg(2, 0)), results=(I64,), **MEMORY)
    valid(const(0), ins(O.F64_CONST, 0), ins(O.F64_STORE, MemArg(3, 8)), **MEMORY)
    invalid("type mismatch", const(0), ins(O.F32_CONST, 0), ins(O.F64_STORE, MemArg(3, 8)), **MEMORY)


def test_alignment_at_most_natural() -> None:
    invalid("alignment must not be larger than natural", const(0), ins(O.I32_LOAD8_U, MemArg(1, 0)), ins(O.DROP), **MEMORY)
    invalid("alignment must not be larger than natural", const(0), ins(O.I64_LOAD, MemArg(4, 0)), ins(O.DROP), **MEMORY)


def test_memory_required() -> None:
    invalid("unknown memory", const(0), ins(O.I32_LOAD, MemArg(2, 0)), ins(O.DROP))
    invalid("unknown memory", ins(O.MEMORY_SIZE, 0), ins(O.DROP))
    invalid("unknown memory", const(0), const(0), const(0), ins(O.MEMORY_FILL, 0))


def test_bulk_memory_and_data_count() -> None:
    three = (const(0), const(0), const(0))
    data = (DataSegment(b"x", DataMode.PASSIVE),)
    valid(*three, ins(O.MEMORY_INIT, (0, 0)), ins(O.DATA_DROP, 0), datas=data, data_count=1, **MEMORY)
    invalid("unknown data segment", *three, ins(O.MEMORY_INIT, (1, 0)), datas=data, data_count=1, **MEMORY)
    invalid("unknown data segment", ins(O.DATA_DROP, 0), data_count=0)
    valid(*three, ins(O.MEMORY_COPY, (0, 0)), const(1), ins(O.MEMORY_GROW, 0), ins(O.DROP), **MEMORY)


# -- shape of the body -----------------------------------------------------------
def test_missing_final_end() -> None:
    m = Module(types=(FuncType((), ()),), funcs=(Function(0, (), (ins(O.NOP),)),))
    with pytest.raises(ValidationError):
        validate_module(m)


def test_instructions_after_final_end() -> None:
    m = Module(types=(FuncType((), ()),), funcs=(Function(0, (), (END, ins(O.NOP), END)),))
    with pytest.raises(ValidationError):
        validate_module(m)


def test_else_without_if() -> None:
    invalid("else", ins(O.BLOCK, None), ins(O.ELSE), END)
