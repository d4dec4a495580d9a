"""Decoding of a module binary into the abstract syntax (spec 5.5 "Modules",
with 5.3 "Types" for the type encodings it reads).

:func:`decode_module` reads the preamble, then every section in the order of
spec 5.5.2, custom sections anywhere in between, and checks what spans
sections: the function and code sections have the same length, the data
count matches the data section, and ``memory.init`` / ``data.drop`` only
appear when there is a data count section. Instruction decoding lives in
:mod:`.instructions`, the ``name`` custom section in :mod:`.names`.

Error messages follow the spec reference interpreter (the ``text`` of the
suite's ``assert_malformed`` commands). As in that interpreter, the contents
of a section are read from the whole input and the section size is checked
afterwards (``section size mismatch``), so a missing ``end`` may be reported
as an error about the bytes that follow.
"""

from __future__ import annotations

import gc

from ..errors import MalformedError
from ..syntax.module import (
    CustomSection,
    DataMode,
    DataSegment,
    ElementSegment,
    ElemMode,
    Export,
    Expr,
    Function,
    Global,
    Import,
    Instruction,
    Module,
    NameMap,
)
from ..syntax.types import (
    ExternKind,
    FuncType,
    GlobalType,
    Limits,
    MemoryType,
    TableType,
    ValType,
)
from .instructions import ExprResult, decode_expr, read_reftype, read_valtype
from .names import decode_name_section
from .opcodes import Opcode
from .reader import UNEXPECTED_END, Reader

__all__ = ["decode_module", "MAGIC", "VERSION", "MAX_FUNCTION_LOCALS", "MAX_MODULE_LOCALS"]

MAGIC = b"\x00asm"
VERSION = b"\x01\x00\x00\x00"

MAX_FUNCTION_LOCALS = 50_000
"""Implementation limit on the locals of one function (excluding parameters),
the same as wasmtime's and the JS embedding's: the spec allows up to
``2**32 - 1``, but each local is materialised in :attr:`Function.locals`."""

MAX_MODULE_LOCALS = 1 << 22
"""Implementation limit on the locals materialised for a whole module.
Functions with the same local declarations share one tuple, and only
distinct tuples count, so real modules stay far below it; without it a few
bytes per function could each demand :data:`MAX_FUNCTION_LOCALS` entries."""

# Section ids (spec 5.5.2) and their required order: data count (12) sits
# between the element (9) and code (10) sections.
_CUSTOM, _TYPE, _IMPORT, _FUNCTION, _TABLE, _MEMORY, _GLOBAL = 0, 1, 2, 3, 4, 5, 6
_EXPORT, _START, _ELEMENT, _CODE, _DATA, _DATA_COUNT = 7, 8, 9, 10, 11, 12
_ORDER = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8, 9: 9, 12: 10, 10: 11, 11: 12}

_EXTERN_KINDS = {k.value: k for k in ExternKind}


def decode_module(data: bytes | bytearray | memoryview) -> Module:
    """Decode a binary module (spec 5.5.16 "Modules").

    The result is not validated; see the validator for that. Only the first
    ``name`` custom section is decoded into :attr:`Module.names`.

    Raises:
        MalformedError: the binary is malformed; ``offset`` is where decoding
            failed. Nothing else escapes for any input bytes.
        TypeError: ``data`` is not a bytes-like object.
    """
    if not isinstance(data, bytes):
        if not isinstance(data, (bytearray, memoryview)):
            raise TypeError(f"decode_module() expects bytes, bytearray or memoryview, not {type(data).__name__}")
        data = bytes(data)
    # Decoding allocates one object per instruction and nothing cyclic, yet
    # the cyclic collector would run every few hundred allocations and make
    # decoding ~1.7x slower: pause it (restoring the caller's setting).
    gc_enabled = gc.isenabled()
    gc.disable()
    try:
        return _ModuleDecoder(data).module()
    except IndexError:
        raise MalformedError(UNEXPECTED_END, len(data)) from None
    finally:
        if gc_enabled:
            gc.enable()


