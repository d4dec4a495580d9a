"""Floating-point lane operations and conversions of fixed-width SIMD (spec
4.4.3 "Vector Instructions", lane-wise over the scalar operators of 4.3.3
"Floating-Point Operations" and 4.3.4 "Conversions").

A ``v128`` is a Python ``int`` in ``[0, 2**128)`` with lane 0 in the low bits
(see ``runtime/values.py``). Every operator here is a plain function of one or
two such ints returning one, collected by instruction in :data:`SIMD_FLOAT_OPS`
(unary ``f(a)``, binary ``f(a, b)``, operands in stack order), and also a
handler factory in the translator's register protocol
(:data:`SIMD_FLOAT_FACTORIES`, one Python call less per executed instruction:
about 40-90 ns of 0.4-1 µs); both are generated from the same source.

Lane representation, chosen by measurement (CPython 3.11, per operation):
``int.to_bytes`` + a precompiled ``struct`` unpack to Python floats, unrolled
lane expressions, ``struct`` pack + ``int.from_bytes`` take about 0.35 µs for
``f32x4.add``; numpy ``float32`` arrays take about 1.0 µs (array creation and
ufunc dispatch dominate at four lanes, and numpy would also need an error-state
guard against warnings), a ``map`` over the lanes about 0.65 µs. So every
family uses ``struct``; ``abs``/``neg`` are single bit operations on the int,
and ``pmin``/``pmax`` select lanes by bit mask, so that they return operand
bits unchanged (NaN payloads included, as the spec requires).

f32 lanes: ``struct``'s ``'f'`` unpack widens through a C cast, which quiets a
signalling NaN but keeps its sign and payload; every operator that reads f32
lanes as floats is one whose NaN result is allowed to be any arithmetic NaN,
so that is harmless. Arithmetic is done in binary64 and rounded once to
binary32 by the ``'f'`` pack (binary64 holds more than ``2*24+2`` bits, so
``+ - * / sqrt`` round correctly); the pack refuses finite values that round to
infinity with ``OverflowError``, and Python raises ``ZeroDivisionError`` /
``ValueError`` where IEEE returns infinities or NaNs: those rare cases redo the
lanes with the scalar reference operators of :mod:`.numeric`. NaN results
follow 4.3.3 as the scalar operators do: the hardware returns the canonical NaN
when every NaN operand is canonical and a quiet NaN with an operand's payload
otherwise.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from math import sqrt as _sqrt
from typing import Any

from ..binary.opcodes import Opcode
from ..runtime.values import MASK64, MASK128, f32_round
from . import numeric as N

__all__ = ["SIMD_FLOAT_FACTORIES", "SIMD_FLOAT_OPS", "SIMD_FLOAT_OPS_BY_NAME"]

V128Op = Callable[..., int]
Handler = Callable[[list[Any]], int]

_F32X4 = struct.Struct("<4f")
_F64X2 = struct.Struct("<2d")
_F32X2 = struct.Struct("<2f")
_I32X4 = struct.Struct("<4i")
_U32X4 = struct.Struct("<4I")
_U32X2 = struct.Struct("<2I")

_SIGN32 = 0x8000_0000_8000_0000_8000_0000_8000_0000
_SIGN64 = 0x8000_0000_0000_0000_8000_0000_0000_0000

# Globals of the generated code.
_NAMESPACE: dict[str, Any] = {
    "N": N,
    "R32": f32_round,
    "sqrt": _sqrt,
    "fb": int.from_bytes,
    "U4f": _F32X4.unpack,
    "P4f": _F32X4.pack,
    "U2d": _F64X2.unpack,
    "U4f2": struct.Struct("<8f").unpack,
    "U2d2": struct.Struct("<4d").unpack,
    "P2d": _F64X2.pack,
    "ALL": MASK128,
}

# ---------------------------------------------------------------------------
# Lane-wise operators, as source
#
# Each operator is a body over the operands ``a`` (and ``b``) that leaves the
# result in ``r``. From it the generator builds the plain function
# ``f32x4_add(a, b)`` and the handler factory ``op_f32x4_add(ra, rb, d, nxt)``
# whose handler reads registers ``R[ra]`` (and ``R[rb]``), writes ``R[d]``
# and returns ``nxt`` (the translator's handler protocol, see ``compile.py``),
# so the hot loop pays no extra call per vector instruction.
#
# Arithmetic is a lane expression over x<i> (and y<i>) unrolled over the
# lanes: ``fast`` is the common-case expression; ``exc``/``ref`` the
# exceptions it may raise and the scalar operator that redoes all lanes then.
# ---------------------------------------------------------------------------

_SHAPES = {"f32x4": (4, "U4f", "P4f", 32), "f64x2": (2, "U2d", "P2d", 64)}


def _lanes(template: str, n: int) -> str:
    return ", ".join(template.format(i=i) for i in range(n))


def _split(shape: str, arity: int) -> list[str]:
    n, unpack, _, _ = _SHAPES[shape]
    if arity == 2:
        # One 32-byte unpack of both operands is about 8% faster than two.
        return [f"{_lanes('x{i}', n)}, {_lanes('y{i}', n)} = {unpack}2((a | b << 128).to_bytes(32, 'little'))"]
    return [f"{_lanes('x{i}', n)} = {unpack}(a.to_bytes(16, 'little'))"]


def _arith_body(shape: str, arity: int, fast: str, exc: str | None, ref: str | None) -> list[str]:
    n, _, pack, _ = _SHAPES[shape]
    lines = _split(shape, arity)
    body = f"fb({pack}({_lanes(fast, n)}), 'little')"
    if exc is None:
        return [*lines, f"r = {body}"]
    args = "x{i}, y{i}" if arity == 2 else "x{i}"
    return [
        *lines,
        "try:",
        f"    r = {body}",
        f"except {exc}:",
        f"    r = fb({pack}({_lanes(f'{ref}({args})', n)}), 'little')",
    ]


def _compare_body(shape: str, op: str) -> list[str]:
    n, _, _, width = _SHAPES[shape]
    ones = (1 << width) - 1
    lanes = " | ".join(f"({ones << (width * i):#x} if x{i} {op} y{i} else 0)" for i in range(n))
    return [*_split(shape, 2), f"r = {lanes}"]


def _pselect_body(shape: str, cond: str) -> list[str]:
    # pmin: b < a ? b : a; pmax: a < b ? b : a. The mask marks the lanes taken
    # from b; lanes are copied as bits, so a NaN operand keeps its payload.
    n, _, _, width = _SHAPES[shape]
    ones = (1 << width) - 1
    mask = " | ".join(f"({ones << (width * i):#x} if {cond.format(i=i)} else 0)" for i in range(n))
    return [*_split(shape, 2), f"m = {mask}", "r = (b & m) | (a & (m ^ ALL))"]


def _bodies() -> dict[str, tuple[int, list[str]]]:
    """Mnemonic -> (arity, body) of every operator."""
    bodies: dict[str, tuple[int, list[str]]] = {}
    for shape, (_, _, _, width) in _SHAPES.items():
        f32 = width == 32
        # (mnemonic suffix, arity, fast lane expression, exceptions, reference operator)
        arith: list[tuple[str, int, str, str | None, str | None]] = [
            ("add", 2, "x{i} + y{i}", "OverflowError" if f32 else None, "N.fadd32"),
            ("sub", 2, "x{i} - y{i}", "OverflowError" if f32 else None, "N.fsub32"),
            ("mul", 2, "x{i} * y{i}", "OverflowError" if f32 else None, "N.fmul32"),
            (
                "div",
                2,
                "x{i} / y{i}",
                "(ZeroDivisionError, OverflowError)" if f32 else "ZeroDivisionError",
                f"N.fdiv{width}",
            ),
            ("sqrt", 1, "sqrt(x{i})", "ValueError", f"N.fsqrt{width}"),
            ("min", 2, "N.fmin(x{i}, y{i})", None, None),
            ("max", 2, "N.fmax(x{i}, y{i})", None, None),
            ("ceil", 1, "N.fceil(x{i})", None, None),
            ("floor", 1, "N.ffloor(x{i})", None, None),
            ("trunc", 1, "N.ftrunc(x{i})", None, None),
            ("nearest", 1, "N.fnearest(x{i})", None, None),
        ]
        for op, arity, fast, exc, ref in arith:
            bodies[f"{shape}.{op}"] = (arity, _arith_body(shape, arity, fast, exc, ref))
        for op, py in (("eq", "=="), ("ne", "!="), ("lt", "<"), ("gt", ">"), ("le", "<="), ("ge", ">=")):
            bodies[f"{shape}.{op}"] = (2, _compare_body(shape, py))
        bodies[f"{shape}.pmin"] = (2, _pselect_body(shape, "y{i} < x{i}"))
        bodies[f"{shape}.pmax"] = (2, _pselect_body(shape, "x{i} < y{i}"))
        # abs and neg touch only the sign bits, so NaN payloads pass unchanged.
        sign = "SIGN32" if f32 else "SIGN64"
        bodies[f"{shape}.abs"] = (1, [f"r = a & ({sign} ^ ALL)"])
        bodies[f"{shape}.neg"] = (1, [f"r = a ^ {sign}"])
    bodies.update(_CONVERSIONS)
    return bodies


# Conversions (4.3.4 lane-wise; "_zero" forms clear the upper half, "low"
# forms read the lower half). The 'f' pack rounds a double once to binary32
# (an i32 is exact as a double) and turns a NaN into a quiet NaN keeping the
# sign and the top payload bits, so canonical stays canonical; the 'f' unpack
# widens exactly and quiets a signalling NaN (an arithmetic NaN is allowed).
_CONVERSIONS: dict[str, tuple[int, list[str]]] = {
    "f32x4.convert_i32x4_s": (1, ["r = fb(P4f(*U4i(a.to_bytes(16, 'little'))), 'little')"]),
    "f32x4.convert_i32x4_u": (1, ["r = fb(P4f(*U4I(a.to_bytes(16, 'little'))), 'little')"]),
    "f64x2.convert_low_i32x4_s": (
        1,
        ["x0, x1, _, _ = U4i(a.to_bytes(16, 'little'))", "r = fb(P2d(x0, x1), 'little')"],
    ),
    "f64x2.convert_low_i32x4_u": (1, ["r = fb(P2d(a & 0xFFFFFFFF, (a >> 32) & 0xFFFFFFFF), 'little')"]),
    "i32x4.trunc_sat_f32x4_s": (
        1,
        ["x0, x1, x2, x3 = U4f(a.to_bytes(16, 'little'))", "r = fb(P4I(SS(x0), SS(x1), SS(x2), SS(x3)), 'little')"],
    ),
    "i32x4.trunc_sat_f32x4_u": (
        1,
        ["x0, x1, x2, x3 = U4f(a.to_bytes(16, 'little'))", "r = fb(P4I(SU(x0), SU(x1), SU(x2), SU(x3)), 'little')"],
    ),
    "i32x4.trunc_sat_f64x2_s_zero": (
        1,
        ["x0, x1 = U2d(a.to_bytes(16, 'little'))", "r = fb(P2I(SS(x0), SS(x1)), 'little')"],
    ),
    "i32x4.trunc_sat_f64x2_u_zero": (
        1,
        ["x0, x1 = U2d(a.to_bytes(16, 'little'))", "r = fb(P2I(SU(x0), SU(x1)), 'little')"],
    ),
    "f32x4.demote_f64x2_zero": (
        1,
        [
            "x0, x1 = U2d(a.to_bytes(16, 'little'))",
            "try:",
            "    r = fb(P2f(x0, x1), 'little')",
            "except OverflowError:",  # a finite lane rounds to infinity
            "    r = fb(P2f(R32(x0), R32(x1)), 'little')",
        ],
    ),
    "f64x2.promote_low_f32x4": (1, ["r = fb(P2d(*U2f((a & MASK64).to_bytes(8, 'little'))), 'little')"]),
}

_NAMESPACE.update(
    {
        "U4i": _I32X4.unpack,
        "U4I": _U32X4.unpack,
        "P4I": _U32X4.pack,
        "P2I": _U32X2.pack,
        "P2f": _F32X2.pack,
        "U2f": _F32X2.unpack,
        "SS": N.i32_trunc_sat_f64_s,
        "SU": N.i32_trunc_sat_f64_u,
        "SIGN32": _SIGN32,
        "SIGN64": _SIGN64,
        "MASK64": MASK64,
    }
)


def _indent(lines: list[str], depth: int) -> str:
    return "".join(" " * (4 * depth) + line + "\n" for line in lines)


def _generate() -> tuple[dict[str, V128Op], dict[str, Callable[..., Handler]]]:
    source = []
    bodies = _bodies()
    for mnemonic, (arity, body) in bodies.items():
        name = mnemonic.replace(".", "_")
        params = "a, b" if arity == 2 else "a"
        regs = "ra, rb" if arity == 2 else "ra"
        reads = ["a = R[ra]", "b = R[rb]"][:arity]
        source.append(f"def {name}({params}):\n{_indent(body, 1)}    return r\n")
        source.append(
            f"def op_{name}({regs}, d, nxt):\n    def handler(R):\n"
            f"{_indent([*reads, *body, 'R[d] = r', 'return nxt'], 2)}    return handler\n"
        )
    namespace = dict(_NAMESPACE, __name__=__name__)
    exec(compile("\n".join(source), f"<{__name__} lane operators>", "exec"), namespace)
    functions = {m: namespace[m.replace(".", "_")] for m in bodies}
    factories = {m: namespace["op_" + m.replace(".", "_")] for m in bodies}
    return functions, factories


# ---------------------------------------------------------------------------
# The tables
# ---------------------------------------------------------------------------

SIMD_FLOAT_OPS_BY_NAME, _FACTORIES_BY_NAME = _generate()
"""Every float lane instruction and float<->int vector conversion, by its text-format mnemonic."""

SIMD_FLOAT_OPS: dict[Opcode, V128Op] = {
    Opcode[mnemonic.upper().replace(".", "_")]: op for mnemonic, op in SIMD_FLOAT_OPS_BY_NAME.items()
}
"""The same operators keyed by opcode: unary ``f(a)``, binary ``f(a, b)``, ``v128`` ints in and out."""

SIMD_FLOAT_FACTORIES: dict[Opcode, Callable[..., Handler]] = {
    Opcode[mnemonic.upper().replace(".", "_")]: f for mnemonic, f in _FACTORIES_BY_NAME.items()
}
"""Handler factories of the same operators for the translator: ``factory(a, d, nxt)``
(unary) or ``factory(a, b, d, nxt)`` (binary) returns ``handler(R)`` computing
``R[d] = op(R[a][, R[b]])`` and returning ``nxt``."""
