"""Printing the abstract syntax as the text format (spec 6 "Text Format":
6.3 lexical values, 6.4 types, 6.5 instructions, 6.6 modules).

:func:`print_module` writes a module as readable WAT that any conforming
text parser (ours, wabt's ``wat2wasm``) turns back into the same module:

* fields in binary-section order, each definition followed by its index as a
  block comment (``(func (;3;) ...)``);
* functions and locals carry ``$`` identifiers when the model has names
  (the ``name`` section, or the identifiers of a parsed text module) and the
  name is a valid, unique identifier; blocks that a branch targets are
  labelled ``$L<depth>`` (unique along every nesting path, so never shadowed)
  and their branches use that label; every other reference is numeric;
* instructions are *flat*, one per line and indented by nesting, or
  *folded* (``folded=True``): structured instructions as ``(block ...)`` /
  ``(if ... (then ...) (else ...))`` and operands nested in their consumers
  where their count is known. Folding never reorders: unfolding the output
  gives back the flat instruction sequence, whatever the stack effects;
* float constants are hexadecimal floats (exact), followed by their shortest
  decimal as a comment (``f32.const 0x1.8p+0 (;=1.5;)``); NaNs as ``nan`` or
  ``nan:0x<payload>``, with sign;
* strings with every byte outside printable ASCII (and ``"``, ``\\``) as
  ``\\hh`` escapes.

Custom sections have no text form in 2.0 and are not printed; neither is the
data count section (a parser derives it).
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field

from ..binary.opcodes import Opcode
from ..syntax.module import (
    DataMode,
    DataSegment,
    ElementSegment,
    ElemMode,
    Expr,
    Function,
    Global,
    Import,
    Instruction,
    MemArg,
    Module,
    TypeIndex,
)
from ..syntax.types import ExternKind, FuncType, GlobalType, Limits, MemoryType, TableType, ValType
from .instructions import natural_alignment

__all__ = ["print_module", "print_expr", "format_f32", "format_f64", "format_string", "format_instruction"]

_INDENT = "  "
_IDCHARS = re.compile(r"[0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~]+")

_O = Opcode
_BLOCKS = frozenset({_O.BLOCK, _O.LOOP, _O.IF})


# -- values (spec 6.3) ---------------------------------------------------------------


def format_string(data: bytes) -> str:
    """A string literal (spec 6.3.3) holding exactly ``data``."""
    out = ['"']
    for b in data:
        if 0x20 <= b < 0x7F and b not in (0x22, 0x5C):
            out.append(chr(b))
        else:
            out.append(f"\\{b:02x}")
    out.append('"')
    return "".join(out)


def _name_string(text: str) -> str:
    return format_string(text.encode("utf-8", "surrogatepass"))


def _hex_float(sign: bool, significand: int, exponent: int) -> str:
    """``[-]0x1.hhhp±e`` for the value ``significand * 2**exponent`` (> 0)."""
    length = significand.bit_length()
    exponent += length - 1
    frac_bits = length - 1
    frac = significand - (1 << frac_bits)
    nibbles = (frac_bits + 3) // 4
    digits = f"{frac << (4 * nibbles - frac_bits):0{nibbles}x}".rstrip("0") if nibbles else ""
    text = "0x1" + ("." + digits if digits else "") + f"p{exponent:+d}"
    return "-" + text if sign else text


def _format_float(bits: int, mant_bits: int, exp_bits: int) -> str:
    sign = bool(bits >> (mant_bits + exp_bits))
    exp = (bits >> mant_bits) & ((1 << exp_bits) - 1)
    frac = bits & ((1 << mant_bits) - 1)
    minus = "-" if sign else ""
    if exp == (1 << exp_bits) - 1:
        if frac == 0:
            return minus + "inf"
        if frac == 1 << (mant_bits - 1):
            return minus + "nan"
        return f"{minus}nan:0x{frac:x}"
    if exp == 0 and frac == 0:
        return minus + "0x0p+0"
    bias = (1 << (exp_bits - 1)) - 1
    if exp == 0:
        return _hex_float(sign, frac, 1 - bias - mant_bits)
    return _hex_float(sign, (1 << mant_bits) | frac, exp - bias - mant_bits)


def format_f32(bits: int) -> str:
    """The exact text of an ``f32`` given by its bit pattern (spec 6.3.2)."""
    return _format_float(bits & 0xFFFF_FFFF, 23, 8)


def format_f64(bits: int) -> str:
    """The exact text of an ``f64`` given by its bit pattern (spec 6.3.2)."""
    return _format_float(bits & 0xFFFF_FFFF_FFFF_FFFF, 52, 11)


def _f32_decimal(bits: int) -> str:
    value = struct.unpack("<f", struct.pack("<I", bits & 0xFFFF_FFFF))[0]
    for precision in range(1, 10):
        text = f"{value:.{precision}g}"
        try:
            if struct.pack("<f", float(text)) == struct.pack("<f", value):
                return text
        except OverflowError:  # rounded up past the largest f32
            continue
    return repr(value)


def _f64_decimal(bits: int) -> str:
    return repr(struct.unpack("<d", struct.pack("<Q", bits & 0xFFFF_FFFF_FFFF_FFFF))[0])


def _float_text(bits: int, is_f32: bool) -> str:
    text = format_f32(bits) if is_f32 else format_f64(bits)
    if "0x" not in text or text.lstrip("-") == "0x0p+0":
        return text
    decimal = _f32_decimal(bits) if is_f32 else _f64_decimal(bits)
    return f"{text} (;={decimal};)"


def _signed(value: int, bits: int) -> int:
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def _v128_text(value: int) -> str:
    lanes = " ".join(f"0x{(value >> (32 * i)) & 0xFFFF_FFFF:08x}" for i in range(4))
    return f"i32x4 {lanes}"


# -- names ---------------------------------------------------------------------------


def _identifiers(names: dict[int, str]) -> dict[int, str]:
    """Index -> ``$id`` for the names that are valid, unique identifiers."""
    out: dict[int, str] = {}
    seen: set[str] = set()
    for index in sorted(names):
        name = names[index]
        if not _IDCHARS.fullmatch(name) or name in seen:
            continue
        seen.add(name)
        out[index] = "$" + name
    return out


@dataclass(slots=True)
class _Context:
    """What instruction printing needs from the module: ids and function types."""

    module: Module
    func_ids: dict[int, str] = field(default_factory=dict)
    local_ids: dict[int, str] = field(default_factory=dict)
    func_types: list[int] = field(default_factory=list)
    labels: list[bool] = field(default_factory=list)
    """The enclosing blocks, innermost last: whether each carries a ``$L<depth>`` label."""

    def func(self, index: int) -> str:
        return self.func_ids.get(index) or str(index)

    def local(self, index: int) -> str:
        return self.local_ids.get(index) or str(index)

    def functype(self, type_index: int) -> FuncType | None:
        types = self.module.types
        return types[type_index] if 0 <= type_index < len(types) else None

    def label(self, index: int) -> str:
        labels = self.labels
        if 0 <= index < len(labels) and labels[-1 - index]:
            return f"$L{len(labels) - index}"
        return str(index)


# -- types (spec 6.4) ----------------------------------------------------------------


def _limits(limits: Limits) -> str:
    return str(limits.min) if limits.max is None else f"{limits.min} {limits.max}"


def _table_type(t: TableType) -> str:
    return f"{_limits(t.limits)} {t.elem}"


def _memory_type(t: MemoryType) -> str:
    return _limits(t.limits)


def _global_type(t: GlobalType) -> str:
    return f"(mut {t.valtype})" if t.mutable else str(t.valtype)


def _heap_type(t: ValType) -> str:
    return "func" if t == ValType.FUNCREF else "extern"


def _declarations(keyword: str, types: tuple[ValType, ...], ids: dict[int, str], first: int) -> list[str]:
    """``(param $x i32) (param i32 i64)``: named ones alone, runs of unnamed ones together."""
    parts: list[str] = []
    run: list[str] = []
    for i, t in enumerate(types, first):
        ident = ids.get(i)
        if ident:
            if run:
                parts.append(f"({keyword} {' '.join(run)})")
                run = []
            parts.append(f"({keyword} {ident} {t})")
        else:
            run.append(str(t))
    if run:
        parts.append(f"({keyword} {' '.join(run)})")
    return parts


def _params_results(ft: FuncType, param_ids: dict[int, str] | None = None) -> str:
    parts = _declarations("param", ft.params, param_ids or {}, 0)
    if ft.results:
        parts.append("(result " + " ".join(str(r) for r in ft.results) + ")")
    return " ".join(parts)


def _block_type(ctx: _Context, bt: object) -> str:
    if bt is None:
        return ""
    if isinstance(bt, TypeIndex):
        ft = ctx.functype(bt.index)
        inline = f" {_params_results(ft)}" if ft is not None and (ft.params or ft.results) else ""
        return f" (type {bt.index}){inline}"
    return f" (result {bt})"


# -- instructions (spec 6.5) ---------------------------------------------------------


def _memarg(op: Opcode, m: MemArg) -> str:
    parts = []
    if m.offset:
        parts.append(f"offset={m.offset}")
    if m.align != natural_alignment(op.mnemonic):
        parts.append(f"align={1 << m.align}")
    return " ".join(parts)


def format_instruction(instr: Instruction, module: Module | None = None) -> str:
    """One plain instruction (not ``end``/``else``) as text, with its immediate,
    e.g. for a trace. ``module`` supplies function names and the signatures of
    block types and ``call_indirect``; without it every reference is numeric.
    """
    ctx = _Context(module if module is not None else Module())
    if module is not None:
        ctx.func_ids = _identifiers(module.names.functions)
    return _format(instr, ctx)


_MEMORY_INDEX_ONLY = frozenset({_O.MEMORY_SIZE, _O.MEMORY_GROW, _O.MEMORY_FILL, _O.MEMORY_COPY})


def _format(instr: Instruction, ctx: _Context) -> str:
    op = instr.opcode
    imm = instr.imm
    name = op.mnemonic
    if imm is None or op in _MEMORY_INDEX_ONLY:  # memory index 0 is implicit in 2.0 text
        return name
    if op in _BLOCKS:
        return name + _block_type(ctx, imm)
    if op in (_O.CALL, _O.REF_FUNC):
        return f"{name} {ctx.func(imm)}"
    if op in (_O.LOCAL_GET, _O.LOCAL_SET, _O.LOCAL_TEE):
        return f"{name} {ctx.local(imm)}"
    if op == _O.I32_CONST:
        return f"{name} {_signed(imm, 32)}"
    if op == _O.I64_CONST:
        return f"{name} {_signed(imm, 64)}"
    if op == _O.F32_CONST:
        return f"{name} {_float_text(imm, True)}"
    if op == _O.F64_CONST:
        return f"{name} {_float_text(imm, False)}"
    if op == _O.V128_CONST:
        return f"{name} {_v128_text(imm)}"
    if op in (_O.BR, _O.BR_IF):
        return f"{name} {ctx.label(imm)}"
    if op == _O.BR_TABLE:
        labels, default = imm
        return f"{name} " + " ".join(ctx.label(x) for x in (*labels, default))
    if op == _O.CALL_INDIRECT:
        type_index, table = imm
        ft = ctx.functype(type_index)
        sig = f" {_params_results(ft)}" if ft is not None and (ft.params or ft.results) else ""
        return f"{name}{'' if table == 0 else f' {table}'} (type {type_index}){sig}"
    if op == _O.REF_NULL:
        return f"{name} {_heap_type(imm)}"
    if op == _O.SELECT_T:
        return f"{name} " + "(" + " ".join(["result", *(str(t) for t in imm)]) + ")"
    if op == _O.TABLE_INIT:  # imm = (elem, table); text: table.init table elem
        return f"{name} {imm[1]} {imm[0]}"
    if op == _O.TABLE_COPY:
        return f"{name} {imm[0]} {imm[1]}"
    if op == _O.MEMORY_INIT:  # imm = (data, memory 0)
        return f"{name} {imm[0]}"
    if op == _O.I8X16_SHUFFLE:
        return f"{name} " + " ".join(str(b) for b in imm)
    if isinstance(imm, MemArg):
        args = _memarg(op, imm)
        return f"{name} {args}" if args else name
    if isinstance(imm, tuple) and len(imm) == 2 and isinstance(imm[0], MemArg):  # memarg + lane
        args = _memarg(op, imm[0])
        return f"{name} {args} {imm[1]}" if args else f"{name} {imm[1]}"
    return f"{name} {imm}"  # indices and lane indices


# -- stack effects for folding -------------------------------------------------------

_NUMERIC_TYPES = ("i32.", "i64.", "f32.", "f64.")
_UNARY_SUFFIXES = (
    "eqz", "clz", "ctz", "popcnt", "abs", "neg", "ceil", "floor", "trunc", "nearest", "sqrt",
)  # fmt: skip


def _numeric_arity(op: Opcode) -> tuple[int, int] | None:
    name = op.mnemonic
    head, _, tail = name.partition(".")
    if head + "." not in _NUMERIC_TYPES:
        return _simd_arity(head, tail)
    if tail == "const":
        return (0, 1)
    if "load" in tail:
        return (1, 1)
    if "store" in tail:
        return (2, 0)
    if (
        tail in _UNARY_SUFFIXES
        or "_" in tail
        and tail.split("_")[0] in ("wrap", "trunc", "extend", "convert", "demote", "promote", "reinterpret")
    ):
        return (1, 1)
    if tail.startswith(("extend8", "extend16", "extend32")):
        return (1, 1)
    return (2, 1)


def _simd_arity(head: str, tail: str) -> tuple[int, int] | None:
    if head not in ("v128", "i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2"):
        return None
    if tail == "const":
        return (0, 1)
    if tail.startswith("load") and tail.endswith("_lane"):
        return (2, 1)
    if tail.startswith("store") and tail.endswith("_lane"):
        return (2, 0)
    if tail.startswith("load"):
        return (1, 1)
    if tail == "store":
        return (2, 0)
    if tail == "bitselect":
        return (3, 1)
    if tail in ("shuffle", "swizzle") or tail.startswith(("replace_lane", "shl", "shr", "narrow", "dot", "q15mulr")):
        return (2, 1)
    if tail.startswith("extmul"):
        return (2, 1)
    if tail.startswith(("splat", "extract_lane", "any_true", "all_true", "bitmask", "not", "abs", "neg", "popcnt",
                        "sqrt", "ceil", "floor", "trunc", "nearest", "extend", "convert", "demote", "promote",
                        "extadd")):  # fmt: skip
        return (1, 1)
    return (2, 1)


_FIXED_ARITY: dict[Opcode, tuple[int, int]] = {
    _O.NOP: (0, 0),
    _O.DROP: (1, 0),
    _O.SELECT: (3, 1),
    _O.SELECT_T: (3, 1),
    _O.LOCAL_GET: (0, 1),
    _O.LOCAL_SET: (1, 0),
    _O.LOCAL_TEE: (1, 1),
    _O.GLOBAL_GET: (0, 1),
    _O.GLOBAL_SET: (1, 0),
    _O.TABLE_GET: (1, 1),
    _O.TABLE_SET: (2, 0),
    _O.TABLE_SIZE: (0, 1),
    _O.TABLE_GROW: (2, 1),
    _O.TABLE_FILL: (3, 0),
    _O.TABLE_COPY: (3, 0),
    _O.TABLE_INIT: (3, 0),
    _O.ELEM_DROP: (0, 0),
    _O.MEMORY_SIZE: (0, 1),
    _O.MEMORY_GROW: (1, 1),
    _O.MEMORY_FILL: (3, 0),
    _O.MEMORY_COPY: (3, 0),
    _O.MEMORY_INIT: (3, 0),
    _O.DATA_DROP: (0, 0),
    _O.REF_NULL: (0, 1),
    _O.REF_IS_NULL: (1, 1),
    _O.REF_FUNC: (0, 1),
    _O.BR_IF: (1, 0),
    _O.BR_TABLE: (1, 0),
    _O.BR: (0, 0),
    _O.RETURN: (0, 0),
    _O.UNREACHABLE: (0, 0),
}


def _arity(ctx: _Context, instr: Instruction) -> tuple[int, int] | None:
    """``(operands popped, results pushed)`` where folding may rely on it."""
    op = instr.opcode
    fixed = _FIXED_ARITY.get(op)
    if fixed is not None:
        return fixed
    if op == _O.CALL:
        types = ctx.func_types
        ft = ctx.functype(types[instr.imm]) if 0 <= instr.imm < len(types) else None
        return None if ft is None else (len(ft.params), len(ft.results))
    if op == _O.CALL_INDIRECT:
        ft = ctx.functype(instr.imm[0])
        return None if ft is None else (len(ft.params) + 1, len(ft.results))
    return _numeric_arity(op)


# -- instruction sequences -----------------------------------------------------------


@dataclass(slots=True)
class _Block:
    """A structured instruction with its nested bodies (no ``end`` markers)."""

    instr: Instruction
    body: list[_Block | Instruction]
    else_body: list[_Block | Instruction] | None = None
    targeted: bool = False
    """Some branch targets this block: it gets a ``$L<depth>`` label."""


def _block_head(ctx: _Context, block: _Block) -> str:
    """``block $L2 (result i32)``, and the block's label pushed on ``ctx.labels``."""
    text = _format(block.instr, ctx)
    ctx.labels.append(block.targeted)
    if block.targeted:
        mnemonic, _, rest = text.partition(" ")
        text = f"{mnemonic} $L{len(ctx.labels)}" + (f" {rest}" if rest else "")
    return text


