"""The abstract syntax of modules (spec 2.5 "Modules").

Frozen dataclasses produced by the binary decoder and the text parser and
consumed by the validator, the translator and the printer.

``Instruction.offset`` and ``Function.offset`` locate the syntax in its
source for error messages; they are no part of the abstract syntax, but
dataclass equality compares them, so modules from different sources are
compared with their offsets zeroed. In a decoded
module they are byte offsets into the binary; in a module parsed from the
text format (:mod:`..text.parser`) they are *character* offsets into the
source text (of the instruction's token, see :mod:`..text.instructions`;
of the ``(`` of the ``func`` field).

Function bodies and constant expressions are *flat* tuples of
:class:`Instruction`, exactly as in the binary format: structured
instructions appear as ``block``/``loop``/``if`` ... ``else`` ... ``end``
markers, and every expression ends with its own final ``end``.

Immediates (``Instruction.imm``), by opcode:

====================================  =============================================
opcode                                ``imm``
====================================  =============================================
block, loop, if                       :data:`BlockType`: ``None`` (empty),
                                      a :class:`ValType` (one result) or a
                                      :class:`TypeIndex` (a function type)
br, br_if                             label index ``int``
br_table                              ``(labels: tuple[int, ...], default: int)``
call, ref.func                        function index ``int``
call_indirect                         ``(type_index, table_index)``
ref.null                              the reference :class:`ValType`
select_t                              ``tuple[ValType, ...]`` (the result types)
local.*, global.*                     index ``int``
table.get/set/size/grow/fill          table index ``int``
table.init                            ``(elem_index, table_index)``
table.copy                            ``(dst_table, src_table)``
elem.drop                             element segment index ``int``
loads, stores                         :class:`MemArg` ``(align, offset)``
memory.size, memory.grow, memory.fill memory index ``int`` (0)
memory.copy                           ``(dst_memory, src_memory)`` (``(0, 0)``)
memory.init                           ``(data_index, memory_index)``
data.drop                             data segment index ``int``
i32.const, i64.const                  the value as an *unsigned* ``int``
f32.const, f64.const                  the raw IEEE-754 bit pattern as ``int``
v128.load*, v128.store,               :class:`MemArg` ``(align, offset)``
v128.load32_zero, v128.load64_zero
v128.load*_lane, v128.store*_lane     ``(MemArg, lane: int)``
*.extract_lane*, *.replace_lane       lane index ``int`` (the raw byte; its
                                      range is checked by validation)
i8x16.shuffle                         ``tuple[int, ...]`` of the 16 lane
                                      index bytes, in binary order
v128.const                            the 128-bit value as an unsigned ``int``
                                      read little-endian from its 16 bytes
                                      (byte 0 = bits 0..7; lane 0 of every
                                      shape in the low bits)
everything else                       ``None``
====================================  =============================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from ..binary.opcodes import Opcode
from .types import ExternKind, FuncType, GlobalType, MemoryType, TableType, ValType

__all__ = [
    "Instruction",
    "TypeIndex",
    "BlockType",
    "MemArg",
    "Expr",
    "Import",
    "Export",
    "Function",
    "Global",
    "ElemMode",
    "ElementSegment",
    "DataMode",
    "DataSegment",
    "CustomSection",
    "NameMap",
    "Module",
]


@dataclass(frozen=True, slots=True)
class TypeIndex:
    """A block type given by index into the type section (spec 5.4.1)."""

    index: int


BlockType = None | ValType | TypeIndex


@dataclass(frozen=True, slots=True)
class MemArg:
    """``{align, offset}`` of a memory instruction; ``align`` is the log2 exponent."""

    align: int
    offset: int


@dataclass(frozen=True, slots=True)
class Instruction:
    """One instruction with its decoded immediate and its position: the byte
    offset in the binary, or the character offset in the source text for a
    module parsed from the text format."""

    opcode: Opcode
    imm: Any = None
    offset: int = 0


Expr = tuple[Instruction, ...]


@dataclass(frozen=True, slots=True)
class Import:
    """An import (spec 2.5.11). ``desc`` is a type index for functions, else the
    table/memory/global type."""

    module: str
    name: str
    kind: ExternKind
    desc: int | TableType | MemoryType | GlobalType


@dataclass(frozen=True, slots=True)
class Export:
    """An export (spec 2.5.10)."""

    name: str
    kind: ExternKind
    index: int


@dataclass(frozen=True, slots=True)
class Function:
    """A function defined in the module (spec 2.5.3). ``locals`` excludes the
    parameters; ``body`` ends with its final ``end``."""

    type_index: int
    locals: tuple[ValType, ...]
    body: Expr
    offset: int = 0


@dataclass(frozen=True, slots=True)
class Global:
    """A global defined in the module (spec 2.5.6)."""

    type: GlobalType
    init: Expr


class ElemMode(IntEnum):
    """Element segment modes (spec 2.5.7)."""

    PASSIVE = 0
    ACTIVE = 1
    DECLARATIVE = 2


@dataclass(frozen=True, slots=True)
class ElementSegment:
    """An element segment (spec 2.5.7). Each entry of ``init`` is a constant
    expression yielding a reference of type ``type``; the decoder expands the
    function-index encodings into ``ref.func`` expressions. ``table`` and
    ``offset`` are set for active segments only."""

    type: ValType
    init: tuple[Expr, ...]
    mode: ElemMode
    table: int = 0
    offset: Expr | None = None


class DataMode(IntEnum):
    """Data segment modes (spec 2.5.8)."""

    PASSIVE = 0
    ACTIVE = 1


@dataclass(frozen=True, slots=True)
class DataSegment:
    """A data segment (spec 2.5.8); ``memory`` and ``offset`` for active ones."""

    data: bytes
    mode: DataMode
    memory: int = 0
    offset: Expr | None = None


@dataclass(frozen=True, slots=True)
class CustomSection:
    """A custom section, kept verbatim (spec 5.5.3)."""

    name: str
    data: bytes
    offset: int = 0


@dataclass(slots=True)
class NameMap:
    """Contents of the ``name`` custom section (spec 7.4.1 "Name Section")."""

    module: str | None = None
    functions: dict[int, str] = field(default_factory=dict)
    locals: dict[int, dict[int, str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Module:
    """A module (spec 2.5). Index spaces of functions, tables, memories and
    globals start with the imports of that kind, followed by the definitions
    listed here."""

    types: tuple[FuncType, ...] = ()
    imports: tuple[Import, ...] = ()
    funcs: tuple[Function, ...] = ()
    tables: tuple[TableType, ...] = ()
    mems: tuple[MemoryType, ...] = ()
    globals: tuple[Global, ...] = ()
    exports: tuple[Export, ...] = ()
    start: int | None = None
    elems: tuple[ElementSegment, ...] = ()
    datas: tuple[DataSegment, ...] = ()
    data_count: int | None = None
    customs: tuple[CustomSection, ...] = ()
    names: NameMap = field(default_factory=NameMap, compare=False)

    # -- index spaces ------------------------------------------------------
    def imports_of(self, kind: ExternKind) -> tuple[Import, ...]:
        return tuple(i for i in self.imports if i.kind == kind)

    def func_types(self) -> list[int]:
        """Type index of every function in the function index space; entries
        may be out of range in an invalid module (the validator checks)."""
        out = [i.desc for i in self.imports if i.kind == ExternKind.FUNC]
        out.extend(f.type_index for f in self.funcs)
        return out  # type: ignore[return-value]

    def table_types(self) -> list[TableType]:
        out = [i.desc for i in self.imports if i.kind == ExternKind.TABLE]
        out.extend(self.tables)
        return out  # type: ignore[return-value]

    def memory_types(self) -> list[MemoryType]:
        out = [i.desc for i in self.imports if i.kind == ExternKind.MEMORY]
        out.extend(self.mems)
        return out  # type: ignore[return-value]

    def global_types(self) -> list[GlobalType]:
        out = [i.desc for i in self.imports if i.kind == ExternKind.GLOBAL]
        out.extend(g.type for g in self.globals)
        return out  # type: ignore[return-value]
