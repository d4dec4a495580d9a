"""Property tests: random instruction sequences survive encode -> decode and print -> parse.

Bodies are random flat sequences of every opcode the decoder knows (SIMD included), with random
immediates from each immediate kind's whole domain and randomly nested ``block``/``loop``/``if``
/ ``else``; nothing is validated, so the properties cover the binary and text *syntax* of every
instruction: ``decode(encode(m)) == m`` and ``parse(print(m)) == m`` (flat and folded), up to
byte offsets.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from pywasm_host.interpreter.binary import instructions as binary_instructions
from pywasm_host.interpreter.binary.decode import decode_module
from pywasm_host.interpreter.binary.encode import encode_module
from pywasm_host.interpreter.binary.opcodes import Opcode
from pywasm_host.interpreter.syntax.module import Function, Instruction, MemArg, Module, TypeIndex
from pywasm_host.interpreter.syntax.types import FuncType, ValType
from pywasm_host.interpreter.text.parser import parse_module
from pywasm_host.interpreter.text.print import print_module

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from wasm_test_support import textual  # noqa: E402

U32 = st.integers(0, 0xFFFF_FFFF)
VALTYPES = st.sampled_from(list(ValType))
REFTYPES = st.sampled_from([ValType.FUNCREF, ValType.EXTERNREF])
MEMARG = st.builds(MemArg, st.integers(0, 31), U32)
LANE = st.integers(0, 255)

# immediate reader name (binary/instructions.py) -> strategy for its decoded immediate
IMMEDIATES = {
    "_index": U32,
    "_two_indices": st.tuples(U32, U32),
    "_call_indirect": st.tuples(U32, U32),
    "_table_init": st.tuples(U32, U32),
    "_br_table": st.tuples(st.lists(U32, max_size=4).map(tuple), U32),
    "_memarg": MEMARG,
    "_zero": st.just(0),
    "_zero_zero": st.just((0, 0)),
    "_data_index_zero": st.tuples(U32, st.just(0)),
    "_i32_const": U32,
    "_i64_const": st.integers(0, (1 << 64) - 1),
    "_f32_const": U32,
    "_f64_const": st.integers(0, (1 << 64) - 1),
    "_select_t": st.lists(VALTYPES, min_size=1, max_size=2).map(tuple),
    "read_reftype": REFTYPES,
    "_lane": LANE,
    "_memarg_lane": st.tuples(MEMARG, LANE),
    "_shuffle": st.lists(st.integers(0, 31), min_size=16, max_size=16).map(tuple),
    "_v128_const": st.integers(0, (1 << 128) - 1),
}

_STRUCTURE = {Opcode.BLOCK, Opcode.LOOP, Opcode.IF, Opcode.ELSE, Opcode.END}
PLAIN: list[tuple[Opcode, object]] = []
for _entry in [*binary_instructions.OPCODES, *(e for p in binary_instructions.PREFIXED.values() for e in p.values())]:
    if _entry is None or _entry[0] in _STRUCTURE:
        continue
    _reader = _entry[1]
    PLAIN.append((_entry[0], None if _reader is None else IMMEDIATES[_reader.__name__]))

TYPES = (FuncType((), ()), FuncType((ValType.I32,), (ValType.I64, ValType.F32)))
BLOCKTYPES = st.one_of(st.none(), VALTYPES, st.sampled_from([TypeIndex(0), TypeIndex(1)]))


@st.composite
def instruction(draw: st.DrawFn) -> Instruction:
    op, imm = draw(st.sampled_from(PLAIN))
    return Instruction(op, None if imm is None else draw(imm))  # type: ignore[arg-type]


@st.composite
def body(draw: st.DrawFn, depth: int = 0) -> list[Instruction]:
    out: list[Instruction] = []
    for _ in range(draw(st.integers(0, 6))):
        if depth < 3 and draw(st.integers(0, 5)) == 0:
            op = draw(st.sampled_from([Opcode.BLOCK, Opcode.LOOP, Opcode.IF]))
            out.append(Instruction(op, draw(BLOCKTYPES)))
            out.extend(draw(body(depth + 1)))
            if op == Opcode.IF and draw(st.booleans()):
                out.append(Instruction(Opcode.ELSE))
                out.extend(draw(body(depth + 1)))
            out.append(Instruction(Opcode.END))
        else:
            out.append(draw(instruction()))
    return out


@st.composite
def module(draw: st.DrawFn) -> Module:
    funcs = tuple(
        Function(draw(st.integers(0, 1)), tuple(draw(st.lists(VALTYPES, max_size=3))), (*draw(body()), Instruction(Opcode.END)))
        for _ in range(draw(st.integers(1, 3)))
    )  # fmt: skip
    return Module(types=TYPES, funcs=funcs)


@settings(max_examples=300, deadline=None)
@given(module())
def test_encode_decode(m: Module) -> None:
    assert textual(decode_module(encode_module(m))) == textual(m)


def _no_empty_else(m: Module) -> Module:
    """An empty ``else`` branch is the same abstract syntax as none (spec 6.5.2 abbreviation);
    the binary format may or may not spell it, the text parser drops it."""

    def strip(b: tuple[Instruction, ...]) -> tuple[Instruction, ...]:
        return tuple(i for k, i in enumerate(b) if not (i.opcode == Opcode.ELSE and b[k + 1].opcode == Opcode.END))

    return dataclasses.replace(m, funcs=tuple(dataclasses.replace(f, body=strip(f.body)) for f in m.funcs))


@settings(max_examples=300, deadline=None)
@given(module(), st.booleans())
def test_print_parse(m: Module, folded: bool) -> None:
    text = print_module(m, folded=folded)
    assert _no_empty_else(textual(parse_module(text))) == _no_empty_else(textual(m)), text
