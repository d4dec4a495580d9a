"""Lexical format of the text format (spec 6.2 "Lexical Format", 6.3 "Values").

The source is split into tokens: ``(``, ``)``, atoms (keywords, numbers and
reserved tokens: maximal runs of ``idchar``), identifiers (``$`` followed by
``idchar``\\ s) and strings. White space, line comments ``;; ...``, nested block
comments ``(; ... ;)`` and annotations ``(@id ...)`` are skipped. The lexer
also pairs every ``(`` with its ``)`` so the parser can skip a whole
S-expression in constant time without recursion.
"""

from __future__ import annotations

import bisect
import re

from .errors import TextFormatError

__all__ = ["LPAR", "RPAR", "ATOM", "ID", "STRING", "EOF", "Tokens", "tokenize", "decode_string", "decode_name", "decode_source"]

LPAR, RPAR, ATOM, ID, STRING, EOF = range(6)

_IDCHARS = r"0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~"
# White space and line comments (a line comment ends at LF or CR, spec 6.2.4). Each piece
# must be maximal, so the repetition matches in one way only: no catastrophic backtracking.
_SKIP = r"(?:[ \t\n\r]+(?![ \t\n\r])|;;[^\n\r]*(?![^\n\r]))*"
_TOKEN = re.compile(
    _SKIP + r"(?:(?P<lpar>\((?!;|@[" + _IDCHARS + r"]))"
    r"|(?P<rpar>\))"
    r'|(?P<qid>\$"(?:[^"\\\x00-\x1f\x7f]|\\[^\x00-\x1f\x7f])*")'
    r"|(?P<atom>[" + _IDCHARS + r"]+)"
    r'|(?P<string>"(?:[^"\\\x00-\x1f\x7f]|\\[^\x00-\x1f\x7f])*")'
    r"|(?P<block>\(;)"
    r"|(?P<annot>\(@[" + _IDCHARS + r"]+)"
    r"|(?P<eof>\Z)"
    r"|(?P<bad>[\s\S]))"
)
_SKIP_RE = re.compile(_SKIP)
_ESCAPE = re.compile(r"\\(?:([tnr\"'\\])|([0-9a-fA-F]{2})|u\{([0-9a-fA-F](?:_?[0-9a-fA-F])*)\}|(.))", re.S)
_SIMPLE_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", '"': '"', "'": "'", "\\": "\\"}


class Tokens:
    """The token stream of one source text: parallel lists ``kinds``, ``texts``
    (the raw token text), ``starts`` (character offsets) and ``close`` (for a
    ``(`` token, the index of its matching ``)``). A final ``EOF`` token closes
    the lists."""

    __slots__ = ("source", "filename", "kinds", "texts", "starts", "close", "_line_starts")

    def __init__(self, source: str, filename: str) -> None:
        self.source = source
        self.filename = filename
        self.kinds: list[int] = []
        self.texts: list[str] = []
        self.starts: list[int] = []
        self.close: list[int] = []
        self._line_starts: list[int] | None = None

    def line_col(self, pos: int) -> tuple[int, int]:
        """1-based line and column of character offset ``pos``."""
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.source)]
        line = bisect.bisect_right(self._line_starts, pos) - 1
        return line + 1, pos - self._line_starts[line] + 1

    def error_at(self, message: str, pos: int, token: str = "") -> TextFormatError:
        """A :class:`TextFormatError` located at character offset ``pos``."""
        line, col = self.line_col(pos)
        start = self._line_starts[line - 1] if self._line_starts else 0
        end = self.source.find("\n", start)
        return TextFormatError(
            message, line, col, token, self.filename, self.source[start : end if end >= 0 else len(self.source)]
        )

    def error(self, message: str, index: int) -> TextFormatError:
        """A :class:`TextFormatError` at token ``index``."""
        index = min(index, len(self.kinds) - 1)
        return self.error_at(message, self.starts[index], self.texts[index])


def decode_source(data: bytes | bytearray | memoryview, filename: str) -> str:
    """Decode a source text given as bytes (it must be UTF-8, spec 6.2 "Lexical Format").

    Raises:
        TextFormatError: "malformed UTF-8 encoding" at the line and column of the bad byte.
    """
    raw = bytes(data)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", "replace")) + 1
        excerpt = raw[line_start:].split(b"\n", 1)[0].decode("utf-8", "replace")
        token = f"byte 0x{raw[exc.start]:02x}"
        raise TextFormatError("malformed UTF-8 encoding", line, column, token, filename, excerpt) from None


