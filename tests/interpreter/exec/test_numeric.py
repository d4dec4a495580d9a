"""Hand-calculated cases for the numeric operators (exec/numeric.py, spec 4.3).

Every expected value below is worked out from the spec's definitions (4.3.2
integer, 4.3.3 floating point, 4.3.4 conversions) and IEEE 754 bit patterns.
"""

from __future__ import annotations

import math

import pytest
from pywasm_host.interpreter.binary.opcodes import Opcode
from pywasm_host.interpreter.errors import Trap, TrapCode
from pywasm_host.interpreter.exec import numeric as n
from pywasm_host.interpreter.runtime.values import f32_from_bits, f32_to_bits, f64_from_bits, f64_to_bits

INF = math.inf
M32 = 2**32 - 1
M64 = 2**64 - 1


def u32(x: int) -> int:
    return x & M32


def u64(x: int) -> int:
    return x & M64


def bits64(x: float) -> int:
    return f64_to_bits(x)


def is_neg_zero(x: float) -> bool:
    return x == 0.0 and math.copysign(1.0, x) < 0


def is_pos_zero(x: float) -> bool:
    return x == 0.0 and math.copysign(1.0, x) > 0


def trap_code(fn, *args) -> TrapCode:  # type: ignore[no-untyped-def]
    with pytest.raises(Trap) as info:
        fn(*args)
    return info.value.code


# --- coverage of the table ------------------------------------------------------------------------


def test_numeric_ops_cover_every_non_simd_numeric_opcode() -> None:
    numeric = {op for op in Opcode if 0x45 <= op <= 0xC4 or (0xFC << 16) <= op <= ((0xFC << 16) | 7)}
    assert set(n.NUMERIC_OPS) == numeric
    assert len(numeric) == 0xC4 - 0x45 + 1 + 8


# --- 4.3.2 integers ---------------------------------------------------------------------------------


def test_results_are_ints_not_bools() -> None:
    for fn, args in [(n.ieqz, (0,)), (n.ieq, (1, 1)), (n.ilt_s32, (u32(-1), 0)), (n.flt, (1.0, 2.0))]:
        r = fn(*args)
        assert type(r) is int and r == 1


