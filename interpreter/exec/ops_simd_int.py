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

Bitwise operations work on the whole int, and so do most integer
operations, as SWAR ("SIMD within a register"): ``add``/``sub``/``neg``
mask off the top bit of every lane so that carries cannot cross lanes and
restore it by an exclusive or; comparisons compute the borrow out of each
lane of ``x - y`` and widen that top bit to a whole-lane mask (``min``,
``max`` and the saturating operations select by such masks); shifts mask the
bits that stay inside each lane; ``splat`` multiplies the lane value by the
pattern with a one in every lane. The remaining lane-wise operations
(``i16x8.mul``, extend, extmul, extadd_pairwise, narrow, dot, q15mulr) are
generated as straight-line code over lane locals unpacked with ``struct``
(:class:`_Lanes`), measured about twice as fast as a comprehension over the
lanes. Lane-indexed instructions (``extract_lane``, ``replace_lane``,
``i8x16.shuffle``) are hand-written factories taking the lane immediate.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from operator import itemgetter
from typing import Any

from ..binary.opcodes import Opcode as O
from ..runtime.values import MASK32, MASK64, f32_from_bits, f32_to_bits, f64_from_bits, f64_to_bits
from . import simd_lanes as L
from .ops_numeric import BINARY_TEMPLATE, UNARY_TEMPLATE, generate_handlers

__all__ = ["UNARY", "BINARY", "UNARY_FACTORIES", "BINARY_FACTORIES", "TERNARY_FACTORIES", "LANE_FACTORIES",
           "op_i8x16_shuffle"]

M128 = L.V128_MASK
M32 = MASK32
M64 = MASK64
_WIDTHS = {"I8X16": 8, "I16X8": 16, "I32X4": 32, "I64X2": 64}


def _high(w: int) -> int:
    """The top bit of every ``w``-bit lane."""
    return L.splat_mask(w) << (w - 1)


_POPCNT = bytes(i.bit_count() for i in range(256))


def _swizzle(x: int, y: int) -> int:
    a = x.to_bytes(16, "little")
    return int.from_bytes(bytes([a[i] if i < 16 else 0 for i in y.to_bytes(16, "little")]), "little")


_NAMESPACE: dict[str, Any] = {
    "M128": M128,
    "U8": L.i8x16_u, "S8": L.i8x16_s, "U16": L.i16x8_u, "S16": L.i16x8_s,
    "U32": L.i32x4_u, "S32": L.i32x4_s, "U64": L.i64x2_u, "S64": L.i64x2_s,
    "POPCNT": _POPCNT, "swizzle": _swizzle, "M32": M32, "M64": M64,
    "BITS": bytes.maketrans(b"\x00\x01", b"01"),
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
}
"""Whole-``int`` unary expressions over ``x``."""

BINARY: dict[O, str] = {
    O.V128_AND: "x & y",
    O.V128_ANDNOT: "x & ~y",
    O.V128_OR: "x | y",
    O.V128_XOR: "x ^ y",
    O.I8X16_SWIZZLE: "swizzle(x, y)",
    # four / two products by shifts beat splitting into lanes
    O.I32X4_MUL: " | ".join(f"((((x >> {k}) & M32) * ((y >> {k}) & M32)) & M32) << {k}" for k in (0, 32, 64, 96)),
    O.I64X2_MUL: "((x & M64) * (y & M64) & M64) | ((((x >> 64) * (y >> 64)) & M64) << 64)",
}
"""Whole-``int`` binary expressions over ``x`` and ``y``."""

_TERNARY: dict[O, str] = {O.V128_BITSELECT: "(x & z) | (y & ~z)"}


class _Lanes:
    """A lane-wise instruction, compiled to straight-line code: the operands
    are unpacked into locals ``a0, a1, ...`` (``x``, lane format ``x``) and
    ``b0, b1, ...`` (``y``, lane format ``y``; ``None`` for a unary
    instruction), and the result is ``exprs`` packed with the lane format
    ``out``. Formats: ``"s8"``, ``"u16"``... signed/unsigned lanes (packed
    values must be in range); ``"m32"``... unsigned, each value masked to the
    width first."""

    __slots__ = ("x", "y", "out", "exprs")

    def __init__(self, x: str, y: str | None, out: str, exprs: list[str]) -> None:
        self.x, self.y, self.out, self.exprs = x, y, out, exprs


