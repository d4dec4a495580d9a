"""``pywasm-host inspect FILE``: what a module contains (spec 5.5 "Modules",
binary format), printed like ``wasm-objdump -h -x``.

The "Sections" block lists every section with its byte range and item
count, in wabt's layout; "Section Details" lists types, imports, tables,
memories, globals, exports, the start function, element and data segments
(with sizes) and custom sections. The module is decoded but not validated.
"""

from __future__ import annotations

import argparse
from typing import Any

from ._cli_run import module_file_command
from .interpreter.binary.decode import decode_module
from .interpreter.binary.reader import read_u32
from .interpreter.errors import MalformedError
from .interpreter.runtime.values import signed32, signed64
from .interpreter.syntax.module import DataMode, ElemMode, Expr, Module
from .interpreter.syntax.types import ExternKind, FuncType, GlobalType, Limits, MemoryType, TableType, ValType

__all__ = ["register", "describe"]

SECTION_NAMES = {0: "Custom", 1: "Type", 2: "Import", 3: "Function", 4: "Table", 5: "Memory", 6: "Global",
                 7: "Export", 8: "Start", 9: "Elem", 10: "Code", 11: "Data", 12: "DataCount", 13: "Tag"}
_KIND_NAMES = {ExternKind.FUNC: "func", ExternKind.TABLE: "table", ExternKind.MEMORY: "memory",
               ExternKind.GLOBAL: "global"}


def _sections(data: bytes) -> list[tuple[int, int, int, bytes]]:
    """``(id, start, end, body)`` of each section (``start`` is where the body begins)."""
    if len(data) < 8 or data[:4] != b"\0asm":
        raise MalformedError("magic header not detected", 0)
    out = []
    pos = 8
    while pos < len(data):
        section_id = data[pos]
        size, start = read_u32(data, pos + 1)
        end = start + size
        if end > len(data):
            raise MalformedError("section size out of bounds", pos)
        out.append((section_id, start, end, data[start:end]))
        pos = end
    return out


def _type_name(t: Any) -> str:
    return t.name.lower() if isinstance(t, ValType) else str(t)


def _functype(ft: FuncType) -> str:
    params = ", ".join(_type_name(t) for t in ft.params)
    results = ", ".join(_type_name(t) for t in ft.results)
    if not ft.results:
        results = "nil"
    elif len(ft.results) > 1:
        results = f"({results})"
    return f"({params}) -> {results}"


def _limits(limits: Limits, unit: str = "") -> str:
    text = f"initial={limits.min}"
    if limits.max is not None:
        text += f" max={limits.max}"
    return f"{unit}{text}"


def _init(expr: Expr) -> str:
    """A constant expression in wabt's short form (``i32=1024``)."""
    if not expr:
        return "?"
    ins = expr[0]
    name = ins.opcode.name.lower()
    if name == "i32_const":
        return f"i32={signed32(ins.imm & 0xFFFF_FFFF)}"
    if name == "i64_const":
        return f"i64={signed64(ins.imm & 0xFFFF_FFFF_FFFF_FFFF)}"
    if name == "global_get":
        return f"global={ins.imm}"
    return name.replace("_", ".")