class _ModuleDecoder:
    __slots__ = (
        "r",
        "types",
        "imports",
        "func_types",
        "codes",
        "tables",
        "mems",
        "globals",
        "exports",
        "start",
        "elems",
        "datas",
        "data_count",
        "customs",
        "uses_data",
        "locals_cache",
        "locals_budget",
    )

    def __init__(self, data: bytes) -> None:
        self.r = Reader(data)
        self.types: tuple[FuncType, ...] = ()
        self.imports: tuple[Import, ...] = ()
        self.func_types: tuple[int, ...] = ()
        self.codes: list[tuple[tuple[ValType, ...], Expr, int]] = []
        self.tables: tuple[TableType, ...] = ()
        self.mems: tuple[MemoryType, ...] = ()
        self.globals: tuple[Global, ...] = ()
        self.exports: tuple[Export, ...] = ()
        self.start: int | None = None
        self.elems: tuple[ElementSegment, ...] = ()
        self.datas: tuple[DataSegment, ...] = ()
        self.data_count: int | None = None
        self.customs: list[CustomSection] = []
        self.uses_data = ExprResult()
        self.locals_cache: dict[bytes, tuple[ValType, ...]] = {}
        self.locals_budget = MAX_MODULE_LOCALS

    # -- module (5.5.16) ---------------------------------------------------------------
    def module(self) -> Module:
        r = self.r
        data = r.data
        if len(data) < 4:
            raise MalformedError(UNEXPECTED_END, len(data))
        if data[:4] != MAGIC:
            raise MalformedError("magic header not detected", 0)
        if len(data) < 8:
            raise MalformedError(UNEXPECTED_END, len(data))
        if data[4:8] != VERSION:
            raise MalformedError("unknown binary version", 4)
        r.pos = 8
        handlers = {
            _TYPE: self.type_section,
            _IMPORT: self.import_section,
            _FUNCTION: self.function_section,
            _TABLE: self.table_section,
            _MEMORY: self.memory_section,
            _GLOBAL: self.global_section,
            _EXPORT: self.export_section,
            _START: self.start_section,
            _ELEMENT: self.element_section,
            _CODE: self.code_section,
            _DATA: self.data_section,
            _DATA_COUNT: self.data_count_section,
        }
        last = 0
        while not r.at_end():
            section_offset = r.pos
            section_id = r.u8()
            if section_id != _CUSTOM:
                rank = _ORDER.get(section_id)
                if rank is None:
                    raise MalformedError("malformed section id", section_offset)
                if rank <= last:
                    raise MalformedError("unexpected content after last section", section_offset)
                last = rank
            size = r.len32()
            start = r.pos
            if section_id == _CUSTOM:
                self.custom_section(start, size, section_offset)
            else:
                handlers[section_id]()
            if r.pos != start + size:
                raise MalformedError("section size mismatch", start)

        end = len(data)
        if len(self.func_types) != len(self.codes):
            raise MalformedError("function and code section have inconsistent lengths", end)
        if self.data_count is not None and self.data_count != len(self.datas):
            raise MalformedError("data count and data section have inconsistent lengths", end)
        if self.data_count is None and self.uses_data.uses_data and self.datas:
            # Spec 5.5.16 requires the data count section whenever a body uses
            # a data index. Without any data segment such a module is invalid
            # anyway ("unknown data segment"), and wabt's wast2json omits the
            # section then, so two assert_invalid modules of the suite
            # (memory_init.4/.9) would turn malformed: leave those to the
            # validator. The module is rejected either way.
            raise MalformedError("data count section required", end)

        funcs = tuple(
            Function(type_index, locals_, body, offset)
            for type_index, (locals_, body, offset) in zip(self.func_types, self.codes)
        )
        customs = tuple(self.customs)
        names = next((decode_name_section(c.data) for c in customs if c.name == "name"), None)
        return Module(
            types=self.types,
            imports=self.imports,
            funcs=funcs,
            tables=self.tables,
            mems=self.mems,
            globals=self.globals,
            exports=self.exports,
            start=self.start,
            elems=self.elems,
            datas=self.datas,
            data_count=self.data_count,
            customs=customs,
            names=names if names is not None else NameMap(),
        )

    # -- helpers ---------------------------------------------------------------
    def expr(self) -> Expr:
        body, self.r.pos = decode_expr(self.r.data, self.r.pos)
        return body

    def valtype(self) -> ValType:
        t, self.r.pos = read_valtype(self.r.data, self.r.pos)
        return t

    def reftype(self) -> ValType:
        t, self.r.pos = read_reftype(self.r.data, self.r.pos)
        return t

    def limits(self) -> Limits:
        r = self.r
        has_max = r.u1()
        minimum = r.u32()
        return Limits(minimum, r.u32() if has_max else None)

    def memory_type(self) -> MemoryType:
        return MemoryType(self.limits())

    def table_type(self) -> TableType:
        elem = self.reftype()
        return TableType(self.limits(), elem)

    def global_type(self) -> GlobalType:
        t = self.valtype()
        r = self.r
        mut = r.u8()
        if mut > 1:
            raise MalformedError("malformed mutability", r.pos - 1)
        return GlobalType(t, mut == 1)

    # -- custom section (5.5.3) ----------------------------------------------------
    def custom_section(self, start: int, size: int, section_offset: int) -> None:
        r = self.r
        name = r.name()
        rest = start + size - r.pos
        if rest < 0:
            raise MalformedError(UNEXPECTED_END, r.pos)
        self.customs.append(CustomSection(name, r.raw(rest), section_offset))

    # -- type section (5.5.4) ------------------------------------------------------
    def functype(self) -> FuncType:
        r = self.r
        form = r.u8()
        if form != 0x60:
            raise MalformedError("integer representation too long" if form >= 0x80 else "malformed function type", r.pos - 1)
        params = r.vec(self.valtype)
        results = r.vec(self.valtype)
        return FuncType(params, results)

    def type_section(self) -> None:
        self.types = self.r.vec(self.functype)

    # -- import section (5.5.5) ----------------------------------------------------
    def import_(self) -> Import:
        r = self.r
        module = r.name()
        name = r.name()
        kind = _EXTERN_KINDS.get(r.u8())
        desc: int | TableType | MemoryType | GlobalType
        if kind is None:
            raise MalformedError("malformed import kind", r.pos - 1)
        if kind is ExternKind.FUNC:
            desc = r.u32()
        elif kind is ExternKind.TABLE:
            desc = self.table_type()
        elif kind is ExternKind.MEMORY:
            desc = self.memory_type()
        else:
            desc = self.global_type()
        return Import(module, name, kind, desc)

    def import_section(self) -> None:
        self.imports = self.r.vec(self.import_)

    # -- function section (5.5.6) --------------------------------------------------
    def function_section(self) -> None:
        self.func_types = self.r.vec(self.r.u32)

    # -- table section (5.5.7) -----------------------------------------------------
    def table_section(self) -> None:
        self.tables = self.r.vec(self.table_type)

    # -- memory section (5.5.8) ----------------------------------------------------
    def memory_section(self) -> None:
        self.mems = self.r.vec(self.memory_type)

    # -- global section (5.5.9) ----------------------------------------------------
    def global_(self) -> Global:
        t = self.global_type()
        return Global(t, self.expr())

    def global_section(self) -> None:
        self.globals = self.r.vec(self.global_)

    # -- export section (5.5.10) ---------------------------------------------------
    def export(self) -> Export:
        r = self.r
        name = r.name()
        kind = _EXTERN_KINDS.get(r.u8())
        if kind is None:
            raise MalformedError("malformed export kind", r.pos - 1)
        return Export(name, kind, r.u32())

    def export_section(self) -> None:
        self.exports = self.r.vec(self.export)

    # -- start section (5.5.11) ----------------------------------------------------
    def start_section(self) -> None:
        self.start = self.r.u32()

    # -- element section (5.5.12) --------------------------------------------------
    def elemkind(self) -> ValType:
        r = self.r
        if r.u8() != 0x00:
            raise MalformedError("malformed element kind", r.pos - 1)
        return ValType.FUNCREF

    def func_indices(self) -> tuple[Expr, ...]:
        # vec(funcidx), expanded to `ref.func x; end` constant expressions.
        r = self.r
        out = []
        for _ in range(r.len32()):
            offset = r.pos
            index = r.u32()
            out.append((Instruction(Opcode.REF_FUNC, index, offset), Instruction(Opcode.END, None, offset)))
        return tuple(out)

    def exprs(self) -> tuple[Expr, ...]:
        return self.r.vec(self.expr)

    def elem(self) -> ElementSegment:
        r = self.r
        flags_offset = r.pos
        flags = r.u32()
        if flags > 7:
            raise MalformedError("malformed elements segment kind", flags_offset)
        # bit 0: passive or declarative; bit 1: explicit table index (active)
        # or declarative (otherwise); bit 2: expressions instead of indices.
        table = 0
        offset = None
        if flags & 1:
            mode = ElemMode.DECLARATIVE if flags & 2 else ElemMode.PASSIVE
        else:
            mode = ElemMode.ACTIVE
            if flags & 2:
                table = r.u32()
            offset = self.expr()
        if flags & 4:
            elem_type = self.reftype() if flags & 3 else ValType.FUNCREF
            init = self.exprs()
        else:
            elem_type = self.elemkind() if flags & 3 else ValType.FUNCREF
            init = self.func_indices()
        return ElementSegment(elem_type, init, mode, table, offset)

    def element_section(self) -> None:
        self.elems = self.r.vec(self.elem)

    # -- code section (5.5.13) -----------------------------------------------------
    def locals(self) -> tuple[ValType, ...]:
        r = self.r
        start = r.pos
        groups = []
        total = 0
        for _ in range(r.len32()):
            n = r.u32()
            groups.append((n, self.valtype()))
            total += n
        if total > 0xFFFF_FFFF:
            raise MalformedError("too many locals", start)
        key = r.data[start : r.pos]
        cached = self.locals_cache.get(key)
        if cached is not None:
            return cached
        self.locals_budget -= total
        if total > MAX_FUNCTION_LOCALS or self.locals_budget < 0:
            raise MalformedError(
                f"too many locals (implementation limits: {MAX_FUNCTION_LOCALS} per function,"
                f" {MAX_MODULE_LOCALS} per module)",
                start,
            )
        out: list[ValType] = []
        for n, t in groups:
            out.extend([t] * n)
        self.locals_cache[key] = result = tuple(out)
        return result

    def code_section(self) -> None:
        # Function.offset is the offset of the code entry, i.e. of its size field.
        r = self.r
        data = r.data
        uses_data = self.uses_data
        codes = self.codes
        for _ in range(r.len32()):
            entry_offset = r.pos
            size = r.len32()
            start = r.pos
            locals_ = self.locals()
            body, r.pos = decode_expr(data, r.pos, uses_data)
            if r.pos != start + size:
                raise MalformedError("section size mismatch", start)
            codes.append((locals_, body, entry_offset))

    # -- data section (5.5.14) -----------------------------------------------------
    def data(self) -> DataSegment:
        r = self.r
        flags_offset = r.pos
        flags = r.u32()
        if flags == 0:
            offset = self.expr()
            return DataSegment(r.byte_vec(), DataMode.ACTIVE, 0, offset)
        if flags == 1:
            return DataSegment(r.byte_vec(), DataMode.PASSIVE)
        if flags == 2:
            memory = r.u32()
            offset = self.expr()
            return DataSegment(r.byte_vec(), DataMode.ACTIVE, memory, offset)
        raise MalformedError("malformed data segment kind", flags_offset)

    def data_section(self) -> None:
        self.datas = self.r.vec(self.data)

    # -- data count section (5.5.15) -----------------------------------------------
    def data_count_section(self) -> None:
        self.data_count = self.r.u32()