LANEWISE: dict[O, _Lanes] = {}
"""Lane-wise instructions generated by :func:`_lanes_source`."""


def _sat(e: str, lo: int, hi: int) -> str:
    return f"({hi} if (t := {e}) > {hi} else {lo} if t < {lo} else t)"


def _integer_shapes() -> None:
    for shape, w in _WIDTHS.items():
        n = 128 // w
        s, u = f"s{w}", f"u{w}"
        lo, hi = -(1 << (w - 1)), (1 << (w - 1)) - 1
        top = (1 << w) - 1
        lanes = range(n)

        def put(table: dict[O, Any], name: str, value: Any, shape: str = shape) -> None:
            member = O.__members__.get(f"{shape}_{name.upper()}")
            if member is not None and member not in table:
                table[member] = value

        # SWAR: H = top bit of every lane, L = the other bits; full(bits) widens a
        # top-bit-per-lane mask to whole lanes (a 0/1 per lane times the lane maximum).
        H, L = f"H{w}", f"L{w}"

        def full(bits: str, w: int = w, top: int = top) -> str:
            return f"((({bits}) >> {w - 1}) * {top})"

        def add(p: str, q: str, H: str = H, L: str = L) -> str:
            return f"((({p} & {L}) + ({q} & {L})) ^ (({p} ^ {q}) & {H}))"

        def sub(p: str, q: str, H: str = H, L: str = L) -> str:
            return f"((({p} | {H}) - ({q} & {L})) ^ (~({p} ^ {q}) & {H}))"

        def borrow(p: str, q: str, H: str = H) -> str:
            # top bit per lane: p < q unsigned (the borrow out of p - q)
            return f"(((~{p} & {q}) | (~({p} ^ {q}) & {sub(p, q)})) & {H})"

        put(BINARY, "add", add("x", "y"))
        put(BINARY, "sub", sub("x", "y"))
        put(UNARY, "neg", f"({H} - (x & {L})) ^ (~x & {H})")
        put(BINARY, "shl", f"(x << (y & {w - 1})) & SHL{w}[y & {w - 1}]")
        put(BINARY, "shr_u", f"(x >> (y & {w - 1})) & SHR{w}[y & {w - 1}]")
        put(BINARY, "shr_s", f"((x >> (k := y & {w - 1})) & SHR{w}[k]) | ({full(f'x & {H}')} & ~SHR{w}[k] & M128)")
        put(UNARY, "all_true", f"all({u.upper()}(x))")
        sign = full(f"x & {H}")
        put(UNARY, "abs", add(f"(x ^ (m_ := {sign}))", f"(m_ & SPLAT{w})"))
        put(UNARY, "bitmask", f"int(((x >> {w - 1}) & SPLAT{w}).to_bytes(16, 'little')[::{w // 8}]"
                              f"[::-1].translate(BITS), 2)")
        if w == 16:  # i32x4/i64x2.mul are whole-int expressions
            put(LANEWISE, "mul", _Lanes(u, u, f"m{w}", [f"a{i} * b{i}" for i in lanes]))
        eq = full(f"((((z_ := x ^ y) & {L}) + {L}) | z_) & {H} ^ {H}")
        put(BINARY, "eq", eq)
        put(BINARY, "ne", f"{eq} ^ M128")
        for sign, xs, ys in (("u", "x", "y"), ("s", f"(x ^ {H})", f"(y ^ {H})")):
            lt, gt = full(borrow(xs, ys)), full(borrow(ys, xs))
            put(BINARY, f"lt_{sign}", lt)
            put(BINARY, f"gt_{sign}", gt)
            put(BINARY, f"le_{sign}", f"{gt} ^ M128")
            put(BINARY, f"ge_{sign}", f"{lt} ^ M128")
            put(BINARY, f"min_{sign}", f"y ^ ((x ^ y) & {lt})")
            put(BINARY, f"max_{sign}", f"y ^ ((x ^ y) & {gt})")
        put(BINARY, "avgr_u", f"(x | y) - (((x ^ y) >> 1) & SHR{w}[1])")
        # unsigned saturation: all ones on a carry, zero on a borrow
        put(BINARY, "add_sat_u", f"(s_ := {add('x', 'y')}) | {full(f'((x & y) | ((x | y) & ~s_)) & {H}')}")
        put(BINARY, "sub_sat_u", f"{sub('x', 'y')} & ~{full(borrow('x', 'y'))}")
        # signed saturation: lanes that overflowed take x's extreme (0x80.. if x < 0, else 0x7f..)
        extreme = f"({full(f'x & {H}')} ^ {L})"
        put(BINARY, "add_sat_s",
            f"(s_ := {add('x', 'y')}) ^ ((s_ ^ {extreme}) & {full(f'~(x ^ y) & (x ^ s_) & {H}')})")
        put(BINARY, "sub_sat_s",
            f"(s_ := {sub('x', 'y')}) ^ ((s_ ^ {extreme}) & {full(f'(x ^ y) & (x ^ s_) & {H}')})")
        if w > 8:
            # from the half-width shape: extend, extmul, extadd_pairwise
            h = w // 2
            src = {8: "I8X16", 16: "I16X8", 32: "I32X4"}[h]
            for part, base in (("low", 0), ("high", n)):
                for sign in ("s", "u"):
                    fmt = f"{sign}{h}"
                    picked = range(base, base + n)
                    put(LANEWISE, f"extend_{part}_{src}_{sign}", _Lanes(fmt, None, f"{sign}{w}", [f"a{i}" for i in picked]))
                    put(LANEWISE, f"extmul_{part}_{src}_{sign}",
                        _Lanes(fmt, fmt, f"{sign}{w}", [f"a{i} * b{i}" for i in picked]))
            if w <= 32:
                for sign in ("s", "u"):
                    put(LANEWISE, f"extadd_pairwise_{src}_{sign}",
                        _Lanes(f"{sign}{h}", None, f"{sign}{w}", [f"a{2 * i} + a{2 * i + 1}" for i in lanes]))
        if w <= 16:
            # narrow the double-width signed lanes of x then y, saturating
            d = 2 * w
            src = {8: "I16X8", 16: "I32X4"}[w]
            half = n // 2
            names = [f"a{i}" for i in range(half)] + [f"b{i}" for i in range(half)]
            put(LANEWISE, f"narrow_{src}_s", _Lanes(f"s{d}", f"s{d}", s, [_sat(v, lo, hi) for v in names]))
            put(LANEWISE, f"narrow_{src}_u", _Lanes(f"s{d}", f"s{d}", u, [_sat(v, 0, top) for v in names]))
    LANEWISE[O.I32X4_DOT_I16X8_S] = _Lanes(
        "s16", "s16", "m32", [f"a{2 * i} * b{2 * i} + a{2 * i + 1} * b{2 * i + 1}" for i in range(4)])
    LANEWISE[O.I16X8_Q15MULR_SAT_S] = _Lanes(
        "s16", "s16", "s16", [f"(32767 if (t := (a{i} * b{i} + 0x4000) >> 15) > 32767 else t)" for i in range(8)])