@pytest.mark.parametrize(
    ("fn", "a", "b", "r"),
    [
        (n.iadd32, M32, 1, 0),
        (n.iadd64, M64, 2, 1),
        (n.isub32, 0, 1, M32),
        (n.isub64, 0, 1, M64),
        (n.imul32, 0x10000, 0x10000, 0),
        (n.imul32, 0x12345678, 0x9ABCDEF0, (0x12345678 * 0x9ABCDEF0) % 2**32),
        (n.imul64, 2**63, 2, 0),
        (n.idiv_u32, M32, 2, 0x7FFF_FFFF),
        (n.idiv_u64, M64, M64, 1),
        (n.idiv_s32, u32(-7), 2, u32(-3)),
        (n.idiv_s32, 7, u32(-2), u32(-3)),
        (n.idiv_s32, u32(-7), u32(-2), 3),
        (n.idiv_s32, 0x8000_0000, 2, 0xC000_0000),
        (n.idiv_s32, 0x8000_0000, 1, 0x8000_0000),
        (n.idiv_s64, u64(-(2**63)), 2, u64(-(2**62))),
        (n.idiv_s64, u64(-(2**63)), 1, 2**63),
        (n.idiv_s64, u64(-1), u64(-1), 1),
        (n.irem_u32, M32, 10, M32 % 10),
        (n.irem_s32, u32(-7), 2, u32(-1)),
        (n.irem_s32, 7, u32(-2), 1),
        (n.irem_s32, u32(-7), u32(-2), u32(-1)),
        (n.irem_s32, 0x8000_0000, u32(-1), 0),  # no overflow trap for rem
        (n.irem_s64, 2**63, u64(-1), 0),
        (n.irem_s64, u64(-13), 5, u64(-3)),
        (n.ishl32, 1, 31, 0x8000_0000),
        (n.ishl32, 1, 32, 1),  # the count is taken modulo 32
        (n.ishl32, 1, 33, 2),
        (n.ishl64, 1, 64, 1),
        (n.ishl64, M64, 63, 2**63),
        (n.ishr_u32, 0x8000_0000, 31, 1),
        (n.ishr_u32, 0x8000_0000, 32, 0x8000_0000),
        (n.ishr_s32, 0x8000_0000, 31, M32),
        (n.ishr_s32, 0x8000_0000, 63, M32),
        (n.ishr_s32, 0x4000_0000, 30, 1),
        (n.ishr_s64, 2**63, 63, M64),
        (n.ishr_s64, 2**63, 64, 2**63),
        (n.ishr_u64, M64, 0xFFFF_FFFF_FFFF_FFFF, 1),
        (n.irotl32, 0x8000_0001, 1, 3),
        (n.irotl32, 0x1234_5678, 32, 0x1234_5678),
        (n.irotl32, 0x1234_5678, 4, 0x2345_6781),
        (n.irotr32, 0x1234_5678, 4, 0x8123_4567),
        (n.irotr32, 1, 0xFFFF_FFFF, 2),  # 31 right = 1 left
        (n.irotl64, 2**63, 1, 1),
        (n.irotr64, 1, 1, 2**63),
        (n.irotr64, 0x0123_4567_89AB_CDEF, 68, 0xF012_3456_789A_BCDE),
        (n.iand, 0xF0F0, 0xFF00, 0xF000),
        (n.ior, 0xF0F0, 0xFF00, 0xFFF0),
        (n.ixor, 0xF0F0, 0xFF00, 0x0FF0),
    ],
)
def test_integer_binary(fn, a: int, b: int, r: int) -> None:  # type: ignore[no-untyped-def]
    assert fn(a, b) == r


@pytest.mark.parametrize("fn", [n.idiv_s32, n.idiv_u32, n.irem_s32, n.irem_u32])
def test_divide_by_zero_32(fn) -> None:  # type: ignore[no-untyped-def]
    assert trap_code(fn, 5, 0) is TrapCode.INTEGER_DIVIDE_BY_ZERO
    assert trap_code(fn, 0x8000_0000, 0) is TrapCode.INTEGER_DIVIDE_BY_ZERO


@pytest.mark.parametrize("fn", [n.idiv_s64, n.idiv_u64, n.irem_s64, n.irem_u64])
def test_divide_by_zero_64(fn) -> None:  # type: ignore[no-untyped-def]
    assert trap_code(fn, 2**63, 0) is TrapCode.INTEGER_DIVIDE_BY_ZERO


def test_signed_division_overflow() -> None:
    assert trap_code(n.idiv_s32, 0x8000_0000, M32) is TrapCode.INTEGER_OVERFLOW
    assert trap_code(n.idiv_s64, 2**63, M64) is TrapCode.INTEGER_OVERFLOW


