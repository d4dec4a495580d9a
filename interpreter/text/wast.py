"""The script format of the spec test suite (the reference interpreter's
``README.md``, "Scripts"): modules (text, ``binary``, ``quote``),
``register``, actions (``invoke``, ``get``) and every assertion.

:func:`parse_script` turns a ``.wast`` text into :class:`WastCommand`
objects shaped like wabt's ``wast2json`` output, so a runner reading JSON
commands can run them unchanged: ``kind`` is the JSON ``type``, ``action``
and ``expected`` are the same dicts (numbers as decimal strings of their
raw bits, ``nan:canonical``/``nan:arithmetic``, v128 as lanes with a
``lane_type``, references as ``"null"`` or a host number), ``text`` is the
expected message. ``(assert_trap (module ...) ...)`` becomes
``assert_uninstantiable`` as in ``wast2json``. Modules are
:class:`ScriptModule` objects that parse or decode on :meth:`~ScriptModule.load`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..syntax.module import Module
from .errors import TextFormatError
from .lexer import ATOM, EOF, ID, LPAR, STRING, Tokens, decode_name, decode_source, decode_string, tokenize
from .numbers import LiteralRangeError, parse_float, parse_int
from .parser import ModuleParser, parse_module

__all__ = ["ScriptModule", "WastCommand", "parse_script"]

_ASSERT_MODULE = ("assert_malformed", "assert_invalid", "assert_unlinkable", "assert_uninstantiable")
_MODULE_FIELDS = frozenset({"type", "import", "func", "table", "memory", "global", "export", "start", "elem", "data"})
_SHAPES = {"i8x16": ("i8", 8, 16), "i16x8": ("i16", 16, 8), "i32x4": ("i32", 32, 4), "i64x2": ("i64", 64, 2),
           "f32x4": ("f32", 32, 4), "f64x2": ("f64", 64, 2)}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ScriptModule:
    """A module of a script. ``kind`` is ``"text"`` (``source`` is the
    ``(module ...)`` text, already parsed into ``parsed``), ``"binary"``
    (``source`` is the bytes) or ``"quote"`` (``source`` is the quoted text,
    parsed only by :meth:`load`, so that it may be malformed)."""

    kind: str
    name: str | None
    source: str | bytes
    line: int
    filename: str = "<input>"
    parsed: Module | None = field(default=None, compare=False, repr=False)

    def load(self) -> Module:
        """The module: parsed from text or decoded from binary.

        Raises:
            MalformedError: the binary or text is malformed
                (:class:`TextFormatError` for text).
        """
        if self.parsed is not None:
            return self.parsed
        if self.kind == "binary":
            from ..binary.decode import decode_module

            return decode_module(bytes(self.source) if isinstance(self.source, (bytes, bytearray)) else b"")
        text = self.source
        return parse_module(text, f"{self.filename}:{self.line} (module quote)")

    @property
    def text(self) -> str | None:
        """The module's text (``None`` for a binary module)."""
        if isinstance(self.source, str):
            return self.source
        if self.kind == "quote":
            return bytes(self.source).decode("utf-8", "replace")
        return None


@dataclass(frozen=True, slots=True)
class WastCommand:
    """One script command, shaped like a ``wast2json`` JSON command (see the
    module docstring). ``module`` is set for module-carrying commands,
    ``name`` is the module identifier (``$M``) of ``module`` commands and the
    instance named by ``register``."""

    kind: str
    line: int  # the line of the command's module or action, as wast2json numbers it
    name: str | None = None
    module: ScriptModule | None = None
    register_as: str | None = None
    action: dict[str, Any] | None = None
    expected: tuple[dict[str, Any], ...] | None = None
    either: tuple[dict[str, Any], ...] | None = None
    text: str | None = None


def parse_script(text: str | bytes, filename: str = "<script>") -> list[WastCommand]:
    """Parse a ``.wast`` script into commands (see the module docstring).

    Text modules are parsed here (a malformed one outside ``assert_malformed``
    is an error of the script); quoted and binary modules are kept for
    :meth:`ScriptModule.load`.

    Raises:
        TextFormatError: the script is malformed.
    """
    if isinstance(text, (bytes, bytearray, memoryview)):
        text = decode_source(text, filename)
    toks = tokenize(text, filename)
    return _ScriptParser(toks).script()


