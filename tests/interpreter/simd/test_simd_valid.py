"""Validation of vector instructions (spec 3.3.3 "Vector Instructions", 3.3.7
"Memory Instructions"): lane index ranges, alignment limits per access width,
operand types, v128 in constant expressions.

Binaries are assembled by hand from the grammar of spec chapter 5; the
expected verdicts come from the validation rules of chapter 3.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pywasm_host.interpreter.binary.decode import decode_module
from pywasm_host.interpreter.errors import ValidationError
from pywasm_host.interpreter.valid import validate_module

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from wasm_test_support import HEADER, leb, section  # noqa: E402

I32, I64, F32, F64, V128 = 0x7F, 0x7E, 0x7D, 0x7C, 0x7B


def module(params: list[int], results: list[int], body: bytes, locals_: list[int] = (), memory: bool = True,
           globals_: bytes = b"") -> bytes:  # type: ignore[assignment]
    functype = b"\x60" + leb(len(params)) + bytes(params) + leb(len(results)) + bytes(results)
    local_decls = leb(len(locals_)) + b"".join(b"\x01" + bytes([t]) for t in locals_)
    code = local_decls + body + b"\x0b"
    out = HEADER + section(1, b"\x01" + functype) + section(3, b"\x01\x00")
    if memory:
        out += section(5, b"\x01\x00\x01")
    if globals_:
        out += section(6, globals_)
    return out + section(10, b"\x01" + leb(len(code)) + code)


def validate(binary: bytes) -> None:
    validate_module(decode_module(binary))


def invalid(binary: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate(binary)
    assert str(info.value).startswith(message), str(info.value)


def simd(sub: int, imm: bytes = b"") -> bytes:
    return b"\xfd" + leb(sub) + imm


CONST0 = simd(0x0C, bytes(16))
ADDR = b"\x41\x00"  # i32.const 0


# -- lane indices ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("sub", "lanes", "result"),
    [(0x15, 16, I32), (0x16, 16, I32), (0x18, 8, I32), (0x19, 8, I32), (0x1B, 4, I32), (0x1D, 2, I64),
     (0x1F, 4, F32), (0x21, 2, F64)],
)
def test_extract_lane_range(sub: int, lanes: int, result: int) -> None:
    validate(module([V128], [result], b"\x20\x00" + simd(sub, bytes([lanes - 1]))))
    invalid(module([V128], [result], b"\x20\x00" + simd(sub, bytes([lanes]))), "invalid lane index")
    invalid(module([V128], [result], b"\x20\x00" + simd(sub, b"\xff")), "invalid lane index")


@pytest.mark.parametrize(
    ("sub", "lanes", "scalar"),
    [(0x17, 16, I32), (0x1A, 8, I32), (0x1C, 4, I32), (0x1E, 2, I64), (0x20, 4, F32), (0x22, 2, F64)],
)
def test_replace_lane_range_and_operand_type(sub: int, lanes: int, scalar: int) -> None:
    validate(module([V128, scalar], [V128], b"\x20\x00\x20\x01" + simd(sub, bytes([lanes - 1]))))
    invalid(module([V128, scalar], [V128], b"\x20\x00\x20\x01" + simd(sub, bytes([lanes]))), "invalid lane index")
    wrong = I64 if scalar == I32 else I32
    invalid(module([V128, wrong], [V128], b"\x20\x00\x20\x01" + simd(sub, b"\x00")), "type mismatch")


def test_shuffle_lanes_below_32() -> None:
    ok = bytes(range(0, 32, 2))
    validate(module([V128, V128], [V128], b"\x20\x00\x20\x01" + simd(0x0D, ok)))
    bad = bytes([0] * 15 + [32])
    invalid(module([V128, V128], [V128], b"\x20\x00\x20\x01" + simd(0x0D, bad)), "invalid lane index")


@pytest.mark.parametrize(("sub", "natural"), [(0x54, 0), (0x55, 1), (0x56, 2), (0x57, 3), (0x58, 0), (0x59, 1),
                                              (0x5A, 2), (0x5B, 3)])
def test_memory_lane_instructions(sub: int, natural: int) -> None:
    lanes = 16 >> natural
    results = [V128] if sub < 0x58 else []
    body = ADDR + b"\x20\x00" + simd(sub, bytes([natural, 0, lanes - 1]))
    validate(module([V128], results, body))
    invalid(module([V128], results, ADDR + b"\x20\x00" + simd(sub, bytes([natural, 0, lanes]))), "invalid lane index")
    invalid(module([V128], results, ADDR + b"\x20\x00" + simd(sub, bytes([natural + 1, 0, 0]))),
            "alignment must not be larger than natural")


# -- alignment -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("sub", "natural"),
    [(0x00, 4), (0x01, 3), (0x02, 3), (0x03, 3), (0x04, 3), (0x05, 3), (0x06, 3), (0x07, 0), (0x08, 1),
     (0x09, 2), (0x0A, 3), (0x5C, 2), (0x5D, 3)],
)
def test_load_alignment(sub: int, natural: int) -> None:
    validate(module([], [V128], ADDR + simd(sub, bytes([natural, 0]))))
    invalid(module([], [V128], ADDR + simd(sub, bytes([natural + 1, 0]))), "alignment must not be larger than natural")


def test_store_alignment_and_memory() -> None:
    validate(module([V128], [], ADDR + b"\x20\x00" + simd(0x0B, b"\x04\x00")))
    invalid(module([V128], [], ADDR + b"\x20\x00" + simd(0x0B, b"\x05\x00")), "alignment must not be larger")
    invalid(module([V128], [], ADDR + b"\x20\x00" + simd(0x0B, b"\x04\x00"), memory=False), "unknown memory")


# -- types ---------------------------------------------------------------------------------------

def test_operand_types() -> None:
    validate(module([V128, V128], [V128], b"\x20\x00\x20\x01" + simd(0x6E)))  # i8x16.add
    invalid(module([I32, I32], [V128], b"\x20\x00\x20\x01" + simd(0x6E)), "type mismatch")
    validate(module([V128, I32], [V128], b"\x20\x00\x20\x01" + simd(0x6B)))  # i8x16.shl takes an i32 count
    invalid(module([V128, V128], [V128], b"\x20\x00\x20\x01" + simd(0x6B)), "type mismatch")
    validate(module([V128], [I32], b"\x20\x00" + simd(0x53)))  # any_true -> i32
    validate(module([V128], [I32], b"\x20\x00" + simd(0xA4)))  # i32x4.bitmask (sub-opcode LEB a4 01)
    validate(module([I64], [V128], b"\x20\x00" + simd(0x12)))  # i64x2.splat
    invalid(module([I32], [V128], b"\x20\x00" + simd(0x12)), "type mismatch")
    validate(module([V128, V128, V128], [V128], b"\x20\x00\x20\x01\x20\x02" + simd(0x52)))  # bitselect


def test_v128_locals_select_and_block_results() -> None:
    body = b"\x20\x00" + CONST0 + b"\x41\x01\x1b"  # select on v128
    validate(module([V128], [V128], body, locals_=[V128]))
    body = b"\x02\x7b" + CONST0 + b"\x0b"  # block (result v128)
    validate(module([], [V128], body))


def test_v128_const_in_global_initialiser() -> None:
    glob = b"\x01" + bytes([V128, 0]) + CONST0 + b"\x0b"
    validate(module([], [], b"", globals_=glob))
    bad = b"\x01" + bytes([I32, 0]) + CONST0 + b"\x0b"
    invalid(module([], [], b"", globals_=bad), "type mismatch")