@pytest.mark.parametrize(
    ("fn", "a", "r"),
    [
        (n.iclz32, 0, 32),
        (n.iclz32, 1, 31),
        (n.iclz32, 0x8000_0000, 0),
        (n.iclz32, 0x00FF_FFFF, 8),
        (n.iclz64, 0, 64),
        (n.iclz64, 1, 63),
        (n.iclz64, 2**63, 0),
        (n.ictz32, 0, 32),
        (n.ictz32, 0x8000_0000, 31),
        (n.ictz32, 0x0000_0100, 8),
        (n.ictz64, 0, 64),
        (n.ictz64, 2**63, 63),
        (n.ictz64, M64, 0),
        (n.ipopcnt, 0, 0),
        (n.ipopcnt, M32, 32),
        (n.ipopcnt, M64, 64),
        (n.ipopcnt, 0xDEAD_BEEF, 24),
        (n.ieqz, 0, 1),
        (n.ieqz, 2**63, 0),
        (n.iextend8_s32, 0x7F, 0x7F),
        (n.iextend8_s32, 0x80, 0xFFFF_FF80),
        (n.iextend8_s32, 0x1234_56FF, M32),
        (n.iextend16_s32, 0x8000, 0xFFFF_8000),
        (n.iextend16_s32, 0xFFFF_7FFF, 0x7FFF),
        (n.iextend8_s64, 0x80, 0xFFFF_FFFF_FFFF_FF80),
        (n.iextend16_s64, 0x1_8000, 0xFFFF_FFFF_FFFF_8000),
        (n.iextend32_s64, 0x8000_0000, 0xFFFF_FFFF_8000_0000),
        (n.iextend32_s64, 0xFFFF_FFFF_7FFF_FFFF, 0x7FFF_FFFF),
        (n.i32_wrap_i64, 0x2345_6789_ABCD_EF01, 0xABCD_EF01),
        (n.i64_extend_i32_s, 0x8000_0000, 0xFFFF_FFFF_8000_0000),
        (n.i64_extend_i32_s, 0x7FFF_FFFF, 0x7FFF_FFFF),
        (n.i64_extend_i32_u, 0x8000_0000, 0x8000_0000),
    ],
)
def test_integer_unary(fn, a: int, r: int) -> None:  # type: ignore[no-untyped-def]
    assert fn(a) == r


@pytest.mark.parametrize(
    ("fn", "a", "b", "r"),
    [
        (n.ilt_s32, 0x8000_0000, 0x7FFF_FFFF, 1),  # -2**31 < 2**31-1
        (n.ilt_u, 0x8000_0000, 0x7FFF_FFFF, 0),
        (n.igt_s32, M32, 0, 0),  # -1 > 0 is false
        (n.igt_u, M32, 0, 1),
        (n.ile_s32, M32, M32, 1),
        (n.ige_s32, 0, M32, 1),
        (n.ilt_s64, 2**63, 0, 1),
        (n.igt_s64, 2**63 - 1, 2**63, 1),
        (n.ile_s64, M64, 0, 1),
        (n.ige_s64, M64, 0, 0),
        (n.ile_u, 5, 5, 1),
        (n.ige_u, 4, 5, 0),
        (n.ieq, 3, 3, 1),
        (n.ine, 3, 3, 0),
    ],
)
def test_integer_compare(fn, a: int, b: int, r: int) -> None:  # type: ignore[no-untyped-def]
    assert fn(a, b) == r


# --- 4.3.3 floating point -------------------------------------------------------------------------


def test_fmin_fmax_zeros() -> None:
    for fn, want_neg in ((n.fmin, True), (n.fmax, False)):
        for a, b in ((0.0, -0.0), (-0.0, 0.0)):
            r = fn(a, b)
            assert is_neg_zero(r) if want_neg else is_pos_zero(r), (fn, a, b)
        assert is_neg_zero(fn(-0.0, -0.0))
        assert is_pos_zero(fn(0.0, 0.0))


@pytest.mark.parametrize(
    ("a", "b", "lo", "hi"),
    [(1.0, 2.0, 1.0, 2.0), (-INF, INF, -INF, INF), (3.0, 3.0, 3.0, 3.0), (-1.0, -0.0, -1.0, -0.0)],
)
def test_fmin_fmax_ordinary(a: float, b: float, lo: float, hi: float) -> None:
    assert bits64(n.fmin(a, b)) == bits64(lo) == bits64(n.fmin(b, a))
    assert bits64(n.fmax(a, b)) == bits64(hi) == bits64(n.fmax(b, a))


