"""SIMD float lane operators and conversions (``interpreter/exec/simd_float.py``,
spec 4.3.3 "Floating-Point Operations" and 4.3.4 "Conversions", lane-wise)
on hand-computed IEEE bit patterns: rounding to single precision (ties to
even, overflow to infinity, subnormals), signed zeros, NaN propagation and
canonical NaNs, payload-preserving sign operations and ``pmin``/``pmax``,
saturation of the truncating conversions and the zeroed upper halves.
"""

from __future__ import annotations

import pytest
from pywasm_host.interpreter.binary.opcodes import Opcode
from pywasm_host.interpreter.exec.simd_float import SIMD_FLOAT_OPS, SIMD_FLOAT_OPS_BY_NAME

OPS = SIMD_FLOAT_OPS_BY_NAME


def v32(*lanes: int) -> int:
    """A v128 from 32-bit lanes, lane 0 first (missing lanes are zero)."""
    return sum((lane & 0xFFFF_FFFF) << (32 * i) for i, lane in enumerate(lanes))


def v64(*lanes: int) -> int:
    """A v128 from 64-bit lanes, lane 0 first."""
    return sum((lane & 0xFFFF_FFFF_FFFF_FFFF) << (64 * i) for i, lane in enumerate(lanes))


# f32 bit patterns
ONE, TWO, HALF, NEG_HALF = 0x3F80_0000, 0x4000_0000, 0x3F00_0000, 0xBF00_0000
P0, N0, INF, NINF = 0x0000_0000, 0x8000_0000, 0x7F80_0000, 0xFF80_0000
CNAN, SNAN, MAXF = 0x7FC0_0000, 0x7FA0_0001, 0x7F7F_FFFF
# f64 bit patterns
D_ONE, D_P0, D_N0, D_INF = 0x3FF0_0000_0000_0000, 0x0, 0x8000_0000_0000_0000, 0x7FF0_0000_0000_0000
D_CNAN, D_SNAN = 0x7FF8_0000_0000_0000, 0x7FF4_0000_0000_0001


