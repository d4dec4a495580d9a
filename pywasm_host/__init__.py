"""pywasm-host: a WebAssembly runtime and Component Model host in pure Python.

The core embedding API follows wasmtime-py's names and semantics (switch
``from wasmtime import ...`` to ``from pywasm_host import ...``)::

    from pywasm_host import Engine, Store, Module, Linker
    engine = Engine()
    store = Store(engine)
    module = Module.from_file(engine, "fib.wasm")
    instance = Linker(engine).instantiate(store, module)
    print(instance.exports(store)["fib"](store, 20))

and a Pythonic layer sits on top::

    import pywasm_host
    inst = pywasm_host.instantiate("fib.wasm")
    print(inst.exports.fib(20))
"""

from typing import Any

from ._caller import Caller
from ._easy import Exports, Instantiated, instantiate
from ._errors import (
    Exhaustion,
    LinkError,
    MalformedError,
    Trap,
    TrapCode,
    ValidationError,
    WasmError,
    WasmtimeError,
)
from ._extern import Global, Memory, Table
from ._func import Func
from ._instance import Extern, Instance, InstanceExports
from ._linker import InstancePre, Linker
from ._module import Module, wat2wasm
from ._store import Config, Engine, Store
from ._types import ExportType, FuncType, GlobalType, ImportType, Limits, MemoryType, TableType, ValType
from ._val import Val

__all__ = [
    "Config",
    "Engine",
    "Store",
    "Module",
    "Linker",
    "InstancePre",
    "wat2wasm",
    "Instance",
    "InstanceExports",
    "Extern",
    "Func",
    "Caller",
    "Val",
    "Memory",
    "Table",
    "Global",
    "FuncType",
    "GlobalType",
    "MemoryType",
    "TableType",
    "Limits",
    "ValType",
    "ImportType",
    "ExportType",
    "WasmError",
    "WasmtimeError",
    "MalformedError",
    "ValidationError",
    "LinkError",
    "Trap",
    "TrapCode",
    "Exhaustion",
    "ExitTrap",
    "WasiConfig",
    "instantiate",
    "Instantiated",
    "Exports",
]

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """``ExitTrap`` and ``WasiConfig`` come from :mod:`pywasm_host.wasi`,
    imported on first use (the WASI host is not needed by core embedding)."""
    if name in ("ExitTrap", "WasiConfig"):
        from . import wasi

        return getattr(wasi, name)
    raise AttributeError(f"module 'pywasm_host' has no attribute {name!r}")
