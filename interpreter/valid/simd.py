"""Validation of vector instructions (spec 3.3.3 "Vector Instructions" and
the vector memory instructions of 3.3.7 "Memory Instructions").

Registers every ``0xFD`` instruction into the tables of
:mod:`.instructions`: instructions with a fixed type go to ``SIMPLE``;
those with a lane index (``extract_lane``/``replace_lane``, ``shuffle``,
``load*_lane``/``store*_lane``) or a memory argument get a handler in
``HANDLERS`` that checks the lane range ("invalid lane index") or the
alignment against the access width ("alignment must not be larger than
natural") before typing the instruction. Imported by the package
``__init__`` so that the tables are complete whenever validation runs.
"""

from __future__ import annotations

from ..binary.opcodes import Opcode
from ..syntax.module import Instruction
from ..syntax.types import ValType
from .instructions import HANDLERS, SIMPLE, FuncState, Handler, _Invalid, _memory_access

__all__: list[str] = []

I32 = ValType.I32
I64 = ValType.I64
F32 = ValType.F32
F64 = ValType.F64
V128 = ValType.V128

_UNARY = ([V128], [V128])
_BINARY = ([V128, V128], [V128])


def _simd_ops() -> list[Opcode]:
    return [op for op in Opcode if op >> 16 == 0xFD]


def _scalar_of(shape: str) -> ValType:
    return {"i8x16": I32, "i16x8": I32, "i32x4": I32, "i64x2": I64, "f32x4": F32, "f64x2": F64}[shape]


_LANES = {"i8x16": 16, "i16x8": 8, "i32x4": 4, "i64x2": 2, "f32x4": 4, "f64x2": 2}


def _memory_lane(natural: int, pops: list[ValType], pushes: list[ValType], lanes: int) -> Handler:
    # the immediate is (memarg, lane); a plain memarg is .instructions._memory_access
    def op_vector_memory_lane(st: FuncState, ins: Instruction) -> None:
        memarg, lane = ins.imm
        if lane >= lanes:
            raise _Invalid(f"invalid lane index {lane}")
        if not st.c.mems:
            raise _Invalid("unknown memory 0")
        if memarg.align > natural:
            raise _Invalid(f"alignment must not be larger than natural ({1 << natural} bytes)")
        st.apply(pops, pushes)

    return op_vector_memory_lane


def _lane_op(lanes: int, pops: list[ValType], pushes: list[ValType]) -> Handler:
    def op_vector_lane(st: FuncState, ins: Instruction) -> None:
        if ins.imm >= lanes:
            raise _Invalid(f"invalid lane index {ins.imm}")
        st.apply(pops, pushes)

    return op_vector_lane


def op_i8x16_shuffle(st: FuncState, ins: Instruction) -> None:
    for lane in ins.imm:
        if lane >= 32:
            raise _Invalid(f"invalid lane index {lane}")
    st.apply(*_BINARY)


# Unary v128 -> v128 instructions, by the operation part of the mnemonic.
_UNARY_NAMES = ("not", "abs", "neg", "popcnt", "sqrt", "ceil", "floor", "trunc", "nearest")
_UNARY_PREFIXES = ("extend_", "extadd_pairwise", "convert", "trunc_sat", "demote", "promote")


def _register() -> None:
    load_natural = {
        Opcode.V128_LOAD: 4,
        Opcode.V128_LOAD8X8_S: 3,
        Opcode.V128_LOAD8X8_U: 3,
        Opcode.V128_LOAD16X4_S: 3,
        Opcode.V128_LOAD16X4_U: 3,
        Opcode.V128_LOAD32X2_S: 3,
        Opcode.V128_LOAD32X2_U: 3,
        Opcode.V128_LOAD8_SPLAT: 0,
        Opcode.V128_LOAD16_SPLAT: 1,
        Opcode.V128_LOAD32_SPLAT: 2,
        Opcode.V128_LOAD64_SPLAT: 3,
        Opcode.V128_LOAD32_ZERO: 2,
        Opcode.V128_LOAD64_ZERO: 3,
    }
    for op, natural in load_natural.items():
        HANDLERS[op] = _memory_access(natural, [I32], [V128])
    HANDLERS[Opcode.V128_STORE] = _memory_access(4, [I32, V128], [])
    for natural, (load, store) in enumerate(
        [
            (Opcode.V128_LOAD8_LANE, Opcode.V128_STORE8_LANE),
            (Opcode.V128_LOAD16_LANE, Opcode.V128_STORE16_LANE),
            (Opcode.V128_LOAD32_LANE, Opcode.V128_STORE32_LANE),
            (Opcode.V128_LOAD64_LANE, Opcode.V128_STORE64_LANE),
        ]
    ):
        lanes = 16 >> natural
        HANDLERS[load] = _memory_lane(natural, [I32, V128], [V128], lanes)
        HANDLERS[store] = _memory_lane(natural, [I32, V128], [], lanes)
    SIMPLE[Opcode.V128_CONST] = ([], [V128])
    HANDLERS[Opcode.I8X16_SHUFFLE] = op_i8x16_shuffle
    SIMPLE[Opcode.V128_BITSELECT] = ([V128, V128, V128], [V128])
    for op in _simd_ops():
        if op in HANDLERS or op in SIMPLE:
            continue
        shape, _, name = op.mnemonic.partition(".")
        if name.startswith("extract_lane"):
            HANDLERS[op] = _lane_op(_LANES[shape], [V128], [_scalar_of(shape)])
        elif name == "replace_lane":
            HANDLERS[op] = _lane_op(_LANES[shape], [V128, _scalar_of(shape)], [V128])
        elif name == "splat":
            SIMPLE[op] = ([_scalar_of(shape)], [V128])
        elif name in ("any_true", "all_true", "bitmask"):
            SIMPLE[op] = ([V128], [I32])
        elif name in ("shl", "shr_s", "shr_u"):
            SIMPLE[op] = ([V128, I32], [V128])
        elif name in _UNARY_NAMES or name.startswith(_UNARY_PREFIXES):
            SIMPLE[op] = _UNARY
        else:
            SIMPLE[op] = _BINARY


_register()
