"""Randomized differential tests of the numeric operators against numpy (spec 4.3).

numpy's float32/float64 arithmetic, ``sqrt``, ``rint``/``ceil``/``floor``/
``trunc``, float64->float32 and int64/uint64->float32/float64 casts are an
independent IEEE 754 implementation; integer division is checked against
exact rational arithmetic (``fractions.Fraction``). NaN results are checked
against the spec's rule (4.3.3): canonical when every NaN input is
canonical, arithmetic (quiet) otherwise.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from pywasm_host.interpreter.errors import Trap, TrapCode
from pywasm_host.interpreter.exec import numeric as n
from pywasm_host.interpreter.runtime.values import f32_from_bits, f32_to_bits, f64_from_bits, f64_to_bits

N = 3000

F32_SPECIALS = [0x0000_0000, 0x8000_0000, 0x3F80_0000, 0xBF80_0000, 0x7F80_0000, 0xFF80_0000, 0x7F7F_FFFF,
                0xFF7F_FFFF, 0x0000_0001, 0x8000_0001, 0x0080_0000, 0x007F_FFFF, 0x7FC0_0000, 0xFFC0_0000,
                0x7FA0_0000, 0xFFA0_0000, 0x7F80_0001, 0x7FFF_FFFF, 0x3F00_0000, 0x4B00_0000, 0x4B7F_FFFF,
                0x4F00_0000, 0xCF00_0000, 0x5F00_0000]  # fmt: skip
F64_SPECIALS = [0, 1 << 63, 0x3FF0_0000_0000_0000, 0x7FF0_0000_0000_0000, 0xFFF0_0000_0000_0000,
                0x7FEF_FFFF_FFFF_FFFF, 1, 0x8000_0000_0000_0001, 0x0010_0000_0000_0000, 0x7FF8_0000_0000_0000,
                0xFFF8_0000_0000_0000, 0x7FF4_0000_0000_0000, 0x7FF0_0000_0000_0001, 0x4330_0000_0000_0000,
                0x3FE0_0000_0000_0000]  # fmt: skip


def f32_bits_sample(rng: np.random.Generator, size: int) -> np.ndarray:
    """Random f32 bit patterns: uniform bits, specials, and values of nearby magnitude."""
    bits = rng.integers(0, 2**32, size=size, dtype=np.uint64).astype(np.uint32)
    # a third with exponents in a narrow band so that sums and quotients interact
    exps = rng.integers(120, 135, size=size, dtype=np.uint32)
    band = (bits & np.uint32(0x807F_FFFF)) | (exps << np.uint32(23))
    bits[::3] = band[::3]
    picks = rng.integers(0, len(F32_SPECIALS), size=size)
    special = np.array(F32_SPECIALS, dtype=np.uint32)[picks]
    mask = rng.random(size) < 0.1
    bits[mask] = special[mask]
    return bits


def f64_bits_sample(rng: np.random.Generator, size: int) -> np.ndarray:
    bits = rng.integers(0, 2**64, size=size, dtype=np.uint64)
    exps = rng.integers(1000, 1050, size=size, dtype=np.uint64)
    band = (bits & np.uint64(0x800F_FFFF_FFFF_FFFF)) | (exps << np.uint64(52))
    bits[::3] = band[::3]
    picks = rng.integers(0, len(F64_SPECIALS), size=size)
    special = np.array(F64_SPECIALS, dtype=np.uint64)[picks]
    mask = rng.random(size) < 0.1
    bits[mask] = special[mask]
    return bits


def check_nan_rule(got_bits: int, input_bits: list[int], width: int) -> None:
    if width == 32:
        exp, quiet, canon, absmask = 0x7F80_0000, 0x40_0000, 0x7FC0_0000, 0x7FFF_FFFF
    else:
        exp, quiet, canon, absmask = 0x7FF0_0000_0000_0000, 1 << 51, 0x7FF8_0000_0000_0000, (1 << 63) - 1
    nan_inputs = [b for b in input_bits if (b & exp) == exp and b & (quiet - 1 | quiet)]
    assert (got_bits & exp) == exp and got_bits & quiet, f"{got_bits:#x} is not an arithmetic NaN"
    if all((b & absmask) == canon for b in nan_inputs):
        assert (got_bits & absmask) == canon, f"{got_bits:#x} should be canonical for inputs {input_bits}"


BINARY32 = [(n.fadd32, np.add), (n.fsub32, np.subtract), (n.fmul32, np.multiply), (n.fdiv32, np.divide)]


@pytest.mark.parametrize(("fn", "ufunc"), BINARY32, ids=["add", "sub", "mul", "div"])
def test_f32_binary_against_numpy(fn, ufunc) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(hash(ufunc.__name__) & 0xFFFF)
    a_bits, b_bits = f32_bits_sample(rng, N), f32_bits_sample(rng, N)
    with np.errstate(all="ignore"):
        expected = ufunc(a_bits.view(np.float32), b_bits.view(np.float32)).view(np.uint32)
    for a, b, e in zip(a_bits.tolist(), b_bits.tolist(), expected.tolist()):
        got = f32_to_bits(fn(f32_from_bits(a), f32_from_bits(b)))
        if (e & 0x7F80_0000) == 0x7F80_0000 and e & 0x7F_FFFF:
            check_nan_rule(got, [a, b], 32)
        else:
            assert got == e, f"{fn.__name__}({a:#x}, {b:#x}) = {got:#x}, numpy {e:#x}"


BINARY64 = [(n.fadd64, np.add), (n.fsub64, np.subtract), (n.fmul64, np.multiply), (n.fdiv64, np.divide)]


@pytest.mark.parametrize(("fn", "ufunc"), BINARY64, ids=["add", "sub", "mul", "div"])
def test_f64_binary_against_numpy(fn, ufunc) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(7 + (hash(ufunc.__name__) & 0xFFFF))
    a_bits, b_bits = f64_bits_sample(rng, N), f64_bits_sample(rng, N)
    with np.errstate(all="ignore"):
        expected = ufunc(a_bits.view(np.float64), b_bits.view(np.float64)).view(np.uint64)
    for a, b, e in zip(a_bits.tolist(), b_bits.tolist(), expected.tolist()):
        got = f64_to_bits(fn(f64_from_bits(a), f64_from_bits(b)))
        if (e & 0x7FF0_0000_0000_0000) == 0x7FF0_0000_0000_0000 and e & ((1 << 52) - 1):
            check_nan_rule(got, [a, b], 64)
        else:
            assert got == e, f"{fn.__name__}({a:#x}, {b:#x}) = {got:#x}, numpy {e:#x}"


UNARY = [
    (n.fsqrt32, np.sqrt, 32), (n.fsqrt64, np.sqrt, 64),
    (n.fnearest, np.rint, 32), (n.fnearest, np.rint, 64),
    (n.fceil, np.ceil, 32), (n.fceil, np.ceil, 64),
    (n.ffloor, np.floor, 32), (n.ffloor, np.floor, 64),
    (n.ftrunc, np.trunc, 32), (n.ftrunc, np.trunc, 64),
    (n.fabs, np.abs, 32), (n.fneg, np.negative, 64),
]  # fmt: skip


@pytest.mark.parametrize(("fn", "ufunc", "width"), UNARY, ids=[f"{u.__name__}{w}" for _, u, w in UNARY])
def test_unary_against_numpy(fn, ufunc, width: int) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(width)
    if width == 32:
        bits = f32_bits_sample(rng, N)
        # many values near integers / halves for the rounding functions
        halves = (rng.integers(-(2**24), 2**24, size=N) / 2).astype(np.float32).view(np.uint32)
        bits[1::3] = halves[1::3]
        from_bits, to_bits, ftype, utype = f32_from_bits, f32_to_bits, np.float32, np.uint32
        exp, frac = 0x7F80_0000, 0x7F_FFFF
    else:
        bits = f64_bits_sample(rng, N)
        halves = (rng.integers(-(2**53), 2**53, size=N, dtype=np.int64) / 2).view(np.uint64)
        bits[1::3] = halves[1::3]
        from_bits, to_bits, ftype, utype = f64_from_bits, f64_to_bits, np.float64, np.uint64
        exp, frac = 0x7FF0_0000_0000_0000, (1 << 52) - 1
    with np.errstate(all="ignore"):
        expected = ufunc(bits.view(ftype)).astype(ftype).view(utype)
    for b, e in zip(bits.tolist(), expected.tolist()):
        got = to_bits(fn(from_bits(b)))
        if (e & exp) == exp and e & frac and fn not in (n.fabs, n.fneg):
            check_nan_rule(got, [b], width)
        else:
            assert got == e, f"{fn.__name__}({b:#x}) = {got:#x}, numpy {e:#x}"


def test_fmin_fmax_against_numpy() -> None:
    rng = np.random.default_rng(99)
    for width in (32, 64):
        if width == 32:
            a_bits, b_bits = f32_bits_sample(rng, N), f32_bits_sample(rng, N)
            from_bits, to_bits, ftype, utype = f32_from_bits, f32_to_bits, np.float32, np.uint32
        else:
            a_bits, b_bits = f64_bits_sample(rng, N), f64_bits_sample(rng, N)
            from_bits, to_bits, ftype, utype = f64_from_bits, f64_to_bits, np.float64, np.uint64
        b_bits[::5] = a_bits[::5]  # equal operands
        fa, fb = a_bits.view(ftype), b_bits.view(ftype)
        lo = np.minimum(fa, fb).view(utype).tolist()
        hi = np.maximum(fa, fb).view(utype).tolist()
        for a, b, e_lo, e_hi in zip(a_bits.tolist(), b_bits.tolist(), lo, hi):
            x, y = from_bits(a), from_bits(b)
            got_lo, got_hi = to_bits(n.fmin(x, y)), to_bits(n.fmax(x, y))
            if x != x or y != y:
                check_nan_rule(got_lo, [a, b], width)
                check_nan_rule(got_hi, [a, b], width)
            elif x == y == 0.0:
                # ±0 bit patterns: min is -0 if either is, max is +0 if either is
                assert (got_lo, got_hi) == (a | b, a & b), (hex(a), hex(b))
            else:  # numpy's treatment of ±0 is unspecified, everything else is exact
                assert (got_lo, got_hi) == (e_lo, e_hi), (hex(a), hex(b))


def test_demote_against_numpy() -> None:
    rng = np.random.default_rng(5)
    bits = rng.integers(0, 2**64, size=N, dtype=np.uint64)
    exps = rng.integers(1023 - 155, 1023 + 130, size=N, dtype=np.uint64)
    bits[::2] = (bits[::2] & np.uint64(0x800F_FFFF_FFFF_FFFF)) | (exps[::2] << np.uint64(52))
    # values exactly on and next to binary32 ties
    ties = (rng.integers(0, 2**32, size=N, dtype=np.uint64) << np.uint64(29)) | np.uint64(1 << 28)
    ties = (ties & np.uint64(0x800F_FFFF_FFFF_FFFF)) | (exps << np.uint64(52))
    bits[1::4] = ties[1::4]
    bits[3::8] = ties[3::8] + np.uint64(1)
    with np.errstate(all="ignore"):
        expected = bits.view(np.float64).astype(np.float32).view(np.uint32)
    for b, e in zip(bits.tolist(), expected.tolist()):
        got = f32_to_bits(n.f32_demote_f64(f64_from_bits(b)))
        if (b & 0x7FF0_0000_0000_0000) == 0x7FF0_0000_0000_0000 and b & ((1 << 52) - 1):
            assert (got & 0x7FC0_0000) == 0x7FC0_0000, f"demote({b:#x}) = {got:#x} is not arithmetic"
            if b & ((1 << 63) - 1) == 0x7FF8_0000_0000_0000:
                assert got & 0x7FFF_FFFF == 0x7FC0_0000, f"demote({b:#x}) = {got:#x} is not canonical"
        else:
            assert got == e, f"demote({b:#x}) = {got:#x}, numpy {e:#x}"


def test_convert_i64_to_f32_against_numpy() -> None:
    rng = np.random.default_rng(11)
    vals = rng.integers(0, 2**64, size=N, dtype=np.uint64)
    # shorten some so that every magnitude is covered, and put some near binary32 ties
    shifts = rng.integers(0, 64, size=N, dtype=np.uint64)
    vals[::2] = vals[::2] >> shifts[::2]
    for i in range(1, N, 4):
        m = int(vals[i]) | (1 << 63)
        k = m.bit_length() - 24
        vals[i] = np.uint64(((m >> k) << k) | (1 << (k - 1)) | int(rng.integers(0, 2)))  # tie or just above
        vals[i] = vals[i] >> np.uint64(int(shifts[i]) % 30)
    signed = vals.view(np.int64)
    exp_s = signed.astype(np.float32).view(np.uint32).tolist()
    exp_u = vals.astype(np.float32).view(np.uint32).tolist()
    exp_s64 = signed.astype(np.float64).view(np.uint64).tolist()
    exp_u64 = vals.astype(np.float64).view(np.uint64).tolist()
    for v, es, eu, es64, eu64 in zip(vals.tolist(), exp_s, exp_u, exp_s64, exp_u64):
        assert f32_to_bits(n.f32_convert_i64_s(v)) == es, hex(v)
        assert f32_to_bits(n.f32_convert_i64_u(v)) == eu, hex(v)
        assert f64_to_bits(n.f64_convert_i64_s(v)) == es64, hex(v)
        assert f64_to_bits(n.f64_convert_i64_u(v)) == eu64, hex(v)
        lo = v & 0xFFFF_FFFF
        assert f32_to_bits(n.f32_convert_i32_s(lo)) == int(
            np.array([lo], np.uint32).view(np.int32).astype(np.float32).view(np.uint32)[0]
        )
        assert f32_to_bits(n.f32_convert_i32_u(lo)) == int(
            np.array([lo], np.uint32).astype(np.float32).view(np.uint32)[0]
        )


@pytest.mark.parametrize("width", [32, 64])
def test_integer_division_against_fractions(width: int) -> None:
    rng = np.random.default_rng(width)
    mask, half = (1 << width) - 1, 1 << (width - 1)
    div_s, rem_s = (n.idiv_s32, n.irem_s32) if width == 32 else (n.idiv_s64, n.irem_s64)
    div_u, rem_u = (n.idiv_u32, n.irem_u32) if width == 32 else (n.idiv_u64, n.irem_u64)
    a_all = rng.integers(0, 2**64, size=N, dtype=np.uint64).tolist()
    b_all = rng.integers(0, 2**64, size=N, dtype=np.uint64).tolist()
    shifts = rng.integers(0, width, size=N).tolist()
    for a, b, k in zip(a_all, b_all, shifts):
        a &= mask
        b = (b & mask) >> k  # small divisors too
        if rng.random() < 0.5:
            b = (-b) & mask
        sa, sb = a - ((a & half) << 1), b - ((b & half) << 1)
        if b == 0:
            with pytest.raises(Trap) as info:
                div_s(a, b)
            assert info.value.code is TrapCode.INTEGER_DIVIDE_BY_ZERO
            continue
        q = int(Fraction(sa, sb))  # truncates toward zero
        if q == half:
            with pytest.raises(Trap) as info:
                div_s(a, b)
            assert info.value.code is TrapCode.INTEGER_OVERFLOW
        else:
            assert div_s(a, b) == q & mask
        assert rem_s(a, b) == (sa - q * sb) & mask
        assert div_u(a, b) == int(Fraction(a, b))
        assert rem_u(a, b) == a - int(Fraction(a, b)) * b


@pytest.mark.parametrize(
    ("fn", "lo", "hi", "width"),
    [
        (n.i32_trunc_f32_s, -(2**31), 2**31 - 1, 32), (n.i32_trunc_f64_s, -(2**31), 2**31 - 1, 64),
        (n.i32_trunc_f32_u, 0, 2**32 - 1, 32), (n.i32_trunc_f64_u, 0, 2**32 - 1, 64),
        (n.i64_trunc_f32_s, -(2**63), 2**63 - 1, 32), (n.i64_trunc_f64_s, -(2**63), 2**63 - 1, 64),
        (n.i64_trunc_f32_u, 0, 2**64 - 1, 32), (n.i64_trunc_f64_u, 0, 2**64 - 1, 64),
    ],
)  # fmt: skip
def test_trunc_against_exact_definition(fn, lo: int, hi: int, width: int) -> None:  # type: ignore[no-untyped-def]
    """trunc traps unless the exact truncation lies in [lo, hi]; trunc_sat clamps."""
    sat = getattr(n, fn.__name__.replace("trunc_", "trunc_sat_"))
    rng = np.random.default_rng(hi & 0xFFFF)
    # values around the bounds (every float within a few ulps) and random ones
    bound_floats = []
    for bound in (lo, hi + 1, lo - 1, hi):
        x = np.float32(bound) if width == 32 else np.float64(bound)
        for _ in range(4):
            bound_floats.append(float(x))
            x = np.nextafter(x, type(x)(np.inf))
        x = np.float32(bound) if width == 32 else np.float64(bound)
        for _ in range(4):
            x = np.nextafter(x, type(x)(-np.inf))
            bound_floats.append(float(x))
    sample = f32_bits_sample(rng, N) if width == 32 else f64_bits_sample(rng, N)
    from_bits = f32_from_bits if width == 32 else f64_from_bits
    values = bound_floats + [from_bits(b) for b in sample.tolist()] + [-0.5, -0.9, 0.9, -0.0]
    mask = (1 << (32 if hi < 2**32 else 64)) - 1
    for x in values:
        if x != x:
            with pytest.raises(Trap) as info:
                fn(x)
            assert info.value.code is TrapCode.INVALID_CONVERSION_TO_INTEGER
            assert sat(x) == 0
            continue
        if x in (float("inf"), float("-inf")):
            t = lo - 1 if x < 0 else hi + 1
        else:
            t = int(Fraction(x))  # exact truncation toward zero
        if lo <= t <= hi:
            assert fn(x) == t & mask, x
            assert sat(x) == t & mask, x
        else:
            with pytest.raises(Trap) as info:
                fn(x)
            assert info.value.code is TrapCode.INTEGER_OVERFLOW, x
            assert sat(x) == (lo if t < lo else hi) & mask, x
