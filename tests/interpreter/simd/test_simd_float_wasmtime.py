"""Differential test of the SIMD float lane operators and conversions
(``interpreter/exec/simd_float.py``, spec 4.3.3 / 4.3.4 lane-wise) against
wasmtime, an independent engine, on random and special bit patterns.

For every operator a tiny module stores ``op(v128.load 0, v128.load 16)`` at
address 32; wasmtime runs it on the same inputs as our operator. Non-NaN lanes
must agree bit for bit. NaN lanes are checked against the spec's rule (4.3.3:
the result is the canonical NaN when every NaN operand of that lane is
canonical, otherwise any arithmetic NaN), since hardware NaN payloads may
legitimately differ; ``abs``/``neg``/``pmin``/``pmax`` must match exactly,
payloads included. Needs wasmtime (the `compare` extra); skipped without it.
"""

from __future__ import annotations

import random

import pytest
from pywasm_host.interpreter.exec.simd_float import SIMD_FLOAT_OPS_BY_NAME

wasmtime = pytest.importorskip("wasmtime")

UNARY = {
    "f32x4.abs", "f32x4.neg", "f32x4.sqrt", "f32x4.ceil", "f32x4.floor", "f32x4.trunc", "f32x4.nearest",
    "f64x2.abs", "f64x2.neg", "f64x2.sqrt", "f64x2.ceil", "f64x2.floor", "f64x2.trunc", "f64x2.nearest",
    "f32x4.convert_i32x4_s", "f32x4.convert_i32x4_u", "f64x2.convert_low_i32x4_s", "f64x2.convert_low_i32x4_u",
    "i32x4.trunc_sat_f32x4_s", "i32x4.trunc_sat_f32x4_u", "i32x4.trunc_sat_f64x2_s_zero",
    "i32x4.trunc_sat_f64x2_u_zero", "f32x4.demote_f64x2_zero", "f64x2.promote_low_f32x4",
}  # fmt: skip
EXACT = {"f32x4.abs", "f32x4.neg", "f64x2.abs", "f64x2.neg", "f32x4.pmin", "f32x4.pmax", "f64x2.pmin", "f64x2.pmax"}

F32_SPECIAL = [
    0x0000_0000, 0x8000_0000, 0x3F80_0000, 0xBF80_0000, 0x7F80_0000, 0xFF80_0000,  # ±0, ±1, ±inf
    0x7FC0_0000, 0xFFC0_0000, 0x7FA0_0001, 0xFF80_0001, 0x7FC1_2345,  # canonical, signalling, payload NaNs
    0x0000_0001, 0x8000_0001, 0x007F_FFFF, 0x0080_0000, 0x7F7F_FFFF, 0xFF7F_FFFF,  # subnormals, extremes
    0x3F00_0000, 0xBF00_0000, 0x3FC0_0000, 0xC020_0000, 0x4B00_0001, 0x4EFF_FFFF, 0x4F00_0000,  # ties, 2**31
    0xCF00_0000, 0xCF00_0001, 0x4F80_0000, 0x4F7F_FFFF, 0x3EFF_FFFF,
]  # fmt: skip
F64_SPECIAL = [
    0x0, 0x8000_0000_0000_0000, 0x3FF0_0000_0000_0000, 0xBFF0_0000_0000_0000,
    0x7FF0_0000_0000_0000, 0xFFF0_0000_0000_0000, 0x7FF8_0000_0000_0000, 0xFFF8_0000_0000_0000,
    0x7FF4_0000_0000_0001, 0x7FF0_0000_0000_0001, 0xFFFC_0000_2000_0000, 0x0000_0000_0000_0001,
    0x7FEF_FFFF_FFFF_FFFF, 0x47EF_FFFF_E000_0000, 0x47EF_FFFF_F000_0000, 0x47EF_FFFF_EFFF_FFFF,  # f32 max edges
    0x36A0_0000_0000_0000, 0x3690_0000_0000_0001, 0x3FE0_0000_0000_0000, 0x4004_0000_0000_0000,
    0x41DF_FFFF_FFC0_0000, 0x41E0_0000_0000_0000, 0xC1E0_0000_0000_0000, 0xC1E0_0000_0020_0000,
    0x41EF_FFFF_FFE0_0000, 0x41F0_0000_0000_0000, 0xBFEF_FFFF_FFFF_FFFF, 0x4330_0000_0000_0001,
]  # fmt: skip
I32_SPECIAL = [0, 1, 0xFFFF_FFFF, 0x8000_0000, 0x7FFF_FFFF, 0x0100_0001, 0xFFFF_FF7F, 0x8000_0081, 16777217]

N_CASES = 120


def _module_text() -> str:
    funcs = []
    for name in SIMD_FLOAT_OPS_BY_NAME:
        operands = "(v128.load (i32.const 0))" + ("" if name in UNARY else " (v128.load (i32.const 16))")
        funcs.append(f'(func (export "{name}") (v128.store (i32.const 32) ({name} {operands})))')
    return '(module (memory (export "mem") 1)\n' + "\n".join(funcs) + ")"


