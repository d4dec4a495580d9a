"""Recursive-descent parser of WIT files (component-model ``design/mvp/WIT.md``, "Lexical structure" to "Gates").

:func:`parse_file` reads one file into an :class:`~.ast.File`: the optional
``package`` header, top-level interfaces, worlds and ``use`` statements, and
nested ``package ns:name { ... }`` blocks.  Type expressions may nest at most
:data:`MAX_TYPE_DEPTH` levels, so hostile input cannot exhaust Python's stack.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from . import ast
from .lexer import Source, Token, describe, tokenize
from .semver import is_valid

__all__ = ["MAX_TYPE_DEPTH", "parse_file"]

MAX_TYPE_DEPTH = 100

T = TypeVar("T")

_PRIMS = frozenset("bool u8 u16 u32 u64 s8 s16 s32 s64 f32 f64 char string error-context".split())


class _Parser:
    __slots__ = ("src", "toks", "i")

    def __init__(self, src: Source) -> None:
        self.src = src
        self.toks = tokenize(src)
        self.i = 0

    # ---- token helpers -----------------------------------------------------

    def peek(self, k: int = 0) -> Token:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else self.toks[-1]

    def next(self) -> Token:
        tok = self.toks[self.i]
        if self.i < len(self.toks) - 1:
            self.i += 1
        return tok

    def span(self, tok: Token) -> ast.Span:
        return ast.Span(self.src, tok.start, tok.end)

    def fail(self, expected: str, tok: Token | None = None, point: bool = False) -> Exception:
        """An "expected …, found …" error under the found token (``point``: a bare caret, as
        wit-parser shows for a missing punctuation or keyword)."""
        tok = tok or self.peek()
        return self.src.error(f"expected {expected}, found {describe(tok)}", tok.start,
                              tok.start if point else tok.end)

    def eat(self, kind: str) -> bool:
        if self.peek().kind == kind:
            self.next()
            return True
        return False

    def expect(self, kind: str) -> Token:
        tok = self.peek()
        if tok.kind != kind:
            raise self.fail(f"keyword `{kind}`" if kind[0].isalpha() else f"'{kind}'", point=True)
        return self.next()

    def ident(self) -> ast.Id:
        tok = self.peek()
        if tok.kind not in ("id", "explicit-id"):
            raise self.fail("an identifier or string")
        self.next()
        return ast.Id(tok.text, self.span(tok))

    # ---- attributes --------------------------------------------------------

    def attributes(self) -> ast.Attributes:
        docs = self.peek().comments
        gates: list[ast.Gate] = []
        while self.peek().kind == "@":
            at = self.next()
            name = self.ident()
            self.expect("(")
            if name.name == "since":
                key, want = self.ident(), "version"
            elif name.name == "unstable":
                key, want = self.ident(), "feature"
            elif name.name == "deprecated":
                key, want = self.ident(), "version"
            elif name.name == "external-id":
                tok = self.peek()
                if tok.kind != "string":
                    raise self.fail("a string")
                self.next()
                close = self.expect(")")
                gates.append(ast.Gate("external-id", tok.text, ast.Span(self.src, at.start, close.end)))
                continue
            else:
                raise name.span.error(f"unknown attribute `{name.name}`")
            if key.name != want:
                raise key.span.error(f"expected `{want}`, found `{key.name}`")
            self.expect("=")
            if want == "version":
                value = self.version_token()
            else:
                value = self.ident().name
            close = self.expect(")")
            gates.append(ast.Gate(name.name, value, ast.Span(self.src, at.start, close.end)))
        return ast.Attributes(docs, tuple(gates))

    # ---- package names and paths -------------------------------------------

    def version_token(self) -> str:
        tok = self.peek()
        if tok.kind != "version":
            raise self.fail("a version")
        if not is_valid(tok.text):
            raise self.src.error(f"`{tok.text}` is not a valid semantic version", tok.start, tok.end)
        self.next()
        return tok.text

    def version(self) -> str | None:
        if self.peek().kind != "@":
            return None
        self.next()
        return self.version_token()

    def package_name(self) -> ast.PackageName:
        first = self.peek()
        ns = self.ident()
        self.expect(":")
        name = self.ident()
        version = self.version()
        end = self.toks[self.i - 1].end
        return ast.PackageName(ns.name, name.name, version, ast.Span(self.src, first.start, end))

    def use_path(self) -> ast.UsePath:
        first = self.ident()
        if self.peek().kind != ":":
            return ast.UsePath(None, first)
        self.next()
        pkg = self.ident()
        self.expect("/")
        name = self.ident()
        version = self.version()
        end = self.toks[self.i - 1].end if version is not None else pkg.span.end
        pname = ast.PackageName(first.name, pkg.name, version, ast.Span(self.src, first.span.start, end))
        return ast.UsePath(pname, name)

    # ---- types -------------------------------------------------------------

    def type_(self, depth: int = 0) -> ast.TypeExpr:
        tok = self.peek()
        if depth >= MAX_TYPE_DEPTH:
            raise self.src.error("type nesting too deep", tok.start, tok.end)
        kind = tok.kind
        if kind in _PRIMS:
            self.next()
            return ast.Prim(kind, self.span(tok))
        if kind in ("id", "explicit-id"):
            return ast.Named(self.ident())
        if kind == "list":
            self.next()
            self.expect("<")
            elem = self.type_(depth + 1)
            if self.eat(","):
                size_tok = self.peek()
                if size_tok.kind != "int":
                    raise self.fail("fixed-length")
                self.next()
                end = self.expect(">")
                return ast.FixedList(elem, int(size_tok.text), ast.Span(self.src, tok.start, end.end))
            end = self.expect(">")
            return ast.ListType(elem, ast.Span(self.src, tok.start, end.end))
        if kind == "map":
            self.next()
            self.expect("<")
            key = self.type_(depth + 1)
            self.expect(",")
            value = self.type_(depth + 1)
            end = self.expect(">")
            return ast.MapType(key, value, ast.Span(self.src, tok.start, end.end))
        if kind in ("own", "borrow"):
            self.next()
            self.expect("<")
            res = self.ident()
            end = self.expect(">")
            return ast.Handle(kind == "own", res, ast.Span(self.src, tok.start, end.end))
        if kind == "tuple":
            self.next()
            self.expect("<")
            types: list[ast.TypeExpr] = []
            while self.peek().kind != ">":
                types.append(self.type_(depth + 1))
                if not self.eat(","):
                    break
            end = self.expect(">")
            return ast.TupleType(tuple(types), ast.Span(self.src, tok.start, end.end))
        if kind == "option":
            self.next()
            self.expect("<")
            elem = self.type_(depth + 1)
            end = self.expect(">")
            return ast.OptionType(elem, ast.Span(self.src, tok.start, end.end))
        if kind == "result":
            self.next()
            if not self.eat("<"):
                return ast.ResultType(None, None, self.span(tok))
            ok: ast.TypeExpr | None
            if self.eat("_"):
                ok = None
                self.expect(",")
                err: ast.TypeExpr | None = self.type_(depth + 1)
            else:
                ok = self.type_(depth + 1)
                err = self.type_(depth + 1) if self.eat(",") else None
            end = self.expect(">")
            return ast.ResultType(ok, err, ast.Span(self.src, tok.start, end.end))
        if kind in ("future", "stream"):
            self.next()
            cls = ast.FutureType if kind == "future" else ast.StreamType
            if not self.eat("<"):
                return cls(None, self.span(tok))
            elem = self.type_(depth + 1)
            end = self.expect(">")
            return cls(elem, ast.Span(self.src, tok.start, end.end))
        raise self.fail("a type")

    # ---- functions ---------------------------------------------------------

    def params(self) -> tuple[ast.Param, ...]:
        self.expect("(")
        out: list[ast.Param] = []
        while self.peek().kind != ")":
            name = self.ident()
            self.expect(":")
            out.append(ast.Param(name, self.type_()))
            if not self.eat(","):
                break
        self.expect(")")
        return tuple(out)

    def func_rest(self, start: Token, is_async: bool) -> ast.Func:
        params = self.params()
        result = self.type_() if self.eat("->") else None
        end = self.toks[self.i - 1]
        return ast.Func(is_async, params, result, ast.Span(self.src, start.start, end.end))

    def func_type(self) -> ast.Func:
        """``[async] func(params) [-> T]``."""
        start = self.peek()
        is_async = self.eat("async")
        self.expect("func")
        return self.func_rest(start, is_async)

    # ---- type declarations -------------------------------------------------

    def comma_items(self, parse_one: Callable[[], T]) -> tuple[T, ...]:
        self.expect("{")
        out: list[T] = []
        while self.peek().kind != "}":
            out.append(parse_one())
            if not self.eat(","):
                break
        self.expect("}")
        return tuple(out)

    def docs_only(self) -> ast.Attributes:
        """Fields, flags and cases take docs but no gates."""
        return ast.Attributes(self.peek().comments)

    def field(self) -> ast.Field:
        attrs = self.docs_only()
        name = self.ident()
        self.expect(":")
        return ast.Field(attrs, name, self.type_())

    def flag(self) -> ast.Case:
        attrs = self.docs_only()
        return ast.Case(attrs, self.ident())

    def case(self) -> ast.Case:
        attrs = self.docs_only()
        name = self.ident()
        ty = None
        if self.eat("("):
            ty = self.type_()
            self.expect(")")
        return ast.Case(attrs, name, ty)

    def resource_body(self) -> tuple[ast.ResourceFunc, ...]:
        funcs: list[ast.ResourceFunc] = []
        if self.eat(";"):
            return ()
        self.expect("{")
        while self.peek().kind != "}":
            attrs = self.attributes()
            tok = self.peek()
            if tok.kind == "constructor":
                self.next()
                func = self.func_rest(tok, False)
                funcs.append(ast.ResourceFunc(attrs, "constructor", ast.Id("constructor", self.span(tok)), func))
            elif tok.kind in ("id", "explicit-id"):
                name = self.ident()
                self.expect(":")
                start = self.peek()
                is_static = self.eat("static")
                is_async = self.eat("async")
                self.expect("func")
                func = self.func_rest(start, is_async)
                funcs.append(ast.ResourceFunc(attrs, "static" if is_static else "method", name, func))
            else:
                raise self.fail("`constructor` or identifier")
            self.expect(";")
        self.expect("}")
        return tuple(funcs)

    def type_decl(self, attrs: ast.Attributes) -> ast.TypeDecl:
        tok = self.next()
        kind = tok.kind
        name = self.ident()
        body: ast.Record | ast.Flags | ast.Variant | ast.Enum | ast.Alias | ast.Resource
        if kind == "type":
            self.expect("=")
            body = ast.Alias(self.type_())
            self.expect(";")
        elif kind == "record":
            body = ast.Record(self.comma_items(self.field))
        elif kind == "flags":
            body = ast.Flags(self.comma_items(self.flag))
        elif kind == "variant":
            body = ast.Variant(self.comma_items(self.case))
        elif kind == "enum":
            body = ast.Enum(self.comma_items(self.flag))
        else:  # resource
            body = ast.Resource(self.resource_body())
        return ast.TypeDecl(attrs, name, body)

    # ---- interfaces --------------------------------------------------------

    def use(self, attrs: ast.Attributes) -> ast.Use:
        self.expect("use")
        path = self.use_path()
        self.expect(".")
        self.expect("{")
        names: list[ast.UseName] = []
        while self.peek().kind != "}":
            name = self.ident()
            as_ = self.ident() if self.eat("as") else None
            names.append(ast.UseName(name, as_))
            if not self.eat(","):
                break
        self.expect("}")
        self.expect(";")
        return ast.Use(attrs, path, tuple(names))

    def interface_items(self) -> tuple[ast.TypeDecl | ast.Use | ast.NamedFunc, ...]:
        self.expect("{")
        items: list[ast.TypeDecl | ast.Use | ast.NamedFunc] = []
        while self.peek().kind != "}":
            attrs = self.attributes()
            kind = self.peek().kind
            if kind == "use":
                items.append(self.use(attrs))
            elif kind in ("type", "record", "flags", "variant", "enum", "resource"):
                items.append(self.type_decl(attrs))
            elif kind in ("id", "explicit-id"):
                name = self.ident()
                self.expect(":")
                func = self.func_type()
                self.expect(";")
                items.append(ast.NamedFunc(attrs, name, func))
            else:
                raise self.fail("`type`, `resource` or `func`")
        self.expect("}")
        return tuple(items)

    # ---- worlds ------------------------------------------------------------

    def extern(self, attrs: ast.Attributes) -> ast.WorldExtern:
        tok = self.next()
        is_import = tok.kind == "import"
        t0, t1, t2, t3 = self.peek(), self.peek(1), self.peek(2), self.peek(3)
        item: ast.ExternInterface | ast.ExternFunc | ast.ExternPath
        if t0.kind in ("id", "explicit-id") and t1.kind == ":" and not (t2.kind in ("id", "explicit-id")
                                                                          and t3.kind == "/"):
            name = self.ident()
            self.next()
            if t2.kind in ("func", "async"):
                item = ast.ExternFunc(name, self.func_type())
                self.expect(";")
            elif t2.kind == "interface":
                start = self.next()
                items = self.interface_items()
                item = ast.ExternInterface(name, items, ast.Span(self.src, start.start, start.end))
            else:
                item = ast.ExternPath(name, self.use_path())
                self.expect(";")
        else:
            item = ast.ExternPath(None, self.use_path())
            self.expect(";")
        return ast.WorldExtern(attrs, is_import, item, ast.Span(self.src, t0.start, t0.end))

    def include(self, attrs: ast.Attributes) -> ast.Include:
        tok = self.expect("include")
        path = self.use_path()
        names: list[ast.UseName] = []
        if self.eat("with"):
            self.expect("{")
            while self.peek().kind != "}":
                name = self.ident()
                self.expect("as")
                names.append(ast.UseName(name, self.ident()))
                if not self.eat(","):
                    break
            self.expect("}")
        else:
            self.expect(";")
        span = ast.Span(self.src, path.name.span.start if path.package is None else path.package.span.start,
                        path.name.span.end)
        del tok
        return ast.Include(attrs, path, tuple(names), span)

    def world_items(self) -> tuple[ast.WorldExtern | ast.Include | ast.Use | ast.TypeDecl, ...]:
        self.expect("{")
        items: list[ast.WorldExtern | ast.Include | ast.Use | ast.TypeDecl] = []
        while self.peek().kind != "}":
            attrs = self.attributes()
            kind = self.peek().kind
            if kind in ("import", "export"):
                items.append(self.extern(attrs))
            elif kind == "include":
                items.append(self.include(attrs))
            elif kind == "use":
                items.append(self.use(attrs))
            elif kind in ("type", "record", "flags", "variant", "enum", "resource"):
                items.append(self.type_decl(attrs))
            else:
                raise self.fail("`import`, `export`, `include`, `use`, or type")
        self.expect("}")
        return tuple(items)

    # ---- files -------------------------------------------------------------

    def top_item(self, attrs: ast.Attributes) -> ast.Interface | ast.World | ast.TopUse:
        kind = self.peek().kind
        if kind == "interface":
            self.next()
            name = self.ident()
            return ast.Interface(attrs, name, self.interface_items())
        if kind == "world":
            self.next()
            name = self.ident()
            return ast.World(attrs, name, self.world_items())
        if kind == "use":
            self.next()
            path = self.use_path()
            as_ = self.ident() if self.eat("as") else None
            self.expect(";")
            return ast.TopUse(attrs, path, as_)
        raise self.fail("`world`, `interface` or `use`")

    def file(self) -> ast.File:
        header: ast.PackageName | None = None
        header_attrs = ast.Attributes()
        items: list[ast.Interface | ast.World | ast.TopUse] = []
        nested: list[ast.PackageBlock] = []
        first = True
        while self.peek().kind != "eof":
            attrs = self.attributes()
            if self.peek().kind == "package":
                if attrs.gates:
                    raise attrs.gates[0].span.error("cannot place attributes on nested packages")
                self.next()
                name = self.package_name()
                if first and self.peek().kind == ";":
                    self.next()
                    header, header_attrs = name, attrs
                else:
                    nested.append(self.package_block(attrs, name))
            else:
                items.append(self.top_item(attrs))
            first = False
        return ast.File(self.src, header, header_attrs, tuple(items), tuple(nested))

    def package_block(self, attrs: ast.Attributes, name: ast.PackageName) -> ast.PackageBlock:
        self.expect("{")
        items: list[ast.Interface | ast.World | ast.TopUse] = []
        while self.peek().kind != "}":
            item_attrs = self.attributes()
            if self.peek().kind == "package":
                self.next()
                inner = self.package_name()
                raise inner.span.error("nested packages must be placed at the top-level")
            items.append(self.top_item(item_attrs))
        self.expect("}")
        return ast.PackageBlock(attrs, name, tuple(items))


def parse_file(path: str, text: str) -> ast.File:
    """Parse one WIT file.

    Raises:
        WitError: for any lexical or syntax error, with its location.
    """
    return _Parser(Source(path, text)).file()