_integer_shapes()

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


_FORMATS = {8: "B", 16: "H", 32: "I", 64: "Q"}
for _w, _c in _FORMATS.items():
    _n = 128 // _w
    _NAMESPACE[f"X_u{_w}"] = struct.Struct(f"<{_n}{_c}").unpack
    _NAMESPACE[f"X_s{_w}"] = struct.Struct(f"<{_n}{_c.lower()}").unpack
    _NAMESPACE[f"P_u{_w}"] = _NAMESPACE[f"P_m{_w}"] = struct.Struct(f"<{_n}{_c}").pack
    _NAMESPACE[f"P_s{_w}"] = struct.Struct(f"<{_n}{_c.lower()}").pack


def _lanes_source(op: O, spec: _Lanes) -> str:
    name = op.name.lower()
    nx = 128 // int(spec.x[1:])
    lines = [f"def op_{name}(a, {'b, ' if spec.y else ''}d, nxt):", "    def handler(R):"]
    lines.append(f"        {', '.join(f'a{i}' for i in range(nx))}, = X_{spec.x}(R[a].to_bytes(16, 'little'))")
    if spec.y:
        ny = 128 // int(spec.y[1:])
        lines.append(f"        {', '.join(f'b{i}' for i in range(ny))}, = X_{spec.y}(R[b].to_bytes(16, 'little'))")
    exprs = spec.exprs
    if spec.out[0] == "m":
        mask = (1 << int(spec.out[1:])) - 1
        exprs = [f"({e}) & {mask}" for e in exprs]
    lines.append(f"        R[d] = from_bytes(P_{spec.out}({', '.join(exprs)}), 'little')")
    lines += ["        return nxt", "    return handler", ""]
    return "\n".join(lines)


