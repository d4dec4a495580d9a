"""Errors of the Component Model layer (DESIGN.md, "Errors").

``AbiError`` is the base of every failure raised by ``pywasm_host.abi``; it
derives from the engine-wide :class:`WasmError`.  ``WitError`` reports a WIT
syntax or resolution error (component-model ``design/mvp/WIT.md``) with the
file, the 1-based line and byte column, and renders a caret excerpt of the
offending source line in the style of wit-parser.
"""

from __future__ import annotations

from ..interpreter.errors import WasmError

__all__ = ["AbiError", "WitError"]


class AbiError(WasmError):
    """Base class of every Component Model (``abi``) failure."""


class WitError(AbiError):
    """A WIT document cannot be parsed or resolved.

    Attributes:
        message: the bare message, without location.
        path: the file the error points into, or ``None``.
        line: 1-based line number, or ``None`` when there is no location.
        column: 1-based byte column, or ``None``.
        excerpt: the rendered ``-->`` location block with caret, or ``""``.
    """

    def __init__(
        self,
        message: str,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        excerpt: str = "",
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.excerpt = excerpt
        super().__init__(message + ("\n" + excerpt if excerpt else ""))

    @classmethod
    def at(cls, message: str, path: str, text: str, start: int, end: int) -> WitError:
        """Build an error pointing at ``text[start:end]`` of the file ``path``.

        The column counts UTF-8 bytes from the start of the line, as
        wit-parser does; the caret excerpt is omitted for lines over 500 bytes.
        """
        start = max(0, min(start, len(text)))
        end = max(start, min(end, len(text)))
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        if line_end < 0:
            line_end = len(text)
        line = text.count("\n", 0, start) + 1
        column = len(text[line_start:start].encode("utf-8")) + 1
        source_line = text[line_start:line_end]
        if len(source_line.encode("utf-8")) > 500:
            err = cls(message, path, line, column)
            err.args = (f"{path}:{line}:{column}: {message}",)
            return err
        width = max(1, len(text[start:min(end, line_end)]))
        excerpt = (
            f"     --> {path}:{line}:{column}\n"
            f"      |\n"
            f"{line:>5} | {source_line}\n"
            f"      | {' ' * (column - 1)}^{'-' * (width - 1)}"
        )
        return cls(message, path, line, column, excerpt)