@pytest.mark.parametrize("fn", [n.fmin, n.fmax])
def test_fmin_fmax_nan(fn) -> None:  # type: ignore[no-untyped-def]
    canon = f64_from_bits(0x7FF8_0000_0000_0000)
    snan = f64_from_bits(0x7FF4_0000_0000_0000)
    for a, b in ((canon, 1.0), (1.0, canon), (canon, -INF), (canon, canon)):
        assert bits64(fn(a, b)) & 0x7FFF_FFFF_FFFF_FFFF == 0x7FF8_0000_0000_0000
    for a, b in ((snan, 1.0), (0.0, snan), (snan, canon)):
        r = bits64(fn(a, b))
        assert r & 0x7FF8_0000_0000_0000 == 0x7FF8_0000_0000_0000  # arithmetic NaN (quiet)
    # f32 sNaN: the result must still be an f32 arithmetic NaN.
    s32 = f32_from_bits(0x7FA0_0000)
    assert f32_to_bits(fn(s32, 1.0)) & 0x7FC0_0000 == 0x7FC0_0000


@pytest.mark.parametrize(
    ("x", "nearest", "ceil", "floor", "trunc"),
    [
        (0.5, 0.0, 1.0, 0.0, 0.0),
        (1.5, 2.0, 2.0, 1.0, 1.0),
        (2.5, 2.0, 3.0, 2.0, 2.0),
        (3.5, 4.0, 4.0, 3.0, 3.0),
        (-0.5, -0.0, -0.0, -1.0, -0.0),
        (-1.5, -2.0, -1.0, -2.0, -1.0),
        (-2.5, -2.0, -2.0, -3.0, -2.0),
        (0.49999999999999994, 0.0, 1.0, 0.0, 0.0),
        (-0.49999999999999994, -0.0, -0.0, -1.0, -0.0),
        (4503599627370495.5, 4503599627370496.0, 4503599627370496.0, 4503599627370495.0, 4503599627370495.0),
        (-4503599627370495.5, -4503599627370496.0, -4503599627370495.0, -4503599627370496.0, -4503599627370495.0),
        (4503599627370497.0, 4503599627370497.0, 4503599627370497.0, 4503599627370497.0, 4503599627370497.0),
        (1e300, 1e300, 1e300, 1e300, 1e300),
        (0.0, 0.0, 0.0, 0.0, 0.0),
        (-0.0, -0.0, -0.0, -0.0, -0.0),
        (5e-324, 0.0, 1.0, 0.0, 0.0),
        (-5e-324, -0.0, -0.0, -1.0, -0.0),
        (INF, INF, INF, INF, INF),
        (-INF, -INF, -INF, -INF, -INF),
        # f32 values: 8388607.5 = 2**23 - 0.5 is exact in binary32
        (8388607.5, 8388608.0, 8388608.0, 8388607.0, 8388607.0),
        (-8388609.0, -8388609.0, -8388609.0, -8388609.0, -8388609.0),
    ],
)
def test_rounding_to_integers(x: float, nearest: float, ceil: float, floor: float, trunc: float) -> None:
    assert bits64(n.fnearest(x)) == bits64(nearest)
    assert bits64(n.fceil(x)) == bits64(ceil)
    assert bits64(n.ffloor(x)) == bits64(floor)
    assert bits64(n.ftrunc(x)) == bits64(trunc)


@pytest.mark.parametrize("fn", [n.fnearest, n.fceil, n.ffloor, n.ftrunc, n.fsqrt64, n.fsqrt32, n.f64_promote_f32])
def test_unary_nan_results(fn) -> None:  # type: ignore[no-untyped-def]
    # canonical in -> canonical out; signalling in -> arithmetic (quiet) out, sign and payload kept
    assert bits64(fn(f64_from_bits(0x7FF8_0000_0000_0000))) & (2**63 - 1) == 0x7FF8_0000_0000_0000
    r = bits64(fn(f32_from_bits(0xFFA0_0000)))  # f32 sNaN carried as 0xfff4000000000000
    assert r == 0xFFFC_0000_0000_0000


