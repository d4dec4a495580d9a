"""Instruction opcodes (spec 5.4 "Instructions").

Single-byte opcodes keep their byte value. Opcodes behind a prefix byte are
``(prefix << 16) | subopcode``: ``0xFC`` (saturating truncation, bulk memory,
table instructions) and ``0xFD`` (SIMD, spec 5.4.8). Member
names are the text-format mnemonics with ``.`` replaced by ``_`` and upper
case, e.g. ``Opcode.I32_ADD`` is ``i32.add``; :attr:`Opcode.mnemonic` gives
the text form back.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = ["Opcode", "PREFIX_FC", "PREFIX_FD"]

PREFIX_FC = 0xFC
PREFIX_FD = 0xFD


def _fc(sub: int) -> int:
    return (PREFIX_FC << 16) | sub


def _fd(sub: int) -> int:
    return (PREFIX_FD << 16) | sub


class Opcode(IntEnum):
    # --- control (5.4.1) ---
    UNREACHABLE = 0x00
    NOP = 0x01
    BLOCK = 0x02
    LOOP = 0x03
    IF = 0x04
    ELSE = 0x05
    END = 0x0B
    BR = 0x0C
    BR_IF = 0x0D
    BR_TABLE = 0x0E
    RETURN = 0x0F
    CALL = 0x10
    CALL_INDIRECT = 0x11
    # --- reference (5.4.2) ---
    REF_NULL = 0xD0
    REF_IS_NULL = 0xD1
    REF_FUNC = 0xD2
    # --- parametric (5.4.3) ---
    DROP = 0x1A
    SELECT = 0x1B
    SELECT_T = 0x1C
    # --- variable (5.4.4) ---
    LOCAL_GET = 0x20
    LOCAL_SET = 0x21
    LOCAL_TEE = 0x22
    GLOBAL_GET = 0x23
    GLOBAL_SET = 0x24
    # --- table (5.4.5) ---
    TABLE_GET = 0x25
    TABLE_SET = 0x26
    TABLE_INIT = _fc(12)
    ELEM_DROP = _fc(13)
    TABLE_COPY = _fc(14)
    TABLE_GROW = _fc(15)
    TABLE_SIZE = _fc(16)
    TABLE_FILL = _fc(17)
    # --- memory (5.4.6) ---
    I32_LOAD = 0x28
    I64_LOAD = 0x29
    F32_LOAD = 0x2A
    F64_LOAD = 0x2B
    I32_LOAD8_S = 0x2C
    I32_LOAD8_U = 0x2D
    I32_LOAD16_S = 0x2E
    I32_LOAD16_U = 0x2F
    I64_LOAD8_S = 0x30
    I64_LOAD8_U = 0x31
    I64_LOAD16_S = 0x32
    I64_LOAD16_U = 0x33
    I64_LOAD32_S = 0x34
    I64_LOAD32_U = 0x35
    I32_STORE = 0x36
    I64_STORE = 0x37
    F32_STORE = 0x38
    F64_STORE = 0x39
    I32_STORE8 = 0x3A
    I32_STORE16 = 0x3B
    I64_STORE8 = 0x3C
    I64_STORE16 = 0x3D
    I64_STORE32 = 0x3E
    MEMORY_SIZE = 0x3F
    MEMORY_GROW = 0x40
    MEMORY_INIT = _fc(8)
    DATA_DROP = _fc(9)
    MEMORY_COPY = _fc(10)
    MEMORY_FILL = _fc(11)
    # --- numeric (5.4.7) ---
    I32_CONST = 0x41
    I64_CONST = 0x42
    F32_CONST = 0x43
    F64_CONST = 0x44

    I32_EQZ = 0x45
    I32_EQ = 0x46
    I32_NE = 0x47
    I32_LT_S = 0x48
    I32_LT_U = 0x49
    I32_GT_S = 0x4A
    I32_GT_U = 0x4B
    I32_LE_S = 0x4C
    I32_LE_U = 0x4D
    I32_GE_S = 0x4E
    I32_GE_U = 0x4F

    I64_EQZ = 0x50
    I64_EQ = 0x51
    I64_NE = 0x52
    I64_LT_S = 0x53
    I64_LT_U = 0x54
    I64_GT_S = 0x55
    I64_GT_U = 0x56
    I64_LE_S = 0x57
    I64_LE_U = 0x58
    I64_GE_S = 0x59
    I64_GE_U = 0x5A

    F32_EQ = 0x5B
    F32_NE = 0x5C
    F32_LT = 0x5D
    F32_GT = 0x5E
    F32_LE = 0x5F
    F32_GE = 0x60

    F64_EQ = 0x61
    F64_NE = 0x62
    F64_LT = 0x63
    F64_GT = 0x64
    F64_LE = 0x65
    F64_GE = 0x66

    I32_CLZ = 0x67
    I32_CTZ = 0x68
    I32_POPCNT = 0x69
    I32_ADD = 0x6A
    I32_SUB = 0x6B
    I32_MUL = 0x6C
    I32_DIV_S = 0x6D
    I32_DIV_U = 0x6E
    I32_REM_S = 0x6F
    I32_REM_U = 0x70
    I32_AND = 0x71
    I32_OR = 0x72
    I32_XOR = 0x73
    I32_SHL = 0x74
    I32_SHR_S = 0x75
    I32_SHR_U = 0x76
    I32_ROTL = 0x77
    I32_ROTR = 0x78

    I64_CLZ = 0x79
    I64_CTZ = 0x7A
    I64_POPCNT = 0x7B
    I64_ADD = 0x7C
    I64_SUB = 0x7D
    I64_MUL = 0x7E
    I64_DIV_S = 0x7F
    I64_DIV_U = 0x80
    I64_REM_S = 0x81
    I64_REM_U = 0x82
    I64_AND = 0x83
    I64_OR = 0x84
    I64_XOR = 0x85
    I64_SHL = 0x86
    I64_SHR_S = 0x87
    I64_SHR_U = 0x88
    I64_ROTL = 0x89
    I64_ROTR = 0x8A

    F32_ABS = 0x8B
    F32_NEG = 0x8C
    F32_CEIL = 0x8D
    F32_FLOOR = 0x8E
    F32_TRUNC = 0x8F
    F32_NEAREST = 0x90
    F32_SQRT = 0x91
    F32_ADD = 0x92
    F32_SUB = 0x93
    F32_MUL = 0x94
    F32_DIV = 0x95
    F32_MIN = 0x96
    F32_MAX = 0x97
    F32_COPYSIGN = 0x98

    F64_ABS = 0x99
    F64_NEG = 0x9A
    F64_CEIL = 0x9B
    F64_FLOOR = 0x9C
    F64_TRUNC = 0x9D
    F64_NEAREST = 0x9E
    F64_SQRT = 0x9F
    F64_ADD = 0xA0
    F64_SUB = 0xA1
    F64_MUL = 0xA2
    F64_DIV = 0xA3
    F64_MIN = 0xA4
    F64_MAX = 0xA5
    F64_COPYSIGN = 0xA6

    I32_WRAP_I64 = 0xA7
    I32_TRUNC_F32_S = 0xA8
    I32_TRUNC_F32_U = 0xA9
    I32_TRUNC_F64_S = 0xAA
    I32_TRUNC_F64_U = 0xAB
    I64_EXTEND_I32_S = 0xAC
    I64_EXTEND_I32_U = 0xAD
    I64_TRUNC_F32_S = 0xAE
    I64_TRUNC_F32_U = 0xAF
    I64_TRUNC_F64_S = 0xB0
    I64_TRUNC_F64_U = 0xB1
    F32_CONVERT_I32_S = 0xB2
    F32_CONVERT_I32_U = 0xB3
    F32_CONVERT_I64_S = 0xB4
    F32_CONVERT_I64_U = 0xB5
    F32_DEMOTE_F64 = 0xB6
    F64_CONVERT_I32_S = 0xB7
    F64_CONVERT_I32_U = 0xB8
    F64_CONVERT_I64_S = 0xB9
    F64_CONVERT_I64_U = 0xBA
    F64_PROMOTE_F32 = 0xBB
    I32_REINTERPRET_F32 = 0xBC
    I64_REINTERPRET_F64 = 0xBD
    F32_REINTERPRET_I32 = 0xBE
    F64_REINTERPRET_I64 = 0xBF

    I32_EXTEND8_S = 0xC0
    I32_EXTEND16_S = 0xC1
    I64_EXTEND8_S = 0xC2
    I64_EXTEND16_S = 0xC3
    I64_EXTEND32_S = 0xC4

    I32_TRUNC_SAT_F32_S = _fc(0)
    I32_TRUNC_SAT_F32_U = _fc(1)
    I32_TRUNC_SAT_F64_S = _fc(2)
    I32_TRUNC_SAT_F64_U = _fc(3)
    I64_TRUNC_SAT_F32_S = _fc(4)
    I64_TRUNC_SAT_F32_U = _fc(5)
    I64_TRUNC_SAT_F64_S = _fc(6)
    I64_TRUNC_SAT_F64_U = _fc(7)

    # --- vector (5.4.8), prefix 0xFD ---
    V128_LOAD = _fd(0x00)
    V128_LOAD8X8_S = _fd(0x01)
    V128_LOAD8X8_U = _fd(0x02)
    V128_LOAD16X4_S = _fd(0x03)
    V128_LOAD16X4_U = _fd(0x04)
    V128_LOAD32X2_S = _fd(0x05)
    V128_LOAD32X2_U = _fd(0x06)
    V128_LOAD8_SPLAT = _fd(0x07)
    V128_LOAD16_SPLAT = _fd(0x08)
    V128_LOAD32_SPLAT = _fd(0x09)
    V128_LOAD64_SPLAT = _fd(0x0A)
    V128_STORE = _fd(0x0B)
    V128_CONST = _fd(0x0C)
    I8X16_SHUFFLE = _fd(0x0D)
    I8X16_SWIZZLE = _fd(0x0E)
    I8X16_SPLAT = _fd(0x0F)
    I16X8_SPLAT = _fd(0x10)
    I32X4_SPLAT = _fd(0x11)
    I64X2_SPLAT = _fd(0x12)
    F32X4_SPLAT = _fd(0x13)
    F64X2_SPLAT = _fd(0x14)
    I8X16_EXTRACT_LANE_S = _fd(0x15)
    I8X16_EXTRACT_LANE_U = _fd(0x16)
    I8X16_REPLACE_LANE = _fd(0x17)
    I16X8_EXTRACT_LANE_S = _fd(0x18)
    I16X8_EXTRACT_LANE_U = _fd(0x19)
    I16X8_REPLACE_LANE = _fd(0x1A)
    I32X4_EXTRACT_LANE = _fd(0x1B)
    I32X4_REPLACE_LANE = _fd(0x1C)
    I64X2_EXTRACT_LANE = _fd(0x1D)
    I64X2_REPLACE_LANE = _fd(0x1E)
    F32X4_EXTRACT_LANE = _fd(0x1F)
    F32X4_REPLACE_LANE = _fd(0x20)
    F64X2_EXTRACT_LANE = _fd(0x21)
    F64X2_REPLACE_LANE = _fd(0x22)
    I8X16_EQ = _fd(0x23)
    I8X16_NE = _fd(0x24)
    I8X16_LT_S = _fd(0x25)
    I8X16_LT_U = _fd(0x26)
    I8X16_GT_S = _fd(0x27)
    I8X16_GT_U = _fd(0x28)
    I8X16_LE_S = _fd(0x29)
    I8X16_LE_U = _fd(0x2A)
    I8X16_GE_S = _fd(0x2B)
    I8X16_GE_U = _fd(0x2C)
    I16X8_EQ = _fd(0x2D)
    I16X8_NE = _fd(0x2E)
    I16X8_LT_S = _fd(0x2F)
    I16X8_LT_U = _fd(0x30)
    I16X8_GT_S = _fd(0x31)
    I16X8_GT_U = _fd(0x32)
    I16X8_LE_S = _fd(0x33)
    I16X8_LE_U = _fd(0x34)
    I16X8_GE_S = _fd(0x35)
    I16X8_GE_U = _fd(0x36)
    I32X4_EQ = _fd(0x37)
    I32X4_NE = _fd(0x38)
    I32X4_LT_S = _fd(0x39)
    I32X4_LT_U = _fd(0x3A)
    I32X4_GT_S = _fd(0x3B)
    I32X4_GT_U = _fd(0x3C)
    I32X4_LE_S = _fd(0x3D)
    I32X4_LE_U = _fd(0x3E)
    I32X4_GE_S = _fd(0x3F)
    I32X4_GE_U = _fd(0x40)
    F32X4_EQ = _fd(0x41)
    F32X4_NE = _fd(0x42)
    F32X4_LT = _fd(0x43)
    F32X4_GT = _fd(0x44)
    F32X4_LE = _fd(0x45)
    F32X4_GE = _fd(0x46)
    F64X2_EQ = _fd(0x47)
    F64X2_NE = _fd(0x48)
    F64X2_LT = _fd(0x49)
    F64X2_GT = _fd(0x4A)
    F64X2_LE = _fd(0x4B)
    F64X2_GE = _fd(0x4C)
    V128_NOT = _fd(0x4D)
    V128_AND = _fd(0x4E)
    V128_ANDNOT = _fd(0x4F)
    V128_OR = _fd(0x50)
    V128_XOR = _fd(0x51)
    V128_BITSELECT = _fd(0x52)
    V128_ANY_TRUE = _fd(0x53)
    V128_LOAD8_LANE = _fd(0x54)
    V128_LOAD16_LANE = _fd(0x55)
    V128_LOAD32_LANE = _fd(0x56)
    V128_LOAD64_LANE = _fd(0x57)
    V128_STORE8_LANE = _fd(0x58)
    V128_STORE16_LANE = _fd(0x59)
    V128_STORE32_LANE = _fd(0x5A)
    V128_STORE64_LANE = _fd(0x5B)
    V128_LOAD32_ZERO = _fd(0x5C)
    V128_LOAD64_ZERO = _fd(0x5D)
    F32X4_DEMOTE_F64X2_ZERO = _fd(0x5E)
    F64X2_PROMOTE_LOW_F32X4 = _fd(0x5F)
    I8X16_ABS = _fd(0x60)
    I8X16_NEG = _fd(0x61)
    I8X16_POPCNT = _fd(0x62)
    I8X16_ALL_TRUE = _fd(0x63)
    I8X16_BITMASK = _fd(0x64)
    I8X16_NARROW_I16X8_S = _fd(0x65)
    I8X16_NARROW_I16X8_U = _fd(0x66)
    F32X4_CEIL = _fd(0x67)
    F32X4_FLOOR = _fd(0x68)
    F32X4_TRUNC = _fd(0x69)
    F32X4_NEAREST = _fd(0x6A)
    I8X16_SHL = _fd(0x6B)
    I8X16_SHR_S = _fd(0x6C)
    I8X16_SHR_U = _fd(0x6D)
    I8X16_ADD = _fd(0x6E)
    I8X16_ADD_SAT_S = _fd(0x6F)
    I8X16_ADD_SAT_U = _fd(0x70)
    I8X16_SUB = _fd(0x71)
    I8X16_SUB_SAT_S = _fd(0x72)
    I8X16_SUB_SAT_U = _fd(0x73)
    F64X2_CEIL = _fd(0x74)
    F64X2_FLOOR = _fd(0x75)
    I8X16_MIN_S = _fd(0x76)
    I8X16_MIN_U = _fd(0x77)
    I8X16_MAX_S = _fd(0x78)
    I8X16_MAX_U = _fd(0x79)
    F64X2_TRUNC = _fd(0x7A)
    I8X16_AVGR_U = _fd(0x7B)
    I16X8_EXTADD_PAIRWISE_I8X16_S = _fd(0x7C)
    I16X8_EXTADD_PAIRWISE_I8X16_U = _fd(0x7D)
    I32X4_EXTADD_PAIRWISE_I16X8_S = _fd(0x7E)
    I32X4_EXTADD_PAIRWISE_I16X8_U = _fd(0x7F)
    I16X8_ABS = _fd(0x80)
    I16X8_NEG = _fd(0x81)
    I16X8_Q15MULR_SAT_S = _fd(0x82)
    I16X8_ALL_TRUE = _fd(0x83)
    I16X8_BITMASK = _fd(0x84)
    I16X8_NARROW_I32X4_S = _fd(0x85)
    I16X8_NARROW_I32X4_U = _fd(0x86)
    I16X8_EXTEND_LOW_I8X16_S = _fd(0x87)
    I16X8_EXTEND_HIGH_I8X16_S = _fd(0x88)
    I16X8_EXTEND_LOW_I8X16_U = _fd(0x89)
    I16X8_EXTEND_HIGH_I8X16_U = _fd(0x8A)
    I16X8_SHL = _fd(0x8B)
    I16X8_SHR_S = _fd(0x8C)
    I16X8_SHR_U = _fd(0x8D)
    I16X8_ADD = _fd(0x8E)
    I16X8_ADD_SAT_S = _fd(0x8F)
    I16X8_ADD_SAT_U = _fd(0x90)
    I16X8_SUB = _fd(0x91)
    I16X8_SUB_SAT_S = _fd(0x92)
    I16X8_SUB_SAT_U = _fd(0x93)
    F64X2_NEAREST = _fd(0x94)
    I16X8_MUL = _fd(0x95)
    I16X8_MIN_S = _fd(0x96)
    I16X8_MIN_U = _fd(0x97)
    I16X8_MAX_S = _fd(0x98)
    I16X8_MAX_U = _fd(0x99)
    I16X8_AVGR_U = _fd(0x9B)
    I16X8_EXTMUL_LOW_I8X16_S = _fd(0x9C)
    I16X8_EXTMUL_HIGH_I8X16_S = _fd(0x9D)
    I16X8_EXTMUL_LOW_I8X16_U = _fd(0x9E)
    I16X8_EXTMUL_HIGH_I8X16_U = _fd(0x9F)
    I32X4_ABS = _fd(0xA0)
    I32X4_NEG = _fd(0xA1)
    I32X4_ALL_TRUE = _fd(0xA3)
    I32X4_BITMASK = _fd(0xA4)
    I32X4_EXTEND_LOW_I16X8_S = _fd(0xA7)
    I32X4_EXTEND_HIGH_I16X8_S = _fd(0xA8)
    I32X4_EXTEND_LOW_I16X8_U = _fd(0xA9)
    I32X4_EXTEND_HIGH_I16X8_U = _fd(0xAA)
    I32X4_SHL = _fd(0xAB)
    I32X4_SHR_S = _fd(0xAC)
    I32X4_SHR_U = _fd(0xAD)
    I32X4_ADD = _fd(0xAE)
    I32X4_SUB = _fd(0xB1)
    I32X4_MUL = _fd(0xB5)
    I32X4_MIN_S = _fd(0xB6)
    I32X4_MIN_U = _fd(0xB7)
    I32X4_MAX_S = _fd(0xB8)
    I32X4_MAX_U = _fd(0xB9)
    I32X4_DOT_I16X8_S = _fd(0xBA)
    I32X4_EXTMUL_LOW_I16X8_S = _fd(0xBC)
    I32X4_EXTMUL_HIGH_I16X8_S = _fd(0xBD)
    I32X4_EXTMUL_LOW_I16X8_U = _fd(0xBE)
    I32X4_EXTMUL_HIGH_I16X8_U = _fd(0xBF)
    I64X2_ABS = _fd(0xC0)
    I64X2_NEG = _fd(0xC1)
    I64X2_ALL_TRUE = _fd(0xC3)
    I64X2_BITMASK = _fd(0xC4)
    I64X2_EXTEND_LOW_I32X4_S = _fd(0xC7)
    I64X2_EXTEND_HIGH_I32X4_S = _fd(0xC8)
    I64X2_EXTEND_LOW_I32X4_U = _fd(0xC9)
    I64X2_EXTEND_HIGH_I32X4_U = _fd(0xCA)
    I64X2_SHL = _fd(0xCB)
    I64X2_SHR_S = _fd(0xCC)
    I64X2_SHR_U = _fd(0xCD)
    I64X2_ADD = _fd(0xCE)
    I64X2_SUB = _fd(0xD1)
    I64X2_MUL = _fd(0xD5)
    I64X2_EQ = _fd(0xD6)
    I64X2_NE = _fd(0xD7)
    I64X2_LT_S = _fd(0xD8)
    I64X2_GT_S = _fd(0xD9)
    I64X2_LE_S = _fd(0xDA)
    I64X2_GE_S = _fd(0xDB)
    I64X2_EXTMUL_LOW_I32X4_S = _fd(0xDC)
    I64X2_EXTMUL_HIGH_I32X4_S = _fd(0xDD)
    I64X2_EXTMUL_LOW_I32X4_U = _fd(0xDE)
    I64X2_EXTMUL_HIGH_I32X4_U = _fd(0xDF)
    F32X4_ABS = _fd(0xE0)
    F32X4_NEG = _fd(0xE1)
    F32X4_SQRT = _fd(0xE3)
    F32X4_ADD = _fd(0xE4)
    F32X4_SUB = _fd(0xE5)
    F32X4_MUL = _fd(0xE6)
    F32X4_DIV = _fd(0xE7)
    F32X4_MIN = _fd(0xE8)
    F32X4_MAX = _fd(0xE9)
    F32X4_PMIN = _fd(0xEA)
    F32X4_PMAX = _fd(0xEB)
    F64X2_ABS = _fd(0xEC)
    F64X2_NEG = _fd(0xED)
    F64X2_SQRT = _fd(0xEF)
    F64X2_ADD = _fd(0xF0)
    F64X2_SUB = _fd(0xF1)
    F64X2_MUL = _fd(0xF2)
    F64X2_DIV = _fd(0xF3)
    F64X2_MIN = _fd(0xF4)
    F64X2_MAX = _fd(0xF5)
    F64X2_PMIN = _fd(0xF6)
    F64X2_PMAX = _fd(0xF7)
    I32X4_TRUNC_SAT_F32X4_S = _fd(0xF8)
    I32X4_TRUNC_SAT_F32X4_U = _fd(0xF9)
    F32X4_CONVERT_I32X4_S = _fd(0xFA)
    F32X4_CONVERT_I32X4_U = _fd(0xFB)
    I32X4_TRUNC_SAT_F64X2_S_ZERO = _fd(0xFC)
    I32X4_TRUNC_SAT_F64X2_U_ZERO = _fd(0xFD)
    F64X2_CONVERT_LOW_I32X4_S = _fd(0xFE)
    F64X2_CONVERT_LOW_I32X4_U = _fd(0xFF)

    @property
    def mnemonic(self) -> str:
        """The text-format name, e.g. ``i32.trunc_sat_f32_s``."""
        return _MNEMONICS[self]


_HEADS = frozenset(
    ("i32", "i64", "f32", "f64", "local", "global", "table", "memory", "ref", "elem", "data", "v128")
    + ("i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2")
)


def _mnemonic(name: str) -> str:
    special = {"SELECT_T": "select", "REF_IS_NULL": "ref.is_null"}
    if name in special:
        return special[name]
    lower = name.lower()
    head, sep, tail = lower.partition("_")
    if head in _HEADS:
        return f"{head}.{tail}"
    return lower


_MNEMONICS = {op: _mnemonic(op.name) for op in Opcode}