def assert_lanes(name: str, got: int, want: int) -> None:
    """Equal bit for bit, except that where ``want`` has a canonical NaN lane
    the result may be the canonical NaN of either sign (4.3.3)."""
    width = 64 if name.startswith("f64x2") else 32
    sign = 1 << (width - 1)
    canonical = 0x7FF8_0000_0000_0000 if width == 64 else CNAN
    for i in range(128 // width):
        g = (got >> (width * i)) & ((1 << width) - 1)
        w = (want >> (width * i)) & ((1 << width) - 1)
        if w & ~sign == canonical:
            assert g & ~sign == canonical, f"{name} lane {i}: {g:#x}, want a canonical NaN"
        else:
            assert g == w, f"{name} lane {i}: {g:#x}, want {w:#x}"


def test_every_float_instruction_is_in_the_opcode_table() -> None:
    expected = {
        op for op in Opcode if op.name.startswith(("F32X4_", "F64X2_")) and "SPLAT" not in op.name and "LANE" not in op.name
    } | {
        Opcode.I32X4_TRUNC_SAT_F32X4_S, Opcode.I32X4_TRUNC_SAT_F32X4_U,
        Opcode.I32X4_TRUNC_SAT_F64X2_S_ZERO, Opcode.I32X4_TRUNC_SAT_F64X2_U_ZERO,
    }  # fmt: skip
    assert set(SIMD_FLOAT_OPS) == expected
    assert len(SIMD_FLOAT_OPS) == 52


@pytest.mark.parametrize(
    ("name", "a", "b", "result"),
    [
        # 1 + 2**-24 is a tie between 1 and 1 + 2**-23: even (1.0) wins; just above the tie rounds up.
        ("f32x4.add", v32(ONE, ONE, MAXF, 0x0000_0001), v32(0x3380_0000, 0x3380_0001, MAXF, 0x0000_0001),
         v32(ONE, 0x3F80_0001, INF, 0x0000_0002)),
        ("f32x4.sub", v32(ONE, P0, P0, NINF), v32(ONE, P0, N0, NINF), v32(P0, P0, P0, CNAN)),
        # 2**-126 * 0.5 is the subnormal 2**-127; 1.5 * 1.5 = 2.25; overflow to -inf; inf * 0 = NaN
        ("f32x4.mul", v32(0x0080_0000, 0x3FC0_0000, 0xFF7F_FFFF, INF), v32(HALF, 0x3FC0_0000, TWO, P0),
         v32(0x0040_0000, 0x4010_0000, NINF, CNAN)),
        ("f32x4.div", v32(ONE, 0xBF80_0000, P0, ONE), v32(P0, P0, P0, N0), v32(INF, NINF, CNAN, NINF)),
        # 1/3 rounded to nearest f32
        ("f32x4.div", v32(ONE, ONE, ONE, ONE), v32(0x4040_0000, ONE, ONE, ONE), v32(0x3EAA_AAAB, ONE, ONE, ONE)),
        ("f32x4.min", v32(N0, P0, ONE, CNAN), v32(P0, N0, TWO, ONE), v32(N0, N0, ONE, CNAN)),
        ("f32x4.max", v32(N0, P0, ONE, ONE), v32(P0, N0, TWO, CNAN), v32(P0, P0, TWO, CNAN)),
        # pmin = b < a ? b : a (pmax = a < b ? b : a): operand bits unchanged, NaN payloads too
        ("f32x4.pmin", v32(SNAN, ONE, N0, P0), v32(ONE, SNAN, P0, N0), v32(SNAN, ONE, N0, P0)),
        ("f32x4.pmax", v32(SNAN, ONE, N0, ONE), v32(ONE, SNAN, P0, TWO), v32(SNAN, ONE, N0, TWO)),
        ("f32x4.eq", v32(CNAN, N0, ONE, ONE), v32(CNAN, P0, ONE, TWO), v32(0, -1, -1, 0)),
        ("f32x4.ne", v32(CNAN, N0, ONE, ONE), v32(CNAN, P0, ONE, TWO), v32(-1, 0, 0, -1)),
        ("f32x4.lt", v32(ONE, CNAN, NINF, N0), v32(TWO, ONE, ONE, P0), v32(-1, 0, -1, 0)),
        ("f32x4.gt", v32(ONE, CNAN, INF, TWO), v32(TWO, ONE, ONE, ONE), v32(0, 0, -1, -1)),
        ("f32x4.le", v32(N0, CNAN, TWO, ONE), v32(P0, CNAN, ONE, ONE), v32(-1, 0, 0, -1)),
        ("f32x4.ge", v32(N0, CNAN, TWO, ONE), v32(P0, ONE, ONE, TWO), v32(-1, 0, -1, 0)),
        # 0.1 + 0.2 = 0.30000000000000004
        ("f64x2.add", v64(0x3FB9_9999_9999_999A, D_INF), v64(0x3FC9_9999_9999_999A, 0xFFF0_0000_0000_0000),
         v64(0x3FD3_3333_3333_3334, D_CNAN)),
        ("f64x2.div", v64(D_ONE, D_N0), v64(D_N0, D_N0), v64(0xFFF0_0000_0000_0000, D_CNAN)),
        ("f64x2.min", v64(D_P0, D_ONE), v64(D_N0, D_CNAN), v64(D_N0, D_CNAN)),
        ("f64x2.max", v64(D_P0, D_ONE), v64(D_N0, 0x4000_0000_0000_0000), v64(D_P0, 0x4000_0000_0000_0000)),
        ("f64x2.pmin", v64(D_SNAN, D_P0), v64(D_ONE, D_N0), v64(D_SNAN, D_P0)),
        ("f64x2.pmax", v64(D_ONE, D_N0), v64(D_SNAN, D_P0), v64(D_ONE, D_N0)),
        ("f64x2.lt", v64(D_N0, D_ONE), v64(D_P0, 0x4000_0000_0000_0000), v64(0, -1)),
        ("f64x2.ne", v64(D_CNAN, D_ONE), v64(D_CNAN, D_ONE), v64(-1, 0)),
    ],
)  # fmt: skip
def test_binary(name: str, a: int, b: int, result: int) -> None:
    assert_lanes(name, OPS[name](a, b), result)


@pytest.mark.parametrize(
    ("name", "a", "result"),
    [
        # sign-bit operations keep NaN payloads, even signalling ones
        ("f32x4.neg", v32(SNAN, P0, 0xFFC1_2345, ONE), v32(0xFFA0_0001, N0, 0x7FC1_2345, 0xBF80_0000)),
        ("f32x4.abs", v32(0xFFA0_0001, N0, NINF, ONE), v32(SNAN, P0, INF, ONE)),
        ("f64x2.neg", v64(D_SNAN, D_P0), v64(0xFFF4_0000_0000_0001, D_N0)),
        ("f64x2.abs", v64(0xFFF4_0000_0000_0001, D_N0), v64(D_SNAN, D_P0)),
        # sqrt(2) rounded to f32; sqrt(-0) = -0; sqrt(-1) and sqrt(-inf) are NaN
        ("f32x4.sqrt", v32(TWO, N0, 0xBF80_0000, NINF), v32(0x3FB5_04F3, N0, CNAN, CNAN)),
        ("f64x2.sqrt", v64(0x4000_0000_0000_0000, D_N0), v64(0x3FF6_A09E_667F_3BCD, D_N0)),
        # 2.5 -> 2 and 3.5 -> 4 (ties to even); -0.5 -> -0
        ("f32x4.nearest", v32(0x4020_0000, 0x4060_0000, NEG_HALF, 0x4B00_0001),
         v32(TWO, 0x4080_0000, N0, 0x4B00_0001)),
        ("f32x4.ceil", v32(NEG_HALF, HALF, 0xBFC0_0000, INF), v32(N0, ONE, 0xBF80_0000, INF)),
        ("f32x4.floor", v32(NEG_HALF, HALF, N0, 0x3FC0_0000), v32(0xBF80_0000, P0, N0, ONE)),
        ("f32x4.trunc", v32(NEG_HALF, 0xBFC0_0000, 0x3FC0_0000, CNAN), v32(N0, 0xBF80_0000, ONE, CNAN)),
        ("f64x2.nearest", v64(0x4004_0000_0000_0000, 0xBFE0_0000_0000_0000), v64(0x4000_0000_0000_0000, D_N0)),
        ("f64x2.floor", v64(0xBFE0_0000_0000_0000, D_CNAN), v64(0xBFF0_0000_0000_0000, D_CNAN)),
        # convert: 2**24 + 1 ties to even (2**24); i32 max rounds up to 2**31; u32 max to 2**32
        ("f32x4.convert_i32x4_s", v32(16777217, 0x7FFF_FFFF, -1, 0x8000_0000),
         v32(0x4B80_0000, 0x4F00_0000, 0xBF80_0000, 0xCF00_0000)),
        ("f32x4.convert_i32x4_u", v32(16777219, 0xFFFF_FFFF, 0x8000_0000, 0), v32(0x4B80_0002, 0x4F80_0000, 0x4F00_0000, 0)),
        ("f64x2.convert_low_i32x4_s", v32(-1, 0x8000_0000, 7, 7), v64(0xBFF0_0000_0000_0000, 0xC1E0_0000_0000_0000)),
        ("f64x2.convert_low_i32x4_u", v32(0xFFFF_FFFF, 1, 7, 7), v64(0x41EF_FFFF_FFE0_0000, D_ONE)),
        # trunc_sat: NaN -> 0, out of range saturates; -1.5 -> -1 (signed), -0.5 -> 0 (unsigned)
        ("i32x4.trunc_sat_f32x4_s", v32(CNAN, 0x4F32_D05E, 0xCF32_D05E, 0xBFC0_0000),  # ±3e9
         v32(0, 0x7FFF_FFFF, 0x8000_0000, -1)),
        ("i32x4.trunc_sat_f32x4_u", v32(CNAN, 0x4F7F_FFFF, NEG_HALF, INF), v32(0, 0xFFFF_FF00, 0, 0xFFFF_FFFF)),
        # 2147483647.9 -> i32 max, -2147483648.9 -> i32 min; upper lanes zero
        ("i32x4.trunc_sat_f64x2_s_zero", v64(0x41DF_FFFF_FFF9_999A, 0xC1E0_0000_001C_CCCD), v32(0x7FFF_FFFF, 0x8000_0000)),
        ("i32x4.trunc_sat_f64x2_u_zero", v64(0x41F0_0000_0000_0000, 0xBFEF_FFFF_FFFF_FFFF), v32(0xFFFF_FFFF, 0)),
        # demote: 1e300 -> inf; the largest f32 plus just under half an ulp stays finite, the tie goes
        # to even (inf); canonical NaN stays canonical; upper lanes zero
        ("f32x4.demote_f64x2_zero", v64(0x7E37_E43C_8800_759C, 0x47EF_FFFF_EFFF_FFFF), v32(INF, MAXF)),
        ("f32x4.demote_f64x2_zero", v64(0x47EF_FFFF_F000_0000, D_CNAN), v32(INF, CNAN)),
        # promote: exact (the smallest f32 subnormal is 2**-149); canonical NaN stays canonical
        ("f64x2.promote_low_f32x4", v32(0x0000_0001, CNAN, ONE, ONE), v64(0x36A0_0000_0000_0000, D_CNAN)),
    ],
)  # fmt: skip
def test_unary(name: str, a: int, result: int) -> None:
    assert_lanes(name, OPS[name](a), result)


def _nan32(bits: int) -> bool:
    return bits & 0x7F80_0000 == 0x7F80_0000 and bits & 0x7F_FFFF != 0


@pytest.mark.parametrize("name", ["f32x4.add", "f32x4.mul", "f32x4.min", "f32x4.max", "f32x4.div"])
def test_signalling_nan_operand_gives_an_arithmetic_nan(name: str) -> None:
    # 4.3.3: a non-canonical NaN operand gives an arithmetic NaN (quiet bit set), any payload.
    for lane in range(4):
        r = (OPS[name](v32(SNAN, ONE, SNAN, 0xFFA0_0001), v32(ONE, SNAN, SNAN, ONE)) >> (32 * lane)) & 0xFFFF_FFFF
        assert _nan32(r) and r & 0x40_0000, (name, lane, hex(r))


def test_promote_of_a_signalling_nan_is_arithmetic() -> None:
    r = OPS["f64x2.promote_low_f32x4"](v32(SNAN)) & 0xFFFF_FFFF_FFFF_FFFF
    assert r & 0x7FF8_0000_0000_0000 == 0x7FF8_0000_0000_0000 and r & 0xF_FFFF_FFFF_FFFF != 0x8_0000_0000_0000


def test_results_stay_in_v128_range() -> None:
    ones = (1 << 128) - 1
    for name, op in OPS.items():
        r = op(ones) if op.__code__.co_argcount == 1 else op(ones, ones)
        assert 0 <= r <= ones, name


def test_handler_factories_compute_the_operators() -> None:
    # The translator's form (register file in, register file out) of every operator.
    from pywasm_host.interpreter.exec.simd_float import SIMD_FLOAT_FACTORIES

    assert set(SIMD_FLOAT_FACTORIES) == set(SIMD_FLOAT_OPS)
    a, b = v32(ONE, SNAN, N0, 0x4F32_D05E), v32(TWO, ONE, P0, MAXF)
    for op, factory in SIMD_FLOAT_FACTORIES.items():
        registers = [a, b, None]
        binary = SIMD_FLOAT_OPS[op].__code__.co_argcount == 2
        handler = factory(0, 1, 2, 7) if binary else factory(0, 2, 7)
        assert handler(registers) == 7
        assert registers[2] == (SIMD_FLOAT_OPS[op](a, b) if binary else SIMD_FLOAT_OPS[op](a)), op.name
        assert registers[:2] == [a, b]