def tokenize(source: str, filename: str = "<input>") -> Tokens:
    """Split ``source`` into tokens (spec 6.2.1 "Tokens").

    Raises:
        TextFormatError: an illegal character, an unterminated string or block
            comment, or unbalanced parentheses.
    """
    toks = Tokens(source, filename)
    kinds, texts, starts, close = toks.kinds, toks.texts, toks.starts, toks.close
    stack: list[int] = []
    annot = 0  # depth inside an annotation (tokens there are dropped)
    finditer = _TOKEN.finditer
    pos = 0
    n = len(source)
    while pos < n:
        for m in finditer(source, pos):
            if m.start() != pos:
                _illegal(toks, pos)
            group = m.lastgroup
            end = m.end()
            if group == "lpar":
                if annot:
                    annot += 1
                else:
                    stack.append(len(kinds))
                    kinds.append(LPAR)
                    texts.append("(")
                    starts.append(end - 1)
                    close.append(-1)
            elif group == "rpar":
                if annot:
                    annot -= 1
                else:
                    if stack:  # a stray ')' stays in the stream: the parser reports it in order
                        close[stack.pop()] = len(kinds)
                    kinds.append(RPAR)
                    texts.append(")")
                    starts.append(end - 1)
                    close.append(-1)
            elif group == "atom" or group == "string" or group == "qid":
                if not annot:
                    text = m.group(group)
                    starts.append(end - len(text))
                    if group == "string":
                        kinds.append(STRING)
                    elif group == "qid":
                        kinds.append(ID)
                        text = _quoted_id(toks, text, end - len(text))
                    elif text[0] == "$" and len(text) > 1:
                        kinds.append(ID)
                    else:
                        kinds.append(ATOM)
                    texts.append(text)
                    close.append(-1)
                if end < n and source[end] not in " \t\n\r();":
                    # tokens must be separated by white space, comments or parentheses
                    tok_start = end - len(m.group(group))
                    raise toks.error_at("unknown operator", tok_start, source[tok_start : end + 1])
            elif group == "block":
                pos = _skip_block_comment(toks, end - 2)
                break  # restart the scan after the comment
            elif group == "annot":
                annot += 1
            elif group == "bad":
                _illegal(toks, pos)
            else:  # end of input
                pos = n
                break
            pos = end
        else:
            if pos < n:
                _illegal(toks, pos)
    if annot:
        raise toks.error_at("unexpected end of input in annotation", n)
    if stack:
        raise toks.error_at("unexpected end of input (unclosed '(')", n)
    kinds.append(EOF)
    texts.append("")
    starts.append(n)
    close.append(-1)
    return toks


def _illegal(toks: Tokens, pos: int) -> None:
    source = toks.source
    skip = _SKIP_RE.match(source, pos)
    pos = skip.end() if skip else pos
    if pos >= len(source):
        raise toks.error_at("unexpected end of input", pos)
    ch = source[pos]
    if ch == '"':
        raise toks.error_at("unclosed string" if "\n" not in source[pos:] else "illegal character in string", pos)
    raise toks.error_at("malformed UTF-8 encoding" if ord(ch) > 0x7F else "unexpected character", pos, ch)


def _skip_block_comment(toks: Tokens, pos: int) -> int:
    source = toks.source
    depth = 0
    i = pos
    while True:
        j = source.find("(;", i)
        k = source.find(";)", i)
        if k < 0:
            raise toks.error_at("unclosed block comment", pos)
        if 0 <= j < k:
            depth += 1
            i = j + 2
        else:
            depth -= 1
            i = k + 2
            if depth == 0:
                return i


def decode_string(toks: Tokens, index: int) -> bytes:
    """The bytes of the string token at ``index`` (spec 6.3.3 "Strings").

    Raises:
        TextFormatError: an illegal escape or a ``\\u{...}`` that is no Unicode
            scalar value.
    """
    return _unescape(toks, toks.texts[index], toks.starts[index])


def decode_name(toks: Tokens, index: int) -> str:
    """The token at ``index`` as a name: a string token whose bytes are UTF-8
    (spec 6.3.4 "Names").

    Raises:
        TextFormatError: "unexpected token" if the token is no string, "malformed
            UTF-8 encoding" if its bytes are not UTF-8, or a bad escape.
    """
    if toks.kinds[index] != STRING:
        raise toks.error("unexpected token", index)
    try:
        return decode_string(toks, index).decode("utf-8")
    except UnicodeDecodeError:
        raise toks.error("malformed UTF-8 encoding", index) from None


def _unescape(toks: Tokens, quoted: str, pos: int) -> bytes:
    raw = quoted[1:-1]
    if "\\" not in raw:
        return raw.encode("utf-8", "surrogatepass")
    out = bytearray()
    last = 0
    for m in _ESCAPE.finditer(raw):
        out += raw[last : m.start()].encode("utf-8", "surrogatepass")
        last = m.end()
        simple, hexbyte, uni, _bad = m.groups()
        if simple is not None:
            out += _SIMPLE_ESCAPES[simple].encode()
        elif hexbyte is not None:
            out.append(int(hexbyte, 16))
        elif uni is not None:
            code = int(uni.replace("_", ""), 16) if len(uni) < 12 else 0x110000
            if code >= 0x110000 or 0xD800 <= code < 0xE000:
                raise toks.error_at("malformed UTF-8 encoding", pos + 1 + m.start(), m.group())
            out += chr(code).encode("utf-8")
        else:
            raise toks.error_at("illegal escape", pos + 1 + m.start(), m.group())
    out += raw[last:].encode("utf-8", "surrogatepass")
    return bytes(out)


def _quoted_id(toks: Tokens, text: str, pos: int) -> str:
    """``$"..."`` (a quoted identifier of the 3.0 text format, printed by wasm-tools) as ``$name``."""
    data = _unescape(toks, text[1:], pos + 1)
    try:
        name = data.decode("utf-8")
    except UnicodeDecodeError:
        raise toks.error_at("malformed UTF-8 encoding", pos, text) from None
    if not name:
        raise toks.error_at("empty identifier", pos, text)
    return "$" + name
