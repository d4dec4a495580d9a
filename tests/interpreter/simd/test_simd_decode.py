"""Decoding of the ``0xFD`` vector instructions (spec 5.4.8) against wasm-tools.

The oracle is wasm-tools: it prints the text mnemonic of every SIMD
instruction of a hand-built binary, and rejects the sub-opcodes 0x00..0xFF
we do not know; our decoder must agree on mnemonics and immediates. Skipped when wasm-tools is
not installed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pywasm_host.interpreter.binary.decode import decode_module
from pywasm_host.interpreter.binary.opcodes import Opcode
from pywasm_host.interpreter.errors import MalformedError
from pywasm_host.interpreter.syntax.module import MemArg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from wasm_test_support import HEADER, leb, section  # noqa: E402

WASM_TOOLS = shutil.which("wasm-tools")
pytestmark = pytest.mark.skipif(WASM_TOOLS is None, reason="wasm-tools not installed")



def _module(instr: bytes) -> bytes:
    body = b"\x00" + instr + b"\x0b"
    return (
        HEADER
        + section(1, b"\x01\x60\x00\x00")
        + section(3, b"\x01\x00")
        + section(5, b"\x01\x00\x01")
        + section(10, b"\x01" + leb(len(body)) + body)
    )


def _imm_for(op: Opcode) -> bytes:
    # Immediates chosen by shape; wasm-tools must accept exactly these bytes.
    if op is Opcode.V128_CONST or op is Opcode.I8X16_SHUFFLE:
        return bytes(range(16))
    if Opcode.V128_LOAD8_LANE <= op <= Opcode.V128_STORE64_LANE:
        return b"\x03\x05\x01"
    if "load" in op.mnemonic or "store" in op.mnemonic:
        return b"\x03\x05"
    if "lane" in op.mnemonic:
        return b"\x07"
    return b""


def _wasm_tools(binary: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([WASM_TOOLS, "print", "-"], input=binary, capture_output=True, check=False)


def test_every_simd_opcode_matches_wasm_tools() -> None:
    ours = sorted((op for op in Opcode if op >> 16 == 0xFD), key=int)
    assert len(ours) == 236
    # One module whose one body holds every SIMD instruction; wasm-tools prints
    # one instruction per line, so mnemonics and immediate lengths are checked at once.
    instrs = b"".join(b"\xfd" + leb(op & 0xFFFF) + _imm_for(op) for op in ours)
    binary = _module(instrs)
    proc = _wasm_tools(binary)
    assert proc.returncode == 0, proc.stderr.decode()
    lines = proc.stdout.decode().split("(type 0)", 2)[-1].strip().splitlines()
    printed = [line.split()[0] for line in lines[: len(ours)]]
    assert printed == [op.mnemonic for op in ours]
    body = decode_module(binary).funcs[0].body
    assert [i.opcode for i in body[:-1]] == ours
    for instr in body[:-1]:
        op, imm = instr.opcode, _imm_for(instr.opcode)
        if imm == b"\x03\x05":
            assert instr.imm == MemArg(3, 5)
        elif imm == b"\x07":
            assert instr.imm == 7
        elif imm == b"\x03\x05\x01":
            assert instr.imm == (MemArg(3, 5), 1)
        elif op is Opcode.I8X16_SHUFFLE:
            assert instr.imm == tuple(range(16))
        elif op is Opcode.V128_CONST:
            assert instr.imm == 0x0F0E0D0C0B0A09080706050403020100
        else:
            assert instr.imm is None


def test_holes_are_unknown_to_wasm_tools_too() -> None:
    known = {op & 0xFFFF for op in Opcode if op >> 16 == 0xFD}
    for sub in sorted(set(range(256)) - known):
        proc = _wasm_tools(_module(b"\xfd" + leb(sub)))
        assert b"unknown 0xfd subopcode" in proc.stderr, sub
        with pytest.raises(MalformedError, match="illegal opcode"):
            decode_module(_module(b"\xfd" + leb(sub)))


def test_v128_const_is_little_endian_int() -> None:
    const = bytes([0xFF] + [0] * 14 + [0x80])
    body = decode_module(_module(b"\xfd\x0c" + const + b"\x1a")).funcs[0].body
    assert body[0].imm == (1 << 127) | 0xFF


@pytest.mark.parametrize("instr", [b"\xfd\x0c" + bytes(15), b"\xfd\x0d" + bytes(3), b"\xfd\x15", b"\xfd\x54\x00"])
def test_truncated_immediates_are_malformed(instr: bytes) -> None:
    binary = HEADER + section(1, b"\x01\x60\x00\x00") + section(3, b"\x01\x00")
    body = b"\x00" + instr
    with pytest.raises(MalformedError):
        decode_module(binary + section(10, b"\x01" + leb(len(body)) + body))


def test_unknown_simd_opcode_is_malformed() -> None:
    with pytest.raises(MalformedError, match="illegal opcode"):
        decode_module(_module(b"\xfd\x9a\x01"))