def _structure(expr: Expr) -> list[_Block | Instruction]:
    """Nest a flat sequence; the final ``end`` of the expression is dropped.
    Branch targets mark their blocks. Unbalanced input (only hand-built
    models) is kept as flat as it was."""
    root: list[_Block | Instruction] = []
    stack: list[tuple[_Block | None, list[_Block | Instruction]]] = [(None, root)]
    for instr in expr:
        op = instr.opcode
        if op in _BLOCKS:
            block = _Block(instr, [])
            stack[-1][1].append(block)
            stack.append((block, block.body))
        elif op == _O.ELSE and len(stack) > 1:
            block = stack[-1][0]
            if block is not None and block.instr.opcode == _O.IF and block.else_body is None:
                block.else_body = []
                stack[-1] = (block, block.else_body)
            else:
                stack[-1][1].append(instr)
        elif op == _O.END:
            if len(stack) > 1:
                stack.pop()
            # the expression's own final `end` is implicit in the text format
        else:
            stack[-1][1].append(instr)
            if op in (_O.BR, _O.BR_IF, _O.BR_TABLE):
                targets = (*instr.imm[0], instr.imm[1]) if op == _O.BR_TABLE else (instr.imm,)
                for label in targets:
                    if isinstance(label, int) and 0 <= label < len(stack) - 1:
                        target = stack[-1 - label][0]
                        if target is not None:
                            target.targeted = True
    return root


