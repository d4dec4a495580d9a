"""Tokens of the WIT text format (component-model ``design/mvp/WIT.md``, "Lexical structure").

The lexer turns one source file into a list of :class:`Token`.  Whitespace
and comments (``//`` lines and nestable ``/* */`` blocks) are not tokens: the
comments met before a token are kept on it, because wit-parser treats every
comment directly before an item as that item's documentation.  Identifiers
are kebab-case words (all-lowercase or all-uppercase, digits after the first
letter); a ``%`` prefix makes a keyword usable as an identifier.  A semver
version right after ``@`` or after ``version =`` is one ``"version"`` token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import WitError

__all__ = ["KEYWORDS", "Source", "Token", "tokenize"]

KEYWORDS = frozenset(
    """use type func u8 u16 u32 u64 s8 s16 s32 s64 f32 f64 char record resource own borrow flags
    variant enum bool string option result future stream error-context list map as from static
    interface tuple import export world package constructor include with async""".split()
)

_PUNCT = {
    "=": "=", ",": ",", ":": ":", ".": ".", ";": ";", "(": "(", ")": ")", "{": "{", "}": "}",
    "<": "<", ">": ">", "*": "*", "/": "/", "@": "@", "_": "_",
}
_WORD = re.compile(r"[A-Za-z0-9\-_]+")
_SPACE = re.compile(r"[ \t\n\r]+")
_INT = re.compile(r"[0-9]+")
_VERSION = re.compile(r"[0-9A-Za-z.+\-]+")
_KEBAB_PART = re.compile(r"(?:[a-z][a-z0-9]*|[A-Z][A-Z0-9]*)\Z")


@dataclass(frozen=True, slots=True)
class Token:
    """One token: ``kind`` is ``"id"``, ``"explicit-id"``, ``"int"``, ``"eof"``,
    a keyword or a punctuation string; ``text`` is the identifier without its
    ``%``; ``comments`` are the raw comments between the previous token and this one."""

    kind: str
    text: str
    start: int
    end: int
    comments: tuple[str, ...] = ()


class Source:
    """One WIT file: its display path and text, for tokens and error locations."""

    __slots__ = ("path", "text")

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text

    def error(self, message: str, start: int, end: int) -> WitError:
        """A :class:`WitError` pointing at ``text[start:end]``."""
        return WitError.at(message, self.path, self.text, start, end)

    def scan_version(self, pos: int) -> tuple[str, int]:
        """Read the raw semver text starting at ``pos``; return it and its end.

        Raises:
            WitError: when no version characters are there.
        """
        m = _VERSION.match(self.text, pos)
        if m is None:
            raise self.error("expected a version", pos, pos + 1)
        text = m.group()
        # a trailing '.' belongs to `use pkg@1.0.0.{...}`
        while text.endswith("."):
            text = text[:-1]
        return text, pos + len(text)


def _describe(tok: Token) -> str:
    if tok.kind == "eof":
        return "eof"
    if tok.kind in ("id", "explicit-id"):
        return f"an identifier `{tok.text}`"
    if tok.kind == "int":
        return "an integer"
    if tok.kind == "version":
        return "a version"
    if tok.kind == "string":
        return "a string"
    if tok.kind == "@":
        return "`@`"
    if tok.kind in KEYWORDS:
        return f"keyword `{tok.kind}`"
    return f"'{tok.kind}'"


def describe(tok: Token) -> str:
    """The wit-parser wording for a found token (``keyword `type```, ``'('``, ``eof``)."""
    return _describe(tok)


def validate_id(src: Source, text: str, start: int, end: int) -> None:
    """Check the kebab-case rule of WIT identifiers.

    Raises:
        WitError: for an empty word, a word mixing cases or starting with a digit.
    """
    if not text:
        raise src.error("empty identifier", start, end)
    for part in text.split("-"):
        if not part:
            raise src.error(f"`{text}` is not in kebab case: empty word", start, end)
        if not _KEBAB_PART.match(part):
            if part[0].isdigit():
                raise src.error(f"`{text}` is not in kebab case: a word starts with a digit", start, end)
            raise src.error(f"`{text}` is not in kebab case: words must be all lowercase or all uppercase", start, end)


def tokenize(src: Source) -> list[Token]:
    """Split ``src`` into tokens, ending with an ``eof`` token.

    Raises:
        WitError: for an unterminated block comment, an invalid character or
            a malformed identifier.
    """
    text = src.text
    n = len(text)
    pos = 0
    out: list[Token] = []
    comments: list[str] = []
    while True:
        m = _SPACE.match(text, pos)
        if m:
            pos = m.end()
        if pos >= n:
            out.append(Token("eof", "", n, n, tuple(comments)))
            return out
        ch = text[pos]
        if ch == "/" and text.startswith("//", pos):
            end = text.find("\n", pos)
            if end < 0:
                end = n
            comments.append(text[pos:end].rstrip("\r"))
            pos = end
            continue
        if ch == "/" and text.startswith("/*", pos):
            depth = 0
            i = pos
            while True:
                j = text.find("/*", i)
                k = text.find("*/", i)
                if k < 0:
                    raise src.error("unterminated block comment", pos, pos + 2)
                if 0 <= j < k:
                    depth += 1
                    i = j + 2
                else:
                    depth -= 1
                    i = k + 2
                    if depth == 0:
                        break
            comments.append(text[pos:i])
            pos = i
            continue
        if ch == "-" and text.startswith("->", pos):
            out.append(Token("->", "->", pos, pos + 2, tuple(comments)))
            comments = []
            pos += 2
            continue
        if ch == "%":
            m = _WORD.match(text, pos + 1)
            if m is None:
                raise src.error("expected an identifier after `%`", pos, pos + 1)
            word = m.group()
            validate_id(src, word, pos, m.end())
            out.append(Token("explicit-id", word, pos, m.end(), tuple(comments)))
            comments = []
            pos = m.end()
            continue
        if ch.isdigit() and out and (
            out[-1].kind == "@" or (out[-1].kind == "=" and len(out) > 1 and out[-2].text == "version")
        ):
            word, end = src.scan_version(pos)
            out.append(Token("version", word, pos, end, tuple(comments)))
            comments = []
            pos = end
            continue
        if ch.isdigit():
            m = _INT.match(text, pos)
            assert m is not None  # ch is a digit
            out.append(Token("int", m.group(), pos, m.end(), tuple(comments)))
            comments = []
            pos = m.end()
            continue
        if ch == "_" and not (pos + 1 < n and (text[pos + 1].isalnum() or text[pos + 1] in "-_")):
            out.append(Token("_", "_", pos, pos + 1, tuple(comments)))
            comments = []
            pos += 1
            continue
        if ch.isascii() and (ch.isalpha() or ch in "-_"):
            m = _WORD.match(text, pos)
            assert m is not None  # ch matches the class
            word = m.group()
            if word in KEYWORDS:
                out.append(Token(word, word, pos, m.end(), tuple(comments)))
            else:
                validate_id(src, word, pos, m.end())
                out.append(Token("id", word, pos, m.end(), tuple(comments)))
            comments = []
            pos = m.end()
            continue
        if ch == '"':
            end = text.find('"', pos + 1)
            nl = text.find("\n", pos + 1)
            if end < 0 or 0 <= nl < end:
                raise src.error("unterminated string literal", pos, pos + 1)
            out.append(Token("string", text[pos + 1:end], pos, end + 1, tuple(comments)))
            comments = []
            pos = end + 1
            continue
        kind = _PUNCT.get(ch)
        if kind is None:
            raise src.error(f"invalid character in source {ch!r}", pos, pos + 1)
        out.append(Token(kind, ch, pos, pos + 1, tuple(comments)))
        comments = []
        pos += 1
