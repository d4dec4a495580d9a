"""Handlers for numeric instructions (spec 4.4.1 "Numeric Instructions").

Each numeric instruction is one line of Python semantics in the tables
below, written over the operands ``x`` (and ``y``) in the value
representation of ``runtime/values.py`` (i32/i64 unsigned, floats as Python
floats, f32 rounded to single precision by ``R32``). Rare or tricky cases
call the spec-named functions of ``numeric.py``.

From each line a *handler factory* ``op_<mnemonic>`` is generated once, at
import: ``factory(a, b, d, nxt)`` (binary) or ``factory(a, d, nxt)`` (unary)
returns a closure ``handler(R)`` that reads registers ``R[a]`` (and
``R[b]``), writes ``R[d]`` and returns ``nxt``, the index of the next
handler. Comparisons store Python ``bool``s, which are ``int``s equal to 0
and 1; the embedding API converts them to plain ints on the way out.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ..binary.opcodes import Opcode as O
from ..runtime.values import f32_from_bits, f32_round, f32_to_bits, f64_from_bits, f64_to_bits
from . import numeric as N

__all__ = ["UNARY", "BINARY", "UNARY_FACTORIES", "BINARY_FACTORIES", "UNARY_TEMPLATE", "BINARY_TEMPLATE",
           "generate_handlers"]

M32 = "0xFFFFFFFF"
M64 = "0xFFFFFFFFFFFFFFFF"
S32 = "0x80000000"
S64 = "0x8000000000000000"


def _int_binary(w: int) -> dict[str, str]:
    m, s, k = (M32, S32, 31) if w == 32 else (M64, S64, 63)
    return {
        "add": f"(x + y) & {m}",
        "sub": f"(x - y) & {m}",
        "mul": f"(x * y) & {m}",
        "div_s": f"N.idiv_s{w}(x, y)",
        "div_u": f"N.idiv_u{w}(x, y)",
        "rem_s": f"N.irem_s{w}(x, y)",
        "rem_u": f"N.irem_u{w}(x, y)",
        "and": "x & y",
        "or": "x | y",
        "xor": "x ^ y",
        "shl": f"(x << (y & {k})) & {m}",
        "shr_s": f"(((x ^ {s}) - {s}) >> (y & {k})) & {m}",
        "shr_u": f"x >> (y & {k})",
        "rotl": f"N.irotl{w}(x, y)",
        "rotr": f"N.irotr{w}(x, y)",
        "eq": "x == y",
        "ne": "x != y",
        "lt_s": f"(x ^ {s}) < (y ^ {s})",
        "lt_u": "x < y",
        "gt_s": f"(x ^ {s}) > (y ^ {s})",
        "gt_u": "x > y",
        "le_s": f"(x ^ {s}) <= (y ^ {s})",
        "le_u": "x <= y",
        "ge_s": f"(x ^ {s}) >= (y ^ {s})",
        "ge_u": "x >= y",
    }


def _float_binary(w: int) -> dict[str, str]:
    r = "R32" if w == 32 else ""
    return {
        "add": f"{r}(x + y)",
        "sub": f"{r}(x - y)",
        "mul": f"{r}(x * y)",
        "div": f"N.fdiv{w}(x, y)",
        "min": "N.fmin(x, y)",
        "max": "N.fmax(x, y)",
        "copysign": "copysign(x, y)",
        "eq": "x == y",
        "ne": "x != y",
        "lt": "x < y",
        "gt": "x > y",
        "le": "x <= y",
        "ge": "x >= y",
    }


BINARY: dict[O, str] = {}
for _w in (32, 64):
    for _name, _expr in _int_binary(_w).items():
        BINARY[O[f"I{_w}_{_name.upper()}"]] = _expr
    for _name, _expr in _float_binary(_w).items():
        BINARY[O[f"F{_w}_{_name.upper()}"]] = _expr

UNARY: dict[O, str] = {
    O.I32_EQZ: "x == 0",
    O.I32_CLZ: "N.iclz32(x)",
    O.I32_CTZ: "N.ictz32(x)",
    O.I32_POPCNT: "x.bit_count()",
    O.I64_EQZ: "x == 0",
    O.I64_CLZ: "N.iclz64(x)",
    O.I64_CTZ: "N.ictz64(x)",
    O.I64_POPCNT: "x.bit_count()",
    O.F32_ABS: "fabs(x)",
    O.F32_NEG: "-x",
    O.F32_CEIL: "N.fceil(x)",
    O.F32_FLOOR: "N.ffloor(x)",
    O.F32_TRUNC: "N.ftrunc(x)",
    O.F32_NEAREST: "N.fnearest(x)",
    O.F32_SQRT: "N.fsqrt32(x)",
    O.F64_ABS: "fabs(x)",
    O.F64_NEG: "-x",
    O.F64_CEIL: "N.fceil(x)",
    O.F64_FLOOR: "N.ffloor(x)",
    O.F64_TRUNC: "N.ftrunc(x)",
    O.F64_NEAREST: "N.fnearest(x)",
    O.F64_SQRT: "N.fsqrt64(x)",
    O.I32_WRAP_I64: f"x & {M32}",
    O.I32_TRUNC_F32_S: "N.i32_trunc_f64_s(x)",
    O.I32_TRUNC_F32_U: "N.i32_trunc_f64_u(x)",
    O.I32_TRUNC_F64_S: "N.i32_trunc_f64_s(x)",
    O.I32_TRUNC_F64_U: "N.i32_trunc_f64_u(x)",
    O.I64_EXTEND_I32_S: f"((x ^ {S32}) - {S32}) & {M64}",
    O.I64_EXTEND_I32_U: "x",
    O.I64_TRUNC_F32_S: "N.i64_trunc_f64_s(x)",
    O.I64_TRUNC_F32_U: "N.i64_trunc_f64_u(x)",
    O.I64_TRUNC_F64_S: "N.i64_trunc_f64_s(x)",
    O.I64_TRUNC_F64_U: "N.i64_trunc_f64_u(x)",
    # an i32 fits a double exactly, so one rounding to binary32 is exact rounding
    O.F32_CONVERT_I32_S: f"R32(float((x ^ {S32}) - {S32}))",
    O.F32_CONVERT_I32_U: "R32(float(x))",
    O.F32_CONVERT_I64_S: "N.f32_convert_i64_s(x)",
    O.F32_CONVERT_I64_U: "N.f32_convert_i64_u(x)",
    O.F32_DEMOTE_F64: "R32(x)",
    O.F64_CONVERT_I32_S: f"float((x ^ {S32}) - {S32})",
    O.F64_CONVERT_I32_U: "float(x)",
    # int -> float is correctly rounded in CPython
    O.F64_CONVERT_I64_S: f"float((x ^ {S64}) - {S64})",
    O.F64_CONVERT_I64_U: "float(x)",
    # an f32 NaN may be signalling in our representation; arithmetic quiets it
    O.F64_PROMOTE_F32: "x if x == x else x + 0.0",
    O.I32_REINTERPRET_F32: "f32_to_bits(x)",
    O.I64_REINTERPRET_F64: "f64_to_bits(x)",
    O.F32_REINTERPRET_I32: "f32_from_bits(x)",
    O.F64_REINTERPRET_I64: "f64_from_bits(x)",
    O.I32_EXTEND8_S: f"(((x & 0xFF) ^ 0x80) - 0x80) & {M32}",
    O.I32_EXTEND16_S: f"(((x & 0xFFFF) ^ 0x8000) - 0x8000) & {M32}",
    O.I64_EXTEND8_S: f"(((x & 0xFF) ^ 0x80) - 0x80) & {M64}",
    O.I64_EXTEND16_S: f"(((x & 0xFFFF) ^ 0x8000) - 0x8000) & {M64}",
    O.I64_EXTEND32_S: f"(((x & {M32}) ^ {S32}) - {S32}) & {M64}",
    O.I32_TRUNC_SAT_F32_S: "N.i32_trunc_sat_f64_s(x)",
    O.I32_TRUNC_SAT_F32_U: "N.i32_trunc_sat_f64_u(x)",
    O.I32_TRUNC_SAT_F64_S: "N.i32_trunc_sat_f64_s(x)",
    O.I32_TRUNC_SAT_F64_U: "N.i32_trunc_sat_f64_u(x)",
    O.I64_TRUNC_SAT_F32_S: "N.i64_trunc_sat_f64_s(x)",
    O.I64_TRUNC_SAT_F32_U: "N.i64_trunc_sat_f64_u(x)",
    O.I64_TRUNC_SAT_F64_S: "N.i64_trunc_sat_f64_s(x)",
    O.I64_TRUNC_SAT_F64_U: "N.i64_trunc_sat_f64_u(x)",
}

_NAMESPACE: dict[str, Any] = {
    "N": N,
    "R32": f32_round,
    "fabs": math.fabs,
    "copysign": math.copysign,
    "f32_to_bits": f32_to_bits,
    "f32_from_bits": f32_from_bits,
    "f64_to_bits": f64_to_bits,
    "f64_from_bits": f64_from_bits,
}

BINARY_TEMPLATE = """
def op_{name}(a, b, d, nxt):
    def handler(R):
        x = R[a]
        y = R[b]
        R[d] = {expr}
        return nxt
    return handler
"""

UNARY_TEMPLATE = """
def op_{name}(a, d, nxt):
    def handler(R):
        x = R[a]
        R[d] = {expr}
        return nxt
    return handler
"""


def generate_handlers(
    table: dict[O, str], template: str, namespace: dict[str, Any], origin: str
) -> dict[O, Callable[..., Any]]:
    """Opcode -> handler factory: ``template`` (with ``{name}`` and ``{expr}``)
    filled in for every ``(opcode, expression)`` of ``table`` and compiled once,
    over a copy of ``namespace``; ``origin`` names the code in tracebacks."""
    source = "".join(template.format(name=op.name.lower(), expr=expr) for op, expr in table.items())
    scope = dict(namespace)
    exec(compile(source, f"<{origin} handlers>", "exec"), scope)
    return {op: scope[f"op_{op.name.lower()}"] for op in table}


BINARY_FACTORIES = generate_handlers(BINARY, BINARY_TEMPLATE, _NAMESPACE, __name__)
UNARY_FACTORIES = generate_handlers(UNARY, UNARY_TEMPLATE, _NAMESPACE, __name__)
