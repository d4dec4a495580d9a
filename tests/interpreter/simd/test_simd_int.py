"""Integer, bitwise and lane vector handlers (spec 4.4.3 "Vector Instructions")
against numpy.

Every handler of :mod:`ops_simd_int` is run directly on registers with
random and edge-case operands; the expected value is computed lane by lane
with numpy arrays of the lane type (wrapping arithmetic of fixed-width
dtypes, ``clip`` for saturation), independently of our lane helpers.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from pywasm_host.interpreter.binary.opcodes import Opcode as O
from pywasm_host.interpreter.exec import ops_simd_int as I
from pywasm_host.interpreter.runtime.values import f32_from_bits, f64_from_bits

DT = {8: ("<i1", "<u1"), 16: ("<i2", "<u2"), 32: ("<i4", "<u4"), 64: ("<i8", "<u8")}
SHAPES = {"i8x16": 8, "i16x8": 16, "i32x4": 32, "i64x2": 64}


def lanes(v: int, w: int, signed: bool) -> np.ndarray:
    return np.frombuffer(v.to_bytes(16, "little"), dtype=DT[w][0 if signed else 1]).astype(object)


def join(values: Any, w: int) -> int:
    return int.from_bytes(np.array([int(x) % (1 << w) for x in values], dtype=DT[w][1]).tobytes(), "little")


def _edge_vectors() -> list[int]:
    rng = random.Random(7)
    out = [0, (1 << 128) - 1]
    for w in (8, 16, 32, 64):
        for lane in (0, 1, (1 << (w - 1)) - 1, 1 << (w - 1), (1 << w) - 1, (1 << (w - 1)) + 1):
            out.append(join([lane] * (128 // w), w))
        edges = (0, 1, 2, (1 << w) - 1, (1 << w) - 2, 1 << (w - 1), (1 << (w - 1)) - 1, (1 << (w - 1)) + 1)
        for _ in range(6):
            out.append(join([rng.choice(edges) for _ in range(128 // w)], w))
    out.extend(rng.getrandbits(128) for _ in range(24))
    return out


VECTORS = _edge_vectors()
PAIRS = [(a, b) for a in VECTORS[::3] for b in VECTORS[1::4]]


def run_unary(op: O, x: Any) -> Any:
    R = [x, None]
    assert I.UNARY_FACTORIES[op](0, 1, 99)(R) == 99
    return R[1]


def run_binary(op: O, x: Any, y: Any) -> Any:
    R = [x, y, None]
    assert I.BINARY_FACTORIES[op](0, 1, 2, 99)(R) == 99
    return R[2]


def _sat(values: Any, w: int, signed: bool) -> list[int]:
    lo, hi = (-(1 << (w - 1)), (1 << (w - 1)) - 1) if signed else (0, (1 << w) - 1)
    return [min(max(int(v), lo), hi) for v in values]


def _binary_oracles() -> dict[str, Callable[[int, int], int]]:
    table: dict[str, Callable[[int, int], int]] = {}
    for shape, w in SHAPES.items():
        def s(v: int, w: int = w) -> np.ndarray:
            return lanes(v, w, True)

        def u(v: int, w: int = w) -> np.ndarray:
            return lanes(v, w, False)

        def j(vals: Any, w: int = w) -> int:
            return join(vals, w)

        def cmp(f: Callable[[Any, Any], Any], split: Callable[[int], np.ndarray], j: Callable[..., int] = j) -> Callable[[int, int], int]:
            return lambda a, b: j([-1 if f(p, q) else 0 for p, q in zip(split(a), split(b))])

        table[f"{shape}.add"] = lambda a, b, u=u, j=j: j(u(a) + u(b))
        table[f"{shape}.sub"] = lambda a, b, u=u, j=j: j(u(a) - u(b))
        table[f"{shape}.mul"] = lambda a, b, u=u, j=j: j(u(a) * u(b))
        table[f"{shape}.eq"] = cmp(lambda p, q: p == q, u)
        table[f"{shape}.ne"] = cmp(lambda p, q: p != q, u)
        for name, f in (("lt", lambda p, q: p < q), ("gt", lambda p, q: p > q),
                        ("le", lambda p, q: p <= q), ("ge", lambda p, q: p >= q)):
            table[f"{shape}.{name}_s"] = cmp(f, s)
            table[f"{shape}.{name}_u"] = cmp(f, u)
        table[f"{shape}.min_s"] = lambda a, b, s=s, j=j: j(np.minimum(s(a), s(b)))
        table[f"{shape}.min_u"] = lambda a, b, u=u, j=j: j(np.minimum(u(a), u(b)))
        table[f"{shape}.max_s"] = lambda a, b, s=s, j=j: j(np.maximum(s(a), s(b)))
        table[f"{shape}.max_u"] = lambda a, b, u=u, j=j: j(np.maximum(u(a), u(b)))
        table[f"{shape}.avgr_u"] = lambda a, b, u=u, j=j: j((u(a) + u(b) + 1) // 2)
        table[f"{shape}.add_sat_s"] = lambda a, b, s=s, j=j, w=w: j(_sat(s(a) + s(b), w, True))
        table[f"{shape}.sub_sat_s"] = lambda a, b, s=s, j=j, w=w: j(_sat(s(a) - s(b), w, True))
        table[f"{shape}.add_sat_u"] = lambda a, b, u=u, j=j, w=w: j(_sat(u(a) + u(b), w, False))
        table[f"{shape}.sub_sat_u"] = lambda a, b, u=u, j=j, w=w: j(_sat(u(a) - u(b), w, False))
    table["i16x8.q15mulr_sat_s"] = lambda a, b: join(
        _sat([(p * q + 0x4000) >> 15 for p, q in zip(lanes(a, 16, True), lanes(b, 16, True))], 16, True), 16)
    table["i32x4.dot_i16x8_s"] = lambda a, b: join(
        (lanes(a, 16, True) * lanes(b, 16, True)).reshape(4, 2).sum(axis=1), 32)
    table["i8x16.narrow_i16x8_s"] = lambda a, b: join(_sat(np.concatenate([lanes(a, 16, True), lanes(b, 16, True)]), 8, True), 8)
    table["i8x16.narrow_i16x8_u"] = lambda a, b: join(_sat(np.concatenate([lanes(a, 16, True), lanes(b, 16, True)]), 8, False), 8)
    table["i16x8.narrow_i32x4_s"] = lambda a, b: join(_sat(np.concatenate([lanes(a, 32, True), lanes(b, 32, True)]), 16, True), 16)
    table["i16x8.narrow_i32x4_u"] = lambda a, b: join(_sat(np.concatenate([lanes(a, 32, True), lanes(b, 32, True)]), 16, False), 16)
    for dst, n in (("i16x8", 8), ("i32x4", 16), ("i64x2", 32)):
        src = {8: "i8x16", 16: "i16x8", 32: "i32x4"}[n]
        half = 128 // n // 2
        for part, sl in (("low", slice(0, half)), ("high", slice(half, None))):
            for sign in ("s", "u"):
                table[f"{dst}.extmul_{part}_{src}_{sign}"] = (
                    lambda a, b, n=n, sl=sl, sg=sign == "s": join(lanes(a, n, sg)[sl] * lanes(b, n, sg)[sl], 2 * n))
    table["v128.and"] = lambda a, b: a & b
    table["v128.or"] = lambda a, b: a | b
    table["v128.xor"] = lambda a, b: a ^ b
    table["v128.andnot"] = lambda a, b: a & (((1 << 128) - 1) ^ b)

    def swizzle(a: int, b: int) -> int:
        src = np.frombuffer(a.to_bytes(16, "little"), dtype=np.uint8)
        idx = np.frombuffer(b.to_bytes(16, "little"), dtype=np.uint8)
        return int.from_bytes(np.where(idx < 16, src[np.minimum(idx, 15)], 0).astype(np.uint8).tobytes(), "little")

    table["i8x16.swizzle"] = swizzle
    return table


BINARY_ORACLES = _binary_oracles()


def test_every_integer_binary_handler_has_an_oracle() -> None:
    ours = {op.mnemonic for op in I.BINARY_FACTORIES} - {n for n in (f"{s}.{x}" for s in SHAPES for x in ("shl", "shr_s", "shr_u"))}
    assert ours <= set(BINARY_ORACLES), sorted(ours - set(BINARY_ORACLES))


@pytest.mark.parametrize("mnemonic", sorted(n for n in BINARY_ORACLES if O.__members__.get(n.upper().replace(".", "_"))))
def test_binary(mnemonic: str) -> None:
    op = O[mnemonic.upper().replace(".", "_")]
    oracle = BINARY_ORACLES[mnemonic]
    for a, b in PAIRS:
        assert run_binary(op, a, b) == oracle(a, b), (mnemonic, hex(a), hex(b))


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_shifts_take_the_count_modulo_the_lane_width(shape: str) -> None:
    w = SHAPES[shape]
    for k in (0, 1, w - 1, w, w + 3, 0xFFFF_FFFF, 0x8000_0001):
        kk = k % w
        for a in VECTORS:
            assert run_binary(O[f"{shape.upper()}_SHL"], a, k) == join(lanes(a, w, False) * (1 << kk), w)
            assert run_binary(O[f"{shape.upper()}_SHR_U"], a, k) == join(lanes(a, w, False) // (1 << kk), w)
            assert run_binary(O[f"{shape.upper()}_SHR_S"], a, k) == join(lanes(a, w, True) // (1 << kk), w)


def _unary_oracles() -> dict[str, Callable[[int], Any]]:
    table: dict[str, Callable[[int], Any]] = {}
    for shape, w in SHAPES.items():
        table[f"{shape}.abs"] = lambda a, w=w: join(np.abs(lanes(a, w, True)), w)
        table[f"{shape}.neg"] = lambda a, w=w: join(-lanes(a, w, True), w)
        table[f"{shape}.all_true"] = lambda a, w=w: int(bool(np.all(lanes(a, w, False) != 0)))
        table[f"{shape}.bitmask"] = lambda a, w=w: sum(1 << i for i, p in enumerate(lanes(a, w, True)) if p < 0)
    table["i8x16.popcnt"] = lambda a: join(np.unpackbits(np.frombuffer(a.to_bytes(16, "little"), np.uint8).reshape(16, 1), axis=1).sum(axis=1), 8)
    table["v128.not"] = lambda a: ((1 << 128) - 1) ^ a
    table["v128.any_true"] = lambda a: int(a != 0)
    for dst, n in (("i16x8", 8), ("i32x4", 16), ("i64x2", 32)):
        src = {8: "i8x16", 16: "i16x8", 32: "i32x4"}[n]
        half = 128 // n // 2
        for part, sl in (("low", slice(0, half)), ("high", slice(half, None))):
            for sign in ("s", "u"):
                table[f"{dst}.extend_{part}_{src}_{sign}"] = lambda a, n=n, sl=sl, sg=sign == "s": join(lanes(a, n, sg)[sl], 2 * n)
    for dst, n in (("i16x8", 8), ("i32x4", 16)):
        src = {8: "i8x16", 16: "i16x8"}[n]
        for sign in ("s", "u"):
            table[f"{dst}.extadd_pairwise_{src}_{sign}"] = (
                lambda a, n=n, sg=sign == "s": join(lanes(a, n, sg).reshape(-1, 2).sum(axis=1), 2 * n))
    return table


UNARY_ORACLES = _unary_oracles()


@pytest.mark.parametrize("mnemonic", sorted(UNARY_ORACLES))
def test_unary(mnemonic: str) -> None:
    op = O[mnemonic.upper().replace(".", "_")]
    oracle = UNARY_ORACLES[mnemonic]
    for a in VECTORS:
        assert int(run_unary(op, a)) == oracle(a), (mnemonic, hex(a))


def test_splats() -> None:
    for x in (0, 1, 0x7F, 0x80, 0xFF, 0x1234, 0x8765_4321, 0xFFFF_FFFF):
        assert run_unary(O.I8X16_SPLAT, x) == join([x & 0xFF] * 16, 8)
        assert run_unary(O.I16X8_SPLAT, x) == join([x & 0xFFFF] * 8, 16)
        assert run_unary(O.I32X4_SPLAT, x) == join([x] * 4, 32)
    for x in (0, 0xFFFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0001):
        assert run_unary(O.I64X2_SPLAT, x) == join([x] * 2, 64)
    # float splats keep the bits, NaN payloads included
    for bits in (0x7FA0_0001, 0xFF80_0000, 0x3F80_0000, 0x8000_0000):
        assert run_unary(O.F32X4_SPLAT, f32_from_bits(bits)) == join([bits] * 4, 32)
    for bits in (0x7FF4_0000_0000_0001, 0xBFF0_0000_0000_0000):
        assert run_unary(O.F64X2_SPLAT, f64_from_bits(bits)) == join([bits] * 2, 64)


def test_bitselect() -> None:
    for a, b in PAIRS[:40]:
        for c in VECTORS[:10]:
            R = [a, b, c, None]
            I.TERNARY_FACTORIES[O.V128_BITSELECT](0, 1, 2, 3, 5)(R)
            expected = (np.frombuffer(a.to_bytes(16, "little"), np.uint8) & np.frombuffer(c.to_bytes(16, "little"), np.uint8)) | (
                np.frombuffer(b.to_bytes(16, "little"), np.uint8) & ~np.frombuffer(c.to_bytes(16, "little"), np.uint8))
            assert R[3] == int.from_bytes(expected.tobytes(), "little")


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_extract_and_replace_lanes(shape: str) -> None:
    w = SHAPES[shape]
    n = 128 // w
    up = shape.upper()
    for a in VECTORS[:20]:
        s, u = lanes(a, w, True), lanes(a, w, False)
        for lane in range(n):
            if w <= 16:
                R = [a, None]
                I.LANE_FACTORIES[O[f"{up}_EXTRACT_LANE_S"]](0, 1, lane, 3)(R)
                assert R[1] == int(s[lane]) % (1 << 32)  # i32 results are unsigned
                I.LANE_FACTORIES[O[f"{up}_EXTRACT_LANE_U"]](0, 1, lane, 3)(R)
                assert R[1] == u[lane]
            else:
                R = [a, None]
                I.LANE_FACTORIES[O[f"{up}_EXTRACT_LANE"]](0, 1, lane, 3)(R)
                assert R[1] == u[lane]
            new = 0xDEAD_BEEF_F00D_CAFE_1234 & ((1 << 32) - 1 if w < 64 else (1 << 64) - 1)
            R = [a, new, None]
            I.LANE_FACTORIES[O[f"{up}_REPLACE_LANE"]](0, 1, 2, lane, 3)(R)
            expected = list(u)
            expected[lane] = new % (1 << w)
            assert R[2] == join(expected, w)


def test_float_lanes_by_raw_bits() -> None:
    v = join([0x7FA0_0001, 0xFF80_0000, 0x3F80_0000, 0xFFC0_0123], 32)
    for lane, bits in enumerate((0x7FA0_0001, 0xFF80_0000, 0x3F80_0000, 0xFFC0_0123)):
        R = [v, None]
        I.LANE_FACTORIES[O.F32X4_EXTRACT_LANE](0, 1, lane, 3)(R)
        R2 = [0, R[1], None]
        I.LANE_FACTORIES[O.F32X4_REPLACE_LANE](0, 1, 2, lane, 3)(R2)
        assert R2[2] == bits << (32 * lane)
    v = join([0x7FF0_0000_0000_0001, 0x8000_0000_0000_0000], 64)
    for lane in range(2):
        R = [v, None]
        I.LANE_FACTORIES[O.F64X2_EXTRACT_LANE](0, 1, lane, 3)(R)
        R2 = [v, R[1], None]
        I.LANE_FACTORIES[O.F64X2_REPLACE_LANE](0, 1, 2, lane, 3)(R2)
        assert R2[2] == v


STRUCTURED_SHUFFLES = [
    list(range(16)), list(range(16, 32)), [16, 1, 2, 3, 17, 5, 6, 7, 18, 9, 10, 11, 19, 13, 14, 15],
    [4, 5, 6, 7] + [0] * 12, list(range(8, 16)) + list(range(16, 24)), [31] * 16, list(range(15, -1, -1)),
    [i + 1 for i in range(16)], [i + 15 for i in range(16)],
]


def test_shuffle() -> None:
    rng = random.Random(3)
    patterns = [[rng.randrange(32) for _ in range(16)] for _ in range(30)] + STRUCTURED_SHUFFLES
    for k, (a, b) in enumerate(PAIRS[: len(patterns)]):
        idx = patterns[k]
        R = [a, b, None]
        I.op_i8x16_shuffle(0, 1, 2, tuple(idx), 4)(R)
        both = np.concatenate([np.frombuffer(a.to_bytes(16, "little"), np.uint8), np.frombuffer(b.to_bytes(16, "little"), np.uint8)])
        assert R[2] == int.from_bytes(both[idx].tobytes(), "little")