def _flat_lines(ctx: _Context, items: list[_Block | Instruction], depth: int, out: list[str]) -> None:
    pad = _INDENT * depth
    for item in items:
        if isinstance(item, _Block):
            out.append(pad + _block_head(ctx, item))
            _flat_lines(ctx, item.body, depth + 1, out)
            if item.else_body is not None:
                out.append(pad + "else")
                _flat_lines(ctx, item.else_body, depth + 1, out)
            ctx.labels.pop()
            out.append(pad + "end")
        else:
            out.append(pad + _format(item, ctx))


@dataclass(slots=True)
class _Node:
    """A folded expression: its text lines and how many values it leaves."""

    lines: list[str]
    results: int | None


def _fold(ctx: _Context, items: list[_Block | Instruction], depth: int) -> list[str]:
    pending: list[_Node] = []
    for item in items:
        if isinstance(item, _Block):
            pending.append(_fold_block(ctx, item, depth, pending))
            continue
        arity = _arity(ctx, item)
        text = _format(item, ctx)
        if arity is None:
            pending.append(_Node([f"({text})"], None))
            continue
        pops, pushes = arity
        children: list[_Node] = []
        if 0 < pops <= len(pending) and all(n.results == 1 for n in pending[-pops:]):
            children = pending[-pops:]
            del pending[-pops:]
        pending.append(_Node(_wrap(text, children), pushes))
    pad = _INDENT * depth
    return [pad + line for node in pending for line in node.lines]


