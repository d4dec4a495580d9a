"""``proc_exit`` (wasi_snapshot_preview1): the exception that unwinds the
guest when it exits, mirroring wasmtime-py's ``ExitTrap``."""

from __future__ import annotations

from ..interpreter.errors import WasmError

__all__ = ["ExitTrap"]


class ExitTrap(WasmError):
    """The guest called ``proc_exit(code)``; ``code`` is its exit status.

    Like wasmtime-py's ``ExitTrap`` it is not a :class:`~pywasm_host.Trap`:
    catch it separately to read the status.
    """

    def __init__(self, code: int) -> None:
        super().__init__(f"Exited with i32 exit status {code}")
        self.code = code
