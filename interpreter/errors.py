"""The error hierarchy of the engine (spec: "Errors" in DESIGN.md).

Every failure a module file, a guest or a host caller can trigger surfaces as
one of these classes, each matching one kind of spec-test assertion:

===================  =========================  ==================================
class                spec command               meaning
===================  =========================  ==================================
``MalformedError``   ``assert_malformed``       binary (or text) cannot be decoded
``ValidationError``  ``assert_invalid``         module fails validation
``LinkError``        ``assert_unlinkable``      missing import or type mismatch
``Trap``             ``assert_trap``            execution trapped (``.code``)
``Exhaustion``       ``assert_exhaustion``      call stack exhausted
===================  =========================  ==================================
"""

from __future__ import annotations

from enum import Enum

__all__ = [
    "WasmError",
    "MalformedError",
    "ValidationError",
    "LinkError",
    "Trap",
    "TrapCode",
    "Exhaustion",
]


class WasmError(Exception):
    """Base class of every wasm-level failure raised by this engine."""


class MalformedError(WasmError):
    """The binary (or text) form of a module cannot be decoded.

    ``offset`` is the byte offset in the binary where decoding failed (or
    ``None`` when it is not known).
    """

    def __init__(self, message: str, offset: int | None = None) -> None:
        self.message = message
        self.offset = offset
        super().__init__(message if offset is None else f"{message} (at byte offset {offset:#x})")


class ValidationError(WasmError):
    """A decoded module is not valid (spec chapter "Validation").

    ``message`` is the spec-style reason; ``func_index`` is the index of the
    function whose body is invalid, and ``offset`` the offset of the offending
    instruction (a byte offset in a binary, a character offset in a text
    source), when known.

    For a module given in the text format, the loaders re-raise the error
    located in the source (:meth:`in_source`): ``line`` and ``column`` (1-based)
    are set, ``str()`` names them instead of the offset and adds an excerpt of
    the source line (``source_line``) with a caret under the instruction.
    """

    def __init__(
        self,
        message: str,
        func_index: int | None = None,
        offset: int | None = None,
        *,
        line: int | None = None,
        column: int | None = None,
        source_line: str = "",
    ) -> None:
        self.message = message
        self.func_index = func_index
        self.offset = offset
        self.line = line
        self.column = column
        self.source_line = source_line
        where = []
        if func_index is not None:
            where.append(f"in function {func_index}")
        if line is not None:
            where.append(f"at {line}:{column}")
        elif offset is not None:
            where.append(f"offset {offset:#x}" if where else f"in offset {offset:#x}")
        text = message + (f" ({', '.join(where)})" if where else "")
        if line is not None and column is not None and source_line:
            text += "\n" + caret_excerpt(source_line, column)
        super().__init__(text)

    def in_source(self, source: str) -> ValidationError:
        """This error located in ``source``, the text whose character offsets
        ``offset`` counts (a module parsed from the text format): a new error
        with ``line``, ``column`` and ``source_line`` set; ``self`` when the
        offset is unknown or outside ``source``."""
        pos = self.offset
        if pos is None or not 0 <= pos < len(source):
            return self
        start = source.rfind("\n", 0, pos) + 1
        end = source.find("\n", pos)
        excerpt = source[start : end if end >= 0 else len(source)].rstrip("\r")
        return ValidationError(
            self.message,
            self.func_index,
            pos,
            line=source.count("\n", 0, pos) + 1,
            column=pos - start + 1,
            source_line=excerpt,
        )


def caret_excerpt(source_line: str, column: int) -> str:
    """Two lines showing ``source_line`` (tabs as one space, at most 200
    characters around ``column``) with a caret under 1-based ``column``."""
    excerpt = source_line.expandtabs(1)
    caret_col = column
    if len(excerpt) > 200:
        start = max(0, column - 100)
        excerpt = excerpt[start : start + 200]
        caret_col = column - start
    return f"   | {excerpt}\n   | {' ' * max(0, caret_col - 1)}^"


class LinkError(WasmError):
    """Instantiation failed before any state was changed: an import is
    missing or does not match the type the module declares for it."""


class TrapCode(Enum):
    """Why execution trapped; each value is the spec interpreter's message."""

    UNREACHABLE = "unreachable"
    INTEGER_DIVIDE_BY_ZERO = "integer divide by zero"
    INTEGER_OVERFLOW = "integer overflow"
    INVALID_CONVERSION_TO_INTEGER = "invalid conversion to integer"
    OUT_OF_BOUNDS_MEMORY_ACCESS = "out of bounds memory access"
    OUT_OF_BOUNDS_TABLE_ACCESS = "out of bounds table access"
    UNDEFINED_ELEMENT = "undefined element"
    UNINITIALIZED_ELEMENT = "uninitialized element"
    INDIRECT_CALL_TYPE_MISMATCH = "indirect call type mismatch"
    CALL_STACK_EXHAUSTED = "call stack exhausted"
    OUT_OF_FUEL = "all fuel consumed"
    HOST = "host trap"
    # wasmtime-py's names for the same conditions (enum aliases: same members)
    MEMORY_OUT_OF_BOUNDS = "out of bounds memory access"
    TABLE_OUT_OF_BOUNDS = "out of bounds table access"
    INDIRECT_CALL_TO_NULL = "uninitialized element"
    BAD_SIGNATURE = "indirect call type mismatch"
    INTEGER_DIVISION_BY_ZERO = "integer divide by zero"
    BAD_CONVERSION_TO_INTEGER = "invalid conversion to integer"
    STACK_OVERFLOW = "call stack exhausted"


class Trap(WasmError):
    """Execution trapped. ``code`` is a :class:`TrapCode`; ``str(trap)`` is the
    spec's message for that code, followed by ``detail`` when given (as the
    reference interpreter does, e.g. "uninitialized element 2").

    ``Trap("message")`` (a host function trapping, as in wasmtime-py) has code
    :attr:`TrapCode.HOST` and ``str(trap) == "message"``; ``trap.message`` and
    ``trap.trap_code`` (``None`` for host traps) mirror wasmtime-py's ``Trap``.
    """

    def __init__(self, code: TrapCode | str, detail: str | None = None) -> None:
        if isinstance(code, str):
            self.code = TrapCode.HOST
            self.detail = code
            super().__init__(code)
            return
        self.code = code
        self.detail = detail
        super().__init__(code.value if detail is None else f"{code.value} {detail}")

    @property
    def message(self) -> str:
        """The trap's message, ``str(trap)``."""
        return str(self)

    @property
    def trap_code(self) -> TrapCode | None:
        """The trap's code, or ``None`` for a trap raised by host code."""
        return None if self.code is TrapCode.HOST else self.code


class Exhaustion(Trap):
    """A resource bound was hit: the call stack limit (``call stack exhausted``)."""

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(TrapCode.CALL_STACK_EXHAUSTED, detail)