def _wrap(head: str, children: list[_Node]) -> list[str]:
    if not children:
        return [f"({head})"]
    if all(len(c.lines) == 1 for c in children) and sum(len(c.lines[0]) for c in children) + len(head) < 80:
        return [f"({head} " + " ".join(c.lines[0] for c in children) + ")"]
    lines = [f"({head}"]
    for child in children:
        lines.extend(_INDENT + line for line in child.lines)
    lines[-1] += ")"
    return lines


def _block_results(ctx: _Context, bt: object) -> tuple[int, int] | None:
    if bt is None:
        return (0, 0)
    if isinstance(bt, TypeIndex):
        ft = ctx.functype(bt.index)
        return None if ft is None else (len(ft.params), len(ft.results))
    return (0, 1)


def _fold_block(ctx: _Context, block: _Block, depth: int, pending: list[_Node]) -> _Node:
    shape = _block_results(ctx, block.instr.imm)
    results = None if shape is None else shape[1]
    if block.instr.opcode == _O.IF:
        # The condition is the one operand that folds into `if`; block
        # parameters stay before it, unfolded.
        cond = pending.pop() if pending and pending[-1].results == 1 else None
        lines = [f"({_block_head(ctx, block)}"]
        if cond is not None:
            lines.extend(_INDENT + line for line in cond.lines)
        lines.append(_INDENT + "(then")
        lines.extend(_INDENT + line for line in _fold(ctx, block.body, 1))
        lines[-1] += ")"
        if block.else_body is not None:
            lines.append(_INDENT + "(else")
            lines.extend(_INDENT + line for line in _fold(ctx, block.else_body, 1))
            lines[-1] += ")"
    else:
        lines = [f"({_block_head(ctx, block)}"]
        lines.extend(_fold(ctx, block.body, 1))
    ctx.labels.pop()
    lines[-1] += ")"
    return _Node(lines, results)