def describe(data: bytes, filename: str = "<input>") -> str:
    """The ``inspect`` report for the module ``data``.

    Raises:
        MalformedError: the binary cannot be decoded.
    """
    module: Module = decode_module(data)
    sections = _sections(bytes(data))
    fnames = module.names.functions
    nimported = {kind: sum(1 for i in module.imports if i.kind == kind) for kind in _KIND_NAMES}

    def fname(index: int) -> str:
        name = fnames.get(index)
        return f" <{name}>" if name else ""

    def entity(index: int, desc: int | TableType | MemoryType | GlobalType) -> str:
        """One imported or defined function (``desc`` is its type index),
        table, memory or global."""
        if isinstance(desc, TableType):
            return f" - table[{index}] type={_type_name(desc.elem)} {_limits(desc.limits)}"
        if isinstance(desc, MemoryType):
            return f" - memory[{index}] pages: {_limits(desc.limits)}"
        if isinstance(desc, GlobalType):
            return f" - global[{index}] {_type_name(desc.valtype)} mutable={int(desc.mutable)}"
        return f" - func[{index}] sig={desc}{fname(index)}"

    counts = {1: len(module.types), 2: len(module.imports), 3: len(module.funcs), 4: len(module.tables),
              5: len(module.mems), 6: len(module.globals), 7: len(module.exports), 9: len(module.elems),
              10: len(module.funcs), 11: len(module.datas)}
    lines = [f"{filename}:\tfile format wasm 0x{int.from_bytes(data[4:8], 'little'):x}", "", "Sections:", ""]
    for section_id, start, end, body in sections:
        name = SECTION_NAMES.get(section_id, f"Unknown({section_id})")
        head = f"{name:>9} start={start:#010x} end={end:#010x} (size={end - start:#010x})"
        if section_id == 0:
            custom_name_len, p = read_u32(body, 0)
            custom = body[p:p + custom_name_len].decode("utf-8", "replace")
            lines.append(f'{head} "{custom}"')
        elif section_id == 8:
            lines.append(f"{head} start: {module.start}")
        elif section_id == 12:
            lines.append(f"{head} count: {module.data_count}")
        else:
            lines.append(f"{head} count: {counts.get(section_id, 0)}")

    lines += ["", "Section Details:", ""]
    if module.types:
        lines.append(f"Type[{len(module.types)}]:")
        lines += [f" - type[{i}] {_functype(t)}" for i, t in enumerate(module.types)]
    if module.imports:
        lines.append(f"Import[{len(module.imports)}]:")
        index = dict.fromkeys(_KIND_NAMES, 0)
        for imp in module.imports:
            lines.append(f"{entity(index[imp.kind], imp.desc)} <- {imp.module}.{imp.name}")
            index[imp.kind] += 1
    if module.funcs:
        base = nimported[ExternKind.FUNC]
        lines.append(f"Function[{len(module.funcs)}]:")
        lines += [entity(base + i, f.type_index) for i, f in enumerate(module.funcs)]
    if module.tables:
        base = nimported[ExternKind.TABLE]
        lines.append(f"Table[{len(module.tables)}]:")
        lines += [entity(base + i, t) for i, t in enumerate(module.tables)]
    if module.mems:
        base = nimported[ExternKind.MEMORY]
        lines.append(f"Memory[{len(module.mems)}]:")
        lines += [entity(base + i, m) for i, m in enumerate(module.mems)]
    if module.globals:
        base = nimported[ExternKind.GLOBAL]
        lines.append(f"Global[{len(module.globals)}]:")
        lines += [f"{entity(base + i, g.type)} - init {_init(g.init)}" for i, g in enumerate(module.globals)]
    if module.exports:
        lines.append(f"Export[{len(module.exports)}]:")
        for e in module.exports:
            extra = fname(e.index) if e.kind == ExternKind.FUNC else ""
            lines.append(f" - {_KIND_NAMES[e.kind]}[{e.index}]{extra} -> \"{e.name}\"")
    if module.start is not None:
        lines.append(f"Start:\n - start function: {module.start}{fname(module.start)}")
    if module.elems:
        lines.append(f"Elem[{len(module.elems)}]:")
        for i, seg in enumerate(module.elems):
            mode = {ElemMode.ACTIVE: "active", ElemMode.PASSIVE: "passive"}.get(seg.mode, "declarative")
            where = f" table={seg.table} - init {_init(seg.offset)}" if seg.mode == ElemMode.ACTIVE and \
                seg.offset is not None else ""
            lines.append(f" - segment[{i}] {mode} count={len(seg.init)}{where}")
    if module.funcs:
        code = [b for s, _, _, b in sections if s == 10]
        total = len(code[0]) if code else 0
        lines.append(f"Code[{len(module.funcs)}]: {total} bytes")
    if module.datas:
        lines.append(f"Data[{len(module.datas)}]:")
        for i, data_seg in enumerate(module.datas):
            if data_seg.mode == DataMode.ACTIVE and data_seg.offset is not None:
                lines.append(f" - segment[{i}] memory={data_seg.memory} size={len(data_seg.data)} - init "
                             f"{_init(data_seg.offset)}")
            else:
                lines.append(f" - segment[{i}] passive size={len(data_seg.data)}")
    customs = [(s, b) for s, _, _, b in sections if s == 0]
    if customs:
        lines.append(f"Custom[{len(customs)}]:")
        for _, body in customs:
            n, p = read_u32(body, 0)
            lines.append(f" - \"{body[p:p + n].decode('utf-8', 'replace')}\" size={len(body) - p - n}")
    return "\n".join(lines) + "\n"


def _inspect(args: argparse.Namespace) -> int:
    return module_file_command(args.file, lambda data: describe(data, args.file))


def register(sub: Any) -> None:
    p = sub.add_parser("inspect", help="list a module's sections, types, imports, exports, memories, data",
                       description="Describe a module's contents, like `wasm-objdump -h -x`: sections with "
                                   "their byte ranges, types, imports, exports, tables, memories, globals, "
                                   "element and data segments with sizes, custom sections.")
    p.add_argument("file", help="the .wasm module")
    p.set_defaults(func=_inspect)
