"""Handlers for the integer and bitwise vector instructions (spec 4.4.3
"Vector Instructions" over the integer operators of 4.3.2 and the lane
functions of 4.3.4 "Vector Operations").

As in :mod:`.ops_numeric`, every instruction is one Python expression over
the operands ``x`` (and ``y``, ``z``) in the value representation of
``runtime/values.py`` (a ``v128`` is an ``int`` in ``[0, 2**128)``, lane 0
in the low bits; i32/i64 operands are unsigned ints). From each expression a
handler factory ``op_<mnemonic>`` is generated once, at import, with the
calling convention of the translator: ``factory(a, [b, [c,]] d, nxt)``
returns ``handler(R)`` reading registers ``R[a]``... and writing ``R[d]``.

Bitwise operations work on the whole int. ``add``/``sub``/``neg`` of every
shape and the logical shifts are SWAR ("SIMD within a register"): the top
bit of every lane is masked off so that carries cannot cross lanes and is
then restored by an exclusive or. Everything else splits the int into lane
tuples with ``struct`` (``U8``/``S8``... = unsigned/signed lanes of
:mod:`.simd_lanes`), computes the lanes with a list comprehension and joins
them back, wrapping each lane (``J8``...). ``splat`` multiplies the lane
value by the pattern with a one in every lane. Lane-indexed instructions
(``extract_lane``, ``replace_lane``, ``i8x16.shuffle``) are hand-written
factories taking the lane immediate.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from ..binary.opcodes import Opcode as O
from ..runtime.values import f32_from_bits, f32_to_bits, f64_from_bits, f64_to_bits
from . import simd_lanes as L

__all__ = ["UNARY", "BINARY", "UNARY_FACTORIES", "BINARY_FACTORIES", "TERNARY_FACTORIES", "LANE_FACTORIES",
           "op_i8x16_shuffle"]

M128 = L.V128_MASK
M32 = 0xFFFF_FFFF
M64 = 0xFFFF_FFFF_FFFF_FFFF
_WIDTHS = {"I8X16": 8, "I16X8": 16, "I32X4": 32, "I64X2": 64}
_SPLIT = {8: ("U8", "S8"), 16: ("U16", "S16"), 32: ("U32", "S32"), 64: ("U64", "S64")}


def _high(w: int) -> int:
    """The top bit of every ``w``-bit lane."""
    return L.splat_mask(w) << (w - 1)


_POPCNT = bytes(i.bit_count() for i in range(256))


def _pairwise(t: Any) -> list[int]:
    return [t[i] + t[i + 1] for i in range(0, len(t), 2)]


def _swizzle(x: int, y: int) -> int:
    a = x.to_bytes(16, "little")
    return int.from_bytes(bytes([a[i] if i < 16 else 0 for i in y.to_bytes(16, "little")]), "little")


def _bitmask(lanes: Any) -> int:
    m = 0
    for i, p in enumerate(lanes):
        if p < 0:
            m |= 1 << i
    return m


_NAMESPACE: dict[str, Any] = {
    "M128": M128,
    "U8": L.i8x16_u, "S8": L.i8x16_s, "U16": L.i16x8_u, "S16": L.i16x8_s,
    "U32": L.i32x4_u, "S32": L.i32x4_s, "U64": L.i64x2_u, "S64": L.i64x2_s,
    "J8": L.from_i8x16, "J16": L.from_i16x8, "J32": L.from_i32x4, "J64": L.from_i64x2,
    "POPCNT": _POPCNT, "pairwise": _pairwise, "swizzle": _swizzle, "bitmask": _bitmask,
    "f32_to_bits": f32_to_bits, "f64_to_bits": f64_to_bits,
}  # fmt: skip
for _w in (8, 16, 32, 64):
    _h = _high(_w)
    _NAMESPACE[f"H{_w}"] = _h
    _NAMESPACE[f"L{_w}"] = M128 ^ _h
    _NAMESPACE[f"SPLAT{_w}"] = L.splat_mask(_w)
    # logical shifts by k: the bits that stay inside each lane
    _NAMESPACE[f"SHL{_w}"] = tuple(L.splat_mask(_w) * (((1 << _w) - 1) << k & ((1 << _w) - 1)) for k in range(_w))
    _NAMESPACE[f"SHR{_w}"] = tuple(L.splat_mask(_w) * (((1 << _w) - 1) >> k) for k in range(_w))

UNARY: dict[O, str] = {
    O.V128_NOT: "x ^ M128",
    O.V128_ANY_TRUE: "x != 0",
    O.I8X16_POPCNT: "int.from_bytes(x.to_bytes(16, 'little').translate(POPCNT), 'little')",
    O.I8X16_SPLAT: "(x & 0xFF) * SPLAT8",
    O.I16X8_SPLAT: "(x & 0xFFFF) * SPLAT16",
    O.I32X4_SPLAT: "x * SPLAT32",
    O.I64X2_SPLAT: "x * SPLAT64",
    O.F32X4_SPLAT: "f32_to_bits(x) * SPLAT32",
    O.F64X2_SPLAT: "f64_to_bits(x) * SPLAT64",
    O.I16X8_EXTADD_PAIRWISE_I8X16_S: "J16(pairwise(S8(x)))",
    O.I16X8_EXTADD_PAIRWISE_I8X16_U: "J16(pairwise(U8(x)))",
    O.I32X4_EXTADD_PAIRWISE_I16X8_S: "J32(pairwise(S16(x)))",
    O.I32X4_EXTADD_PAIRWISE_I16X8_U: "J32(pairwise(U16(x)))",
}

BINARY: dict[O, str] = {
    O.V128_AND: "x & y",
    O.V128_ANDNOT: "x & ~y",
    O.V128_OR: "x | y",
    O.V128_XOR: "x ^ y",
    O.I8X16_SWIZZLE: "swizzle(x, y)",
    O.I32X4_DOT_I16X8_S: "J32(pairwise([p * q for p, q in zip(S16(x), S16(y))]))",
    O.I16X8_Q15MULR_SAT_S: (
        "J16([32767 if (s := (p * q + 0x4000) >> 15) > 32767 else s for p, q in zip(S16(x), S16(y))])"
    ),
}

_TERNARY: dict[O, str] = {O.V128_BITSELECT: "(x & z) | (y & ~z)"}

_CMP_S = {"eq": "==", "ne": "!=", "lt_s": "<", "gt_s": ">", "le_s": "<=", "ge_s": ">="}
_CMP_U = {"lt_u": "<", "gt_u": ">", "le_u": "<=", "ge_u": ">="}


def _integer_shapes() -> None:
    for shape, w in _WIDTHS.items():
        u, s = _SPLIT[w]
        j = f"J{w}"
        lo, hi = -(1 << (w - 1)), (1 << (w - 1)) - 1
        top = (1 << w) - 1

        def put(table: dict[O, str], name: str, expr: str, shape: str = shape) -> None:
            member = O.__members__.get(f"{shape}_{name.upper()}")
            if member is not None:
                table[member] = expr

        put(BINARY, "add", f"((x & L{w}) + (y & L{w})) ^ ((x ^ y) & H{w})")
        put(BINARY, "sub", f"((x | H{w}) - (y & L{w})) ^ (~(x ^ y) & H{w})")
        put(UNARY, "neg", f"(H{w} - (x & L{w})) ^ (~x & H{w})")
        put(UNARY, "abs", f"{j}([abs(p) for p in {s}(x)])")
        put(BINARY, "mul", f"{j}([p * q for p, q in zip({u}(x), {u}(y))])")
        for name, cmp in _CMP_S.items():
            put(BINARY, name, f"{j}([-(p {cmp} q) for p, q in zip({s}(x), {s}(y))])")
        for name, cmp in _CMP_U.items():
            put(BINARY, name, f"{j}([-(p {cmp} q) for p, q in zip({u}(x), {u}(y))])")
        put(BINARY, "min_s", f"{j}([p if p < q else q for p, q in zip({s}(x), {s}(y))])")
        put(BINARY, "min_u", f"{j}([p if p < q else q for p, q in zip({u}(x), {u}(y))])")
        put(BINARY, "max_s", f"{j}([p if p > q else q for p, q in zip({s}(x), {s}(y))])")
        put(BINARY, "max_u", f"{j}([p if p > q else q for p, q in zip({u}(x), {u}(y))])")
        put(BINARY, "avgr_u", f"{j}([(p + q + 1) >> 1 for p, q in zip({u}(x), {u}(y))])")
        put(BINARY, "add_sat_s",
            f"{j}([{hi} if (s := p + q) > {hi} else {lo} if s < {lo} else s for p, q in zip({s}(x), {s}(y))])")
        put(BINARY, "sub_sat_s",
            f"{j}([{hi} if (s := p - q) > {hi} else {lo} if s < {lo} else s for p, q in zip({s}(x), {s}(y))])")
        put(BINARY, "add_sat_u", f"{j}([{top} if (s := p + q) > {top} else s for p, q in zip({u}(x), {u}(y))])")
        put(BINARY, "sub_sat_u", f"{j}([p - q if p > q else 0 for p, q in zip({u}(x), {u}(y))])")
        put(BINARY, "shl", f"(x << (y & {w - 1})) & SHL{w}[y & {w - 1}]")
        put(BINARY, "shr_u", f"(x >> (y & {w - 1})) & SHR{w}[y & {w - 1}]")
        put(BINARY, "shr_s", f"{j}([p >> (y & {w - 1}) for p in {s}(x)])")
        put(UNARY, "all_true", f"all({u}(x))")
        put(UNARY, "bitmask", f"bitmask({s}(x))")
        if w > 8:
            # extend/extmul from the half-width shape
            n = w // 2
            nu, ns = _SPLIT[n]
            half = 128 // w
            src = {8: "I8X16", 16: "I16X8", 32: "I32X4"}[n]
            for part, sl in (("low", f"[:{half}]"), ("high", f"[{half}:]")):
                for sign, split in (("s", ns), ("u", nu)):
                    put(UNARY, f"extend_{part}_{src}_{sign}", f"{j}({split}(x){sl})")
                    put(BINARY, f"extmul_{part}_{src}_{sign}",
                        f"{j}([p * q for p, q in zip({split}(x){sl}, {split}(y){sl})])")
    # narrowing: i8x16 from i16x8, i16x8 from i32x4 (signed input, saturated)
    for dst, w, src in (("I8X16", 8, "S16"), ("I16X8", 16, "S32")):
        lo, hi = -(1 << (w - 1)), (1 << (w - 1)) - 1
        top = (1 << w) - 1
        BINARY[O[f"{dst}_NARROW_{'I16X8' if w == 8 else 'I32X4'}_S"]] = (
            f"J{w}([{hi} if p > {hi} else {lo} if p < {lo} else p for p in {src}(x) + {src}(y)])"
        )
        BINARY[O[f"{dst}_NARROW_{'I16X8' if w == 8 else 'I32X4'}_U"]] = (
            f"J{w}([{top} if p > {top} else 0 if p < 0 else p for p in {src}(x) + {src}(y)])"
        )


_integer_shapes()

_UNARY_TEMPLATE = """
def op_{name}(a, d, nxt):
    def handler(R):
        x = R[a]
        R[d] = {expr}
        return nxt
    return handler
