"""Modules in the text format (spec 6.6 "Modules"): types, type uses with
their implicit type definitions (6.6.3), imports, functions, tables,
memories, globals, exports, start, element and data segments, with every
abbreviation (inline imports/exports, inline ``elem``/``data``, ``offset``
and ``item`` forms), and identifiers in every index space (6.6.1 "Indices").

Parsing runs in two passes over the token stream: the first binds every
identifier to its index (identifiers may be used before their definition)
and reads the explicit type definitions; the second builds the
:class:`~..syntax.module.Module` that the binary decoder would produce for
the same module.
"""

from __future__ import annotations

from ..binary.opcodes import Opcode
from ..syntax.module import (
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
    TypeIndex,
)
from ..syntax.types import PAGE_SIZE, ExternKind, FuncType, GlobalType, Limits, MemoryType, TableType, ValType
from .errors import TextFormatError
from .instructions import OPCODES, InstructionParser
from .lexer import ATOM, EOF, ID, LPAR, RPAR, STRING, Tokens, decode_name, decode_source, decode_string, tokenize
from .numbers import LiteralRangeError, parse_float, parse_nat, parse_u32

__all__ = ["parse_module", "parse_module_source", "ModuleParser", "is_known_atom"]

_KEYWORDS = frozenset(
    """module type func param result import export table memory global elem data start local mut
    offset item declare then else end block loop if funcref externref extern binary quote register
    invoke get assert_return assert_trap assert_exhaustion assert_malformed assert_invalid
    assert_unlinkable assert_uninstantiable either ref.extern nan:canonical nan:arithmetic
    i8x16 i16x8 i32x4 i64x2 f32x4 f64x2 i32 i64 f32 f64 v128""".split()
)

_VALTYPES = {
    "i32": ValType.I32, "i64": ValType.I64, "f32": ValType.F32, "f64": ValType.F64, "v128": ValType.V128,
    "funcref": ValType.FUNCREF, "externref": ValType.EXTERNREF,
}  # fmt: skip
_REFTYPES = {"funcref": ValType.FUNCREF, "externref": ValType.EXTERNREF}
_SPACE_NAMES = {
    "type": "type", "func": "function", "table": "table", "memory": "memory", "global": "global",
    "elem": "elem segment", "data": "data segment",
}  # fmt: skip
_KIND_OF = {
    "func": ExternKind.FUNC,
    "table": ExternKind.TABLE,
    "memory": ExternKind.MEMORY,
    "global": ExternKind.GLOBAL,
}
_DEFINITION_WORD = {"func": "function", "table": "table", "memory": "memory", "global": "global"}
_END = Opcode.END


def is_known_atom(text: str) -> bool:
    """Whether ``text`` is a keyword, an instruction name or a number of the text format."""
    if text in _KEYWORDS or text in OPCODES:
        return True
    if text.startswith(("offset=", "align=")):
        return parse_nat(text.partition("=")[2]) is not None
    try:
        return parse_float(text, 64) is not None
    except LiteralRangeError:
        return True


def parse_module(text: str | bytes, filename: str = "<input>") -> Module:
    """Parse a module in the text format (spec 6.6) into the module model.

    ``text`` is either ``(module ...)`` or a bare sequence of module fields
    (spec 6.6.13 abbreviation). ``(module binary "...")`` and
    ``(module quote "...")`` are accepted too. The ``offset`` of every
    instruction (and function) is a character offset into the text.

    Raises:
        TextFormatError: the text is malformed (with line, column and token).
        MalformedError: a ``(module binary ...)`` whose bytes do not decode.
    """
    return parse_module_source(text, filename)[0]


def parse_module_source(text: str | bytes, filename: str = "<input>") -> tuple[Module, str | None]:
    """:func:`parse_module`, also returning the source text that the module's
    instruction offsets index: ``text`` itself, the quoted text of a
    ``(module quote ...)``, or ``None`` for a ``(module binary ...)`` (whose
    offsets are byte offsets of the binary).

    Raises:
        TextFormatError: the text is malformed (with line, column and token).
        MalformedError: a ``(module binary ...)`` whose bytes do not decode.
    """
    if isinstance(text, (bytes, bytearray, memoryview)):
        text = decode_source(text, filename)
    toks = tokenize(text, filename)
    p = ModuleParser(toks)
    if toks.kinds[0] == LPAR and toks.texts[1] == "module":
        module, end = p.module_command(0)
        if toks.kinds[end] != EOF:
            raise toks.error("unexpected token", end)
        return module, p.positions_source
    return p.module_fields(0, len(toks.kinds) - 1, None), text


