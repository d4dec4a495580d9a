"""pywasm-host: a WebAssembly runtime and Component Model host in pure Python.

The core embedding API follows wasmtime-py's names and semantics::

    from pywasm_host import Engine, Store, Module, Instance
    store = Store(Engine())
    module = Module.from_file(store.engine, "fib.wasm")
    instance = Instance(store, module, [])
    print(instance.exports(store)["fib"](store, 20))
"""

from ._caller import Caller
from ._extern import Global, Memory, Table
from ._func import Func
from ._instance import Extern, Instance, InstanceExports
from ._module import Module
from ._store import Config, Engine, Store
from ._types import ExportType, FuncType, GlobalType, ImportType, Limits, MemoryType, TableType, ValType
from ._val import Val
from .interpreter.errors import Exhaustion, LinkError, MalformedError, Trap, TrapCode, ValidationError, WasmError

__all__ = [
    "Config",
    "Engine",
    "Store",
    "Module",
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
    "MalformedError",
    "ValidationError",
    "LinkError",
    "Trap",
    "TrapCode",
    "Exhaustion",
]

__version__ = "0.1.0"
