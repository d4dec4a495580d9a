"""Hand-written cases for the module parser (spec 6.4-6.6): abbreviations expand to
exactly the model of their unabbreviated form, implicit type definitions follow spec
6.6.3, labels resolve to depths (6.5.1), SIMD immediates (6.5.7), identifiers become
name-section names, and malformed text gives the spec's message at line:column."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pywasm_host.interpreter.binary.opcodes import Opcode
from pywasm_host.interpreter.errors import MalformedError
from pywasm_host.interpreter.syntax.module import (
    DataMode,
    ElementSegment,
    ElemMode,
    Instruction,
    MemArg,
    Module,
    TypeIndex,
)
from pywasm_host.interpreter.syntax.types import ExternKind, FuncType, Limits, MemoryType, TableType, ValType
from pywasm_host.interpreter.text.errors import TextFormatError
from pywasm_host.interpreter.text.parser import parse_module

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from wasm_test_support import strip_offsets  # noqa: E402

I32, I64, F32, FUNCREF = ValType.I32, ValType.I64, ValType.F32, ValType.FUNCREF
END = Instruction(Opcode.END)


def ops(m: Module, func: int = 0) -> list[tuple[Opcode, object]]:
    return [(i.opcode, i.imm) for i in m.funcs[func].body]


def same(a: str, b: str) -> None:
    # instruction offsets are source positions, which differ between the two texts
    assert strip_offsets(parse_module(a)) == strip_offsets(parse_module(b))


def test_parse_implicit_types_in_spec_order() -> None:
    m = parse_module(
        """(module
             (func (param i32))                 ;; implicit, appended after all explicit types
             (type (func))
             (func (type 0))
             (func (param $x i32))              ;; the implicit type above is reused
             (func (result i64) (block (param i32) (result i32) (unreachable)) (unreachable))
             (type (func (param i32) (result i32))))"""
    )
    assert m.types == (
        FuncType((), ()),
        FuncType((I32,), (I32,)),
        FuncType((I32,), ()),
        FuncType((), (I64,)),
    )
    assert [f.type_index for f in m.funcs] == [2, 0, 2, 3]
    assert ops(m, 3)[0] == (Opcode.BLOCK, TypeIndex(1))  # the explicit type matches first


def test_parse_block_types() -> None:
    m = parse_module(
        "(func (block) (block (result i32) unreachable) (loop (type 0)) (if (result i32 i64) (i32.const 0) (then unreachable)))"
    )
    body = ops(m)
    assert body[0] == (Opcode.BLOCK, None)
    assert body[2] == (Opcode.BLOCK, I32)
    assert body[5] == (Opcode.LOOP, TypeIndex(0))
    assert body[8] == (Opcode.IF, TypeIndex(1))
    assert m.types[1] == FuncType((), (I32, I64))


def test_parse_inline_import_export() -> None:
    same(
        '(module (func $f (export "a") (export "b") (import "m" "n") (param i32)) (global (export "g") (import "m" "g") i32))',
        '(module (import "m" "n" (func $f (param i32))) (import "m" "g" (global i32))'
        ' (export "a" (func $f)) (export "b" (func $f)) (export "g" (global 0)))',
    )


def test_parse_inline_table_elem_and_memory_data() -> None:
    same(
        "(module (func $f) (func $g) (table $t funcref (elem $f $g $f)))",
        "(module (func $f) (func $g) (table $t 3 3 funcref) (elem (table $t) (offset (i32.const 0)) func $f $g $f))",
    )
    same(
        '(module (memory (export "m") (data "ab" "c")))',
        '(module (memory 1 1) (export "m" (memory 0)) (data (memory 0) (i32.const 0) "abc"))',
    )
    m = parse_module("(memory (data))")
    assert m.mems == (MemoryType(Limits(0, 0)),) and m.datas[0].data == b""


def test_parse_elem_modes() -> None:
    m = parse_module(
        """(module (table 1 funcref) (func $f)
             (elem (i32.const 0) $f)
             (elem func $f)
             (elem declare funcref (ref.func $f) (item ref.null func))
             (elem (table 0) (offset i32.const 0) funcref (item (ref.func 0))))"""
    )
    ref_f = (Instruction(Opcode.REF_FUNC, 0), END)
    zero = (Instruction(Opcode.I32_CONST, 0), END)
    assert strip_offsets(m).elems == (
        ElementSegment(FUNCREF, (ref_f,), ElemMode.ACTIVE, 0, zero),
        ElementSegment(FUNCREF, (ref_f,), ElemMode.PASSIVE),
        ElementSegment(FUNCREF, (ref_f, (Instruction(Opcode.REF_NULL, FUNCREF), END)), ElemMode.DECLARATIVE),
        ElementSegment(FUNCREF, (ref_f,), ElemMode.ACTIVE, 0, zero),
    )


def test_parse_data_segments() -> None:
    m = parse_module(
        '(module (memory $m 1) (data $d "x\\00\\u{e9}") (data (i32.const 8) "y") (func (memory.init $d (i32.const 0) (i32.const 0) (i32.const 0)) (data.drop 1)))'
    )
    assert m.datas[0].data == b"x\x00\xc3\xa9" and m.datas[0].mode == DataMode.PASSIVE
    assert strip_offsets(m).datas[1].offset == (Instruction(Opcode.I32_CONST, 8), END)
    assert ops(m)[3] == (Opcode.MEMORY_INIT, (0, 0))
    assert m.data_count == 2  # memory.init/data.drop need the data count section (spec 5.5.15)


def test_parse_folded_equals_flat() -> None:
    same(
        "(func (param i32) (result i32) (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2))))",
        "(func (param i32) (result i32) local.get 0 if (result i32) i32.const 1 else i32.const 2 end)",
    )
    same("(func (i32.add (i32.const 1) (i32.const 2)) drop)", "(func i32.const 1 i32.const 2 i32.add drop)")
    # an empty else is omitted, as in the binary format
    assert ops(parse_module("(func (if (i32.const 0) (then) (else)))")) == [
        (Opcode.I32_CONST, 0), (Opcode.IF, None), (Opcode.END, None), (Opcode.END, None),
    ]  # fmt: skip


def test_parse_labels() -> None:
    m = parse_module("(func block $a block $b br $a br $b br 0 end end block $a block $a br $a end end)")
    assert [imm for op, imm in ops(m) if op == Opcode.BR] == [1, 0, 0, 0]
    m = parse_module("(func (block $a (result i32) (i32.const 0) (br_table $a $a 0)))")
    assert ops(m)[2] == (Opcode.BR_TABLE, ((0, 0), 0))


def test_parse_immediates() -> None:
    m = parse_module(
        """(module (type $t (func)) (table $u 0 funcref) (table $v 0 externref) (memory 1) (elem $e func)
             (func (param $p i32) (local $l i64)
               (call_indirect $u (type $t) (i32.const 0))
               (call_indirect (i32.const 0))
               (drop (i64.load32_u offset=0x10 (i32.const 0)))
               (drop (i32.load align=2 (i32.const 0)))
               (drop (select (result i64) (local.get $l) (i64.const -1) (local.get $p)))
               (table.init $v $e (i32.const 0) (i32.const 0) (i32.const 0))
               (table.init $e (i32.const 0) (i32.const 0) (i32.const 0))
               (table.copy $v $u (i32.const 0) (i32.const 0) (i32.const 0))
               (drop (table.size $v)) (drop (ref.null extern)) (drop (f32.const -0x1p-1))))"""
    )
    body = [
        (op, imm) for op, imm in ops(m) if op not in (Opcode.I32_CONST, Opcode.DROP, Opcode.LOCAL_GET, Opcode.I64_CONST)
    ]
    assert body == [
        (Opcode.CALL_INDIRECT, (0, 0)), (Opcode.CALL_INDIRECT, (0, 0)), (Opcode.I64_LOAD32_U, MemArg(2, 16)),
        (Opcode.I32_LOAD, MemArg(1, 0)), (Opcode.SELECT_T, (I64,)), (Opcode.TABLE_INIT, (0, 1)),
        (Opcode.TABLE_INIT, (0, 0)), (Opcode.TABLE_COPY, (1, 0)), (Opcode.TABLE_SIZE, 1),
        (Opcode.REF_NULL, ValType.EXTERNREF), (Opcode.F32_CONST, 0xBF000000), (Opcode.END, None),
    ]  # fmt: skip
    assert m.tables == (TableType(Limits(0), FUNCREF), TableType(Limits(0), ValType.EXTERNREF))


def test_parse_simd_immediates() -> None:
    m = parse_module(
        """(module (memory 1) (func (param v128)
             (drop (v128.const i16x8 1 -1 0 0 0 0 0 0x8000))
             (drop (v128.const f32x4 1.0 -0 nan inf))
             (drop (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 (local.get 0) (local.get 0)))
             (drop (i32x4.extract_lane 3 (local.get 0)))
             (drop (v128.load8_lane offset=2 align=1 5 (i32.const 0) (local.get 0)))
             (drop (v128.load (i32.const 0))) (drop (v128.load8x8_s (i32.const 0))) (drop (v128.load32_zero (i32.const 0)))))"""
    )
    imms = [imm for op, imm in ops(m) if op not in (Opcode.DROP, Opcode.LOCAL_GET, Opcode.I32_CONST, Opcode.END)]
    assert imms[0] == 1 | 0xFFFF << 16 | 0x8000 << 112
    assert imms[1] == 0x3F800000 | 0x80000000 << 32 | 0x7FC00000 << 64 | 0x7F800000 << 96
    assert imms[2] == (*range(15), 31)
    assert imms[3] == 3
    assert imms[4] == (MemArg(0, 2), 5)
    assert imms[5:] == [MemArg(4, 0), MemArg(3, 0), MemArg(2, 0)]


def test_parse_names() -> None:
    m = parse_module(
        '(module $mod (import "a" "b" (func $imp (param $q i32))) (func $f (param $x i32) (local $y i64) (local i32)))'
    )
    assert m.names.module == "mod"
    assert m.names.functions == {0: "imp", 1: "f"}  # as wat2wasm --debug-names writes them
    assert m.names.locals == {0: {0: "q"}, 1: {0: "x", 1: "y"}}
    assert m.imports[0].kind == ExternKind.FUNC and m.funcs[0].locals == (I64, I32)


def test_parse_bare_fields_and_binary() -> None:
    assert parse_module("(func) (memory 1)").mems == (MemoryType(Limits(1)),)
    assert parse_module('(module binary "\\00asm" "\\01\\00\\00\\00")') == Module()
    assert parse_module('(module quote "(module (memory 1))")').mems == (MemoryType(Limits(1)),)
    assert parse_module('(module quote "(memory 1)" "(func)")').mems == (MemoryType(Limits(1)),)
    with pytest.raises(MalformedError):
        parse_module('(module binary "\\00asm")')
    assert parse_module(b'(module (func (export "\\e2\\98\\ba")))').exports[0].name == "\u263a"
    with pytest.raises(TextFormatError, match="malformed UTF-8 encoding") as info:
        parse_module(b"(module\n  (func $f\xe9))")
    assert (info.value.line, info.value.column) == (2, 11)


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ("(module\n  (func $f)\n  (func $f))", "duplicate func", 3, 9),
        ("(module (func (local $x i32) (local $x i32)))", "duplicate local", 1, 37),
        ("(module (func (block $l (br $m))))", "unknown label", 1, 29),
        ("(module (func block $a end $b))", "mismatching label", 1, 28),
        ("(module (func (call $nope)))", "unknown function", 1, 21),
        ("(module (type (func)) (func (type 0) (param i32)))", "inline function type", 1, 29),
        ("(module (func (type 5) (result i32)))", "unknown type", 1, 21),
        ('(module (func) (import "a" "b" (func)))', "import after function", 1, 16),
        ('(module (memory 0) (func (import "a" "b")))', "import after memory", 1, 26),
        ("(module (func $f) (start $f) (start $f))", "multiple start sections", 1, 31),
        ("(module (memory 1) (func (drop (i32.load align=3 (i32.const 0)))))", "alignment must be a power of two", 1, 42),
        ("(module (memory 0x1_0000_0000))", "i32 constant out of range", 1, 17),
        ("(module (func (drop (i32.const 4294967296))))", "constant out of range", 1, 32),
        ("(module (func (drop (f32.const 1e39))))", "constant out of range", 1, 32),
        ("(module (func (i32.konst 0)))", "unknown operator i32.konst", 1, 16),
        ("(module (func (i32.const 0x)))", "unknown operator 0x", 1, 26),
        ("(module (func (result i32) (i32.const 0) end))", "unexpected token", 1, 42),
        ("(module (func (if (i32.const 0) (i32.const 1))))", "unexpected token", 1, 46),
        ('(module (func (export "\\ff")))', "malformed UTF-8 encoding", 1, 23),
        ("(module (func (v128.const i32x4 0 0 0)))", "wrong number of lane literals", 1, 38),
        ("(module (func (i8x16.extract_lane_s 256 (v128.const i64x2 0 0))))", "malformed lane index", 1, 37),
        ("(module (table 0 anyfunc))", "unknown operator anyfunc", 1, 18),
        ("(module (func)) )", "unexpected token", 1, 17),
        ("(module (func (block (result i32) (param i32))))", "unexpected token", 1, 36),
    ],
)  # fmt: skip
def test_parse_errors(text: str, message: str, line: int, column: int) -> None:
    with pytest.raises(TextFormatError) as info:
        parse_module(text, "t.wat")
    err = info.value
    assert str(err).startswith(message), str(err)
    assert (err.line, err.column) == (line, column), str(err)
    assert f"t.wat:{line}:{column}" in str(err)
    assert isinstance(err, MalformedError)


def test_parse_more_forms() -> None:
    # import fields of every kind equal their inline abbreviations (spec 6.6.4 - 6.6.7)
    same(
        '(module (import "m" "t" (table $t 1 funcref)) (import "m" "mem" (memory 1 2)) (import "m" "g" (global $g (mut i64))))',
        '(module (table $t (import "m" "t") 1 funcref) (memory (import "m" "mem") 1 2) (global $g (import "m" "g") (mut i64)))',
    )
    # inline elem with expressions, bare table/memory indices on segments
    same(
        "(module (func $f) (table externref (elem (ref.null extern) (item ref.null extern))))",
        "(module (func $f) (table 2 2 externref) (elem (table 0) (i32.const 0) externref (ref.null extern) (ref.null extern)))",
    )
    same(
        '(module (table 1 funcref) (memory 1) (func $f) (elem 0 (i32.const 0) $f) (data 0 (i32.const 0) "x"))',
        '(module (table 1 funcref) (memory 1) (func $f) (elem (table 0) (i32.const 0) func $f) (data (memory 0) (i32.const 0) "x"))',
    )
    m = parse_module(
        """(module (memory 1) (global $g i32 (i32.const 1)) (elem $e func)
             (func (result i32)
               if $l (result i32) (global.get $g) else $l (i32.const 2) end $l drop
               (elem.drop $e) (memory.copy (i32.const 0) (i32.const 0) (i32.const 0))
               (memory.fill (i32.const 0) (i32.const 0) (i32.const 0)) (drop (memory.grow (memory.size)))
               (i32.const 0)))"""
    )
    body = [(op, imm) for op, imm in ops(m) if op not in (Opcode.I32_CONST, Opcode.DROP)]
    assert body == [
        (Opcode.IF, I32), (Opcode.GLOBAL_GET, 0), (Opcode.ELSE, None), (Opcode.END, None), (Opcode.ELEM_DROP, 0),
        (Opcode.MEMORY_COPY, (0, 0)), (Opcode.MEMORY_FILL, 0), (Opcode.MEMORY_SIZE, 0), (Opcode.MEMORY_GROW, 0),
        (Opcode.END, None),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "(module (memory 1) (func (drop (i32.load offset=0x1_0000_0000 (i32.const 0)))))",
            "i32 constant out of range",
        ),
        ("(module (func (param $x i32) (local $x i32)))", "duplicate local"),
        ("(module (func block $a end $a end))", "unexpected token"),
        ('(module (memory (data "a") 1))', "unexpected token"),
        ("(module (func (v128.const i32x4 0 0 0 0 0)))", "wrong number of lane literals"),
        ("(module (func (v128.const i32x4 0 0 0 nan)))", "unexpected token"),
        ("(module (func (v128.const i32x4 0 0 0 0x)))", "unknown operator 0x"),
        ("(module (func (global.get $nope)))", "unknown global"),
        ("(module (func (elem.drop $nope)))", "unknown elem segment"),
        ("(module (func (data.drop $nope)))", "unknown data segment"),
        ("(module (type $t (func)) (type $t (func)))", "duplicate type"),
    ],
)
def test_parse_more_errors(text: str, message: str) -> None:
    with pytest.raises(TextFormatError) as info:
        parse_module(text)
    assert str(info.value).startswith(message), str(info.value)