class ModuleParser(InstructionParser):
    """The state of parsing one token stream; see :func:`parse_module`."""

    def __init__(self, toks: Tokens, depth: int = 0) -> None:
        self.toks = toks
        self.kinds = toks.kinds
        self.texts = toks.texts
        self.starts = toks.starts
        self.close = toks.close
        self.depth = depth
        # the text that the instruction offsets of the parsed module index (see parse_module_source)
        self.positions_source: str | None = toks.source
        self._reset()

    def _reset(self) -> None:
        self.types: list[FuncType] = []
        self.symbols: dict[str, dict[str, int]] = {k: {} for k in _SPACE_NAMES}
        self.uses_data_index = False
        self.pending_error: TextFormatError | None = None

    # -- token helpers ------------------------------------------------------------
    def err(self, message: str, i: int) -> TextFormatError:
        if message in ("unexpected token", "unknown operator") and self.kinds[i] == ATOM:
            # as in the reference lexer, a word that is no keyword and no number is an
            # "unknown operator" wherever it appears; a misplaced keyword is "unexpected"
            text = self.texts[i]
            message = "unexpected token" if is_known_atom(text) else f"unknown operator {text}"
        return self.toks.error(message, i)

    def expect(self, i: int, kind: int, what: str = "unexpected token") -> int:
        if self.kinds[i] != kind:
            raise self.err(what, i)
        return i + 1

    def u32(self, i: int) -> int:
        if self.kinds[i] != ATOM:
            raise self.err("unexpected token", i)
        try:
            value = parse_u32(self.texts[i])
        except LiteralRangeError as exc:
            raise self.err(str(exc), i) from None
        if value is None:
            raise self.err("unexpected token", i)
        return value

    def is_var(self, i: int) -> bool:
        kind = self.kinds[i]
        return kind == ID or (kind == ATOM and self.texts[i][:1].isdigit())

    def var(self, i: int, space: str) -> int:
        if self.kinds[i] == ID:
            index = self.symbols[space].get(self.texts[i])
            if index is None:
                raise self.err(f"unknown {_SPACE_NAMES[space]}", i)
            return index
        return self.u32(i)

    def name(self, i: int) -> str:
        if self.kinds[i] != STRING:
            raise self.err("unexpected token", i)  # self.err may call it an "unknown operator"
        return decode_name(self.toks, i)

    def is_field(self, i: int, keyword: str) -> bool:
        return self.kinds[i] == LPAR and self.texts[i + 1] == keyword and self.kinds[i + 1] == ATOM

    def bind(self, i: int, space: str, index: int) -> None:
        """Bind the identifier at token ``i`` (if any) in ``space``."""
        if self.kinds[i] == ID:
            table = self.symbols[space]
            name = self.texts[i]
            if name in table:
                raise self.err(f"duplicate {space}", i)
            table[name] = index

    # -- types ----------------------------------------------------------------------
    def valtype(self, i: int) -> ValType:
        vt = _VALTYPES.get(self.texts[i]) if self.kinds[i] == ATOM else None
        if vt is None:
            raise self.err("unexpected token", i)
        return vt

    def valtypes(self, i: int, end: int) -> list[ValType]:
        return [self.valtype(j) for j in range(i, end)]

    def params_results(
        self, i: int, allow_names: bool
    ) -> tuple[int, list[ValType], list[ValType], list[str | None], bool]:
        """``(param ...)* (result ...)*`` from token ``i``; returns the next
        index, params, results, param identifiers and whether any clause was seen."""
        params: list[ValType] = []
        results: list[ValType] = []
        names: list[str | None] = []
        seen = False
        kinds, texts, close = self.kinds, self.texts, self.close
        while kinds[i] == LPAR and texts[i + 1] == "param":
            seen = True
            c = close[i]
            if kinds[i + 2] == ID:
                if not allow_names:
                    raise self.err("unexpected token", i + 2)
                if c != i + 4:
                    raise self.err("unexpected token", i + 4)
                params.append(self.valtype(i + 3))
                names.append(texts[i + 2])
            else:
                for j in range(i + 2, c):
                    params.append(self.valtype(j))
                    names.append(None)
            i = c + 1
        while kinds[i] == LPAR and texts[i + 1] == "result":
            seen = True
            c = close[i]
            results.extend(self.valtypes(i + 2, c))
            i = c + 1
        return i, params, results, names, seen

    def intern_type(self, ft: FuncType) -> int:
        """The index of ``ft``, appending an implicit definition if needed (spec 6.6.3)."""
        try:
            return self.types.index(ft)
        except ValueError:
            self.types.append(ft)
            return len(self.types) - 1

    def type_use(self, i: int, allow_names: bool = True) -> tuple[int, int, list[str | None]]:
        """A ``typeuse`` (spec 6.6.3): returns next index, type index and
        the parameter identifiers.

        Raises:
            TextFormatError: unknown type, or inline types that differ from
                the referenced definition ("inline function type").
        """
        explicit = None
        start = i
        if self.is_field(i, "type"):
            c = self.close[i]
            if c != i + 3:
                raise self.err("unexpected token", i + 3)
            explicit = self.var(i + 2, "type")
            i = c + 1
        i, params, results, names, seen = self.params_results(i, allow_names)
        if self.kinds[i] == LPAR and self.kinds[i + 1] == ATOM and self.texts[i + 1] in ("type", "param", "result"):
            raise self.err("unexpected token", i + 1)
        ft = FuncType(tuple(params), tuple(results))
        if explicit is not None:
            # an index beyond the types is left for validation ("unknown type")
            known = explicit < len(self.types)
            if seen and not known:
                raise self.err("unknown type", start + 2)
            if seen and known and self.types[explicit] != ft:
                raise self.err("inline function type", start)
            if not seen:
                names = [None] * (len(self.types[explicit].params) if known else 0)
            return i, explicit, names
        return i, self.intern_type(ft), names

    def block_type(self, i: int) -> tuple[int, object]:
        """A ``blocktype`` (spec 6.5.2): ``None``, a value type or a :class:`TypeIndex`."""
        kinds, texts = self.kinds, self.texts
        if kinds[i] != LPAR or texts[i + 1] not in ("type", "param", "result"):
            return i, None
        if texts[i + 1] == "result" and not self.is_field(self.close[i] + 1, "result"):
            c = self.close[i]
            if c == i + 2:
                return c + 1, None
            if c == i + 3:
                return c + 1, self.valtype(i + 2)
        i, index, _ = self.type_use(i, allow_names=False)
        return i, TypeIndex(index)

    def limits(self, i: int, end: int) -> tuple[Limits, int]:
        lo = self.u32(i)
        i += 1
        hi = None
        if i < end and self.kinds[i] == ATOM and self.texts[i][:1].isdigit():
            hi = self.u32(i)
            i += 1
        return Limits(lo, hi), i

    def table_type(self, i: int, end: int) -> TableType:
        limits, i = self.limits(i, end)
        ref = _REFTYPES.get(self.texts[i]) if self.kinds[i] == ATOM else None
        if ref is None:
            raise self.err("unexpected token", i)
        self.expect(i + 1, RPAR)
        return TableType(limits, ref)

    def memory_type(self, i: int, end: int) -> MemoryType:
        limits, i = self.limits(i, end)
        self.expect(i, RPAR)
        return MemoryType(limits)

    def global_type(self, i: int) -> tuple[GlobalType, int]:
        if self.is_field(i, "mut"):
            c = self.close[i]
            if c != i + 3:
                raise self.err("unexpected token", i + 2 if c == i + 2 else i + 3)
            return GlobalType(self.valtype(i + 2), True), c + 1
        return GlobalType(self.valtype(i), False), i + 1

    # -- module -----------------------------------------------------------------------
    def module_command(self, i: int) -> tuple[Module, int]:
        """``(module $id? field*)`` at token ``i`` (also ``binary``/``quote`` forms);
        returns the module and the index after its ``)``."""
        c = self.close[i]
        j = i + 2
        name = None
        if self.kinds[j] == ID:
            name = self.texts[j]
            j += 1
        if self.kinds[j] == ATOM and self.texts[j] in ("binary", "quote"):
            data = self.strings(j + 1, c)
            if self.texts[j] == "binary":
                from ..binary.decode import decode_module

                self.positions_source = None  # offsets are byte offsets into the binary
                return decode_module(data), c + 1
            if self.depth > 8:
                raise self.err("module quote nested too deeply", j)
            source = decode_source(data, self.toks.filename)
            inner = tokenize(source, self.toks.filename)
            parser = ModuleParser(inner, self.depth + 1)
            if inner.kinds[0] == LPAR and inner.texts[1] == "module":
                module, k = parser.module_command(0)  # the quoted text may be a whole (module ...)
                if inner.kinds[k] != EOF:
                    raise inner.error("unexpected token", k)
            else:
                module = parser.module_fields(0, len(inner.kinds) - 1, name)
            self.positions_source = parser.positions_source  # offsets index the quoted text
            return module, c + 1
        return self.module_fields(j, c, name), c + 1

    def strings(self, i: int, end: int) -> bytes:
        out = bytearray()
        for j in range(i, end):
            if self.kinds[j] != STRING:
                raise self.err("unexpected token", j)
            out += decode_string(self.toks, j)
        return bytes(out)

    def module_fields(self, start: int, end: int, name: str | None) -> Module:
        """Parse module fields from token ``start`` to ``end`` (exclusive)."""
        self._reset()
        fields = self._bind_fields(start, end)
        module = _ModuleBuilder(self, fields, name).build()
        if self.pending_error is not None:
            raise self.pending_error
        return module

    def _bind_fields(self, start: int, end: int) -> list[tuple[int, str]]:
        """First pass: identifiers, counts, explicit types, field order rules."""
        kinds, texts, close = self.kinds, self.texts, self.close
        counts = dict.fromkeys(_SPACE_NAMES, 0)
        fields: list[tuple[int, str]] = []
        defined: str | None = None  # first kind of definition seen (for "import after ...")
        i = start
        while i < end:
            if kinds[i] == RPAR and close[i] < 0:
                # a stray ')': report it after the fields before it (as a streaming parser would)
                self.pending_error = self.err("unexpected token", i)
                break
            if kinds[i] != LPAR or kinds[i + 1] != ATOM:
                raise self.err("unexpected token", i if kinds[i] != LPAR else i + 1)
            kw = texts[i + 1]
            c = close[i]
            fields.append((i, kw))
            j = i + 2
            if kw == "type":
                self.bind(j, "type", counts["type"])
                if kinds[j] == ID:
                    j += 1
                if not self.is_field(j, "func") or close[j] + 1 != c:
                    raise self.err("unexpected token", j)
                k, params, results, _names, _ = self.params_results(j + 2, True)
                self.expect(k, RPAR)
                self.types.append(FuncType(tuple(params), tuple(results)))
                counts["type"] += 1
            elif kw == "import":
                k = j
                self.name(k)
                self.name(k + 1)
                k += 2
                if kinds[k] != LPAR or texts[k + 1] not in _KIND_OF or close[k] + 1 != c:
                    raise self.err("unexpected token", k + 1 if kinds[k] == LPAR else k)
                space = texts[k + 1]
                if defined is not None:
                    raise self.err(f"import after {_DEFINITION_WORD[defined]}", i)
                self.bind(k + 2, space, counts[space])
                counts[space] += 1
            elif kw in _KIND_OF:
                self.bind(j, kw, counts[kw])
                counts[kw] += 1
                if kinds[j] == ID:
                    j += 1
                while self.is_field(j, "export"):
                    j = close[j] + 1
                if self.is_field(j, "import"):
                    if defined is not None:
                        raise self.err(f"import after {_DEFINITION_WORD[defined]}", j)
                elif defined is None:
                    defined = kw
                if kw == "table" and kinds[j] == ATOM and texts[j] in _REFTYPES and self.is_field(j + 1, "elem"):
                    counts["elem"] += 1
                if kw == "memory" and self.is_field(j, "data"):
                    counts["data"] += 1
            elif kw in ("elem", "data"):
                self.bind(j, kw, counts[kw])
                counts[kw] += 1
            elif kw not in ("export", "start"):
                raise self.err("unexpected token", i + 1)
            i = c + 1
        if i != end and self.pending_error is None:
            raise self.err("unexpected token", i)
        return fields

    # -- constant and function expressions ----------------------------------------
    def expr(self, i: int, end: int, local_names: dict[str, int] | None = None, end_tok: int | None = None) -> Expr:
        """``instr*`` from token ``i`` to ``end`` (exclusive) and the implicit final
        ``end``, placed at token ``end_tok`` (default ``end``: the closing parenthesis)."""
        out = self.parse_instrs(i, end, local_names)
        out.append(Instruction(_END, None, self.starts[end if end_tok is None else end_tok]))
        return tuple(out)