def test_neg_abs_copysign_keep_payload() -> None:
    for b32 in (0x7FA0_0000, 0xFFA0_0000, 0x7FC0_0001, 0x7F80_0001):
        x = f32_from_bits(b32)
        assert f32_to_bits(n.fneg(x)) == b32 ^ 0x8000_0000
        assert f32_to_bits(n.fabs(x)) == b32 & 0x7FFF_FFFF
        assert f32_to_bits(n.fcopysign(x, -0.0)) == b32 | 0x8000_0000
        assert f32_to_bits(n.fcopysign(x, 0.0)) == b32 & 0x7FFF_FFFF
        assert f32_to_bits(n.fcopysign(1.0, x)) == 0x3F80_0000 | (b32 & 0x8000_0000)
    for b64 in (0x7FF4_0000_0000_0000, 0xFFF0_0000_0000_0001):
        x = f64_from_bits(b64)
        assert bits64(n.fneg(x)) == b64 ^ (1 << 63)
        assert bits64(n.fabs(x)) == b64 & (2**63 - 1)
        assert bits64(n.fcopysign(x, -1.0)) == b64 | (1 << 63)
    assert is_neg_zero(n.fneg(0.0))
    assert is_pos_zero(n.fabs(-0.0))


@pytest.mark.parametrize("div", [n.fdiv64, n.fdiv32])
def test_division_by_zero(div) -> None:  # type: ignore[no-untyped-def]
    assert div(1.0, 0.0) == INF
    assert div(1.0, -0.0) == -INF
    assert div(-1.0, 0.0) == -INF
    assert div(-1.0, -0.0) == INF
    assert div(-INF, -0.0) == INF
    assert bits64(div(0.0, 0.0)) & (2**63 - 1) == 0x7FF8_0000_0000_0000
    assert bits64(div(-0.0, -0.0)) & (2**63 - 1) == 0x7FF8_0000_0000_0000
    r = bits64(div(f64_from_bits(0x7FF4_0000_0000_0000), 0.0))
    assert r == 0x7FFC_0000_0000_0000  # sNaN dividend: quieted, payload kept
    assert is_neg_zero(div(-1.0, INF))


def test_sqrt() -> None:
    for sqrt in (n.fsqrt64, n.fsqrt32):
        assert is_neg_zero(sqrt(-0.0))
        assert is_pos_zero(sqrt(0.0))
        assert sqrt(INF) == INF
        assert sqrt(4.0) == 2.0
        assert bits64(sqrt(-1.0)) & (2**63 - 1) == 0x7FF8_0000_0000_0000
        assert bits64(sqrt(-INF)) & (2**63 - 1) == 0x7FF8_0000_0000_0000
        assert bits64(sqrt(-5e-324)) & (2**63 - 1) == 0x7FF8_0000_0000_0000
    assert f32_to_bits(n.fsqrt32(2.0)) == 0x3FB5_04F3  # sqrt(2) in binary32
    assert n.fsqrt64(2.0) == float.fromhex("0x1.6a09e667f3bcdp+0")


def test_f32_arithmetic_rounds_once_and_overflows() -> None:
    big = f32_from_bits(0x7F7F_FFFF)
    assert n.fadd32(big, big) == INF
    assert n.fmul32(-big, 2.0) == -INF
    assert n.fsub32(-big, big) == -INF
    # 1 + 2**-24 is a tie between 1 and 1 + 2**-23: ties to even gives 1.
    assert n.fadd32(1.0, 2.0**-24) == 1.0
    assert f32_to_bits(n.fadd32(1.0, f32_from_bits(0x3380_0001))) == 0x3F80_0001  # just above the tie
    assert f32_to_bits(n.fdiv32(1.0, 3.0)) == 0x3EAA_AAAB
    assert f32_to_bits(n.fmul32(f32_from_bits(0x0080_0000), 0.5)) == 0x0040_0000  # into subnormals


# --- 4.3.4 conversions ----------------------------------------------------------------------------

