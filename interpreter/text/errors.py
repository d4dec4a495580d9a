"""Errors of the text format (spec 6 "Text Format", and the script format of the
reference interpreter's ``README.md``).

:class:`TextFormatError` is the :class:`MalformedError` raised for every text
that is not a well-formed module or script: it carries the line, column and
offending token, and renders the spec's message followed by a caret excerpt.
"""

from __future__ import annotations

from ..errors import MalformedError, caret_excerpt

__all__ = ["TextFormatError"]


class TextFormatError(MalformedError):
    """Malformed text. ``message`` is the spec-style reason ("unexpected token",
    "unknown operator", "i32 constant out of range", ...); ``line`` and
    ``column`` are 1-based; ``token`` is the offending token text (may be empty
    at end of input). ``str()`` gives ``message`` first, then the location and
    an excerpt of the source line with a caret under the token."""

    def __init__(
        self,
        message: str,
        line: int = 0,
        column: int = 0,
        token: str = "",
        filename: str = "<input>",
        source_line: str = "",
    ) -> None:
        self.line = line
        self.column = column
        self.token = token
        self.filename = filename
        self.source_line = source_line
        super().__init__(message)
        self.args = (self._render(),)

    def _render(self) -> str:
        where = f"{self.filename}:{self.line}:{self.column}"
        text = f"{self.message}" + (f" {self.token!r}" if self.token and self.token not in self.message else "")
        out = f"{text}\n  --> {where}"
        if self.source_line:
            out += "\n" + caret_excerpt(self.source_line, self.column)
        return out

    def __str__(self) -> str:
        return self._render()