class _ModuleBuilder:
    """Second pass: build the module from the bound fields."""

    def __init__(self, p: ModuleParser, fields: list[tuple[int, str]], name: str | None) -> None:
        self.p = p
        self.fields = fields
        self.imports: list[Import] = []
        self.funcs: list[Function] = []
        self.tables: list[TableType] = []
        self.mems: list[MemoryType] = []
        self.globals: list[Global] = []
        self.exports: list[Export] = []
        self.elems: list[ElementSegment] = []
        self.datas: list[DataSegment] = []
        self.start: int | None = None
        self.counts = dict.fromkeys(_KIND_OF, 0)
        self.names = NameMap(module=name[1:] if name else None)

    def build(self) -> Module:
        p = self.p
        for i, kw in self.fields:
            c = p.close[i]
            if kw == "type":
                continue
            getattr(self, "field_" + kw)(i + 2, c)
        # function bodies after all signatures, in text order (implicit types stay in text order
        # because bodies are parsed in the same left-to-right sweep as everything else)
        return Module(
            types=tuple(p.types),
            imports=tuple(self.imports),
            funcs=tuple(self.funcs),
            tables=tuple(self.tables),
            mems=tuple(self.mems),
            globals=tuple(self.globals),
            exports=tuple(self.exports),
            start=self.start,
            elems=tuple(self.elems),
            datas=tuple(self.datas),
            data_count=len(self.datas) if p.uses_data_index else None,
            names=self.names,
        )

    def _index(self, kw: str) -> int:
        index = self.counts[kw]
        self.counts[kw] += 1
        return index

    def _exports(self, j: int, kw: str, index: int) -> int:
        p = self.p
        while p.is_field(j, "export"):
            c = p.close[j]
            if c != j + 3:
                raise p.err("unexpected token", j + 3)
            self.exports.append(Export(p.name(j + 2), _KIND_OF[kw], index))
            j = c + 1
        return j

    def _inline_import(self, j: int) -> tuple[str, str, int] | None:
        p = self.p
        if not p.is_field(j, "import"):
            return None
        c = p.close[j]
        if c != j + 4:
            raise p.err("unexpected token", j + 4)
        return p.name(j + 2), p.name(j + 3), c + 1

    def _head(self, i: int, kw: str) -> tuple[int, int, tuple[str, str, int] | None]:
        index = self._index(kw)
        if self.p.kinds[i] == ID:
            i += 1
        i = self._exports(i, kw, index)
        return i, index, self._inline_import(i)

    # -- fields ------------------------------------------------------------------------
    def field_import(self, i: int, end: int) -> None:
        p = self.p
        module, name = p.name(i), p.name(i + 1)
        j = i + 2
        kw = p.texts[j + 1]
        c = p.close[j]
        index = self._index(kw)
        k = j + 2
        if p.kinds[k] == ID:
            if kw == "func":
                self.names.functions[index] = p.texts[k][1:]
            k += 1
        self.imports.append(Import(module, name, _KIND_OF[kw], self._import_desc(kw, k, c, index)))

    def _import_desc(self, kw: str, k: int, c: int, index: int) -> int | TableType | MemoryType | GlobalType:
        p = self.p
        if kw == "func":
            k, type_index, names = p.type_use(k)
            p.expect(k, RPAR)
            self._record_names(index, names)
            return type_index
        if kw == "table":
            return p.table_type(k, c)
        if kw == "memory":
            return p.memory_type(k, c)
        gt, k = p.global_type(k)
        p.expect(k, RPAR)
        return gt

    def _add_inline_import(self, imp: tuple[str, str, int], kw: str, end: int, index: int) -> None:
        """``(func|table|memory|global id? (export ..)* (import "m" "n") desc)``: an import."""
        module, name, j = imp
        self.imports.append(Import(module, name, _KIND_OF[kw], self._import_desc(kw, j, end, index)))

    def _record_names(self, index: int, names: list[str | None]) -> None:
        local = {n: name[1:] for n, name in enumerate(names) if name}
        if local:
            self.names.locals[index] = local

    def field_func(self, i: int, end: int) -> None:
        p = self.p
        ident = p.texts[i] if p.kinds[i] == ID else None
        j, index, imp = self._head(i, "func")
        if ident:
            self.names.functions[index] = ident[1:]
        if imp is not None:
            self._add_inline_import(imp, "func", end, index)
            return
        j, type_index, names = p.type_use(j)
        local_names: dict[str, int] = {}
        for n, nm in enumerate(names):
            if nm is not None:
                if nm in local_names:
                    raise p.err("duplicate local", j)
                local_names[nm] = n
        n = len(names)
        locals_: list[ValType] = []
        kinds, texts, close = p.kinds, p.texts, p.close
        while p.is_field(j, "local"):
            c = close[j]
            if kinds[j + 2] == ID:
                if c != j + 4:
                    raise p.err("unexpected token", j + 4)
                nm = texts[j + 2]
                if nm in local_names:
                    raise p.err("duplicate local", j + 2)
                local_names[nm] = n
                locals_.append(p.valtype(j + 3))
                n += 1
            else:
                for k in range(j + 2, c):
                    locals_.append(p.valtype(k))
                    n += 1
            j = c + 1
        if local_names:
            self.names.locals[index] = {v: k[1:] for k, v in local_names.items()}
        body = p.expr(j, end, local_names)
        self.funcs.append(Function(type_index, tuple(locals_), body, p.starts[i - 2]))  # at the field's '('

    def field_table(self, i: int, end: int) -> None:
        p = self.p
        j, index, imp = self._head(i, "table")
        if imp is not None:
            self._add_inline_import(imp, "table", end, index)
            return
        kinds, texts = p.kinds, p.texts
        if kinds[j] == ATOM and texts[j] in _REFTYPES:
            ref = _REFTYPES[texts[j]]
            if not p.is_field(j + 1, "elem") or p.close[j + 1] + 1 != end:
                raise p.err("unexpected token", j + 1)
            k = j + 3
            c = p.close[j + 1]
            if k < c and kinds[k] == LPAR:
                init = self._elem_exprs(k, c)
            else:
                init = tuple(self._ref_func(p.var(m, "func"), m) for m in range(k, c))
            n = len(init)
            self.tables.append(TableType(Limits(n, n), ref))
            self.elems.append(ElementSegment(ref, init, ElemMode.ACTIVE, index, self._const0(j + 1)))
            return
        self.tables.append(p.table_type(j, end))

    def field_memory(self, i: int, end: int) -> None:
        p = self.p
        j, index, imp = self._head(i, "memory")
        if imp is not None:
            self._add_inline_import(imp, "memory", end, index)
            return
        if p.is_field(j, "data"):
            c = p.close[j]
            if c + 1 != end:
                raise p.err("unexpected token", c + 1)
            data = p.strings(j + 2, c)
            pages = (len(data) + PAGE_SIZE - 1) // PAGE_SIZE
            self.mems.append(MemoryType(Limits(pages, pages)))
            self.datas.append(DataSegment(data, DataMode.ACTIVE, index, self._const0(j)))
            return
        self.mems.append(p.memory_type(j, end))

    def field_global(self, i: int, end: int) -> None:
        p = self.p
        j, index, imp = self._head(i, "global")
        if imp is not None:
            self._add_inline_import(imp, "global", end, index)
            return
        gt, j = p.global_type(j)
        self.globals.append(Global(gt, p.expr(j, end)))

    def field_export(self, i: int, end: int) -> None:
        p = self.p
        name = p.name(i)
        j = i + 1
        if p.kinds[j] != LPAR or p.texts[j + 1] not in _KIND_OF or p.close[j] != j + 3 or j + 4 != end:
            raise p.err("unexpected token", j)
        kw = p.texts[j + 1]
        self.exports.append(Export(name, _KIND_OF[kw], p.var(j + 2, kw)))

    def field_start(self, i: int, end: int) -> None:
        p = self.p
        if self.start is not None:
            raise p.err("multiple start sections", i - 1)
        if end != i + 1:
            raise p.err("unexpected token", i + 1)
        self.start = p.var(i, "func")

    # -- segments --------------------------------------------------------------------------
    def _const0(self, tok: int) -> Expr:
        """The offset ``(i32.const 0)`` of an inline segment, placed at token ``tok``."""
        pos = self.p.starts[tok]
        return (Instruction(Opcode.I32_CONST, 0, pos), Instruction(_END, None, pos))

    def _ref_func(self, index: int, tok: int) -> Expr:
        """``(ref.func index)`` of a function-index element list, placed at token ``tok``."""
        pos = self.p.starts[tok]
        return (Instruction(Opcode.REF_FUNC, index, pos), Instruction(_END, None, pos))

    def _offset(self, j: int) -> tuple[Expr, int]:
        p = self.p
        if p.kinds[j] != LPAR:
            raise p.err("unexpected token", j)
        c = p.close[j]
        if p.texts[j + 1] == "offset" and p.kinds[j + 1] == ATOM:
            return p.expr(j + 2, c), c + 1
        return p.expr(j, c + 1, end_tok=c), c + 1

    def _elem_exprs(self, k: int, end: int) -> tuple[Expr, ...]:
        p = self.p
        out = []
        while k < end:
            if p.kinds[k] != LPAR:
                raise p.err("unexpected token", k)
            c = p.close[k]
            if p.texts[k + 1] == "item" and p.kinds[k + 1] == ATOM:
                out.append(p.expr(k + 2, c))
            else:
                out.append(p.expr(k, c + 1, end_tok=c))
            k = c + 1
        return tuple(out)

    def _elem_list(self, j: int, end: int, legacy: bool) -> tuple[ValType, tuple[Expr, ...]]:
        p = self.p
        kinds, texts = p.kinds, p.texts
        if kinds[j] == ATOM and texts[j] == "func":
            return ValType.FUNCREF, tuple(self._ref_func(p.var(m, "func"), m) for m in range(j + 1, end))
        if kinds[j] == ATOM and texts[j] in _REFTYPES:
            return _REFTYPES[texts[j]], self._elem_exprs(j + 1, end)
        if legacy:
            return ValType.FUNCREF, tuple(self._ref_func(p.var(m, "func"), m) for m in range(j, end))
        raise p.err("unexpected token", j)

    def field_elem(self, i: int, end: int) -> None:
        p = self.p
        kinds, texts = p.kinds, p.texts
        j = i + 1 if kinds[i] == ID else i
        if kinds[j] == ATOM and texts[j] == "declare":
            ty, init = self._elem_list(j + 1, end, False)
            self.elems.append(ElementSegment(ty, init, ElemMode.DECLARATIVE))
            return
        if kinds[j] == ATOM and (texts[j] == "func" or texts[j] in _REFTYPES):
            ty, init = self._elem_list(j, end, False)
            self.elems.append(ElementSegment(ty, init, ElemMode.PASSIVE))
            return
        table = 0
        legacy = True
        if p.is_field(j, "table"):
            c = p.close[j]
            if c != j + 3:
                raise p.err("unexpected token", j + 3)
            table = p.var(j + 2, "table")
            j = c + 1
            legacy = False
        elif p.is_var(j):
            table = p.var(j, "table")
            j += 1
        offset, j = self._offset(j)
        ty, init = self._elem_list(j, end, legacy)
        self.elems.append(ElementSegment(ty, init, ElemMode.ACTIVE, table, offset))

    def field_data(self, i: int, end: int) -> None:
        p = self.p
        j = i + 1 if p.kinds[i] == ID else i
        if j == end or p.kinds[j] == STRING:
            self.datas.append(DataSegment(p.strings(j, end), DataMode.PASSIVE))
            return
        memory = 0
        if p.is_field(j, "memory"):
            c = p.close[j]
            if c != j + 3:
                raise p.err("unexpected token", j + 3)
            memory = p.var(j + 2, "memory")
            j = c + 1
        elif p.is_var(j):
            memory = p.var(j, "memory")
            j += 1
        offset, j = self._offset(j)
        self.datas.append(DataSegment(p.strings(j, end), DataMode.ACTIVE, memory, offset))
