"""Encoding of the abstract syntax into the binary format (spec 5 "Binary
Format": 5.2 values, 5.3 types, 5.4 instructions, 5.5 modules; 7.4.1 the
``name`` section).

:func:`encode_module` is the inverse of :func:`.decode.decode_module`: for
every module ``m`` the decoder accepts, ``decode_module(encode_module(m))``
equals ``m`` up to byte offsets. Where the binary format offers several
encodings of one module (the element segment flags, the LEB128 width of a
number) the shortest is written, as ``wat2wasm`` does.

Instruction immediates are written table-driven from the *same* table the
decoder reads them with: each immediate reader of :mod:`.instructions`
(``_index``, ``_memarg``, ``read_blocktype`` ...) has its inverse writer in
``_WRITERS``, and the opcode table is built by mapping every opcode's reader
to its writer, so a new opcode family (SIMD) only needs writers for the
readers it introduces.

Placement choices: the data count section is written when the module has
one (:attr:`Module.data_count`) or when a body uses ``memory.init`` /
``data.drop`` and there are data segments (as ``wat2wasm`` does: without
segments such a module is invalid, not malformed); custom sections (whose position the model does not keep) are
written after all other sections; a ``name`` section is generated from
:attr:`Module.names` when the model has names and no ``name`` custom
section of its own.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from ..syntax.module import (
    DataMode,
    DataSegment,
    ElementSegment,
    ElemMode,
    Expr,
    Global,
    Import,
    MemArg,
    Module,
    NameMap,
    TypeIndex,
)
from ..syntax.types import ExternKind, FuncType, GlobalType, Limits, MemoryType, TableType, ValType
from . import instructions as _ins
from .decode import MAGIC, VERSION
from .opcodes import Opcode

__all__ = ["encode_module", "encode_expr", "encode_name_section", "uleb", "sleb"]

ImmediateWriter = Callable[[bytearray, Any], None]

_U32 = 0xFFFF_FFFF


# -- values (spec 5.2) ---------------------------------------------------------------


def uleb(value: int) -> bytes:
    """Unsigned LEB128, shortest form (spec 5.2.2).

    Raises:
        ValueError: ``value`` is negative.
    """
    if value < 0:
        raise ValueError(f"unsigned LEB128 of a negative number {value}")
    out = bytearray()
    while True:
        b = value & 0x7F
        value >>= 7
        if value:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def sleb(value: int) -> bytes:
    """Signed LEB128, shortest form (spec 5.2.2)."""
    out = bytearray()
    while True:
        b = value & 0x7F
        value >>= 7
        if (value == 0 and not b & 0x40) or (value == -1 and b & 0x40):
            out.append(b)
            return bytes(out)
        out.append(b | 0x80)


def _u32(out: bytearray, value: int) -> None:
    if 0 <= value < 0x80:
        out.append(value)
        return
    if not isinstance(value, int) or not 0 <= value <= _U32:
        raise ValueError(f"{value!r} is not a u32")
    out += uleb(value)


def _name(out: bytearray, text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    _u32(out, len(data))
    out += data


def _bytes(out: bytearray, data: bytes) -> None:
    _u32(out, len(data))
    out += data


# -- types (spec 5.3) ----------------------------------------------------------------


def _valtype(out: bytearray, t: ValType) -> None:
    out.append(int(t))


def _limits(out: bytearray, limits: Limits) -> None:
    if limits.max is None:
        out.append(0x00)
        _u32(out, limits.min)
    else:
        out.append(0x01)
        _u32(out, limits.min)
        _u32(out, limits.max)


def _table_type(out: bytearray, t: TableType) -> None:
    _valtype(out, t.elem)
    _limits(out, t.limits)


def _memory_type(out: bytearray, t: MemoryType) -> None:
    _limits(out, t.limits)


def _global_type(out: bytearray, t: GlobalType) -> None:
    _valtype(out, t.valtype)
    out.append(1 if t.mutable else 0)


def _functype(out: bytearray, t: FuncType) -> None:
    out.append(0x60)
    _u32(out, len(t.params))
    out += bytes(int(p) for p in t.params)
    _u32(out, len(t.results))
    out += bytes(int(r) for r in t.results)


# -- immediate writers (spec 5.4), one per reader of .instructions -----------------


def _w_index(out: bytearray, x: int) -> None:
    _u32(out, x)


def _w_two(out: bytearray, imm: tuple[int, int]) -> None:
    _u32(out, imm[0])
    _u32(out, imm[1])


def _w_br_table(out: bytearray, imm: tuple[tuple[int, ...], int]) -> None:
    labels, default = imm
    _u32(out, len(labels))
    for label in labels:
        _u32(out, label)
    _u32(out, default)


def _w_memarg(out: bytearray, m: MemArg) -> None:
    _u32(out, m.align)
    _u32(out, m.offset)


def _w_zero(out: bytearray, imm: Any) -> None:
    out.append(0)


def _w_zero_zero(out: bytearray, imm: Any) -> None:
    out += b"\x00\x00"


def _w_data_index_zero(out: bytearray, imm: tuple[int, int]) -> None:
    _u32(out, imm[0])
    out.append(0)


def _w_i32(out: bytearray, value: int) -> None:
    value &= 0xFFFF_FFFF
    if value < 0x40:
        out.append(value)
        return
    out += sleb(value - (1 << 32) if value >> 31 else value)


def _w_i64(out: bytearray, value: int) -> None:
    value &= 0xFFFF_FFFF_FFFF_FFFF
    out += sleb(value - (1 << 64) if value >> 63 else value)


def _w_f32(out: bytearray, bits: int) -> None:
    out += (bits & 0xFFFF_FFFF).to_bytes(4, "little")


def _w_f64(out: bytearray, bits: int) -> None:
    out += (bits & 0xFFFF_FFFF_FFFF_FFFF).to_bytes(8, "little")


def _w_select_t(out: bytearray, types: tuple[ValType, ...]) -> None:
    _u32(out, len(types))
    for t in types:
        _valtype(out, t)


def _w_blocktype(out: bytearray, bt: Any) -> None:
    if bt is None:
        out.append(0x40)
    elif isinstance(bt, TypeIndex):
        out += sleb(bt.index)
    else:
        _valtype(out, bt)


def _w_reftype(out: bytearray, t: ValType) -> None:
    _valtype(out, t)


def _w_bytes16(out: bytearray, value: Any) -> None:
    # v128.const (the 128-bit value as an int, little-endian) or
    # i8x16.shuffle (16 lane indices).
    if isinstance(value, int):
        out += (value & ((1 << 128) - 1)).to_bytes(16, "little")
    else:
        out += bytes(value)


def _w_lane(out: bytearray, lane: int) -> None:
    out.append(lane)


def _w_memarg_lane(out: bytearray, imm: tuple[MemArg, int]) -> None:
    _w_memarg(out, imm[0])
    out.append(imm[1])


_WRITERS: dict[str, ImmediateWriter] = {
    "_index": _w_index,
    "_two_indices": _w_two,
    "_call_indirect": _w_two,
    "_table_init": _w_two,
    "_br_table": _w_br_table,
    "_memarg": _w_memarg,
    "_zero": _w_zero,
    "_zero_zero": _w_zero_zero,
    "_data_index_zero": _w_data_index_zero,
    "_i32_const": _w_i32,
    "_i64_const": _w_i64,
    "_f32_const": _w_f32,
    "_f64_const": _w_f64,
    "_select_t": _w_select_t,
    "read_blocktype": _w_blocktype,
    "read_reftype": _w_reftype,
    # vector instructions (spec 5.4.8)
    "_lane": _w_lane,
    "_memarg_lane": _w_memarg_lane,
    "_shuffle": _w_bytes16,
    "_v128_const": _w_bytes16,
}
"""Reader name in :mod:`.instructions` -> the writer of the same immediate."""


def _opcode_table() -> dict[Opcode, tuple[bytes, ImmediateWriter | None]]:
    table: dict[Opcode, tuple[bytes, ImmediateWriter | None]] = {}
    entries: list[tuple[Opcode, Any]] = []
    for entry in _ins.OPCODES:
        if entry is not None:
            entries.append(entry)
    for prefix in _ins.PREFIXED.values():
        entries.extend(prefix.values())
    for op, reader in entries:
        prefix_bytes = bytes([op]) if op < 0x100 else bytes([op >> 16]) + uleb(op & 0xFFFF)
        if reader is None:
            table[op] = (prefix_bytes, None)
            continue
        writer = _WRITERS.get(getattr(reader, "__name__", ""))
        if writer is None:
            # An immediate kind this encoder does not know yet: refuse it
            # at encoding time rather than write a wrong binary.
            table[op] = (prefix_bytes, _unknown_immediate(op))
        else:
            table[op] = (prefix_bytes, writer)
    return table


def _unknown_immediate(op: Opcode) -> ImmediateWriter:
    def refuse(out: bytearray, imm: Any) -> None:
        raise ValueError(f"cannot encode the immediate of {op.mnemonic} (unknown immediate kind)")

    return refuse


_TABLE = _opcode_table()
_SINGLE: list[bytes | None] = [None] * 256
"""Opcode byte -> its one-byte encoding, for opcodes without immediates."""
for _op, (_code, _writer) in _TABLE.items():
    if _writer is None and _op < 0x100:
        _SINGLE[_op] = _code
del _op, _code, _writer

_MEMORY_INIT = Opcode.MEMORY_INIT
_DATA_DROP = Opcode.DATA_DROP


# -- instructions and expressions (spec 5.4) ---------------------------------------


def encode_expr(expr: Expr, out: bytearray | None = None) -> bytearray:
    """Append the encoding of a flat instruction sequence (which carries its
    own final ``end``) to ``out`` (a new buffer when ``None``) and return it.

    Raises:
        ValueError: an opcode or immediate that has no encoding.
    """
    if out is None:
        out = bytearray()
    single = _SINGLE
    table = _TABLE
    for instr in expr:
        op = instr.opcode
        if op < 0x100:
            code = single[op]
            if code is not None:
                out += code
                continue
        entry = table.get(op)
        if entry is None:
            raise ValueError(f"cannot encode opcode {op!r}")
        code, writer = entry
        out += code
        if writer is not None:
            try:
                writer(out, instr.imm)
            except (TypeError, AttributeError, IndexError, OverflowError, struct.error) as exc:
                raise ValueError(f"bad immediate {instr.imm!r} of {Opcode(op).mnemonic}: {exc}") from None
    return out


def _uses_data(module: Module) -> bool:
    for func in module.funcs:
        for instr in func.body:
            if instr.opcode is _MEMORY_INIT or instr.opcode is _DATA_DROP:
                return True
    return False


# -- sections (spec 5.5) -------------------------------------------------------------


def _section(out: bytearray, section_id: int, content: bytes | bytearray) -> None:
    out.append(section_id)
    _u32(out, len(content))
    out += content


def _vec_section(out: bytearray, section_id: int, items: Any, item: Callable[[bytearray, Any], None]) -> None:
    if not items:
        return
    content = bytearray()
    _u32(content, len(items))
    for x in items:
        item(content, x)
    _section(out, section_id, content)


def _import(out: bytearray, imp: Import) -> None:
    _name(out, imp.module)
    _name(out, imp.name)
    out.append(int(imp.kind))
    desc = imp.desc
    if imp.kind is ExternKind.FUNC:
        _u32(out, desc)  # type: ignore[arg-type]
    elif imp.kind is ExternKind.TABLE:
        _table_type(out, desc)  # type: ignore[arg-type]
    elif imp.kind is ExternKind.MEMORY:
        _memory_type(out, desc)  # type: ignore[arg-type]
    else:
        _global_type(out, desc)  # type: ignore[arg-type]


def _global(out: bytearray, g: Global) -> None:
    _global_type(out, g.type)
    encode_expr(g.init, out)


def _export(out: bytearray, e: Any) -> None:
    _name(out, e.name)
    out.append(int(e.kind))
    _u32(out, e.index)


def _func_index_of(expr: Expr) -> int | None:
    # `ref.func x; end` -> x, the shape the index form of a segment stands for.
    if len(expr) == 2 and expr[0].opcode == Opcode.REF_FUNC and expr[1].opcode == Opcode.END:
        return expr[0].imm  # type: ignore[no-any-return]
    return None


def _elem(out: bytearray, seg: ElementSegment) -> None:
    indices: list[int] | None = None
    if seg.type == ValType.FUNCREF:
        indices = []
        for e in seg.init:
            x = _func_index_of(e)
            if x is None:
                indices = None
                break
            indices.append(x)
    if seg.mode is ElemMode.ACTIVE:
        offset = seg.offset if seg.offset is not None else ()
        if seg.table == 0 and seg.type == ValType.FUNCREF:
            out.append(0 if indices is not None else 4)
            encode_expr(offset, out)
        else:
            out.append(2 if indices is not None else 6)
            _u32(out, seg.table)
            encode_expr(offset, out)
            if indices is not None:
                out.append(0x00)  # elemkind funcref
            else:
                _valtype(out, seg.type)
    else:
        declarative = seg.mode is ElemMode.DECLARATIVE
        if indices is not None:
            out.append(3 if declarative else 1)
            out.append(0x00)
        else:
            out.append(7 if declarative else 5)
            _valtype(out, seg.type)
    if indices is not None:
        _u32(out, len(indices))
        for x in indices:
            _u32(out, x)
    else:
        _u32(out, len(seg.init))
        for e in seg.init:
            encode_expr(e, out)


def _locals(out: bytearray, types: tuple[ValType, ...]) -> None:
    groups: list[list[Any]] = []
    for t in types:
        if groups and groups[-1][1] == t:
            groups[-1][0] += 1
        else:
            groups.append([1, t])
    _u32(out, len(groups))
    for n, t in groups:
        _u32(out, n)
        _valtype(out, t)


def _code(out: bytearray, func: Any) -> None:
    body = bytearray()
    _locals(body, func.locals)
    encode_expr(func.body, body)
    _bytes(out, body)


def _data(out: bytearray, seg: DataSegment) -> None:
    if seg.mode is DataMode.PASSIVE:
        out.append(1)
    else:
        offset = seg.offset if seg.offset is not None else ()
        if seg.memory == 0:
            out.append(0)
        else:
            out.append(2)
            _u32(out, seg.memory)
        encode_expr(offset, out)
    _bytes(out, seg.data)


def _custom(out: bytearray, name: str, data: bytes) -> None:
    content = bytearray()
    _name(content, name)
    content += data
    _section(out, 0, content)


# -- the name section (spec 7.4.1) -----------------------------------------------


def _name_map(out: bytearray, names: dict[int, str]) -> None:
    _u32(out, len(names))
    for index in sorted(names):
        _u32(out, index)
        _name(out, names[index])


def encode_name_section(names: NameMap) -> bytes:
    """The contents (after the section name) of a ``name`` custom section
    holding the module, function and local names of ``names``."""
    out = bytearray()
    if names.module is not None:
        sub = bytearray()
        _name(sub, names.module)
        out.append(0)
        _bytes(out, sub)
    if names.functions:
        sub = bytearray()
        _name_map(sub, names.functions)
        out.append(1)
        _bytes(out, sub)
    local_maps = {f: m for f, m in names.locals.items() if m}
    if local_maps:
        sub = bytearray()
        _u32(sub, len(local_maps))
        for func in sorted(local_maps):
            _u32(sub, func)
            _name_map(sub, local_maps[func])
        out.append(2)
        _bytes(out, sub)
    return bytes(out)


def _has_names(names: NameMap) -> bool:
    return names.module is not None or bool(names.functions) or any(names.locals.values())


# -- modules (spec 5.5.16) ---------------------------------------------------------


def encode_module(module: Module) -> bytes:
    """Encode a module to its binary format (spec 5.5.16).

    The module is not validated first: anything the binary format can
    express is written as it is (an out-of-range index included), so invalid
    modules can be built for tests.

    Raises:
        TypeError: ``module`` is not a :class:`Module`.
        ValueError: a value with no binary encoding (a negative or
            larger-than-u32 index, an unknown opcode, an immediate of the
            wrong shape).
    """
    if not isinstance(module, Module):
        raise TypeError(f"encode_module() expects a Module, not {type(module).__name__}")
    try:
        return _encode(module)
    except (TypeError, AttributeError, IndexError, KeyError, OverflowError, struct.error) as exc:
        raise ValueError(f"module cannot be encoded: {type(exc).__name__}: {exc}") from None


def _encode(module: Module) -> bytes:
    out = bytearray(MAGIC + VERSION)
    _vec_section(out, 1, module.types, _functype)
    _vec_section(out, 2, module.imports, _import)
    _vec_section(out, 3, [f.type_index for f in module.funcs], _u32)
    _vec_section(out, 4, module.tables, _table_type)
    _vec_section(out, 5, module.mems, _memory_type)
    _vec_section(out, 6, module.globals, _global)
    _vec_section(out, 7, module.exports, _export)
    if module.start is not None:
        content = bytearray()
        _u32(content, module.start)
        _section(out, 8, content)
    _vec_section(out, 9, module.elems, _elem)
    data_count = module.data_count
    if data_count is None and module.datas and _uses_data(module):
        data_count = len(module.datas)
    if data_count is not None:
        content = bytearray()
        _u32(content, data_count)
        _section(out, 12, content)
    _vec_section(out, 10, module.funcs, _code)
    _vec_section(out, 11, module.datas, _data)
    has_name_section = False
    for custom in module.customs:
        has_name_section = has_name_section or custom.name == "name"
        _custom(out, custom.name, custom.data)
    if not has_name_section and _has_names(module.names):
        _custom(out, "name", encode_name_section(module.names))
    return bytes(out)