def print_expr(expr: Expr, module: Module | None = None, folded: bool = False, indent: int = 0) -> str:
    """An instruction sequence (ending with its final ``end``, as in the model)
    as text lines, flat or folded; ``module`` supplies the types and names
    that calls and block types refer to."""
    ctx = _Context(module if module is not None else Module())
    if module is not None:
        ctx.func_types = module.func_types()
        ctx.func_ids = _identifiers(module.names.functions)
    return "\n".join(_expr_lines(ctx, expr, folded, indent))


def _expr_lines(ctx: _Context, expr: Expr, folded: bool, depth: int) -> list[str]:
    items = _structure(expr)
    if folded:
        return _fold(ctx, items, depth)
    out: list[str] = []
    _flat_lines(ctx, items, depth, out)
    return out


def _const_expr(ctx: _Context, expr: Expr | None) -> str:
    """A constant expression on one line: ``(i32.const 0)`` or ``(offset ...)``-free
    flat form ``i32.const 1 i32.const 2 i32.add`` for longer ones."""
    if expr is None:
        return ""
    lines = _expr_lines(ctx, expr, False, 0)
    return " ".join(line.strip() for line in lines)


def _folded_or_flat(ctx: _Context, expr: Expr | None, keyword: str) -> str:
    """``(instr)`` for a one-instruction expression, else ``(keyword instr*)``."""
    text = _const_expr(ctx, expr)
    items = [] if expr is None else [i for i in expr if i.opcode != _O.END]
    if len(items) == 1 and items[0].opcode not in _BLOCKS:
        return f"({text})"
    return f"({keyword} {text})" if text else f"({keyword})"