@pytest.fixture(scope="module")
def oracle():
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    instance = wasmtime.Instance(store, wasmtime.Module(engine, _module_text()), [])
    exports = instance.exports(store)
    memory = exports["mem"]

    def run(name: str, a: int, b: int) -> int:
        memory.write(store, a.to_bytes(16, "little") + b.to_bytes(16, "little"), 0)
        exports[name](store)
        return int.from_bytes(memory.read(store, 32, 48), "little")

    return run


def _lanes(v: int, width: int) -> list[int]:
    mask = (1 << width) - 1
    return [(v >> (width * i)) & mask for i in range(128 // width)]


def _vector(rng: random.Random, width: int, specials: list[int]) -> int:
    v = 0
    for i in range(128 // width):
        lane = rng.choice(specials) if rng.random() < 0.6 else rng.getrandbits(width)
        if rng.random() < 0.2:
            lane ^= 1 << (width - 1)
        v |= lane << (width * i)
    return v


def _is_nan(bits: int, width: int) -> bool:
    exp_mask = 0x7F80_0000 if width == 32 else 0x7FF0_0000_0000_0000
    frac_mask = 0x7F_FFFF if width == 32 else 0xF_FFFF_FFFF_FFFF
    return bits & exp_mask == exp_mask and bits & frac_mask != 0


def _is_canonical(bits: int, width: int) -> bool:
    sign = 1 << (width - 1)
    return bits & ~sign == (0x7FC0_0000 if width == 32 else 0x7FF8_0000_0000_0000)


def _is_arithmetic(bits: int, width: int) -> bool:
    return _is_nan(bits, width) and bool(bits & (1 << (22 if width == 32 else 51)))


def _shapes(name: str) -> tuple[int, int, list[int]]:
    """(input lane width, output lane width, input specials) of an operator."""
    if name.startswith("f32x4.convert") or name.startswith("f64x2.convert"):
        return 32, (32 if name.startswith("f32x4") else 64), I32_SPECIAL
    if name.startswith("i32x4.trunc_sat_f32x4"):
        return 32, 32, F32_SPECIAL
    if name.startswith("i32x4.trunc_sat_f64x2"):
        return 64, 32, F64_SPECIAL
    if name == "f32x4.demote_f64x2_zero":
        return 64, 32, F64_SPECIAL
    if name == "f64x2.promote_low_f32x4":
        return 32, 64, F32_SPECIAL
    width = 32 if name.startswith("f32x4") else 64
    return width, width, (F32_SPECIAL if width == 32 else F64_SPECIAL)


@pytest.mark.parametrize("name", list(SIMD_FLOAT_OPS_BY_NAME))
def test_agrees_with_wasmtime(name: str, oracle) -> None:
    op = SIMD_FLOAT_OPS_BY_NAME[name]
    in_width, out_width, specials = _shapes(name)
    unary = name in UNARY
    rng = random.Random(name)
    comparison = name.split(".")[1] in ("eq", "ne", "lt", "gt", "le", "ge")
    float_out = name.split(".")[0] in ("f32x4", "f64x2") and not comparison
    for _ in range(N_CASES):
        a = _vector(rng, in_width, specials)
        b = 0 if unary else _vector(rng, in_width, specials)
        got = op(a, b) if not unary else op(a)
        want = oracle(name, a, b)
        assert 0 <= got < 1 << 128, name
        if name in EXACT or not float_out:
            assert got == want, f"{name}({a:#034x}, {b:#034x}) = {got:#034x}, wasmtime {want:#034x}"
            continue
        in_a, in_b = _lanes(a, in_width), _lanes(b, in_width)
        for i, (g, w) in enumerate(zip(_lanes(got, out_width), _lanes(want, out_width))):
            context = f"{name}({a:#034x}, {b:#034x}) lane {i}: ours {g:#x}, wasmtime {w:#x}"
            if i >= len(in_a):  # the zeroed upper half of a *_zero result
                assert g == w == 0, context
            elif _is_nan(w, out_width):
                operands = [in_a[i]] if unary else [in_a[i], in_b[i]]
                nan_inputs = [x for x in operands if _is_nan(x, in_width)]
                if all(_is_canonical(x, in_width) for x in nan_inputs):
                    assert _is_canonical(g, out_width), context
                else:
                    assert _is_arithmetic(g, out_width), context
            else:
                assert g == w, context


def test_inputs_cover_nans_and_exact_lanes(oracle) -> None:
    # The oracle itself: wasmtime keeps a signalling NaN payload through
    # f32x4.neg and flips the sign bit of every lane (zeros become -0.0).
    assert oracle("f32x4.neg", 0x7FA0_0001, 0) == 0x8000_0000_8000_0000_8000_0000_FFA0_0001
