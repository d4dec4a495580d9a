"""Helpers shared by the interpreter tests (not a test module): locating the
WebAssembly spec test suite, assembling small binaries by hand from the grammar
of spec chapter 5 (independently of our encoder), and comparing modules up to
what is not structure (byte offsets, sections the text format cannot spell).

Test files import it after putting this folder on ``sys.path`` (pytest runs
with ``--import-mode=importlib`` and the repository has no root conftest).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path

from pywasm_host.interpreter.syntax.module import Expr, Instruction, Module

REPO = Path(__file__).resolve().parents[2]
SUITE_MISSING = "spec test suite not found ($WASM_TESTSUITE or <repo>/../shared/wasm-testsuite)"
HEADER = b"\x00asm\x01\x00\x00\x00"


def suite_root() -> Path | None:
    """The spec test suite folder (``$WASM_TESTSUITE``, else ``<repo>/../shared/wasm-testsuite``)
    if it holds ``suite-2.0.txt`` and ``json/2.0``, else ``None``."""
    env = os.environ.get("WASM_TESTSUITE")
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared" / "wasm-testsuite")
    for c in candidates:
        if (c / "json" / "2.0").is_dir() and (c / "suite-2.0.txt").is_file():
            return c.resolve()
    return None


def leb(value: int) -> bytes:
    """Unsigned LEB128, shortest form (spec 5.2.2)."""
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def section(section_id: int, payload: bytes) -> bytes:
    """``id size payload`` (spec 5.5.2)."""
    return bytes([section_id]) + leb(len(payload)) + payload


def _expr(x: Expr | None, imm: Callable[[object], object] | None = None) -> Expr | None:
    if x is None:
        return None
    if imm is None:
        return tuple(Instruction(i.opcode, i.imm) for i in x)
    return tuple(Instruction(i.opcode, imm(i.imm)) for i in x)


def strip_offsets(m: Module, body_imm: Callable[[object], object] | None = None) -> Module:
    """The module with every byte offset zeroed (offsets are not structure);
    ``body_imm``, if given, maps every immediate of the function bodies."""
    return dataclasses.replace(
        m,
        funcs=tuple(dataclasses.replace(f, body=_expr(f.body, body_imm), offset=0) for f in m.funcs),
        globals=tuple(dataclasses.replace(g, init=_expr(g.init)) for g in m.globals),
        elems=tuple(
            dataclasses.replace(s, init=tuple(_expr(i) for i in s.init), offset=_expr(s.offset)) for s in m.elems
        ),
        datas=tuple(dataclasses.replace(s, offset=_expr(s.offset)) for s in m.datas),
        customs=tuple(dataclasses.replace(c, offset=0) for c in m.customs),
    )


def textual(m: Module) -> Module:
    """The module without byte offsets, custom sections and data count (no text form)."""
    return dataclasses.replace(strip_offsets(m), customs=(), data_count=None)