TRUNC_OK = [
    # (function, float argument, result)
    (n.i32_trunc_f64_s, -2147483648.9, 0x8000_0000),
    (n.i32_trunc_f64_s, 2147483647.9, 0x7FFF_FFFF),
    (n.i32_trunc_f64_s, -0.9, 0),
    (n.i32_trunc_f64_s, -1.5, M32),
    (n.i32_trunc_f32_s, -2147483648.0, 0x8000_0000),
    (n.i32_trunc_f32_s, f32_from_bits(0x4EFF_FFFF), 2147483520),  # largest f32 below 2**31
    (n.i32_trunc_f64_u, 4294967295.9, M32),
    (n.i32_trunc_f64_u, -0.9, 0),
    (n.i32_trunc_f32_u, f32_from_bits(0x4F7F_FFFF), 4294967040),  # largest f32 below 2**32
    (n.i32_trunc_f32_u, -0.0, 0),
    (n.i64_trunc_f64_s, -9223372036854775808.0, 2**63),
    (n.i64_trunc_f64_s, 9223372036854774784.0, 9223372036854774784),  # largest f64 below 2**63
    (n.i64_trunc_f64_s, -1.9, M64),
    (n.i64_trunc_f32_s, f32_from_bits(0x5EFF_FFFF), 9223371487098961920),
    (n.i64_trunc_f64_u, 18446744073709549568.0, 18446744073709549568),  # largest f64 below 2**64
    (n.i64_trunc_f64_u, -0.999, 0),
    (n.i64_trunc_f32_u, f32_from_bits(0x5F7F_FFFF), 18446742974197923840),
]


@pytest.mark.parametrize(("fn", "x", "r"), TRUNC_OK)
def test_trunc_in_range(fn, x: float, r: int) -> None:  # type: ignore[no-untyped-def]
    assert fn(x) == r


TRUNC_OVERFLOW = [
    (n.i32_trunc_f64_s, -2147483649.0),
    (n.i32_trunc_f64_s, 2147483648.0),
    (n.i32_trunc_f32_s, 2147483648.0),
    (n.i32_trunc_f32_s, f32_from_bits(0xCF00_0001)),  # next f32 below -2**31
    (n.i32_trunc_f64_u, -1.0),
    (n.i32_trunc_f64_u, 4294967296.0),
    (n.i32_trunc_f32_u, 4294967296.0),
    (n.i64_trunc_f64_s, 9223372036854775808.0),
    (n.i64_trunc_f64_s, -9223372036854777856.0),  # next f64 below -2**63
    (n.i64_trunc_f32_s, 9223372036854775808.0),
    (n.i64_trunc_f64_u, 18446744073709551616.0),
    (n.i64_trunc_f64_u, -1.0),
    (n.i64_trunc_f32_u, 18446744073709551616.0),
    (n.i32_trunc_f64_s, INF),
    (n.i32_trunc_f64_s, -INF),
    (n.i64_trunc_f64_u, INF),
]


@pytest.mark.parametrize(("fn", "x"), TRUNC_OVERFLOW)
def test_trunc_overflow(fn, x: float) -> None:  # type: ignore[no-untyped-def]
    assert trap_code(fn, x) is TrapCode.INTEGER_OVERFLOW


@pytest.mark.parametrize(
    "fn",
    [n.i32_trunc_f32_s, n.i32_trunc_f32_u, n.i32_trunc_f64_s, n.i32_trunc_f64_u,
     n.i64_trunc_f32_s, n.i64_trunc_f32_u, n.i64_trunc_f64_s, n.i64_trunc_f64_u],
)  # fmt: skip
def test_trunc_nan(fn) -> None:  # type: ignore[no-untyped-def]
    for b in (0x7FC0_0000, 0xFFA0_0000):
        assert trap_code(fn, f32_from_bits(b)) is TrapCode.INVALID_CONVERSION_TO_INTEGER
    assert trap_code(fn, f64_from_bits(0x7FF0_0000_0000_0001)) is TrapCode.INVALID_CONVERSION_TO_INTEGER


