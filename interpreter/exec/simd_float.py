"""Floating-point lane operations and conversions of fixed-width SIMD (spec
4.4.3 "Vector Instructions", lane-wise over the scalar operators of 4.3.3
"Floating-Point Operations" and 4.3.4 "Conversions").

A ``v128`` is a Python ``int`` in ``[0, 2**128)`` with lane 0 in the low bits
(see ``runtime/values.py``). Every operator here is a plain function of one or
two such ints returning one, collected by instruction in :data:`SIMD_FLOAT_OPS`
(unary ``f(a)``, binary ``f(a, b)``, operands in stack order) for the
translator to register.

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
from ..runtime.values import MASK64, f32_round
from . import numeric as N

__all__ = ["SIMD_FLOAT_OPS", "SIMD_FLOAT_OPS_BY_NAME"]

V128Op = Callable[..., int]

_F32X4 = struct.Struct("<4f")
_F64X2 = struct.Struct("<2d")
_F32X2 = struct.Struct("<2f")
_I32X4 = struct.Struct("<4i")
_U32X4 = struct.Struct("<4I")
_U32X2 = struct.Struct("<2I")

_SIGN32 = 0x8000_0000_8000_0000_8000_0000_8000_0000
_SIGN64 = 0x8000_0000_0000_0000_8000_0000_0000_0000
_ALL = (1 << 128) - 1

# Globals of the generated code.
_NAMESPACE: dict[str, Any] = {
    "N": N,
    "R32": f32_round,
    "sqrt": _sqrt,
    "fb": int.from_bytes,
    "U4f": _F32X4.unpack,
    "P4f": _F32X4.pack,
    "U2d": _F64X2.unpack,
    "P2d": _F64X2.pack,
    "ALL": _ALL,
}

# ---------------------------------------------------------------------------
# Generated lane-wise operators
#
# Each entry is a lane expression over x<i> (and y<i>); the generator unrolls
# it over the lanes. ``fast``: the common-case expression; ``exc``/``ref``: the
# exceptions it may raise and the scalar operator that redoes all lanes then.
# ---------------------------------------------------------------------------

_SHAPES = {"f32x4": (4, "U4f", "P4f", 32), "f64x2": (2, "U2d", "P2d", 64)}


def _lanes(template: str, n: int) -> str:
    return ", ".join(template.format(i=i) for i in range(n))


def _arith_source(name: str, shape: str, arity: int, fast: str, exc: str | None, ref: str | None) -> str:
    n, unpack, pack, _ = _SHAPES[shape]
    lines = [f"def {name}({'a, b' if arity == 2 else 'a'}):"]
    lines.append(f"    {_lanes('x{i}', n)} = {unpack}(a.to_bytes(16, 'little'))")
    if arity == 2:
        lines.append(f"    {_lanes('y{i}', n)} = {unpack}(b.to_bytes(16, 'little'))")
    body = f"fb({pack}({_lanes(fast, n)}), 'little')"
    if exc is None:
        lines.append(f"    return {body}")
    else:
        args = "x{i}, y{i}" if arity == 2 else "x{i}"
        lines += [
            "    try:",
            f"        return {body}",
            f"    except {exc}:",
            f"        return fb({pack}({_lanes(ref + '(' + args + ')', n)}), 'little')",
        ]
    return "\n".join(lines) + "\n"


def _compare_source(name: str, shape: str, op: str) -> str:
    n, unpack, _, width = _SHAPES[shape]
    ones = (1 << width) - 1
    lines = [
        f"def {name}(a, b):",
        f"    {_lanes('x{i}', n)} = {unpack}(a.to_bytes(16, 'little'))",
        f"    {_lanes('y{i}', n)} = {unpack}(b.to_bytes(16, 'little'))",
        "    return " + " | ".join(f"({ones << (width * i):#x} if x{i} {op} y{i} else 0)" for i in range(n)),
    ]
    return "\n".join(lines) + "\n"


def _pselect_source(name: str, shape: str, cond: str) -> str:
    # pmin: b < a ? b : a; pmax: a < b ? b : a. The mask marks the lanes taken
    # from b; lanes are copied as bits, so a NaN operand keeps its payload.
    n, unpack, _, width = _SHAPES[shape]
    ones = (1 << width) - 1
    lines = [
        f"def {name}(a, b):",
        f"    {_lanes('x{i}', n)} = {unpack}(a.to_bytes(16, 'little'))",
        f"    {_lanes('y{i}', n)} = {unpack}(b.to_bytes(16, 'little'))",
        "    m = " + " | ".join(f"({ones << (width * i):#x} if {cond.format(i=i)} else 0)" for i in range(n)),
        "    return (b & m) | (a & (m ^ ALL))",
    ]
    return "\n".join(lines) + "\n"


def _float_table() -> dict[str, str]:
    """Mnemonic -> source of its operator, for both shapes."""
    sources: dict[str, str] = {}
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
            sources[f"{shape}.{op}"] = _arith_source(f"{shape}_{op}", shape, arity, fast, exc, ref)
        for op, py in (("eq", "=="), ("ne", "!="), ("lt", "<"), ("gt", ">"), ("le", "<="), ("ge", ">=")):
            sources[f"{shape}.{op}"] = _compare_source(f"{shape}_{op}", shape, py)
        sources[f"{shape}.pmin"] = _pselect_source(f"{shape}_pmin", shape, "y{i} < x{i}")
        sources[f"{shape}.pmax"] = _pselect_source(f"{shape}_pmax", shape, "x{i} < y{i}")
    return sources


def _generate() -> dict[str, V128Op]:
    sources = _float_table()
    namespace = dict(_NAMESPACE, __name__=__name__)
    exec(compile("\n".join(sources.values()), f"<{__name__} lane operators>", "exec"), namespace)
    return {mnemonic: namespace[mnemonic.replace(".", "_")] for mnemonic in sources}


# ---------------------------------------------------------------------------
# Sign-bit operators: abs and neg touch only the sign bits (NaN payloads kept)
# ---------------------------------------------------------------------------


def f32x4_abs(a: int) -> int:
    return a & (_SIGN32 ^ _ALL)


def f32x4_neg(a: int) -> int:
    return a ^ _SIGN32


def f64x2_abs(a: int) -> int:
    return a & (_SIGN64 ^ _ALL)


def f64x2_neg(a: int) -> int:
    return a ^ _SIGN64


# ---------------------------------------------------------------------------
# Conversions (4.3.4 lane-wise; "_zero" forms clear the upper half, "low"
# forms read the lower half)
# ---------------------------------------------------------------------------

_unpack_f32x4 = _F32X4.unpack
_pack_f32x4 = _F32X4.pack
_unpack_f64x2 = _F64X2.unpack
_pack_f64x2 = _F64X2.pack
_unpack_f32x2 = _F32X2.unpack
_pack_f32x2 = _F32X2.pack
_unpack_i32x4 = _I32X4.unpack
_unpack_u32x4 = _U32X4.unpack
_pack_u32x4 = _U32X4.pack
_pack_u32x2 = _U32X2.pack
_from_bytes = int.from_bytes
_sat_s = N.i32_trunc_sat_f64_s
_sat_u = N.i32_trunc_sat_f64_u


def f32x4_convert_i32x4_s(a: int) -> int:
    # Each i32 is exact as a double; the 'f' pack rounds it once to binary32.
    return _from_bytes(_pack_f32x4(*_unpack_i32x4(a.to_bytes(16, "little"))), "little")


def f32x4_convert_i32x4_u(a: int) -> int:
    return _from_bytes(_pack_f32x4(*_unpack_u32x4(a.to_bytes(16, "little"))), "little")


def f64x2_convert_low_i32x4_s(a: int) -> int:
    x0, x1, _, _ = _unpack_i32x4(a.to_bytes(16, "little"))
    return _from_bytes(_pack_f64x2(x0, x1), "little")


def f64x2_convert_low_i32x4_u(a: int) -> int:
    return _from_bytes(_pack_f64x2(a & 0xFFFF_FFFF, (a >> 32) & 0xFFFF_FFFF), "little")


def i32x4_trunc_sat_f32x4_s(a: int) -> int:
    x0, x1, x2, x3 = _unpack_f32x4(a.to_bytes(16, "little"))
    return _from_bytes(_pack_u32x4(_sat_s(x0), _sat_s(x1), _sat_s(x2), _sat_s(x3)), "little")


def i32x4_trunc_sat_f32x4_u(a: int) -> int:
    x0, x1, x2, x3 = _unpack_f32x4(a.to_bytes(16, "little"))
    return _from_bytes(_pack_u32x4(_sat_u(x0), _sat_u(x1), _sat_u(x2), _sat_u(x3)), "little")


def i32x4_trunc_sat_f64x2_s_zero(a: int) -> int:
    x0, x1 = _unpack_f64x2(a.to_bytes(16, "little"))
    return _from_bytes(_pack_u32x2(_sat_s(x0), _sat_s(x1)), "little")


def i32x4_trunc_sat_f64x2_u_zero(a: int) -> int:
    x0, x1 = _unpack_f64x2(a.to_bytes(16, "little"))
    return _from_bytes(_pack_u32x2(_sat_u(x0), _sat_u(x1)), "little")


def f32x4_demote_f64x2_zero(a: int) -> int:
    # The 'f' pack rounds to binary32 and turns a NaN into a quiet NaN keeping
    # the sign and the top payload bits (canonical stays canonical).
    x0, x1 = _unpack_f64x2(a.to_bytes(16, "little"))
    try:
        return _from_bytes(_pack_f32x2(x0, x1), "little")
    except OverflowError:  # a finite lane rounds to infinity
        return _from_bytes(_pack_f32x2(f32_round(x0), f32_round(x1)), "little")


def f64x2_promote_low_f32x4(a: int) -> int:
    # Widening is exact; the 'f' unpack quiets a signalling NaN (an arithmetic NaN is allowed).
    return _from_bytes(_pack_f64x2(*_unpack_f32x2((a & MASK64).to_bytes(8, "little"))), "little")


# ---------------------------------------------------------------------------
# The tables
# ---------------------------------------------------------------------------

SIMD_FLOAT_OPS_BY_NAME: dict[str, V128Op] = {
    **_generate(),
    "f32x4.abs": f32x4_abs,
    "f32x4.neg": f32x4_neg,
    "f64x2.abs": f64x2_abs,
    "f64x2.neg": f64x2_neg,
    "f32x4.convert_i32x4_s": f32x4_convert_i32x4_s,
    "f32x4.convert_i32x4_u": f32x4_convert_i32x4_u,
    "f64x2.convert_low_i32x4_s": f64x2_convert_low_i32x4_s,
    "f64x2.convert_low_i32x4_u": f64x2_convert_low_i32x4_u,
    "i32x4.trunc_sat_f32x4_s": i32x4_trunc_sat_f32x4_s,
    "i32x4.trunc_sat_f32x4_u": i32x4_trunc_sat_f32x4_u,
    "i32x4.trunc_sat_f64x2_s_zero": i32x4_trunc_sat_f64x2_s_zero,
    "i32x4.trunc_sat_f64x2_u_zero": i32x4_trunc_sat_f64x2_u_zero,
    "f32x4.demote_f64x2_zero": f32x4_demote_f64x2_zero,
    "f64x2.promote_low_f32x4": f64x2_promote_low_f32x4,
}
"""Every float lane instruction and float<->int vector conversion, by its text-format mnemonic."""

SIMD_FLOAT_OPS: dict[Opcode, V128Op] = {
    Opcode[mnemonic.upper().replace(".", "_")]: op for mnemonic, op in SIMD_FLOAT_OPS_BY_NAME.items()
}
"""The same operators keyed by opcode: unary ``f(a)``, binary ``f(a, b)``, ``v128`` ints in and out."""
