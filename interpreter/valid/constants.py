"""Constant expressions (spec 3.3.10 "Constant Expressions" and 3.3.9 "Expressions").

A constant expression is validated like any expression, but may only
contain ``t.const``, ``ref.null``, ``ref.func`` and ``global.get`` of an
immutable global; as in WebAssembly 2.0 (and the 2.0 test suite), every
constant expression is checked under the context C' whose globals are only
the *imported* ones. It must leave exactly one value of the expected type.
"""

from __future__ import annotations

from ..binary.opcodes import Opcode
from ..errors import ValidationError
from ..syntax.module import Expr
from ..syntax.types import ValType
from .context import Context, op_name

__all__ = ["validate_const_expr"]

_CONST_TYPES = {
    Opcode.I32_CONST: ValType.I32,
    Opcode.I64_CONST: ValType.I64,
    Opcode.F32_CONST: ValType.F32,
    Opcode.F64_CONST: ValType.F64,
    Opcode.V128_CONST: ValType.V128,
}


def _mismatch(expected: ValType, stack: list[ValType]) -> str:
    got = " ".join(str(t) for t in stack)
    return f"type mismatch: constant expression must produce [{expected}] but produces [{got}]"


def validate_const_expr(c: Context, expr: Expr, expected: ValType) -> None:
    """Check that *expr* is a constant expression of result type ``[expected]``.

    Raises:
        ValidationError: "constant expression required" for a non-constant
            instruction or a ``global.get`` of a mutable global,
            "unknown global N" / "unknown function N" for bad indices,
            "type mismatch" when the result is not exactly ``[expected]``.
    """
    stack: list[ValType] = []
    globals_ = c.imported_globals
    nfuncs = len(c.funcs)
    last = len(expr) - 1
    for i, ins in enumerate(expr):
        op = ins.opcode
        t = _CONST_TYPES.get(op)
        if t is not None:
            stack.append(t)
        elif op == Opcode.GLOBAL_GET:
            x = ins.imm
            if not 0 <= x < len(globals_):
                raise ValidationError(f"unknown global {x}", offset=ins.offset)
            gt = globals_[x]
            if gt.mutable:
                raise ValidationError(
                    f"constant expression required: global {x} is mutable", offset=ins.offset
                )
            stack.append(gt.valtype)
        elif op == Opcode.REF_NULL:
            stack.append(ins.imm)
        elif op == Opcode.REF_FUNC:
            x = ins.imm
            if not 0 <= x < nfuncs:
                raise ValidationError(f"unknown function {x}", offset=ins.offset)
            stack.append(ValType.FUNCREF)
        elif op == Opcode.END:
            if i != last:
                raise ValidationError("constant expression required: instructions after end", offset=ins.offset)
            break
        else:
            raise ValidationError(f"constant expression required: {op_name(op)} is not constant", offset=ins.offset)
    else:
        offset = expr[-1].offset if expr else None
        raise ValidationError("constant expression required: missing end", offset=offset)
    if len(stack) != 1 or stack[0] != expected:
        raise ValidationError(_mismatch(expected, stack), offset=expr[-1].offset)
