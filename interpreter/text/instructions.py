"""Instructions in the text format (spec 6.5 "Instructions"): plain
instructions with their immediates, structured instructions with labels
(6.5.2 "Control Instructions"), folded instructions (6.5.9) and SIMD syntax
(``v128.const`` shapes, ``i8x16.shuffle``, lane indices, memory arguments).

Parsing is iterative: nested blocks and folded instructions keep an explicit
control stack, so arbitrarily deep nesting never hits Python's recursion
limit. The output is the flat instruction list of the binary format; each
instruction's ``offset`` is the character offset of its token in the source
(the operator of a folded instruction; for the implicit ``end`` of a folded
block, its closing parenthesis), so that validation errors can name a line
and column.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..binary.opcodes import Opcode
from ..syntax.module import Instruction, MemArg
from ..syntax.types import ValType
from .lexer import ATOM, ID, LPAR
from .numbers import LiteralRangeError, parse_float, parse_int, parse_u32

if TYPE_CHECKING:
    from .errors import TextFormatError

__all__ = ["InstructionParser", "OPCODES", "natural_alignment"]

OPCODES: dict[str, Opcode] = {op.mnemonic: op for op in Opcode if op is not Opcode.SELECT_T}
"""Mnemonic -> opcode for every plain instruction."""

# immediate kinds
(
    _NONE, _LABEL, _BR_TABLE, _FUNC, _CALL_INDIRECT, _REF_NULL, _SELECT, _LOCAL, _GLOBAL, _TABLE, _TABLE_INIT,
    _TABLE_COPY, _ELEM, _MEMARG, _MEM0, _MEM_COPY, _MEM_INIT, _DATA, _I32, _I64, _F32, _F64, _V128, _SHUFFLE,
    _LANE, _MEMARG_LANE, _BLOCK,
) = range(27)  # fmt: skip

_MEMOP = re.compile(r"(i32|i64|f32|f64|v128)\.(?:load|store)(\d+)?(x\d+)?")
_TYPE_BYTES = {"i32": 4, "i64": 8, "f32": 4, "f64": 8, "v128": 16}


def natural_alignment(mnemonic: str) -> int:
    """The natural alignment exponent of a memory instruction (log2 of its access
    size), the default of its ``align=`` (spec 6.5.6)."""
    m = _MEMOP.match(mnemonic)
    if m is None:  # pragma: no cover - only called for memory instructions
        return 0
    ty, bits, lanes = m.groups()
    size = 8 if lanes else (int(bits) // 8 if bits else _TYPE_BYTES[ty])
    return size.bit_length() - 1


def _imm_kind(op: Opcode) -> int:
    name = op.mnemonic
    special = {
        "br": _LABEL, "br_if": _LABEL, "br_table": _BR_TABLE, "call": _FUNC, "ref.func": _FUNC,
        "call_indirect": _CALL_INDIRECT, "ref.null": _REF_NULL, "select": _SELECT,
        "table.init": _TABLE_INIT, "table.copy": _TABLE_COPY, "elem.drop": _ELEM,
        "memory.size": _MEM0, "memory.grow": _MEM0, "memory.fill": _MEM0, "memory.copy": _MEM_COPY,
        "memory.init": _MEM_INIT, "data.drop": _DATA, "i32.const": _I32, "i64.const": _I64,
        "f32.const": _F32, "f64.const": _F64, "v128.const": _V128, "i8x16.shuffle": _SHUFFLE,
        "block": _BLOCK, "loop": _BLOCK, "if": _BLOCK,
    }  # fmt: skip
    if name in special:
        return special[name]
    head, _, tail = name.partition(".")
    if head == "local":
        return _LOCAL
    if head == "global":
        return _GLOBAL
    if head == "table":
        return _TABLE
    if "_lane" in tail and (tail.startswith("load") or tail.startswith("store")):
        return _MEMARG_LANE
    if "extract_lane" in tail or "replace_lane" in tail:
        return _LANE
    if _MEMOP.match(name) and (tail.startswith("load") or tail.startswith("store")):
        return _MEMARG
    return _NONE


_KINDS: dict[str, tuple[Opcode, int, int]] = {
    name: (op, _imm_kind(op), natural_alignment(name) if _MEMOP.match(name) else 0) for name, op in OPCODES.items()
}
_SIMPLE: dict[str, Opcode] = {
    name: op for name, (op, kind, _) in _KINDS.items() if kind == _NONE and name not in ("else", "end")
}

_VALTYPES = {
    "i32": ValType.I32, "i64": ValType.I64, "f32": ValType.F32, "f64": ValType.F64, "v128": ValType.V128,
    "funcref": ValType.FUNCREF, "externref": ValType.EXTERNREF,
}  # fmt: skip
_HEAPTYPES = {"func": ValType.FUNCREF, "extern": ValType.EXTERNREF}
_SHAPES = {"i8x16": (8, 16, False), "i16x8": (16, 8, False), "i32x4": (32, 4, False), "i64x2": (64, 2, False),
           "f32x4": (32, 4, True), "f64x2": (64, 2, True)}  # fmt: skip

# control stack entry kinds
# a flat block/loop/if (closed by 'end'; payload 1 for an if before its else, 2 after it), a folded
# block/loop, a folded plain instruction (emitted at its ')'), and the phases of a folded if
_FLAT, _FOLD_BLOCK, _PLAIN, _IF_COND, _IF_THEN, _IF_AFTER_THEN, _IF_ELSE, _IF_AFTER_ELSE = range(8)

_END = Opcode.END
_ELSE = Opcode.ELSE


class InstructionParser:
    """Mixin of :class:`~.parser.ModuleParser` parsing instruction sequences; the
    token lists and the index-space lookups below are provided by the parser."""

    kinds: list[int]
    texts: list[str]
    starts: list[int]
    close: list[int]
    uses_data_index: bool

    def err(self, message: str, i: int) -> TextFormatError:
        raise NotImplementedError

    def u32(self, i: int) -> int:
        raise NotImplementedError

    def is_var(self, i: int) -> bool:
        raise NotImplementedError

    def var(self, i: int, space: str) -> int:
        raise NotImplementedError

    def valtypes(self, i: int, end: int) -> list[ValType]:
        raise NotImplementedError

    def block_type(self, i: int) -> tuple[int, object]:
        raise NotImplementedError

    def type_use(self, i: int, allow_names: bool = True) -> tuple[int, int, list[str | None]]:
        raise NotImplementedError

    def parse_instrs(self, i: int, end: int, local_names: dict[str, int] | None) -> list[Instruction]:
        """Parse ``instr*`` from token ``i`` up to token ``end`` (exclusive); the
        result has no final ``end``. Every instruction's ``offset`` is the
        character offset of its token (see the module docstring).

        Raises:
            TextFormatError: any malformed instruction.
        """
        kinds, texts, close, starts = self.kinds, self.texts, self.close, self.starts
        out: list[Instruction] = []
        append = out.append
        labels: list[str | None] = []
        # entries: [kind, close_index, payload]
        ctl: list[list[object]] = []
        simple = _SIMPLE
        while True:
            top_close = ctl[-1][1] if ctl else end
            if i == top_close:
                if not ctl:
                    break
                entry = ctl[-1]
                ek = entry[0]
                if ek == _PLAIN:
                    ctl.pop()
                    append(entry[2])  # type: ignore[arg-type]
                elif ek == _FOLD_BLOCK or ek == _IF_AFTER_THEN or ek == _IF_AFTER_ELSE:
                    ctl.pop()
                    labels.pop()
                    if out[-1].opcode is _ELSE:
                        out.pop()  # an empty else is omitted (spec 5.4.1)
                    append(Instruction(_END, None, starts[i]))  # at the block's ')'
                elif ek == _IF_THEN:
                    entry[0] = _IF_AFTER_THEN
                    entry[1] = entry[2]
                elif ek == _IF_ELSE:
                    entry[0] = _IF_AFTER_ELSE
                    entry[1] = entry[2]
                elif ek == _IF_COND:
                    raise self.err("unexpected token (missing 'then')", i)
                else:  # an unclosed flat block
                    raise self.err("unexpected token (missing 'end')", i)
                i += 1
                continue
            kind = kinds[i]
            ek = ctl[-1][0] if ctl else _FLAT
            if kind == ATOM:
                if ek not in (_FLAT, _FOLD_BLOCK, _IF_THEN, _IF_ELSE):
                    raise self.err("unexpected token", i)
                text = texts[i]
                op = simple.get(text)
                if op is not None:
                    append(Instruction(op, None, starts[i]))
                    i += 1
                    continue
                if text == "end" or text == "else":
                    if not ctl or ek != _FLAT or (text == "else" and ctl[-1][2] != 1):
                        raise self.err("unexpected token", i)
                    pos = starts[i]
                    i += 1
                    if kinds[i] == ID:
                        if texts[i] != labels[-1]:
                            raise self.err("mismatching label", i)
                        i += 1
                    if text == "end":
                        ctl.pop()
                        labels.pop()
                        if out[-1].opcode is _ELSE:
                            out.pop()  # an empty else is omitted (spec 5.4.1)
                        append(Instruction(_END, None, pos))
                    else:
                        ctl[-1][2] = 2  # an if after its else
                        append(Instruction(_ELSE, None, pos))
                    continue
                spec = _KINDS.get(text)
                if spec is None:
                    raise self.err("unknown operator", i)
                if spec[1] == _BLOCK:
                    pos = starts[i]
                    i, label, bt = self._block_header(i + 1, end)
                    labels.append(label)
                    append(Instruction(spec[0], bt, pos))
                    # a flat block is closed by 'end', never by a ')': close index -2
                    ctl.append([_FLAT, -2, 1 if text == "if" else 0])
                    continue
                instr, i = self._plain(spec, i + 1, labels, local_names, starts[i])
                append(instr)
                continue
            if kind != LPAR:
                raise self.err("unexpected token", i)
            # a folded instruction
            head = i + 1
            cl = close[i]
            text = texts[head] if kinds[head] == ATOM else ""
            if ek == _IF_COND and text == "then":
                entry = ctl[-1]
                labels.append(entry[3])  # type: ignore[arg-type]
                append(Instruction(Opcode.IF, entry[4], entry[5]))  # at the 'if' token
                entry[0] = _IF_THEN
                entry[2] = entry[1]
                entry[1] = cl
                i = head + 1
                continue
            if ek == _IF_AFTER_THEN and text == "else":
                entry = ctl[-1]
                append(Instruction(_ELSE, None, starts[head]))
                entry[0] = _IF_ELSE
                entry[2] = entry[1]
                entry[1] = cl
                i = head + 1
                continue
            if ek in (_IF_AFTER_THEN, _IF_AFTER_ELSE):
                raise self.err("unexpected token", i)
            spec = _KINDS.get(text)
            if spec is None:
                raise self.err("unknown operator" if text else "unexpected token", head)
            if spec[1] == _BLOCK:
                j, label, bt = self._block_header(head + 1, cl)
                if text == "if":
                    ctl.append([_IF_COND, cl, None, label, bt, starts[head]])
                else:
                    labels.append(label)
                    append(Instruction(spec[0], bt, starts[head]))
                    ctl.append([_FOLD_BLOCK, cl, None])
                i = j
                continue
            instr, j = self._plain(spec, head + 1, labels, local_names, starts[head])
            ctl.append([_PLAIN, cl, instr])
            i = j
        return out

    # -- block headers ----------------------------------------------------------
    def _block_header(self, i: int, end: int) -> tuple[int, str | None, object]:
        label = None
        if self.kinds[i] == ID:
            label = self.texts[i]
            i += 1
        i, bt = self.block_type(i)
        return i, label, bt

    # -- plain instructions -----------------------------------------------------
    def _plain(
        self,
        spec: tuple[Opcode, int, int],
        i: int,
        labels: list[str | None],
        local_names: dict[str, int] | None,
        pos: int,
    ) -> tuple[Instruction, int]:
        """The instruction whose operator is token ``i - 1`` (at character offset
        ``pos``), its immediates from token ``i``; returns it and the next token index."""
        op, kind, natural = spec
        kinds, texts = self.kinds, self.texts
        if kind == _I32 or kind == _I64 or kind == _F32 or kind == _F64:
            if kinds[i] != ATOM:
                raise self.err("unexpected token", i)
            try:
                if kind == _I32:
                    value = parse_int(texts[i], 32)
                elif kind == _I64:
                    value = parse_int(texts[i], 64)
                else:
                    value = parse_float(texts[i], 32 if kind == _F32 else 64)
            except LiteralRangeError as exc:
                raise self.err(str(exc), i) from None
            if value is None:
                raise self.err("unknown operator", i)
            return Instruction(op, value, pos), i + 1
        if kind == _LOCAL:
            tok = i
            if kinds[i] == ID:
                if local_names is None or texts[i] not in local_names:
                    raise self.err("unknown local", i)
                return Instruction(op, local_names[texts[i]], pos), i + 1
            return Instruction(op, self.u32(tok), pos), i + 1
        if kind == _GLOBAL:
            return Instruction(op, self.var(i, "global"), pos), i + 1
        if kind == _FUNC:
            return Instruction(op, self.var(i, "func"), pos), i + 1
        if kind == _LABEL:
            return Instruction(op, self._label(i, labels), pos), i + 1
        if kind == _BR_TABLE:
            targets = []
            while kinds[i] == ID or (kinds[i] == ATOM and texts[i][:1].isdigit()):
                targets.append(self._label(i, labels))
                i += 1
            if not targets:
                raise self.err("unexpected token", i)
            return Instruction(op, (tuple(targets[:-1]), targets[-1]), pos), i
        if kind == _MEMARG:
            arg, i = self._memarg(i, natural)
            return Instruction(op, arg, pos), i
        if kind == _CALL_INDIRECT:
            table = 0
            if self.is_var(i):
                table = self.var(i, "table")
                i += 1
            i, type_index, _names = self.type_use(i, allow_names=False)
            return Instruction(op, (type_index, table), pos), i
        if kind == _TABLE:
            table = 0
            if self.is_var(i):
                table = self.var(i, "table")
                i += 1
            return Instruction(op, table, pos), i
        if kind == _REF_NULL:
            if kinds[i] != ATOM or texts[i] not in _HEAPTYPES:
                raise self.err("unexpected token", i)
            return Instruction(op, _HEAPTYPES[texts[i]], pos), i + 1
        if kind == _SELECT:
            types: list[ValType] = []
            seen = False
            while kinds[i] == LPAR and texts[i + 1] == "result":
                seen = True
                types.extend(self.valtypes(i + 2, self.close[i]))
                i = self.close[i] + 1
            if seen:
                return Instruction(Opcode.SELECT_T, tuple(types), pos), i
            return Instruction(op, None, pos), i
        if kind == _TABLE_INIT:
            if not self.is_var(i):
                raise self.err("unexpected token", i)
            if self.is_var(i + 1):
                table = self.var(i, "table")
                return Instruction(op, (self.var(i + 1, "elem"), table), pos), i + 2
            return Instruction(op, (self.var(i, "elem"), 0), pos), i + 1
        if kind == _TABLE_COPY:
            if self.is_var(i):
                dst = self.var(i, "table")
                if not self.is_var(i + 1):
                    raise self.err("unexpected token", i + 1)
                return Instruction(op, (dst, self.var(i + 1, "table")), pos), i + 2
            return Instruction(op, (0, 0), pos), i
        if kind == _ELEM:
            return Instruction(op, self.var(i, "elem"), pos), i + 1
        if kind == _DATA:
            self.uses_data_index = True
            return Instruction(op, self.var(i, "data"), pos), i + 1
        if kind == _MEM_INIT:
            self.uses_data_index = True
            return Instruction(op, (self.var(i, "data"), 0), pos), i + 1
        if kind == _MEM0:
            return Instruction(op, 0, pos), i
        if kind == _MEM_COPY:
            return Instruction(op, (0, 0), pos), i
        if kind == _LANE:
            return Instruction(op, self._lane(i), pos), i + 1
        if kind == _MEMARG_LANE:
            arg, i = self._memarg(i, natural)
            return Instruction(op, (arg, self._lane(i)), pos), i + 1
        if kind == _SHUFFLE:
            lanes = []
            for _ in range(16):
                if kinds[i] != ATOM:
                    raise self.err("invalid lane length", i)
                lanes.append(self._lane(i, shuffle=True))
                i += 1
            if kinds[i] == ATOM and texts[i][:1] in "0123456789+-":
                raise self.err("invalid lane length", i)
            return Instruction(op, tuple(lanes), pos), i
        if kind == _V128:
            return self._v128_const(op, i, pos)
        return Instruction(op, None, pos), i

    def _label(self, i: int, labels: list[str | None]) -> int:
        if self.kinds[i] == ID:
            name = self.texts[i]
            for depth in range(len(labels)):
                if labels[-1 - depth] == name:
                    return depth
            raise self.err("unknown label", i)
        if self.kinds[i] != ATOM:
            raise self.err("unexpected token", i)
        return self.u32(i)

    def _lane(self, i: int, shuffle: bool = False) -> int:
        if self.kinds[i] != ATOM:
            raise self.err("unexpected token", i)
        text = self.texts[i]
        try:
            value = parse_u32(text)
        except LiteralRangeError:
            value = 1 << 32
        if value is None:
            raise self.err("malformed lane index" if shuffle else "unexpected token", i)
        limit = 256
        if value >= limit:
            raise self.err("malformed lane index", i)
        return value

    def _memarg(self, i: int, natural: int) -> tuple[MemArg, int]:
        kinds, texts = self.kinds, self.texts
        offset = 0
        align = natural
        if kinds[i] == ATOM and texts[i].startswith("offset="):
            offset = self._memarg_field(i, len("offset="))
            i += 1
        if kinds[i] == ATOM and texts[i].startswith("align="):
            value = self._memarg_field(i, len("align="))
            if value == 0 or value & (value - 1):
                raise self.err("alignment must be a power of two", i)
            align = value.bit_length() - 1
            i += 1
        return MemArg(align, offset), i

    def _memarg_field(self, i: int, skip: int) -> int:
        """The u32 after the ``offset=`` / ``align=`` keyword of token ``i``."""
        try:
            value = parse_u32(self.texts[i][skip:])
        except LiteralRangeError:
            raise self.err("i32 constant out of range", i) from None
        if value is None:
            raise self.err("unknown operator", i)
        return value

    def _v128_const(self, op: Opcode, i: int, pos: int) -> tuple[Instruction, int]:
        kinds, texts = self.kinds, self.texts
        if kinds[i] != ATOM or texts[i] not in _SHAPES:
            raise self.err("unexpected token", i)
        bits, count, is_float = _SHAPES[texts[i]]
        i += 1
        given = 0
        while kinds[i + given] == ATOM and (
            not texts[i + given][0].isalpha() or texts[i + given][:3] in ("nan", "inf")
        ):
            given += 1
        if given != count:
            raise self.err("wrong number of lane literals", i + min(given, count))
        value = 0
        for lane in range(count):
            if kinds[i] != ATOM:
                raise self.err("wrong number of lane literals", i)
            try:
                v = parse_float(texts[i], bits) if is_float else parse_int(texts[i], bits)
            except LiteralRangeError as exc:
                raise self.err(str(exc), i) from None
            if v is None:
                raise self.err("unknown operator", i)
            value |= v << (lane * bits)
            i += 1
        if kinds[i] == ATOM and (texts[i][:1].isdigit() or texts[i][:1] in "+-" or texts[i][:3] in ("nan", "inf")):
            raise self.err("wrong number of lane literals", i)
        return Instruction(op, value, pos), i