# -- modules (spec 6.6) --------------------------------------------------------------


def _import(ctx: _Context, imp: Import, index: int) -> str:
    head = f"(import {_name_string(imp.module)} {_name_string(imp.name)} "
    desc = imp.desc
    if imp.kind is ExternKind.FUNC:
        ident = ctx.func_ids.get(index)
        ident_text = f" {ident}" if ident else ""
        ft = ctx.functype(desc)  # type: ignore[arg-type]
        sig = f" {_params_results(ft)}" if ft is not None and (ft.params or ft.results) else ""
        return head + f"(func{ident_text} (;{index};) (type {desc}){sig}))"
    if imp.kind is ExternKind.TABLE:
        return head + f"(table (;{index};) {_table_type(desc)}))"  # type: ignore[arg-type]
    if imp.kind is ExternKind.MEMORY:
        return head + f"(memory (;{index};) {_memory_type(desc)}))"  # type: ignore[arg-type]
    return head + f"(global (;{index};) {_global_type(desc)}))"  # type: ignore[arg-type]


def _func(ctx: _Context, func: Function, index: int, folded: bool) -> list[str]:
    ft = ctx.functype(func.type_index)
    ctx.local_ids = _identifiers(ctx.module.names.locals.get(index, {}))
    ident = ctx.func_ids.get(index)
    head = f"{_INDENT}(func{' ' + ident if ident else ''} (;{index};) (type {func.type_index})"
    n_params = 0
    if ft is not None:
        n_params = len(ft.params)
        sig = _params_results(ft, ctx.local_ids)
        if sig:
            head += " " + sig
    lines = [head]
    if func.locals:
        lines.append(_INDENT * 2 + " ".join(_declarations("local", func.locals, ctx.local_ids, n_params)))
    lines.extend(_expr_lines(ctx, func.body, folded, 2))
    lines[-1] += ")"
    ctx.local_ids = {}
    return lines