def _generate_lanes(table: dict[O, _Lanes]) -> dict[O, Callable[..., Any]]:
    source = "\n".join(_lanes_source(op, spec) for op, spec in table.items())
    namespace = dict(_NAMESPACE)
    namespace["from_bytes"] = int.from_bytes
    exec(compile(source, f"<{__name__} lane handlers>", "exec"), namespace)
    return {op: namespace[f"op_{op.name.lower()}"] for op in table}


UNARY_FACTORIES = generate_handlers(UNARY, UNARY_TEMPLATE, _NAMESPACE, __name__)
BINARY_FACTORIES = generate_handlers(BINARY, BINARY_TEMPLATE, _NAMESPACE, __name__)
TERNARY_FACTORIES = generate_handlers(_TERNARY, _TERNARY_TEMPLATE, _NAMESPACE, __name__)
_LANE_FACTORIES = _generate_lanes(LANEWISE)
UNARY_FACTORIES.update({op: f for op, f in _LANE_FACTORIES.items() if LANEWISE[op].y is None})
BINARY_FACTORIES.update({op: f for op, f in _LANE_FACTORIES.items() if LANEWISE[op].y is not None})


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


_SHUFFLES: dict[tuple[int, ...], Callable[..., Any]] = {}
_PACK16 = struct.Struct("<16B").pack


def _shuffle_by_shifts(lanes: tuple[int, ...]) -> Callable[..., Any] | None:
    # Group the output bytes by (source operand, byte displacement): each group
    # is one shift and one mask of the whole int. Worth it for few groups only.
    groups: dict[tuple[str, int], int] = {}
    for out, lane in enumerate(lanes):
        src, pos = ("x", lane) if lane < 16 else ("y", lane - 16)
        key = (src, out - pos)
        groups[key] = groups.get(key, 0) | (0xFF << (8 * out))
    if len(groups) > 6:
        return None
    terms = []
    for (src, disp), mask in groups.items():
        shifted = src if disp == 0 else f"({src} << {8 * disp})" if disp > 0 else f"({src} >> {-8 * disp})"
        terms.append(f"({shifted} & {mask:#x})")
    source = BINARY_TEMPLATE.format(name="i8x16_shuffle", expr=" | ".join(terms))
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<{__name__} shuffle>", "exec"), namespace)
    factory: Callable[..., Any] = namespace["op_i8x16_shuffle"]
    return factory


def op_i8x16_shuffle(a: int, b: int, d: int, lanes: tuple[int, ...], nxt: int) -> Callable[[list[Any]], int]:
    """``i8x16.shuffle``: shifts and masks when the pattern moves bytes in a
    few groups (generated once per pattern), else a byte gather."""
    factory = _SHUFFLES.get(lanes)
    if factory is None and len(_SHUFFLES) < 4096:
        factory = _shuffle_by_shifts(lanes)
        if factory is not None:
            _SHUFFLES[lanes] = factory
    if factory is not None:
        return factory(a, b, d, nxt)  # type: ignore[no-any-return]
    pick = itemgetter(*lanes)

    def handler(R: list[Any]) -> int:
        R[d] = int.from_bytes(_PACK16(*pick(R[a].to_bytes(16, "little") + R[b].to_bytes(16, "little"))), "little")
        return nxt
    return handler
