"""Numeric operators (spec 4.3 "Numerics": 4.3.2 integer, 4.3.3 floating-point, 4.3.4 conversions).

Pure functions on the value representation of :mod:`..runtime.values`
(i32/i64 canonical unsigned ``int``; f32/f64 ``float``, f32 exactly binary32
with NaN payloads in the top mantissa bits). Names follow the spec with the
bit width as suffix where the width matters (``idiv_s32``, ``irotl64``,
``fadd32``); width-independent float operators have none (``fmin``,
``fnearest``), since an f32 value is also a valid f64 argument and these
operators return an operand, an exact integer or a NaN derived from an
operand. Conversions are named after their instruction (``i32_trunc_f32_s``).
Traps are raised as :class:`~..errors.Trap`.

NaN results follow 4.3.3: the hardware's binary64 arithmetic returns the
canonical NaN when every NaN input is canonical and a quiet NaN carrying an
input's payload otherwise; operators that would pass a NaN through unchanged
multiply it by ``1.0`` to quiet it (a signalling NaN is not an arithmetic NaN).

Operators whose whole implementation is one expression need no function in the
hot loop; the interpreter may inline them. They are defined here anyway so
that :data:`NUMERIC_OPS` covers every non-SIMD numeric instruction:

=========================================  ==========================================
instruction                                inline expression
=========================================  ==========================================
``iN.add / sub / mul``                     ``(a + b) & MASK`` (``-``, ``*``)
``iN.and / or / xor``                      ``a & b`` (``|``, ``^``)
``iN.shl``                                 ``(a << (b & (N-1))) & MASK``
``iN.shr_u``                               ``a >> (b & (N-1))``
``iN.eqz / eq / ne / lt_u ...``            ``1 if a == b else 0`` (unsigned compare)
``iN.popcnt``                              ``a.bit_count()``
``i32.wrap_i64``                           ``a & MASK32``
``i64.extend_i32_u``                       ``a``
``f64.add / sub / mul``                    ``a + b`` (``-``, ``*``)
``fN.abs / neg / copysign``                ``abs(a)``, ``-a``, ``math.copysign(a, b)``
``fN.eq / ne / lt / gt / le / ge``         ``1 if a == b else 0`` (Python float compare)
``f32.add / sub / mul``                    ``f32_round(a + b)`` (``-``, ``*``)
``f64.convert_i32_u / i64_u``              ``float(a)``
=========================================  ==========================================
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from math import copysign
from math import inf as _INF
from math import sqrt as _sqrt

from ..binary.opcodes import Opcode
from ..errors import Trap, TrapCode
from ..runtime.values import (
    F64_CANONICAL_NAN_BITS,
    MASK32,
    MASK64,
    f32_from_bits,
    f32_round,
    f32_to_bits,
    f64_from_bits,
    f64_to_bits,
)

__all__ = [
    # integer (4.3.2)
    "iadd32", "iadd64", "isub32", "isub64", "imul32", "imul64",
    "idiv_u32", "idiv_u64", "idiv_s32", "idiv_s64", "irem_u32", "irem_u64", "irem_s32", "irem_s64",
    "iand", "ior", "ixor", "ishl32", "ishl64", "ishr_u32", "ishr_u64", "ishr_s32", "ishr_s64",
    "irotl32", "irotl64", "irotr32", "irotr64", "iclz32", "iclz64", "ictz32", "ictz64", "ipopcnt",
    "ieqz", "ieq", "ine", "ilt_u", "igt_u", "ile_u", "ige_u",
    "ilt_s32", "ilt_s64", "igt_s32", "igt_s64", "ile_s32", "ile_s64", "ige_s32", "ige_s64",
    "iextend8_s32", "iextend16_s32", "iextend8_s64", "iextend16_s64", "iextend32_s64",
    # floating point (4.3.3)
    "fadd32", "fadd64", "fsub32", "fsub64", "fmul32", "fmul64", "fdiv32", "fdiv64", "fsqrt32", "fsqrt64",
    "fmin", "fmax", "fceil", "ffloor", "ftrunc", "fnearest", "fabs", "fneg", "fcopysign",
    "feq", "fne", "flt", "fgt", "fle", "fge",
    # conversions (4.3.4)
    "i32_wrap_i64", "i64_extend_i32_s", "i64_extend_i32_u",
    "i32_trunc_f32_s", "i32_trunc_f32_u", "i32_trunc_f64_s", "i32_trunc_f64_u",
    "i64_trunc_f32_s", "i64_trunc_f32_u", "i64_trunc_f64_s", "i64_trunc_f64_u",
    "i32_trunc_sat_f32_s", "i32_trunc_sat_f32_u", "i32_trunc_sat_f64_s", "i32_trunc_sat_f64_u",
    "i64_trunc_sat_f32_s", "i64_trunc_sat_f32_u", "i64_trunc_sat_f64_s", "i64_trunc_sat_f64_u",
    "f32_convert_i32_s", "f32_convert_i32_u", "f32_convert_i64_s", "f32_convert_i64_u",
    "f64_convert_i32_s", "f64_convert_i32_u", "f64_convert_i64_s", "f64_convert_i64_u",
    "f32_demote_f64", "f64_promote_f32",
    "i32_reinterpret_f32", "i64_reinterpret_f64", "f32_reinterpret_i32", "f64_reinterpret_i64",
    "NUMERIC_OPS",
]  # fmt: skip

_F32 = struct.Struct("<f")
_f32_pack: Callable[[float], bytes] = _F32.pack
_f32_unpack: Callable[[bytes], tuple[float]] = _F32.unpack
_F64_NAN = f64_from_bits(F64_CANONICAL_NAN_BITS)  # positive canonical NaN (also the f32 canonical NaN)
_TWO52 = 4503599627370496.0  # 2**52: every float at least this large is an integer
_TWO53 = 1 << 53


def _trap_div0() -> Trap:
    return Trap(TrapCode.INTEGER_DIVIDE_BY_ZERO)


# ---------------------------------------------------------------------------
# 4.3.2 Integer operations
# ---------------------------------------------------------------------------


def iadd32(a: int, b: int) -> int:
    return (a + b) & MASK32


def iadd64(a: int, b: int) -> int:
    return (a + b) & MASK64


def isub32(a: int, b: int) -> int:
    return (a - b) & MASK32


def isub64(a: int, b: int) -> int:
    return (a - b) & MASK64


def imul32(a: int, b: int) -> int:
    return (a * b) & MASK32


def imul64(a: int, b: int) -> int:
    return (a * b) & MASK64


def idiv_u32(a: int, b: int) -> int:
    """``i32.div_u``.

    Raises:
        Trap: ``integer divide by zero`` when ``b`` is 0.
    """
    if b == 0:
        raise _trap_div0()
    return a // b


idiv_u64 = idiv_u32  # unsigned operands: the same quotient


def idiv_s32(a: int, b: int) -> int:
    """``i32.div_s``: signed division truncating toward zero.

    Raises:
        Trap: ``integer divide by zero`` when ``b`` is 0; ``integer overflow``
        for ``-2**31 / -1``.
    """
    if a < 0x8000_0000 and 0 < b < 0x8000_0000:
        return a // b  # both non-negative: the common case
    if b == 0:
        raise _trap_div0()
    a = (a ^ 0x8000_0000) - 0x8000_0000
    b = (b ^ 0x8000_0000) - 0x8000_0000
    if (a < 0) == (b < 0):
        q = a // b  # same signs: floor division already truncates
        if q == 0x8000_0000:
            raise Trap(TrapCode.INTEGER_OVERFLOW)
        return q
    return (-(-a // b)) & MASK32


def idiv_s64(a: int, b: int) -> int:
    """``i64.div_s``: signed division truncating toward zero.

    Raises:
        Trap: ``integer divide by zero`` when ``b`` is 0; ``integer overflow``
        for ``-2**63 / -1``.
    """
    if a < 0x8000_0000_0000_0000 and 0 < b < 0x8000_0000_0000_0000:
        return a // b
    if b == 0:
        raise _trap_div0()
    a = (a ^ 0x8000_0000_0000_0000) - 0x8000_0000_0000_0000
    b = (b ^ 0x8000_0000_0000_0000) - 0x8000_0000_0000_0000
    if (a < 0) == (b < 0):
        q = a // b
        if q == 0x8000_0000_0000_0000:
            raise Trap(TrapCode.INTEGER_OVERFLOW)
        return q
    return (-(-a // b)) & MASK64


def irem_u32(a: int, b: int) -> int:
    """``i32.rem_u``.

    Raises:
        Trap: ``integer divide by zero`` when ``b`` is 0.
    """
    if b == 0:
        raise _trap_div0()
    return a % b


irem_u64 = irem_u32


def irem_s32(a: int, b: int) -> int:
    """``i32.rem_s``: the remainder has the sign of the dividend; ``-2**31 rem -1`` is 0.

    Raises:
        Trap: ``integer divide by zero`` when ``b`` is 0.
    """
    if a < 0x8000_0000 and 0 < b < 0x8000_0000:
        return a % b
    if b == 0:
        raise _trap_div0()
    a = (a ^ 0x8000_0000) - 0x8000_0000
    b = (b ^ 0x8000_0000) - 0x8000_0000
    if b < 0:
        b = -b
    if a < 0:
        return (-(-a % b)) & MASK32
    return a % b


def irem_s64(a: int, b: int) -> int:
    """``i64.rem_s``: the remainder has the sign of the dividend; ``-2**63 rem -1`` is 0.

    Raises:
        Trap: ``integer divide by zero`` when ``b`` is 0.
    """
    if a < 0x8000_0000_0000_0000 and 0 < b < 0x8000_0000_0000_0000:
        return a % b
    if b == 0:
        raise _trap_div0()
    a = (a ^ 0x8000_0000_0000_0000) - 0x8000_0000_0000_0000
    b = (b ^ 0x8000_0000_0000_0000) - 0x8000_0000_0000_0000
    if b < 0:
        b = -b
    if a < 0:
        return (-(-a % b)) & MASK64
    return a % b


def iand(a: int, b: int) -> int:
    return a & b


def ior(a: int, b: int) -> int:
    return a | b


def ixor(a: int, b: int) -> int:
    return a ^ b


def ishl32(a: int, b: int) -> int:
    return (a << (b & 31)) & MASK32


def ishl64(a: int, b: int) -> int:
    return (a << (b & 63)) & MASK64


def ishr_u32(a: int, b: int) -> int:
    return a >> (b & 31)


def ishr_u64(a: int, b: int) -> int:
    return a >> (b & 63)


def ishr_s32(a: int, b: int) -> int:
    return (((a ^ 0x8000_0000) - 0x8000_0000) >> (b & 31)) & MASK32


def ishr_s64(a: int, b: int) -> int:
    return (((a ^ 0x8000_0000_0000_0000) - 0x8000_0000_0000_0000) >> (b & 63)) & MASK64


def irotl32(a: int, b: int) -> int:
    k = b & 31
    return ((a << k) | (a >> (32 - k))) & MASK32


def irotl64(a: int, b: int) -> int:
    k = b & 63
    return ((a << k) | (a >> (64 - k))) & MASK64


def irotr32(a: int, b: int) -> int:
    k = b & 31
    return ((a >> k) | (a << (32 - k))) & MASK32


def irotr64(a: int, b: int) -> int:
    k = b & 63
    return ((a >> k) | (a << (64 - k))) & MASK64


def iclz32(a: int) -> int:
    return 32 - a.bit_length()


def iclz64(a: int) -> int:
    return 64 - a.bit_length()


def ictz32(a: int) -> int:
    if a == 0:
        return 32
    return (a & -a).bit_length() - 1


def ictz64(a: int) -> int:
    if a == 0:
        return 64
    return (a & -a).bit_length() - 1


def ipopcnt(a: int) -> int:
    return a.bit_count()


def ieqz(a: int) -> int:
    return 1 if a == 0 else 0


def ieq(a: int, b: int) -> int:
    return 1 if a == b else 0


def ine(a: int, b: int) -> int:
    return 1 if a != b else 0


def ilt_u(a: int, b: int) -> int:
    return 1 if a < b else 0


def igt_u(a: int, b: int) -> int:
    return 1 if a > b else 0


def ile_u(a: int, b: int) -> int:
    return 1 if a <= b else 0


def ige_u(a: int, b: int) -> int:
    return 1 if a >= b else 0


# Signed comparisons: flipping the sign bit maps signed order onto unsigned order.


def ilt_s32(a: int, b: int) -> int:
    return 1 if (a ^ 0x8000_0000) < (b ^ 0x8000_0000) else 0


def igt_s32(a: int, b: int) -> int:
    return 1 if (a ^ 0x8000_0000) > (b ^ 0x8000_0000) else 0


def ile_s32(a: int, b: int) -> int:
    return 1 if (a ^ 0x8000_0000) <= (b ^ 0x8000_0000) else 0


def ige_s32(a: int, b: int) -> int:
    return 1 if (a ^ 0x8000_0000) >= (b ^ 0x8000_0000) else 0


def ilt_s64(a: int, b: int) -> int:
    return 1 if (a ^ 0x8000_0000_0000_0000) < (b ^ 0x8000_0000_0000_0000) else 0


def igt_s64(a: int, b: int) -> int:
    return 1 if (a ^ 0x8000_0000_0000_0000) > (b ^ 0x8000_0000_0000_0000) else 0


def ile_s64(a: int, b: int) -> int:
    return 1 if (a ^ 0x8000_0000_0000_0000) <= (b ^ 0x8000_0000_0000_0000) else 0


def ige_s64(a: int, b: int) -> int:
    return 1 if (a ^ 0x8000_0000_0000_0000) >= (b ^ 0x8000_0000_0000_0000) else 0


def iextend8_s32(a: int) -> int:
    return (((a & 0xFF) ^ 0x80) - 0x80) & MASK32


def iextend16_s32(a: int) -> int:
    return (((a & 0xFFFF) ^ 0x8000) - 0x8000) & MASK32


def iextend8_s64(a: int) -> int:
    return (((a & 0xFF) ^ 0x80) - 0x80) & MASK64


def iextend16_s64(a: int) -> int:
    return (((a & 0xFFFF) ^ 0x8000) - 0x8000) & MASK64


def iextend32_s64(a: int) -> int:
    return (((a & MASK32) ^ 0x8000_0000) - 0x8000_0000) & MASK64


# ---------------------------------------------------------------------------
# 4.3.3 Floating-point operations
# ---------------------------------------------------------------------------


def fadd64(a: float, b: float) -> float:
    return a + b


def fsub64(a: float, b: float) -> float:
    return a - b


def fmul64(a: float, b: float) -> float:
    return a * b


def fdiv64(a: float, b: float) -> float:
    """``f64.div`` with IEEE semantics for a zero divisor (Python raises instead)."""
    try:
        return a / b
    except ZeroDivisionError:
        if a != a:
            return a * 1.0  # quiet a signalling NaN
        if a == 0.0:
            return _F64_NAN
        # x / ±0: an infinity whose sign is the XOR of the operands' signs.
        return copysign(_INF, a) if copysign(1.0, b) > 0.0 else -copysign(_INF, a)


def fsqrt64(a: float) -> float:
    """``f64.sqrt``: ``sqrt(-0) = -0``, negative operands give the canonical NaN."""
    try:
        return _sqrt(a)
    except ValueError:  # a < 0 (including -inf)
        return _F64_NAN


# f32 arithmetic: the binary64 result rounded once to binary32. This inlines
# f32_round without its NaN branch: a NaN computed from f32 operands is quiet
# and its payload lies in the top 23 mantissa bits, so struct keeps it intact.
# struct raises OverflowError when the value rounds to infinity.


def fadd32(a: float, b: float) -> float:
    x = a + b
    try:
        return _f32_unpack(_f32_pack(x))[0]
    except OverflowError:
        return copysign(_INF, x)


def fsub32(a: float, b: float) -> float:
    x = a - b
    try:
        return _f32_unpack(_f32_pack(x))[0]
    except OverflowError:
        return copysign(_INF, x)


def fmul32(a: float, b: float) -> float:
    x = a * b
    try:
        return _f32_unpack(_f32_pack(x))[0]
    except OverflowError:
        return copysign(_INF, x)


def fdiv32(a: float, b: float) -> float:
    """``f32.div``: the binary64 quotient rounded once to binary32."""
    try:
        x = a / b
    except ZeroDivisionError:
        return fdiv64(a, b)  # ±inf or NaN: already binary32 values
    try:
        return _f32_unpack(_f32_pack(x))[0]
    except OverflowError:
        return copysign(_INF, x)


def fsqrt32(a: float) -> float:
    """``f32.sqrt``: the binary64 root rounded once to binary32 (never overflows)."""
    try:
        return _f32_unpack(_f32_pack(_sqrt(a)))[0]
    except ValueError:
        return _F64_NAN


def fmin(a: float, b: float) -> float:
    """``fN.min``: a NaN operand gives a NaN; ``-0.0`` is less than ``+0.0``."""
    if a < b:
        return a
    if b < a:
        return b
    if a == b:
        # Equal: only ±0 can differ, and -(-a - b) is -0.0 unless both are +0.0.
        return a if a else -(-a - b)
    return a + b  # some operand is NaN: the sum is a quiet NaN derived from it


def fmax(a: float, b: float) -> float:
    """``fN.max``: a NaN operand gives a NaN; ``+0.0`` is greater than ``-0.0``."""
    if a > b:
        return a
    if b > a:
        return b
    if a == b:
        # Equal: only ±0 can differ, and a + b is +0.0 unless both are -0.0.
        return a if a else a + b
    return a + b


# Rounding to an integer: for 0 < x < 2**52, (x + 2**52) - 2**52 is x rounded
# to the nearest integer, ties to even (the sum has no fraction bits left), and
# is exact from there. Negative operands are handled as -f(-x), which gives
# -0.0 where the result is zero. Everything else (±0, |x| >= 2**52 which is
# already integral, ±inf, NaN) is returned as x * 1.0, which quiets a NaN.


def fnearest(a: float) -> float:
    """``fN.nearest``: round to the nearest integer, ties to even, keeping the sign of zero."""
    if 0.0 < a < _TWO52:
        return (a + _TWO52) - _TWO52
    if -_TWO52 < a < 0.0:
        return -((_TWO52 - a) - _TWO52)
    return a * 1.0


def fceil(a: float) -> float:
    """``fN.ceil``: keeps the sign of a zero result (``ceil(-0.5) = -0.0``)."""
    if 0.0 < a < _TWO52:
        r = (a + _TWO52) - _TWO52
        return r + 1.0 if r < a else r
    if -_TWO52 < a < 0.0:
        a = -a
        r = (a + _TWO52) - _TWO52
        return -(r - 1.0) if r > a else -r
    return a * 1.0


def ffloor(a: float) -> float:
    """``fN.floor``: keeps the sign of zero (``floor(-0.0) = -0.0``)."""
    if 0.0 < a < _TWO52:
        r = (a + _TWO52) - _TWO52
        return r - 1.0 if r > a else r
    if -_TWO52 < a < 0.0:
        a = -a
        r = (a + _TWO52) - _TWO52
        return -(r + 1.0) if r < a else -r
    return a * 1.0


def ftrunc(a: float) -> float:
    """``fN.trunc``: keeps the sign of a zero result (``trunc(-0.5) = -0.0``)."""
    if 0.0 < a < _TWO52:
        r = (a + _TWO52) - _TWO52
        return r - 1.0 if r > a else r
    if -_TWO52 < a < 0.0:
        a = -a
        r = (a + _TWO52) - _TWO52
        return -(r - 1.0) if r > a else -r
    return a * 1.0


def fabs(a: float) -> float:
    return abs(a)


def fneg(a: float) -> float:
    return -a


def fcopysign(a: float, b: float) -> float:
    return copysign(a, b)


def feq(a: float, b: float) -> int:
    return 1 if a == b else 0


def fne(a: float, b: float) -> int:
    return 1 if a != b else 0


def flt(a: float, b: float) -> int:
    return 1 if a < b else 0


def fgt(a: float, b: float) -> int:
    return 1 if a > b else 0


def fle(a: float, b: float) -> int:
    return 1 if a <= b else 0


def fge(a: float, b: float) -> int:
    return 1 if a >= b else 0


# ---------------------------------------------------------------------------
# 4.3.4 Conversions
# ---------------------------------------------------------------------------


def i32_wrap_i64(a: int) -> int:
    return a & MASK32


def i64_extend_i32_s(a: int) -> int:
    return ((a ^ 0x8000_0000) - 0x8000_0000) & MASK64


def i64_extend_i32_u(a: int) -> int:
    return a


def _trunc_failure(a: float) -> Trap:
    if a != a:
        return Trap(TrapCode.INVALID_CONVERSION_TO_INTEGER)
    return Trap(TrapCode.INTEGER_OVERFLOW)


# The bounds below are exact binary64 values; an f32 operand is an exact binary64
# too, so one function serves both source types. A value is accepted when its
# truncation toward zero lies in the target range.


def i32_trunc_f64_s(a: float) -> int:
    """``i32.trunc_f64_s`` (and ``i32.trunc_f32_s``): accepts ``-2147483648.9``, not ``2147483648.0``.

    Raises:
        Trap: ``invalid conversion to integer`` for NaN, ``integer overflow``
        when the truncated value is outside the i32 range.
    """
    if -2147483649.0 < a < 2147483648.0:
        return int(a) & MASK32
    raise _trunc_failure(a)


def i32_trunc_f64_u(a: float) -> int:
    """``i32.trunc_f64_u`` (and ``i32.trunc_f32_u``): accepts ``-0.9``, not ``4294967296.0``.

    Raises:
        Trap: ``invalid conversion to integer`` for NaN, ``integer overflow``
        when the truncated value is outside the u32 range.
    """
    if -1.0 < a < 4294967296.0:
        return int(a)
    raise _trunc_failure(a)


def i64_trunc_f64_s(a: float) -> int:
    """``i64.trunc_f64_s`` (and ``i64.trunc_f32_s``): accepts ``-2**63``, not ``2**63``.

    (No binary64 value lies strictly between ``-2**63 - 1`` and ``-2**63``.)

    Raises:
        Trap: ``invalid conversion to integer`` for NaN, ``integer overflow``
        when the truncated value is outside the i64 range.
    """
    if -9223372036854775808.0 <= a < 9223372036854775808.0:
        return int(a) & MASK64
    raise _trunc_failure(a)


def i64_trunc_f64_u(a: float) -> int:
    """``i64.trunc_f64_u`` (and ``i64.trunc_f32_u``): accepts ``-0.9``, not ``2**64``.

    Raises:
        Trap: ``invalid conversion to integer`` for NaN, ``integer overflow``
        when the truncated value is outside the u64 range.
    """
    if -1.0 < a < 18446744073709551616.0:
        return int(a)
    raise _trunc_failure(a)


i32_trunc_f32_s = i32_trunc_f64_s
i32_trunc_f32_u = i32_trunc_f64_u
i64_trunc_f32_s = i64_trunc_f64_s
i64_trunc_f32_u = i64_trunc_f64_u


def i32_trunc_sat_f64_s(a: float) -> int:
    """``i32.trunc_sat_f64_s`` (and ``_f32_s``): NaN gives 0, out of range saturates."""
    if -2147483649.0 < a < 2147483648.0:
        return int(a) & MASK32
    if a != a:
        return 0
    return 0x8000_0000 if a < 0.0 else 0x7FFF_FFFF


def i32_trunc_sat_f64_u(a: float) -> int:
    """``i32.trunc_sat_f64_u`` (and ``_f32_u``): NaN gives 0, out of range saturates."""
    if -1.0 < a < 4294967296.0:
        return int(a)
    if a != a or a < 0.0:
        return 0
    return MASK32


def i64_trunc_sat_f64_s(a: float) -> int:
    """``i64.trunc_sat_f64_s`` (and ``_f32_s``): NaN gives 0, out of range saturates."""
    if -9223372036854775808.0 <= a < 9223372036854775808.0:
        return int(a) & MASK64
    if a != a:
        return 0
    return 0x8000_0000_0000_0000 if a < 0.0 else 0x7FFF_FFFF_FFFF_FFFF


def i64_trunc_sat_f64_u(a: float) -> int:
    """``i64.trunc_sat_f64_u`` (and ``_f32_u``): NaN gives 0, out of range saturates."""
    if -1.0 < a < 18446744073709551616.0:
        return int(a)
    if a != a or a < 0.0:
        return 0
    return MASK64


i32_trunc_sat_f32_s = i32_trunc_sat_f64_s
i32_trunc_sat_f32_u = i32_trunc_sat_f64_u
i64_trunc_sat_f32_s = i64_trunc_sat_f64_s
i64_trunc_sat_f32_u = i64_trunc_sat_f64_u


def _f32_from_int(n: int) -> float:
    """Round an integer (|n| < 2**64) to the nearest binary32, ties to even, rounding once."""
    if -_TWO53 <= n <= _TWO53:
        return f32_round(float(n))  # float(n) is exact here
    # Round to 53 bits with "round to odd" (truncate, then set the lowest bit
    # if anything was cut off). Rounding that to 24 bits is then correct:
    # going through float(n) would round twice.
    m = -n if n < 0 else n
    shift = m.bit_length() - 53
    top = m >> shift
    if m & ((1 << shift) - 1):
        top |= 1
    r = f32_round(float(top << shift))
    return -r if n < 0 else r


def f32_convert_i32_s(a: int) -> float:
    return f32_round(float((a ^ 0x8000_0000) - 0x8000_0000))


def f32_convert_i32_u(a: int) -> float:
    return f32_round(float(a))


def f32_convert_i64_s(a: int) -> float:
    """``f32.convert_i64_s``: the signed 64-bit integer rounded once to binary32."""
    return _f32_from_int((a ^ 0x8000_0000_0000_0000) - 0x8000_0000_0000_0000)


def f32_convert_i64_u(a: int) -> float:
    """``f32.convert_i64_u``: the unsigned 64-bit integer rounded once to binary32."""
    if a <= _TWO53:
        return f32_round(float(a))
    return _f32_from_int(a)


def f64_convert_i32_s(a: int) -> float:
    return float((a ^ 0x8000_0000) - 0x8000_0000)


def f64_convert_i32_u(a: int) -> float:
    return float(a)


def f64_convert_i64_s(a: int) -> float:
    # int -> float in CPython is correctly rounded (ties to even).
    return float((a ^ 0x8000_0000_0000_0000) - 0x8000_0000_0000_0000)


def f64_convert_i64_u(a: int) -> float:
    return float(a)


def f32_demote_f64(a: float) -> float:
    """``f32.demote_f64``: round to binary32; a NaN gives a quiet NaN (canonical if the input was)."""
    return f32_round(a)


def f64_promote_f32(a: float) -> float:
    """``f64.promote_f32``: exact; a NaN is quieted (canonical stays canonical)."""
    return a * 1.0


def i32_reinterpret_f32(a: float) -> int:
    return f32_to_bits(a)


def i64_reinterpret_f64(a: float) -> int:
    return f64_to_bits(a)


def f32_reinterpret_i32(a: int) -> float:
    return f32_from_bits(a)


def f64_reinterpret_i64(a: int) -> float:
    return f64_from_bits(a)


# ---------------------------------------------------------------------------
# Every non-SIMD numeric instruction -> its operator
# ---------------------------------------------------------------------------

_O = Opcode

NUMERIC_OPS: dict[Opcode, Callable[..., int | float]] = {
    # i32
    _O.I32_EQZ: ieqz, _O.I32_EQ: ieq, _O.I32_NE: ine,
    _O.I32_LT_S: ilt_s32, _O.I32_LT_U: ilt_u, _O.I32_GT_S: igt_s32, _O.I32_GT_U: igt_u,
    _O.I32_LE_S: ile_s32, _O.I32_LE_U: ile_u, _O.I32_GE_S: ige_s32, _O.I32_GE_U: ige_u,
    _O.I32_CLZ: iclz32, _O.I32_CTZ: ictz32, _O.I32_POPCNT: ipopcnt,
    _O.I32_ADD: iadd32, _O.I32_SUB: isub32, _O.I32_MUL: imul32,
    _O.I32_DIV_S: idiv_s32, _O.I32_DIV_U: idiv_u32, _O.I32_REM_S: irem_s32, _O.I32_REM_U: irem_u32,
    _O.I32_AND: iand, _O.I32_OR: ior, _O.I32_XOR: ixor,
    _O.I32_SHL: ishl32, _O.I32_SHR_S: ishr_s32, _O.I32_SHR_U: ishr_u32,
    _O.I32_ROTL: irotl32, _O.I32_ROTR: irotr32,
    _O.I32_EXTEND8_S: iextend8_s32, _O.I32_EXTEND16_S: iextend16_s32,
    # i64
    _O.I64_EQZ: ieqz, _O.I64_EQ: ieq, _O.I64_NE: ine,
    _O.I64_LT_S: ilt_s64, _O.I64_LT_U: ilt_u, _O.I64_GT_S: igt_s64, _O.I64_GT_U: igt_u,
    _O.I64_LE_S: ile_s64, _O.I64_LE_U: ile_u, _O.I64_GE_S: ige_s64, _O.I64_GE_U: ige_u,
    _O.I64_CLZ: iclz64, _O.I64_CTZ: ictz64, _O.I64_POPCNT: ipopcnt,
    _O.I64_ADD: iadd64, _O.I64_SUB: isub64, _O.I64_MUL: imul64,
    _O.I64_DIV_S: idiv_s64, _O.I64_DIV_U: idiv_u64, _O.I64_REM_S: irem_s64, _O.I64_REM_U: irem_u64,
    _O.I64_AND: iand, _O.I64_OR: ior, _O.I64_XOR: ixor,
    _O.I64_SHL: ishl64, _O.I64_SHR_S: ishr_s64, _O.I64_SHR_U: ishr_u64,
    _O.I64_ROTL: irotl64, _O.I64_ROTR: irotr64,
    _O.I64_EXTEND8_S: iextend8_s64, _O.I64_EXTEND16_S: iextend16_s64, _O.I64_EXTEND32_S: iextend32_s64,
    # f32
    _O.F32_EQ: feq, _O.F32_NE: fne, _O.F32_LT: flt, _O.F32_GT: fgt, _O.F32_LE: fle, _O.F32_GE: fge,
    _O.F32_ABS: fabs, _O.F32_NEG: fneg, _O.F32_CEIL: fceil, _O.F32_FLOOR: ffloor,
    _O.F32_TRUNC: ftrunc, _O.F32_NEAREST: fnearest, _O.F32_SQRT: fsqrt32,
    _O.F32_ADD: fadd32, _O.F32_SUB: fsub32, _O.F32_MUL: fmul32, _O.F32_DIV: fdiv32,
    _O.F32_MIN: fmin, _O.F32_MAX: fmax, _O.F32_COPYSIGN: fcopysign,
    # f64
    _O.F64_EQ: feq, _O.F64_NE: fne, _O.F64_LT: flt, _O.F64_GT: fgt, _O.F64_LE: fle, _O.F64_GE: fge,
    _O.F64_ABS: fabs, _O.F64_NEG: fneg, _O.F64_CEIL: fceil, _O.F64_FLOOR: ffloor,
    _O.F64_TRUNC: ftrunc, _O.F64_NEAREST: fnearest, _O.F64_SQRT: fsqrt64,
    _O.F64_ADD: fadd64, _O.F64_SUB: fsub64, _O.F64_MUL: fmul64, _O.F64_DIV: fdiv64,
    _O.F64_MIN: fmin, _O.F64_MAX: fmax, _O.F64_COPYSIGN: fcopysign,
    # conversions
    _O.I32_WRAP_I64: i32_wrap_i64,
    _O.I32_TRUNC_F32_S: i32_trunc_f32_s, _O.I32_TRUNC_F32_U: i32_trunc_f32_u,
    _O.I32_TRUNC_F64_S: i32_trunc_f64_s, _O.I32_TRUNC_F64_U: i32_trunc_f64_u,
    _O.I64_EXTEND_I32_S: i64_extend_i32_s, _O.I64_EXTEND_I32_U: i64_extend_i32_u,
    _O.I64_TRUNC_F32_S: i64_trunc_f32_s, _O.I64_TRUNC_F32_U: i64_trunc_f32_u,
    _O.I64_TRUNC_F64_S: i64_trunc_f64_s, _O.I64_TRUNC_F64_U: i64_trunc_f64_u,
    _O.F32_CONVERT_I32_S: f32_convert_i32_s, _O.F32_CONVERT_I32_U: f32_convert_i32_u,
    _O.F32_CONVERT_I64_S: f32_convert_i64_s, _O.F32_CONVERT_I64_U: f32_convert_i64_u,
    _O.F32_DEMOTE_F64: f32_demote_f64,
    _O.F64_CONVERT_I32_S: f64_convert_i32_s, _O.F64_CONVERT_I32_U: f64_convert_i32_u,
    _O.F64_CONVERT_I64_S: f64_convert_i64_s, _O.F64_CONVERT_I64_U: f64_convert_i64_u,
    _O.F64_PROMOTE_F32: f64_promote_f32,
    _O.I32_REINTERPRET_F32: i32_reinterpret_f32, _O.I64_REINTERPRET_F64: i64_reinterpret_f64,
    _O.F32_REINTERPRET_I32: f32_reinterpret_i32, _O.F64_REINTERPRET_I64: f64_reinterpret_i64,
    _O.I32_TRUNC_SAT_F32_S: i32_trunc_sat_f32_s, _O.I32_TRUNC_SAT_F32_U: i32_trunc_sat_f32_u,
    _O.I32_TRUNC_SAT_F64_S: i32_trunc_sat_f64_s, _O.I32_TRUNC_SAT_F64_U: i32_trunc_sat_f64_u,
    _O.I64_TRUNC_SAT_F32_S: i64_trunc_sat_f32_s, _O.I64_TRUNC_SAT_F32_U: i64_trunc_sat_f32_u,
    _O.I64_TRUNC_SAT_F64_S: i64_trunc_sat_f64_s, _O.I64_TRUNC_SAT_F64_U: i64_trunc_sat_f64_u,
}  # fmt: skip
"""Every non-SIMD numeric instruction (4.4.1) mapped to its operator; a
reference for the compiler and for tests. Operands in stack order."""

del _O
