"""Decoding of instructions and expressions (spec 5.4 "Instructions" and
5.4.9 "Expressions"), plus the value/reference/block types they carry
(spec 5.3.1-5.3.3, 5.4.1).

Instructions are decoded into the flat form of
:mod:`..syntax.module`: one :class:`Instruction` per opcode, structured
instructions as ``block``/``loop``/``if``/``else``/``end`` markers, the
expression's final ``end`` included. No recursion is needed: a small list
tracks the open blocks (and whether an ``else`` is still allowed), so deep
nesting costs nothing but that list.

Decoding is table-driven. :data:`OPCODES` maps each single-byte opcode to
``(Opcode, immediate_reader)``; :data:`PREFIXED` maps a prefix byte
(``0xFC``, ``0xFD`` for SIMD) to a dict from the ``u32`` sub-opcode to
the same pair. An immediate reader is ``reader(data, pos) -> (imm, pos)``;
``None`` means the instruction has no immediate. Readers may let an
``IndexError`` escape at the end of the input; :func:`decode_expr` converts
it. Both tables are built from :class:`Opcode` and ``_IMMEDIATES`` at import
time; the hot loop inlines the commonest immediates (indices, memargs) by
classifying single-byte opcodes once (``_KINDS``) and sends everything else
to the readers. The SIMD (``0xFD``) members of :class:`Opcode` land in
``PREFIXED[0xFD]`` with their readers from ``_IMMEDIATES``.

Reading continues past the end of the enclosing code entry or section, as in
the spec reference interpreter; the caller then checks the size and reports
``section size mismatch``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import MalformedError
from ..syntax.module import Instruction, MemArg, TypeIndex
from ..syntax.types import ValType
from .opcodes import PREFIX_FC, PREFIX_FD, Opcode
from .reader import UNEXPECTED_END, read_s33, read_s64, read_sleb, read_u32

__all__ = [
    "ImmediateReader",
    "OPCODES",
    "PREFIXED",
    "VALTYPES",
    "REFTYPES",
    "read_valtype",
    "read_reftype",
    "read_blocktype",
    "decode_expr",
    "ExprResult",
]

ImmediateReader = Callable[[bytes, int], tuple[Any, int]]

# -- types (spec 5.3) -------------------------------------------------------------

VALTYPES: dict[int, ValType] = {t.value: t for t in ValType}
"""Value type by its byte, ``v128`` included."""

REFTYPES: dict[int, ValType] = {ValType.FUNCREF.value: ValType.FUNCREF, ValType.EXTERNREF.value: ValType.EXTERNREF}


def _bad_type(b: int, pos: int) -> MalformedError:
    if 0x70 < b < 0x80:
        return MalformedError("malformed value type", pos)
    if b >= 0x80:
        # A multi-byte encoding: the spec interpreter reads types as LEB128.
        return MalformedError("integer representation too long", pos)
    return MalformedError("malformed reference type", pos)


def read_valtype(data: bytes, pos: int) -> tuple[ValType, int]:
    """``valtype`` (spec 5.3.4).

    Raises:
        MalformedError: ``malformed value type`` / ``malformed reference type``.
    """
    try:
        b = data[pos]
    except IndexError:
        raise MalformedError(UNEXPECTED_END, len(data)) from None
    t = VALTYPES.get(b)
    if t is None:
        raise _bad_type(b, pos)
    return t, pos + 1


def read_reftype(data: bytes, pos: int) -> tuple[ValType, int]:
    """``reftype`` (spec 5.3.3).

    Raises:
        MalformedError: ``malformed reference type``.
    """
    try:
        b = data[pos]
    except IndexError:
        raise MalformedError(UNEXPECTED_END, len(data)) from None
    t = REFTYPES.get(b)
    if t is None:
        raise MalformedError("malformed reference type", pos)
    return t, pos + 1


def read_blocktype(data: bytes, pos: int) -> tuple[Any, int]:
    """``blocktype`` (spec 5.4.1): ``0x40``, a value type, or an ``s33``
    type index that must not be negative.

    Raises:
        MalformedError: a type or LEB128 error, or ``malformed block type``.
    """
    try:
        b = data[pos]
    except IndexError:
        raise MalformedError(UNEXPECTED_END, len(data)) from None
    if b == 0x40:
        return None, pos + 1
    if b & 0xC0 == 0x40:
        return read_valtype(data, pos)
    index, new = read_s33(data, pos)
    if index < 0:
        raise MalformedError("malformed block type", pos)
    return TypeIndex(index), new


# -- immediate readers (spec 5.4) --------------------------------------------------


def _index(data: bytes, pos: int) -> tuple[int, int]:
    # The hot loop inlines this reader's one-byte case; it recognises it by identity.
    return read_u32(data, pos)


def _two_indices(data: bytes, pos: int) -> tuple[tuple[int, int], int]:
    x, pos = read_u32(data, pos)
    y, pos = read_u32(data, pos)
    return (x, y), pos


def _call_indirect(data: bytes, pos: int) -> tuple[tuple[int, int], int]:
    # call_indirect y:typeidx x:tableidx -> (type_index, table_index)
    return _two_indices(data, pos)


def _table_init(data: bytes, pos: int) -> tuple[tuple[int, int], int]:
    # table.init y:elemidx x:tableidx -> (elem_index, table_index)
    return _two_indices(data, pos)


def _br_table(data: bytes, pos: int) -> tuple[tuple[tuple[int, ...], int], int]:
    start = pos
    n, pos = read_u32(data, pos)
    if n > len(data) - start:
        raise MalformedError("length out of bounds", start)
    labels: list[int] = []
    append = labels.append
    for _ in range(n):
        b = data[pos]
        if b < 0x80:
            pos += 1
        else:
            b, pos = read_u32(data, pos)
        append(b)
    default, pos = read_u32(data, pos)
    return (tuple(labels), default), pos


def _memarg(data: bytes, pos: int) -> tuple[MemArg, int]:
    align, new = read_u32(data, pos)
    if align >= 32:
        raise MalformedError("malformed memop flags", pos)
    offset, new = read_u32(data, new)
    return MemArg(align, offset), new


def _zero(data: bytes, pos: int) -> tuple[int, int]:
    # A reserved memory index byte; a multi-byte LEB128 zero is also rejected.
    if data[pos] != 0:
        raise MalformedError("zero byte expected", pos)
    return 0, pos + 1


def _zero_zero(data: bytes, pos: int) -> tuple[tuple[int, int], int]:
    _, pos = _zero(data, pos)
    _, pos = _zero(data, pos)
    return (0, 0), pos


def _data_index_zero(data: bytes, pos: int) -> tuple[tuple[int, int], int]:
    x, pos = read_u32(data, pos)
    _, pos = _zero(data, pos)
    return (x, 0), pos


def _i32_const(data: bytes, pos: int) -> tuple[int, int]:
    b = data[pos]
    if b < 0x40:
        return b, pos + 1
    value, pos = read_sleb(data, pos, 32)
    return value & 0xFFFF_FFFF, pos


def _i64_const(data: bytes, pos: int) -> tuple[int, int]:
    value, pos = read_s64(data, pos)
    return value & 0xFFFF_FFFF_FFFF_FFFF, pos


def _f32_const(data: bytes, pos: int) -> tuple[int, int]:
    end = pos + 4
    if end > len(data):
        raise MalformedError(UNEXPECTED_END, len(data))
    return int.from_bytes(data[pos:end], "little"), end


def _f64_const(data: bytes, pos: int) -> tuple[int, int]:
    end = pos + 8
    if end > len(data):
        raise MalformedError(UNEXPECTED_END, len(data))
    return int.from_bytes(data[pos:end], "little"), end


def _lane(data: bytes, pos: int) -> tuple[int, int]:
    # laneidx is a plain byte, not LEB128 (spec 5.4.8); its range is a validation matter.
    return data[pos], pos + 1


def _memarg_lane(data: bytes, pos: int) -> tuple[tuple[MemArg, int], int]:
    memarg, pos = _memarg(data, pos)
    return (memarg, data[pos]), pos + 1


def _shuffle(data: bytes, pos: int) -> tuple[tuple[int, ...], int]:
    end = pos + 16
    if end > len(data):
        raise MalformedError(UNEXPECTED_END, len(data))
    return tuple(data[pos:end]), end


def _v128_const(data: bytes, pos: int) -> tuple[int, int]:
    end = pos + 16
    if end > len(data):
        raise MalformedError(UNEXPECTED_END, len(data))
    return int.from_bytes(data[pos:end], "little"), end


def _select_t(data: bytes, pos: int) -> tuple[tuple[ValType, ...], int]:
    start = pos
    n, pos = read_u32(data, pos)
    if n > len(data) - start:
        raise MalformedError("length out of bounds", start)
    types = []
    for _ in range(n):
        t, pos = read_valtype(data, pos)
        types.append(t)
    return tuple(types), pos


# -- opcode tables ------------------------------------------------------------------

_O = Opcode
_IMMEDIATES: dict[Opcode, ImmediateReader] = {
    _O.BLOCK: read_blocktype,
    _O.LOOP: read_blocktype,
    _O.IF: read_blocktype,
    _O.BR: _index,
    _O.BR_IF: _index,
    _O.BR_TABLE: _br_table,
    _O.CALL: _index,
    _O.CALL_INDIRECT: _call_indirect,
    _O.REF_NULL: read_reftype,
    _O.REF_FUNC: _index,
    _O.SELECT_T: _select_t,
    _O.LOCAL_GET: _index,
    _O.LOCAL_SET: _index,
    _O.LOCAL_TEE: _index,
    _O.GLOBAL_GET: _index,
    _O.GLOBAL_SET: _index,
    _O.TABLE_GET: _index,
    _O.TABLE_SET: _index,
    _O.TABLE_INIT: _table_init,
    _O.ELEM_DROP: _index,
    _O.TABLE_COPY: _two_indices,
    _O.TABLE_GROW: _index,
    _O.TABLE_SIZE: _index,
    _O.TABLE_FILL: _index,
    _O.MEMORY_SIZE: _zero,
    _O.MEMORY_GROW: _zero,
    _O.MEMORY_INIT: _data_index_zero,
    _O.DATA_DROP: _index,
    _O.MEMORY_COPY: _zero_zero,
    _O.MEMORY_FILL: _zero,
    _O.I32_CONST: _i32_const,
    _O.I64_CONST: _i64_const,
    _O.F32_CONST: _f32_const,
    _O.F64_CONST: _f64_const,
}
for _op in _O:
    if _O.I32_LOAD <= _op <= _O.I64_STORE32:
        _IMMEDIATES[_op] = _memarg
# -- vector instructions (spec 5.4.8) --
for _op in _O:
    if _O.V128_LOAD <= _op <= _O.V128_STORE or _op in (_O.V128_LOAD32_ZERO, _O.V128_LOAD64_ZERO):
        _IMMEDIATES[_op] = _memarg
    elif _O.V128_LOAD8_LANE <= _op <= _O.V128_STORE64_LANE:
        _IMMEDIATES[_op] = _memarg_lane
    elif _O.I8X16_EXTRACT_LANE_S <= _op <= _O.F64X2_REPLACE_LANE:
        _IMMEDIATES[_op] = _lane
_IMMEDIATES[_O.V128_CONST] = _v128_const
_IMMEDIATES[_O.I8X16_SHUFFLE] = _shuffle

OPCODES: list[tuple[Opcode, ImmediateReader | None] | None] = [None] * 256
"""Single-byte opcode -> ``(Opcode, immediate reader or None)``; ``None``
entries are prefixes (see :data:`PREFIXED`) or illegal opcodes."""

PREFIXED: dict[int, dict[int, tuple[Opcode, ImmediateReader | None]]] = {PREFIX_FC: {}, PREFIX_FD: {}}
"""Prefix byte -> ``{sub-opcode: (Opcode, immediate reader or None)}``."""

for _op in _O:
    _entry = (_op, _IMMEDIATES.get(_op))
    if _op < 0x100:
        OPCODES[_op] = _entry
    else:
        PREFIXED.setdefault(_op >> 16, {})[_op & 0xFFFF] = _entry
del _op, _entry

_END = 0x0B
_ELSE = 0x05
_IF = 0x04
_MEMORY_INIT = Opcode.MEMORY_INIT
_DATA_DROP = Opcode.DATA_DROP


class ExprResult:
    """Mutable out-parameter of :func:`decode_expr`: set when the expression
    used ``memory.init`` or ``data.drop`` (they require a data count section)."""

    __slots__ = ("uses_data",)

    def __init__(self) -> None:
        self.uses_data = False


def _illegal(b: int, pos: int, sub: int | None = None) -> MalformedError:
    text = f"illegal opcode {b:02x}" if sub is None else f"illegal opcode {b:02x} {sub:02x}"
    return MalformedError(text, pos)


def _kinds() -> list[int]:
    kinds = []
    for b, entry in enumerate(OPCODES):
        if entry is None:
            kinds.append(_K_ESCAPE)
        elif b == _END:
            kinds.append(_K_END)
        elif b == _ELSE:
            kinds.append(_K_ELSE)
        elif entry[1] is None:
            kinds.append(_K_PLAIN)
        elif entry[1] is _index:
            kinds.append(_K_INDEX)
        elif entry[1] is _memarg:
            kinds.append(_K_MEMARG)
        elif entry[1] is read_blocktype:
            kinds.append(_K_BLOCK)
        else:
            kinds.append(_K_READER)
    return kinds


# Hot-loop classes of single-byte opcodes, derived from OPCODES: the loop
# inlines the common immediates and only calls a reader for the rest.
_K_PLAIN, _K_INDEX, _K_MEMARG, _K_READER, _K_END, _K_ELSE, _K_BLOCK, _K_ESCAPE = range(8)
_KINDS = _kinds()
_OPS: list[Any] = [None if entry is None else entry[0] for entry in OPCODES]
_MEMARGS: dict[int, MemArg] = {}


def decode_expr(data: bytes, pos: int, result: ExprResult | None = None) -> tuple[tuple[Instruction, ...], int]:
    """Decode ``instr* 0x0B`` starting at ``pos`` (spec 5.4.9).

    Returns the flat instruction tuple (ending with its final ``end``) and
    the position after it. Each :attr:`Instruction.offset` is the absolute
    offset of the opcode in ``data``.

    Raises:
        MalformedError: ``illegal opcode ..``, ``END opcode expected`` (an
            ``else`` outside an ``if``), ``unexpected end of section or
            function`` and the immediates' errors.
    """
    kinds = _KINDS
    ops = _OPS
    memargs = _MEMARGS
    instr = Instruction
    out: list[Instruction] = []
    append = out.append
    # One entry per open block: True while it is an `if` still allowed an `else`.
    blocks: list[bool] = []
    try:
        while True:
            off = pos
            b = data[pos]
            pos += 1
            kind = kinds[b]
            if kind == 0:  # _K_PLAIN
                append(instr(ops[b], None, off))
            elif kind == 1:  # _K_INDEX
                x = data[pos]
                if x < 0x80:
                    pos += 1
                else:
                    x, pos = read_u32(data, pos)
                append(instr(ops[b], x, off))
            elif kind == 2:  # _K_MEMARG
                align = data[pos]
                offset = data[pos + 1]
                if align < 32 and offset < 0x80:
                    pos += 2
                    key = (align << 7) | offset
                    memarg = memargs.get(key)
                    if memarg is None:
                        memarg = memargs[key] = MemArg(align, offset)
                else:
                    memarg, pos = _memarg(data, pos)
                append(instr(ops[b], memarg, off))
            elif kind == 3:  # _K_READER
                imm, pos = OPCODES[b][1](data, pos)  # type: ignore[index,misc]
                append(instr(ops[b], imm, off))
            elif kind == 4:  # _K_END
                append(instr(ops[b], None, off))
                if not blocks:
                    return tuple(out), pos
                blocks.pop()
            elif kind == 6:  # _K_BLOCK
                imm, pos = read_blocktype(data, pos)
                append(instr(ops[b], imm, off))
                blocks.append(b == _IF)
            elif kind == 5:  # _K_ELSE
                if not blocks or not blocks[-1]:
                    raise MalformedError("END opcode expected", off)
                blocks[-1] = False
                append(instr(ops[b], None, off))
            else:  # _K_ESCAPE: a prefix or an illegal opcode
                prefix = PREFIXED.get(b)
                if prefix is None:
                    raise _illegal(b, off)
                sub, pos = read_u32(data, pos)
                entry = prefix.get(sub)
                if entry is None:
                    raise _illegal(b, off, sub)
                op, read = entry
                if read is None:
                    imm = None
                else:
                    imm, pos = read(data, pos)
                append(instr(op, imm, off))
                if result is not None and (op is _MEMORY_INIT or op is _DATA_DROP):
                    result.uses_data = True
    except IndexError:
        raise MalformedError(UNEXPECTED_END, len(data)) from None
