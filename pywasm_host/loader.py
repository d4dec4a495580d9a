"""Import WebAssembly modules with Python's ``import`` statement (the import
system's meta-path finder/loader protocol, PEP 451), as wasmtime-py's
``wasmtime.loader`` does.

    import pywasm_host.loader   # installs the finder
    import fib                  # finds fib.wasm (or fib.wat) on sys.path
    fib.fib(20)

Each import of the module is resolved by importing the Python module named
like the import's module (``env`` -> ``import env``) and taking the
attribute named like the field: a :class:`Func`, :class:`Memory`,
:class:`Table` or :class:`Global` is used as is, a plain callable is wrapped
with the import's declared function type. Imports from
``wasi_snapshot_preview1`` are served by WASI with
the process's stdin/stdout/stderr and arguments. A ``.wasm`` module imported
by another is linked through its raw exports.

Exports become module attributes: functions as plain callables (the shared
:data:`store` is applied for you), memories, tables and globals as the API
objects (pass :data:`store` to their methods). Everything lives in one
module-level :data:`store`. The finder is appended to ``sys.meta_path``, so
a ``.py`` module of the same name wins.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from importlib.abc import Loader, MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

from ._extern import Global, Memory, Table
from ._func import Func
from ._linker import WASI_MODULES, Linker
from ._module import Module
from ._store import Store
from ._types import FuncType
from .interpreter.errors import LinkError

__all__ = ["store", "linker", "WasmFinder", "WasmLoader", "EXTENSIONS"]

EXTENSIONS = (".wasm", ".wat")
"""File extensions the finder looks for, in order."""

store = Store()
"""The store every module imported through this hook lives in."""

linker = Linker(store.engine)
"""The linker used for WASI; other imports are defined per module."""
linker.allow_shadowing = True
_wasi_ready = False


def _ensure_wasi() -> None:
    global _wasi_ready
    if _wasi_ready:
        return
    from .wasi import WasiConfig  # (not imported by core embedding)

    config = WasiConfig()
    config.inherit_argv()
    config.inherit_stdin()
    config.inherit_stdout()
    config.inherit_stderr()
    store.set_wasi(config)
    linker.define_wasi()
    _wasi_ready = True


class WasmLoader(Loader):
    """Instantiates the module file named by the spec's ``origin``."""

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return None  # the default module object

    def exec_module(self, module: ModuleType) -> None:
        """Load, link and instantiate the wasm file; set its exports as
        attributes.

        Raises:
            ImportError: an import's Python module cannot be imported.
            LinkError: an imported name is missing or has the wrong type.
            MalformedError, ValidationError, Trap: from loading or instantiation.
        """
        spec = module.__spec__
        if spec is None or spec.origin is None:
            raise ImportError(f"no file for wasm module {module.__name__}")
        wasm = Module.from_file(store.engine, spec.origin)
        for imp in wasm.imports:
            if imp.module in WASI_MODULES:
                _ensure_wasi()
                continue
            source = importlib.import_module(imp.module)
            raw_exports = getattr(source, "__wasm_exports__", None)
            if isinstance(raw_exports, dict) and imp.name in raw_exports:
                item = raw_exports[imp.name]
            else:
                try:
                    item = getattr(source, imp.name)
                except AttributeError:
                    raise LinkError(f"module {imp.module!r} has no attribute {imp.name!r} "
                                    f"(imported by {spec.origin})") from None
            if not isinstance(item, (Func, Memory, Table, Global)):
                if not isinstance(imp.type, FuncType) or not callable(item):
                    raise LinkError(f"{imp.module}.{imp.name} must be a Func, Memory, Table or Global "
                                    f"for {spec.origin}, got {type(item).__name__}")
                item = Func(store, imp.type, item)
            linker.define(store, imp.module, imp.name, item)
        exports = linker.instantiate(store, wasm).exports(store)
        module.__dict__["__wasm_exports__"] = dict(exports)
        for name in exports:
            item = exports[name]
            module.__dict__[name] = _partial(item) if isinstance(item, Func) else item


def _partial(func: Func) -> Any:
    def call(*args: Any) -> Any:
        return func(store, *args)
    call.__doc__ = f"wasm function {func.type()!r}"
    return call


class WasmFinder(MetaPathFinder):
    """Finds ``<name>.wasm`` / ``<name>.wat`` on ``sys.path`` (or a package's
    ``__path__``)."""

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        name = fullname.rpartition(".")[2]
        for entry in (path if path is not None else sys.path):
            if not isinstance(entry, str):
                continue
            for ext in EXTENSIONS:
                candidate = os.path.join(entry or ".", name + ext)
                if os.path.isfile(candidate):
                    return ModuleSpec(fullname, WasmLoader(), origin=candidate)
        return None


if not any(isinstance(finder, WasmFinder) for finder in sys.meta_path):
    sys.meta_path.append(WasmFinder())
