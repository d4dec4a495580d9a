"""Tests for the value representation (runtime/values.py, spec 4.2.1 / 4.3).

Expected values come from hand calculation of IEEE 754 bit patterns and from
numpy's float32/float64 (an independent IEEE implementation).
"""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from pywasm_host.interpreter.runtime.values import (
    MASK32,
    MASK64,
    f32_from_bits,
    f32_round,
    f32_to_bits,
    f64_from_bits,
    f64_to_bits,
    signed32,
    signed64,
)


def test_masks() -> None:
    assert MASK32 == 2**32 - 1
    assert MASK64 == 2**64 - 1


@pytest.mark.parametrize(
    ("v", "s"),
    [(0, 0), (1, 1), (0x7FFF_FFFF, 2**31 - 1), (0x8000_0000, -(2**31)), (0xFFFF_FFFF, -1), (0xFFFF_FFFE, -2)],
)
def test_signed32(v: int, s: int) -> None:
    assert signed32(v) == s


@pytest.mark.parametrize(
    ("v", "s"),
    [(0, 0), (2**63 - 1, 2**63 - 1), (2**63, -(2**63)), (2**64 - 1, -1), (0xFFFF_FFFF, 0xFFFF_FFFF)],
)
def test_signed64(v: int, s: int) -> None:
    assert signed64(v) == s


# --- f64 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bits", "value"),
    [
        (0x0000_0000_0000_0000, 0.0),
        (0x3FF0_0000_0000_0000, 1.0),
        (0xC000_0000_0000_0000, -2.0),
        (0x7FF0_0000_0000_0000, math.inf),
        (0xFFF0_0000_0000_0000, -math.inf),
        (0x0000_0000_0000_0001, 5e-324),
        (0x7FEF_FFFF_FFFF_FFFF, 1.7976931348623157e308),
    ],
)
def test_f64_bits_values(bits: int, value: float) -> None:
    assert f64_from_bits(bits) == value
    assert f64_to_bits(value) == bits


def test_f64_negative_zero() -> None:
    assert f64_to_bits(-0.0) == 0x8000_0000_0000_0000
    assert math.copysign(1.0, f64_from_bits(0x8000_0000_0000_0000)) == -1.0


@pytest.mark.parametrize(
    "bits",
    [0x7FF8_0000_0000_0000, 0xFFF8_0000_0000_0000, 0x7FF4_0000_0000_0000, 0xFFF4_0000_0000_0000,
     0x7FF0_0000_0000_0001, 0x7FFF_FFFF_FFFF_FFFF, 0xFFF0_0000_0000_0001, 0x7FF8_0000_0000_0001],
)  # fmt: skip
def test_f64_nan_payloads_survive(bits: int) -> None:
    x = f64_from_bits(bits)
    assert x != x
    assert f64_to_bits(x) == bits
    assert f64_to_bits(-x) == bits ^ (1 << 63)
    assert f64_to_bits(abs(x)) == bits & ~(1 << 63)
    assert f64_to_bits(math.copysign(x, -1.0)) == bits | (1 << 63)
    assert f64_to_bits(math.copysign(x, 1.0)) == bits & ~(1 << 63)


# --- f32 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bits", "value"),
    [
        (0x0000_0000, 0.0),
        (0x3F80_0000, 1.0),
        (0xC000_0000, -2.0),
        (0x3FC0_0000, 1.5),
        (0x7F80_0000, math.inf),
        (0xFF80_0000, -math.inf),
        (0x0000_0001, 2.0**-149),  # smallest subnormal
        (0x0080_0000, 2.0**-126),  # smallest normal
        (0x7F7F_FFFF, (2 - 2.0**-23) * 2.0**127),  # largest finite
        (0x3DCC_CCCD, float(np.float32(0.1))),
    ],
)
def test_f32_bits_values(bits: int, value: float) -> None:
    assert f32_from_bits(bits) == value
    assert f32_to_bits(value) == bits


def test_f32_negative_zero() -> None:
    assert f32_to_bits(-0.0) == 0x8000_0000
    assert math.copysign(1.0, f32_from_bits(0x8000_0000)) == -1.0


F32_NANS = [0x7FC0_0000, 0xFFC0_0000, 0x7FA0_0000, 0xFFA0_0000, 0x7F80_0001, 0xFF80_0001,
            0x7FFF_FFFF, 0xFFFF_FFFF, 0x7FC0_0001, 0x7F80_0200, 0x7FBF_FFFF]  # fmt: skip