def _global(ctx: _Context, g: Global, index: int) -> str:
    return f"{_INDENT}(global (;{index};) {_global_type(g.type)} {_const_expr(ctx, g.init)})"


def _elem(ctx: _Context, seg: ElementSegment, index: int) -> str:
    parts = [f"(elem (;{index};)"]
    if seg.mode is ElemMode.DECLARATIVE:
        parts.append("declare")
    elif seg.mode is ElemMode.ACTIVE:
        if seg.table != 0:
            parts.append(f"(table {seg.table})")
        parts.append(_folded_or_flat(ctx, seg.offset, "offset"))
    funcs: list[int] | None = [] if seg.type == ValType.FUNCREF else None
    for e in seg.init:
        if funcs is None:
            break
        if len(e) == 2 and e[0].opcode == _O.REF_FUNC and e[1].opcode == _O.END:
            funcs.append(e[0].imm)
        else:
            funcs = None
    if funcs is not None:
        parts.append("func")
        parts.extend(ctx.func(x) for x in funcs)
    else:
        parts.append(str(seg.type))
        parts.extend(_folded_or_flat(ctx, e, "item") for e in seg.init)
    return _INDENT + " ".join(parts) + ")"


def _data(ctx: _Context, seg: DataSegment, index: int) -> str:
    parts = [f"(data (;{index};)"]
    if seg.mode is DataMode.ACTIVE:
        if seg.memory != 0:
            parts.append(f"(memory {seg.memory})")
        parts.append(_folded_or_flat(ctx, seg.offset, "offset"))
    parts.append(format_string(seg.data))
    return _INDENT + " ".join(parts) + ")"


def print_module(module: Module, folded: bool = False) -> str:
    """The module as WAT text (spec 6.6.13), ending with a newline.

    Raises:
        TypeError: ``module`` is not a :class:`Module`.
    """
    if not isinstance(module, Module):
        raise TypeError(f"print_module() expects a Module, not {type(module).__name__}")
    ctx = _Context(module)
    ctx.func_types = module.func_types()
    ctx.func_ids = _identifiers(module.names.functions)
    module_ids = _identifiers({0: module.names.module}) if module.names.module is not None else {}
    lines = ["(module" + (f" {module_ids[0]}" if module_ids else "")]
    for i, ft in enumerate(module.types):
        sig = _params_results(ft)
        lines.append(f"{_INDENT}(type (;{i};) (func{' ' + sig if sig else ''}))")
    counters = dict.fromkeys(ExternKind, 0)
    for imp in module.imports:
        lines.append(_INDENT + _import(ctx, imp, counters[imp.kind]))
        counters[imp.kind] += 1
    for i, func in enumerate(module.funcs, counters[ExternKind.FUNC]):
        lines.extend(_func(ctx, func, i, folded))
    for i, table in enumerate(module.tables, counters[ExternKind.TABLE]):
        lines.append(f"{_INDENT}(table (;{i};) {_table_type(table)})")
    for i, mem in enumerate(module.mems, counters[ExternKind.MEMORY]):
        lines.append(f"{_INDENT}(memory (;{i};) {_memory_type(mem)})")
    for i, g in enumerate(module.globals, counters[ExternKind.GLOBAL]):
        lines.append(_global(ctx, g, i))
    kinds = {
        ExternKind.FUNC: "func",
        ExternKind.TABLE: "table",
        ExternKind.MEMORY: "memory",
        ExternKind.GLOBAL: "global",
    }
    for e in module.exports:
        target = ctx.func(e.index) if e.kind is ExternKind.FUNC else str(e.index)
        lines.append(f"{_INDENT}(export {_name_string(e.name)} ({kinds[e.kind]} {target}))")
    if module.start is not None:
        lines.append(f"{_INDENT}(start {ctx.func(module.start)})")
    for i, seg in enumerate(module.elems):
        lines.append(_elem(ctx, seg, i))
    for i, data in enumerate(module.datas):
        lines.append(_data(ctx, data, i))
    lines[-1] += ")"
    return "\n".join(lines) + "\n"