class _ScriptParser:
    def __init__(self, toks: Tokens) -> None:
        self.toks = toks
        self.kinds = toks.kinds
        self.texts = toks.texts
        self.close = toks.close

    def err(self, message: str, i: int) -> TextFormatError:
        return self.toks.error(message, i)

    def line(self, i: int) -> int:
        return self.toks.line_col(self.toks.starts[i])[0]

    def string(self, i: int) -> str:
        return decode_name(self.toks, i)

    def script(self) -> list[WastCommand]:
        out = []
        i = 0
        kinds = self.kinds
        while kinds[i] != EOF:
            if kinds[i] != LPAR or kinds[i + 1] != ATOM:
                raise self.err("unexpected token", i)
            if self.texts[i + 1] in _MODULE_FIELDS:
                # a script may be a bare module: its fields without "(module ...)"
                j = i
                while kinds[j] == LPAR and self.texts[j + 1] in _MODULE_FIELDS:
                    j = self.close[j] + 1
                source = self.toks.source[self.toks.starts[i] : self.toks.starts[j - 1] + 1]
                parsed = ModuleParser(self.toks).module_fields(i, j, None)
                module = ScriptModule("text", None, source, self.line(i + 1), self.toks.filename, parsed)
                out.append(WastCommand("module", self.line(i + 1), module=module))
                i = j
                continue
            out.append(self.command(i))
            i = self.close[i] + 1
        return out

    def command(self, i: int) -> WastCommand:
        kw = self.texts[i + 1]
        c = self.close[i]
        line = self.line(i + 1)
        if kw == "module":
            module = self.module(i)
            return WastCommand("module", line, name=module.name, module=module)
        if kw == "register":
            as_name = self.string(i + 2)
            name = None
            j = i + 3
            if self.kinds[j] == ID:
                name = self.texts[j]
                j += 1
            self._end(j, c)
            return WastCommand("register", line, name=name, register_as=as_name)
        if kw != "register" and self.kinds[i + 2] == LPAR:
            line = self.line(i + 3)  # wast2json numbers a command by its module or action keyword
        if kw in ("invoke", "get"):
            return WastCommand("action", line, action=self.action(i), expected=())
        if kw == "assert_return":
            j = i + 2
            action = self.action(j)
            j = self.close[j] + 1
            expected = []
            while j < c:
                expected.append(self.value(j, True))
                j = self.close[j] + 1
            if len(expected) == 1 and expected[0]["type"] == "either":
                # wast2json: a single (either ...) result becomes the command's "either" list
                return WastCommand("assert_return", line, action=action, either=tuple(expected[0]["values"]))
            return WastCommand("assert_return", line, action=action, expected=tuple(expected))
        if kw in ("assert_trap", "assert_exhaustion"):
            j = i + 2
            if self.kinds[j] == LPAR and self.texts[j + 1] == "module":
                if kw != "assert_trap":
                    raise self.err("unexpected token", j + 1)
                module = self.module(j)
                msg = self.string(self.close[j] + 1)
                self._end(self.close[j] + 2, c)
                return WastCommand("assert_uninstantiable", line, module=module, text=msg)
            action = self.action(j)
            msg = self.string(self.close[j] + 1)
            self._end(self.close[j] + 2, c)
            return WastCommand(kw, line, action=action, expected=(), text=msg)
        if kw in _ASSERT_MODULE:
            j = i + 2
            if self.kinds[j] != LPAR or self.texts[j + 1] != "module":
                raise self.err("unexpected token", j)
            module = self.module(j, parse_text=kw != "assert_malformed")
            msg = self.string(self.close[j] + 1)
            self._end(self.close[j] + 2, c)
            return WastCommand(kw, line, module=module, text=msg)
        raise self.err("unexpected token", i + 1)

    def _end(self, j: int, c: int) -> None:
        if j != c:
            raise self.err("unexpected token", j)

    def module(self, i: int, parse_text: bool = True) -> ScriptModule:
        c = self.close[i]
        j = i + 2
        name = None
        if self.kinds[j] == ID:
            name = self.texts[j]
            j += 1
        line = self.line(i + 1)
        filename = self.toks.filename
        if self.kinds[j] == ATOM and self.texts[j] in ("binary", "quote"):
            data = bytearray()
            for k in range(j + 1, c):
                if self.kinds[k] != STRING:
                    raise self.err("unexpected token", k)
                data += decode_string(self.toks, k)
            if self.texts[j] == "binary":
                return ScriptModule("binary", name, bytes(data), line, filename)
            return ScriptModule("quote", name, bytes(data), line, filename)
        source = self.toks.source[self.toks.starts[i] : self.toks.starts[c] + 1]
        parsed = None
        if parse_text:
            parsed = ModuleParser(self.toks).module_fields(j, c, name)
        return ScriptModule("text", name, source, line, filename, parsed)

    def action(self, i: int) -> dict[str, Any]:
        if self.kinds[i] != LPAR or self.texts[i + 1] not in ("invoke", "get"):
            raise self.err("unexpected token", i)
        kw = self.texts[i + 1]
        c = self.close[i]
        j = i + 2
        out: dict[str, Any] = {"type": kw}
        if self.kinds[j] == ID:
            out["module"] = self.texts[j]
            j += 1
        out["field"] = self.string(j)
        j += 1
        if kw == "invoke":
            args = []
            while j < c:
                args.append(self.value(j, False))
                j = self.close[j] + 1
            out["args"] = args
        else:
            self._end(j, c)
        return out

    def value(self, i: int, result: bool, either: bool = True) -> dict[str, Any]:
        """A constant (argument) or a result pattern, as a wast2json value dict."""
        kinds, texts = self.kinds, self.texts
        if kinds[i] != LPAR or kinds[i + 1] != ATOM:
            raise self.err("unexpected token", i)
        c = self.close[i]
        kw = texts[i + 1]
        j = i + 2
        if kw == "either" and result and either:
            values = []
            while j < c:
                values.append(self.value(j, True, either=False))
                j = self.close[j] + 1
            return {"type": "either", "values": values}
        if kw in ("i32.const", "i64.const", "f32.const", "f64.const"):
            ty = kw[:3]
            self._end(j + 1, c)
            return {"type": ty, "value": self.number(j, ty, result)}
        if kw == "v128.const":
            shape = texts[j] if kinds[j] == ATOM else ""
            if shape not in _SHAPES:
                raise self.err("unexpected token", j)
            lane_type, _bits, count = _SHAPES[shape]
            if c - (j + 1) != count:
                raise self.err("wrong number of lane literals", j)
            lanes = [self.number(k, lane_type, result) for k in range(j + 1, c)]
            return {"type": "v128", "lane_type": lane_type, "value": lanes}
        if kw == "ref.null":
            heap = texts[j] if kinds[j] == ATOM else ""
            if heap not in ("func", "extern") or c != j + 1:
                raise self.err("unexpected token", j)
            return {"type": heap + "ref", "value": "null"}
        if kw == "ref.extern":
            if c == j and result:
                return {"type": "externref"}
            self._end(j + 1, c)
            n = parse_int(texts[j], 32) if kinds[j] == ATOM else None
            if n is None:
                raise self.err("unexpected token", j)
            return {"type": "externref", "value": str(n)}
        if kw == "ref.func" and result:
            self._end(j, c)
            return {"type": "funcref"}
        raise self.err("unexpected token", i + 1)

    def number(self, i: int, ty: str, result: bool) -> str:
        if self.kinds[i] != ATOM:
            raise self.err("unexpected token", i)
        text = self.texts[i]
        if result and ty[0] == "f" and text in ("nan:canonical", "nan:arithmetic"):
            return text
        bits = int(ty[1:])
        try:
            value = parse_float(text, bits) if ty[0] == "f" else parse_int(text, bits)
        except LiteralRangeError as exc:
            raise self.err(str(exc), i) from None
        if value is None:
            raise self.err("unexpected token", i)
        return str(value)
