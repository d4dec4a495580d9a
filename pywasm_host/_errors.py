"""The public error names (DESIGN.md "Errors"), with wasmtime-py's spellings.

``WasmtimeError`` is our :class:`WasmError` under wasmtime-py's name, so that
``except WasmtimeError`` keeps working after switching the import line. In
wasmtime-py ``Trap`` is not a ``WasmtimeError``; here every error of ours,
traps included, derives from :class:`WasmError` (catching ``WasmtimeError``
therefore also catches traps and link errors).
"""

from __future__ import annotations

from .interpreter.errors import Exhaustion, LinkError, MalformedError, Trap, TrapCode, ValidationError, WasmError

__all__ = ["WasmError", "WasmtimeError", "MalformedError", "ValidationError", "LinkError", "Trap", "TrapCode",
           "Exhaustion"]

WasmtimeError = WasmError