@pytest.mark.parametrize(
    ("fn", "x", "r"),
    [
        (n.i32_trunc_sat_f64_s, -2147483649.0, 0x8000_0000),
        (n.i32_trunc_sat_f64_s, -2147483648.9, 0x8000_0000),
        (n.i32_trunc_sat_f64_s, 2147483648.0, 0x7FFF_FFFF),
        (n.i32_trunc_sat_f32_s, -INF, 0x8000_0000),
        (n.i32_trunc_sat_f32_s, INF, 0x7FFF_FFFF),
        (n.i32_trunc_sat_f32_s, -1.5, M32),
        (n.i32_trunc_sat_f64_u, -1.0, 0),
        (n.i32_trunc_sat_f64_u, -INF, 0),
        (n.i32_trunc_sat_f64_u, 4294967296.0, M32),
        (n.i32_trunc_sat_f32_u, 4294967295.0, M32),
        (n.i64_trunc_sat_f64_s, 9223372036854775808.0, 2**63 - 1),
        (n.i64_trunc_sat_f64_s, -1e300, 2**63),
        (n.i64_trunc_sat_f32_s, -9223372036854775808.0, 2**63),
        (n.i64_trunc_sat_f64_u, 18446744073709551616.0, M64),
        (n.i64_trunc_sat_f64_u, -0.5, 0),
        (n.i64_trunc_sat_f32_u, -2.0, 0),
    ],
)
def test_trunc_sat(fn, x: float, r: int) -> None:  # type: ignore[no-untyped-def]
    assert fn(x) == r


@pytest.mark.parametrize(
    "fn",
    [n.i32_trunc_sat_f32_s, n.i32_trunc_sat_f32_u, n.i32_trunc_sat_f64_s, n.i32_trunc_sat_f64_u,
     n.i64_trunc_sat_f32_s, n.i64_trunc_sat_f32_u, n.i64_trunc_sat_f64_s, n.i64_trunc_sat_f64_u],
)  # fmt: skip
def test_trunc_sat_nan_is_zero(fn) -> None:  # type: ignore[no-untyped-def]
    assert fn(f32_from_bits(0xFFC0_0000)) == 0
    assert fn(f64_from_bits(0x7FF4_0000_0000_0000)) == 0


@pytest.mark.parametrize(
    ("fn", "a", "b32"),
    [
        (n.f32_convert_i32_s, 0x8000_0000, 0xCF00_0000),
        (n.f32_convert_i32_s, 0x7FFF_FFFF, 0x4F00_0000),
        (n.f32_convert_i32_s, 16777217, 0x4B80_0000),  # 2**24 + 1: tie, to even = 2**24
        (n.f32_convert_i32_s, 16777219, 0x4B80_0002),  # 2**24 + 3: tie, to even = 2**24 + 4
        (n.f32_convert_i32_u, M32, 0x4F80_0000),
        (n.f32_convert_i32_u, 0x8000_0080, 0x4F00_0000),  # tie: to even
        (n.f32_convert_i32_u, 0x8000_0081, 0x4F00_0001),
        # 2**53 + 2**29 + 1: binary64 rounds away the 1 to leave a binary32 tie; once = up.
        (n.f32_convert_i64_s, 2**53 + 2**29 + 1, 0x5A00_0001),
        (n.f32_convert_i64_s, u64(-(2**53 + 2**29 + 1)), 0xDA00_0001),
        (n.f32_convert_i64_s, 2**63 - 1, 0x5F00_0000),
        (n.f32_convert_i64_s, 2**63, 0xDF00_0000),
        # 2**63 - 2**39 - 1 (just below a tie): once rounds down to 0x5effffff
        (n.f32_convert_i64_s, 2**63 - 2**39 + 2**38 - 1, 0x5EFF_FFFF),
        (n.f32_convert_i64_u, M64, 0x5F80_0000),
        (n.f32_convert_i64_u, 2**64 - 2**40 + 2**39 + 1, 0x5F80_0000),  # just above a tie: up
        (n.f32_convert_i64_u, 2**64 - 2**40 + 2**39 - 1, 0x5F7F_FFFF),  # just below: down
        (n.f32_convert_i64_u, 2**63 + 2**39 + 1, 0x5F00_0001),
        (n.f32_convert_i64_u, 2**24 + 1, 0x4B80_0000),
    ],
)
def test_convert_to_f32(fn, a: int, b32: int) -> None:  # type: ignore[no-untyped-def]
    assert f32_to_bits(fn(a)) == b32