@pytest.mark.parametrize("bits", F32_NANS)
def test_f32_nan_payloads_survive(bits: int) -> None:
    x = f32_from_bits(bits)
    assert x != x
    # The documented carrier: same sign, same quiet bit, payload << 29.
    expected64 = ((bits & 0x8000_0000) << 32) | 0x7FF0_0000_0000_0000 | ((bits & 0x7F_FFFF) << 29)
    assert f64_to_bits(x) == expected64
    assert f32_to_bits(x) == bits
    assert f32_to_bits(-x) == bits ^ 0x8000_0000
    assert f32_to_bits(abs(x)) == bits & 0x7FFF_FFFF
    assert f32_to_bits(math.copysign(x, -1.0)) == bits | 0x8000_0000
    assert f32_to_bits(math.copysign(1.0, x)) == (0xBF80_0000 if bits >> 31 else 0x3F80_0000)


def test_f32_to_bits_of_nan_with_low_payload_only_is_a_nan() -> None:
    # 0x7ff0000000000001 has no bits in the f32 part of the payload; it must not become inf.
    assert f32_to_bits(f64_from_bits(0x7FF0_0000_0000_0001)) == 0x7FC0_0000


def test_f32_bits_random_round_trip() -> None:
    rng = random.Random(1234)
    for _ in range(3000):
        bits = rng.getrandbits(32)
        x = f32_from_bits(bits)
        assert f32_to_bits(x) == bits
        if x == x:
            assert x == float(np.array([bits], dtype=np.uint32).view(np.float32)[0])


# --- f32_round -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "bits"),
    [
        (1.0, 0x3F80_0000),
        (0.1, 0x3DCC_CCCD),
        (1.0 + 2.0**-24, 0x3F80_0000),  # tie: to even (down)
        (1.0 + 3 * 2.0**-24, 0x3F80_0002),  # tie: to even (up)
        (1.0 + 2.0**-24 + 2.0**-52, 0x3F80_0001),  # just above the tie
        (float.fromhex("0x1.fffffefffffffp127"), 0x7F7F_FFFF),  # just below the overflow threshold
        (float.fromhex("0x1.fffffep127"), 0x7F7F_FFFF),
        (float.fromhex("0x1.ffffffp127"), 0x7F80_0000),  # halfway to 2**128: ties to even = inf
        (float.fromhex("-0x1.ffffffp127"), 0xFF80_0000),
        (1e300, 0x7F80_0000),
        (-1e300, 0xFF80_0000),
        (math.inf, 0x7F80_0000),
        (-math.inf, 0xFF80_0000),
        (2.0**-150, 0x0000_0000),  # half the smallest subnormal: ties to even = 0
        (float.fromhex("0x1.0000000000001p-150"), 0x0000_0001),
        (3 * 2.0**-150, 0x0000_0002),  # 1.5 subnormal ulps: ties to even = 2
        (-(2.0**-150), 0x8000_0000),
        (1e-300, 0x0000_0000),
        (-0.0, 0x8000_0000),
    ],
)
def test_f32_round_cases(x: float, bits: int) -> None:
    assert f32_to_bits(f32_round(x)) == bits


@pytest.mark.parametrize(
    ("bits64", "bits32"),
    [
        (0x7FF8_0000_0000_0000, 0x7FC0_0000),  # canonical stays canonical
        (0xFFF8_0000_0000_0000, 0xFFC0_0000),
        (0x7FF4_0000_0000_0000, 0x7FE0_0000),  # signalling: quieted, payload kept
        (0x7FF0_0000_0000_0001, 0x7FC0_0000),  # payload does not fit: quiet NaN
        (0x7FFF_FFFF_FFFF_FFFF, 0x7FFF_FFFF),
        (0xFFF0_0000_2000_0000, 0xFFC0_0001),
    ],
)
def test_f32_round_nan(bits64: int, bits32: int) -> None:
    y = f32_round(f64_from_bits(bits64))
    assert f32_to_bits(y) == bits32
    # The result is in the f32 representation: low 29 payload bits clear.
    assert f64_to_bits(y) & ((1 << 29) - 1) == 0


def test_f32_round_random_against_numpy() -> None:
    rng = np.random.default_rng(42)
    bits = rng.integers(0, 2**64, size=4000, dtype=np.uint64)
    # Bias toward the f32 range: half the samples get an exponent near it.
    exps = rng.integers(1023 - 160, 1023 + 130, size=4000, dtype=np.uint64)
    bits[::2] = (bits[::2] & np.uint64(0x800F_FFFF_FFFF_FFFF)) | (exps[::2] << np.uint64(52))
    values = bits.view(np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        expected = values.astype(np.float32)
    for v, e in zip(values.tolist(), expected.view(np.uint32).tolist()):
        got = f32_to_bits(f32_round(v))
        if v != v:
            assert (got & 0x7FC0_0000) == 0x7FC0_0000
        else:
            assert got == e, (v.hex(), hex(got), hex(e))
