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

    ``func_index`` is the index of the function whose body is invalid, and
    ``offset`` the byte offset of the offending instruction, when known.
    """

    def __init__(self, message: str, func_index: int | None = None, offset: int | None = None) -> None:
        self.message = message
        self.func_index = func_index
        self.offset = offset
        where = []
        if func_index is not None:
            where.append(f"function {func_index}")
        if offset is not None:
            where.append(f"offset {offset:#x}")
        super().__init__(message + (f" (in {', '.join(where)})" if where else ""))


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
