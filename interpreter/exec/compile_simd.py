"""Translation of the vector instructions (spec 4.4.3 "Vector Instructions"
and the vector memory instructions of 4.4.7), registered into
:attr:`.compile.Translator.HANDLERS` when :mod:`.compile` is imported.

Every vector instruction follows the translator's conventions (see
:mod:`.compile`): operands are popped as registers, the result goes to a
fresh stack slot (so a following ``local.set`` can retarget it), and the
handler factories come from

* :mod:`.ops_simd_int`: integer, bitwise, splat, lane and shuffle
  instructions, ``factory(srcs..., d, [lane,] nxt)``;
* :mod:`.ops_simd_memory`: loads and stores, with ``offset`` and the memory
  instance (and the lane) as extra arguments;
* :mod:`.simd_float` (float lanes and conversions): its table
  ``SIMD_FLOAT_FACTORIES`` maps an :class:`Opcode` to a handler factory,
  ``factory(a, d, nxt)`` for unary and ``factory(a, b, d, nxt)`` for binary
  instructions (operands in stack order, ``b`` on top); the arity is the
  instruction's type from the validator. Entries of that table are
  registered last, so an operation can move there.

``v128.const`` is a constant register, like the scalar constants.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..binary.opcodes import Opcode as O
from ..syntax.module import Instruction
from ..valid.instructions import SIMPLE
from . import ops_simd_int as I
from . import ops_simd_memory as M
from .compile import Translator
from .simd_float import SIMD_FLOAT_FACTORIES

__all__ = ["register"]

Handler = Callable[[list[Any]], int]
Method = Callable[[Translator, Instruction], None]


def _unary(factory: Callable[..., Handler]) -> Method:
    def translate(t: Translator, ins: Instruction) -> None:
        a = t.pop()
        t.emit(factory, (a,), t.push_slot())
    return translate


def _binary(factory: Callable[..., Handler]) -> Method:
    def translate(t: Translator, ins: Instruction) -> None:
        b = t.pop()
        a = t.pop()
        t.emit(factory, (a, b), t.push_slot())
    return translate


def _ternary(factory: Callable[..., Handler]) -> Method:
    def translate(t: Translator, ins: Instruction) -> None:
        c = t.pop()
        b = t.pop()
        a = t.pop()
        t.emit(factory, (a, b, c), t.push_slot())
    return translate


def _load(factory: Callable[..., Handler]) -> Method:
    def translate(t: Translator, ins: Instruction) -> None:
        a = t.pop()
        t.emit(factory, (a,), t.push_slot(), ins.imm.offset, t.inst.mems[0])
    return translate


def _store(factory: Callable[..., Handler]) -> Method:
    def translate(t: Translator, ins: Instruction) -> None:
        v = t.pop()
        a = t.pop()
        t.emit(factory, (a, v), None, ins.imm.offset, t.inst.mems[0])
    return translate


def _load_lane(factory: Callable[..., Handler]) -> Method:
    def translate(t: Translator, ins: Instruction) -> None:
        memarg, lane = ins.imm
        v = t.pop()
        a = t.pop()
        t.emit(factory, (a, v), t.push_slot(), memarg.offset, lane, t.inst.mems[0])
    return translate


def _store_lane(factory: Callable[..., Handler]) -> Method:
    def translate(t: Translator, ins: Instruction) -> None:
        memarg, lane = ins.imm
        v = t.pop()
        a = t.pop()
        t.emit(factory, (a, v), None, memarg.offset, lane, t.inst.mems[0])
    return translate


def _lane(factory: Callable[..., Handler], nsrcs: int) -> Method:
    def translate(t: Translator, ins: Instruction) -> None:
        srcs = t.pop_n(nsrcs)
        t.emit(factory, srcs, t.push_slot(), ins.imm)
    return translate


def op_v128_const(t: Translator, ins: Instruction) -> None:
    t.const(("v128", ins.imm), ins.imm)


def op_i8x16_shuffle(t: Translator, ins: Instruction) -> None:
    b = t.pop()
    a = t.pop()
    t.emit(I.op_i8x16_shuffle, (a, b), t.push_slot(), ins.imm)


def register() -> None:
    """Install the translation of every vector instruction (idempotent)."""
    h = Translator.HANDLERS
    h[O.V128_CONST] = op_v128_const
    h[O.I8X16_SHUFFLE] = op_i8x16_shuffle
    for op, f in I.UNARY_FACTORIES.items():
        h[op] = _unary(f)
    for op, f in I.BINARY_FACTORIES.items():
        h[op] = _binary(f)
    for op, f in I.TERNARY_FACTORIES.items():
        h[op] = _ternary(f)
    for op, f in I.LANE_FACTORIES.items():
        h[op] = _lane(f, 2 if "REPLACE" in op.name else 1)
    for op, f in M.LOAD_FACTORIES.items():
        h[op] = _load(f)
    for op, f in M.STORE_FACTORIES.items():
        h[op] = _store(f)
    for op, f in M.LOAD_LANE_FACTORIES.items():
        h[op] = _load_lane(f)
    for op, f in M.STORE_LANE_FACTORIES.items():
        h[op] = _store_lane(f)
    for op, factory in SIMD_FLOAT_FACTORIES.items():
        h[op] = _unary(factory) if len(SIMPLE[op][0]) == 1 else _binary(factory)


register()