@pytest.mark.parametrize(
    ("fn", "a", "x"),
    [
        (n.f64_convert_i32_s, 0x8000_0000, -2147483648.0),
        (n.f64_convert_i32_u, 0x8000_0000, 2147483648.0),
        (n.f64_convert_i64_s, 2**63, -9223372036854775808.0),
        (n.f64_convert_i64_s, 2**53 + 1, 9007199254740992.0),  # tie: to even
        (n.f64_convert_i64_s, 2**53 + 3, 9007199254740996.0),
        (n.f64_convert_i64_u, M64, 18446744073709551616.0),
        (n.f64_convert_i64_u, 2**63 + 2**10 + 1, 9223372036854777856.0),
        (n.f64_convert_i64_u, 2**63 + 2**10, 9223372036854775808.0),
    ],
)
def test_convert_to_f64(fn, a: int, x: float) -> None:  # type: ignore[no-untyped-def]
    assert bits64(fn(a)) == bits64(x)


def test_demote_promote() -> None:
    assert f32_to_bits(n.f32_demote_f64(float.fromhex("0x1.fffffefffffffp127"))) == 0x7F7F_FFFF
    assert n.f32_demote_f64(float.fromhex("0x1.ffffffp127")) == INF
    assert f32_to_bits(n.f32_demote_f64(-0.0)) == 0x8000_0000
    assert f32_to_bits(n.f32_demote_f64(float.fromhex("0x1p-150"))) == 0  # tie with 0: to even
    assert f32_to_bits(n.f32_demote_f64(f64_from_bits(0x7FF8_0000_0000_0000))) == 0x7FC0_0000
    assert f32_to_bits(n.f32_demote_f64(f64_from_bits(0xFFF8_0000_0000_0000))) == 0xFFC0_0000
    assert f32_to_bits(n.f32_demote_f64(f64_from_bits(0x7FF4_0000_0000_0000))) == 0x7FE0_0000
    assert f32_to_bits(n.f32_demote_f64(f64_from_bits(0x7FF0_0000_0000_0001))) == 0x7FC0_0000
    assert bits64(n.f64_promote_f32(f32_from_bits(0x7FC0_0000))) == 0x7FF8_0000_0000_0000
    assert bits64(n.f64_promote_f32(f32_from_bits(0x7FA0_0000))) == 0x7FFC_0000_0000_0000
    assert bits64(n.f64_promote_f32(f32_from_bits(0x0000_0001))) == bits64(2.0**-149)
    assert is_neg_zero(n.f64_promote_f32(-0.0))


def test_reinterpret() -> None:
    for b in (0x7FA0_0000, 0xFFC0_0001, 0x3F80_0000, 0x8000_0000):
        assert n.i32_reinterpret_f32(n.f32_reinterpret_i32(b)) == b
    for b in (0x7FF4_0000_0000_0001, 0xFFF8_0000_0000_0000, 0x8000_0000_0000_0000):
        assert n.i64_reinterpret_f64(n.f64_reinterpret_i64(b)) == b
    assert n.i32_reinterpret_f32(-2.0) == 0xC000_0000
    assert n.f64_reinterpret_i64(0x4000_0000_0000_0000) == 2.0