"""

_BINARY_TEMPLATE = """
def op_{name}(a, b, d, nxt):
    def handler(R):
        x = R[a]
        y = R[b]
        R[d] = {expr}
        return nxt
    return handler
"""

_TERNARY_TEMPLATE = """
def op_{name}(a, b, c, d, nxt):
    def handler(R):
        x = R[a]
        y = R[b]
        z = R[c]
        R[d] = {expr}
        return nxt
    return handler
"""


def _generate(table: dict[O, str], template: str) -> dict[O, Callable[..., Any]]:
    source = "".join(template.format(name=op.name.lower(), expr=expr) for op, expr in table.items())
    namespace = dict(_NAMESPACE)
    exec(compile(source, f"<{__name__} handlers>", "exec"), namespace)
    return {op: namespace[f"op_{op.name.lower()}"] for op in table}


UNARY_FACTORIES = _generate(UNARY, _UNARY_TEMPLATE)
BINARY_FACTORIES = _generate(BINARY, _BINARY_TEMPLATE)
TERNARY_FACTORIES = _generate(_TERNARY, _TERNARY_TEMPLATE)


# -- lane-indexed instructions ------------------------------------------------------


def _extract(w: int, convert: Callable[[int], Any] | None, signed_to: int = 0) -> Callable[..., Any]:
    mask = (1 << w) - 1
    sign = 1 << (w - 1)

    def factory(a: int, d: int, lane: int, nxt: int) -> Callable[[list[Any]], int]:
        sh = lane * w
        if convert is not None:
            def handler(R: list[Any]) -> int:
                R[d] = convert((R[a] >> sh) & mask)
                return nxt
        elif signed_to:
            def handler(R: list[Any]) -> int:
                R[d] = ((((R[a] >> sh) & mask) ^ sign) - sign) & signed_to
                return nxt
        else:
            def handler(R: list[Any]) -> int:
                R[d] = (R[a] >> sh) & mask
                return nxt
        return handler
    return factory


def _replace(w: int, convert: Callable[[Any], int] | None) -> Callable[..., Any]:
    mask = (1 << w) - 1

    def factory(a: int, b: int, d: int, lane: int, nxt: int) -> Callable[[list[Any]], int]:
        sh = lane * w
        keep = M128 ^ (mask << sh)
        if convert is not None:
            def handler(R: list[Any]) -> int:
                R[d] = (R[a] & keep) | (convert(R[b]) << sh)
                return nxt
        else:
            def handler(R: list[Any]) -> int:
                R[d] = (R[a] & keep) | ((R[b] & mask) << sh)
                return nxt
        return handler
    return factory


LANE_FACTORIES: dict[O, Callable[..., Any]] = {
    O.I8X16_EXTRACT_LANE_S: _extract(8, None, M32),
    O.I8X16_EXTRACT_LANE_U: _extract(8, None),
    O.I16X8_EXTRACT_LANE_S: _extract(16, None, M32),
    O.I16X8_EXTRACT_LANE_U: _extract(16, None),
    O.I32X4_EXTRACT_LANE: _extract(32, None),
    O.I64X2_EXTRACT_LANE: _extract(64, None),
    O.F32X4_EXTRACT_LANE: _extract(32, f32_from_bits),
    O.F64X2_EXTRACT_LANE: _extract(64, f64_from_bits),
    O.I8X16_REPLACE_LANE: _replace(8, None),
    O.I16X8_REPLACE_LANE: _replace(16, None),
    O.I32X4_REPLACE_LANE: _replace(32, None),
    O.I64X2_REPLACE_LANE: _replace(64, None),
    O.F32X4_REPLACE_LANE: _replace(32, f32_to_bits),
    O.F64X2_REPLACE_LANE: _replace(64, f64_to_bits),
}
"""Opcode -> factory; extract: ``factory(a, d, lane, nxt)``, replace:
``factory(a, b, d, lane, nxt)``."""


def op_i8x16_shuffle(a: int, b: int, d: int, lanes: tuple[int, ...], nxt: int) -> Callable[[list[Any]], int]:
    pick = itemgetter(*lanes)

    def handler(R: list[Any]) -> int:
        R[d] = int.from_bytes(bytes(pick(R[a].to_bytes(16, "little") + R[b].to_bytes(16, "little"))), "little")
        return nxt
    return handler
