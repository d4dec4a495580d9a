"""The Pythonic layer over the embedding API: one call instantiates a module
with Python callables as imports, and its exports become attributes that
take and return plain Python values (no store argument).

    inst = pywasm_host.instantiate("fib.wasm", imports={"env": {"log": print}})
    inst.exports.fib(20)
    inst.memory.numpy()[0:4]   # zero-copy; stale after the memory grows

Host functions get the module's declared import type; their arguments and
results follow the same value rules as :class:`Func` (i32/i64 arrive
signed). WASI (``wasi=True`` or a :class:`WasiConfig`) serves
``wasi_snapshot_preview1``; ``wasi=True`` inherits stdin, stdout and stderr.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import Any

from ._extern import Global, Memory, Table
from ._func import Func
from ._instance import Extern, Instance
from ._linker import WASI_MODULES, Linker
from ._module import Module
from ._store import Engine, Store
from ._types import FuncType, GlobalType, MemoryType, TableType
from .interpreter.errors import LinkError

__all__ = ["instantiate", "Instantiated", "Exports", "BoundMemory", "BoundGlobal"]


def _load(source: Any, engine: Engine) -> Module:
    if isinstance(source, Module):
        return source
    if isinstance(source, (bytes, bytearray, memoryview)):
        return Module(engine, source)
    if isinstance(source, str) and source.lstrip().startswith("("):
        return Module(engine, source)  # text format
    if isinstance(source, (str, os.PathLike)):
        return Module.from_file(engine, source)
    raise TypeError(f"instantiate() expects a path, bytes, WAT text or a Module, got {type(source).__name__}")


def _wasi_config(wasi: Any) -> Any:
    from .wasi import WasiConfig  # (not imported by core embedding)

    if wasi is True:
        config = WasiConfig()
        config.inherit_stdin()
        config.inherit_stdout()
        config.inherit_stderr()
        return config
    if isinstance(wasi, WasiConfig):
        return wasi
    raise TypeError(f"wasi= expects True, None or a WasiConfig, got {type(wasi).__name__}")


def instantiate(source: Any, imports: Mapping[str, Mapping[str, Any]] | None = None, wasi: Any = None,
                engine: Engine | None = None, store: Store | None = None) -> Instantiated:
    """Load and instantiate a module in one step.

    Args:
        source: a path (``.wasm`` or ``.wat``), the module's bytes, WAT text
            (a ``str`` starting with ``(``) or a :class:`Module`.
        imports: ``{module: {name: value}}``; a value is a Python callable
            (wrapped with the import's declared function type), or a
            :class:`Func`, :class:`Memory`, :class:`Table` or :class:`Global`.
            A plain int/float for a global import becomes an immutable or
            mutable global of the declared type.
        wasi: ``True`` (inherit the standard streams), a ``WasiConfig``, or
            ``None`` (no WASI).
        engine, store: reuse an existing engine/store (a fresh one otherwise).

    Raises:
        LinkError: an import is missing or has the wrong kind or type.
        MalformedError, ValidationError: the module is not well-formed / valid.
        Trap: the start function trapped.
        TypeError: an argument has the wrong type.
    """
    if store is None:
        store = Store(engine if engine is not None else Engine())
    module = _load(source, store.engine)
    linker = Linker(store.engine)
    if wasi is not None and wasi is not False:
        store.set_wasi(_wasi_config(wasi))
        linker.define_wasi()
    declared = {(imp.module, imp.name): imp.type for imp in module.imports}
    for mod_name, items in (imports or {}).items():
        if not isinstance(items, Mapping):
            raise TypeError(f"imports[{mod_name!r}] must be a mapping of names to values")
        for name, value in items.items():
            ty = declared.get((mod_name, name))
            if ty is None:
                continue  # not imported by this module: ignore, as for unused linker definitions
            linker.define(store, mod_name, name, _as_extern(store, mod_name, name, ty, value))
    missing = [f"{imp.module}::{imp.name}" for imp in module.imports
               if imp.module not in WASI_MODULES and (imp.module, imp.name) not in linker._items]
    if missing:
        raise LinkError(f"unknown import: {', '.join(missing)} not given in imports=")
    instance = linker.instantiate(store, module)
    return Instantiated(store, module, instance)


def _as_extern(store: Store, mod_name: str, name: str, ty: Any, value: Any) -> Extern:
    if isinstance(value, (Func, Memory, Table, Global)):
        return value
    if isinstance(value, (BoundMemory, BoundGlobal)):
        return value.raw
    if isinstance(ty, FuncType):
        if not callable(value):
            raise TypeError(f"import {mod_name}::{name} is a function: expected a callable, "
                            f"got {type(value).__name__}")
        return Func(store, ty, value)
    if isinstance(ty, GlobalType):
        return Global(store, ty, value)
    kind = "memory" if isinstance(ty, MemoryType) else "table" if isinstance(ty, TableType) else "item"
    raise TypeError(f"import {mod_name}::{name} is a {kind}: expected a {kind.capitalize()}, "
                    f"got {type(value).__name__}")


class BoundMemory:
    """A memory bound to its store: ``read(start, stop)``, ``write(data,
    start)``, ``grow(delta)``, ``size``, ``data_len`` and ``numpy()``."""

    __slots__ = ("raw", "_store")

    def __init__(self, memory: Memory, store: Store) -> None:
        self.raw = memory
        self._store = store

    def read(self, start: int | None = 0, stop: int | None = None) -> bytearray:
        """A copy of bytes ``[start, stop)`` (slice rules)."""
        return self.raw.read(self._store, start, stop)

    def write(self, data: bytes | bytearray | memoryview, start: int | None = 0) -> int:
        """Write ``data`` at ``start``.

        Raises:
            IndexError: the bytes do not fit.
        """
        return self.raw.write(self._store, data, start)

    def grow(self, delta: int) -> int:
        """Grow by ``delta`` pages; returns the previous size in pages. Views
        from :meth:`numpy` taken before are stale afterwards.

        Raises:
            WasmError: the memory cannot grow that much.
        """
        return self.raw.grow(self._store, delta)

    @property
    def size(self) -> int:
        """Size in pages."""
        return self.raw.size(self._store)

    @property
    def data_len(self) -> int:
        """Size in bytes."""
        return self.raw.data_len(self._store)

    def numpy(self) -> Any:
        """A zero-copy numpy ``uint8`` view of the memory (see
        :meth:`Memory.numpy`: stale once the memory grows)."""
        return self.raw.numpy()

    def __len__(self) -> int:
        return self.raw.data_len(self._store)

    def __repr__(self) -> str:
        return f"<memory {self.size} pages>"


class BoundGlobal:
    """A global bound to its store; ``.value`` reads (and, if mutable, sets) it."""

    __slots__ = ("raw", "_store")

    def __init__(self, glob: Global, store: Store) -> None:
        self.raw = glob
        self._store = store

    @property
    def value(self) -> Any:
        return self.raw.value(self._store)

    @value.setter
    def value(self, v: Any) -> None:
        self.raw.set_value(self._store, v)

    def __repr__(self) -> str:
        return f"<global {self.value!r}>"


def _bind(store: Store, item: Extern) -> Any:
    if isinstance(item, Func):
        func = item
        name = getattr(func._fn, "name", None) or "export"

        def call(*args: Any) -> Any:
            return func(store, *args)
        call.__name__ = name if isinstance(name, str) else "export"
        call.__doc__ = f"wasm function {func.type()!r}"
        return call
    if isinstance(item, Memory):
        return BoundMemory(item, store)
    if isinstance(item, Global):
        return BoundGlobal(item, store)
    return item


class Exports(Mapping[str, Any]):
    """An instance's exports as attributes (``exports.fib(20)``) and by name
    (``exports["fib-2"]``): functions are plain callables, memories
    :class:`BoundMemory`, globals :class:`BoundGlobal`, tables :class:`Table`."""

    def __init__(self, store: Store, instance: Instance) -> None:
        raw = instance.exports(store)
        object.__setattr__(self, "_items", {name: _bind(store, raw[name]) for name in raw})

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError as e:
            raise AttributeError(e.args[0]) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("exports are read-only")

    def __getitem__(self, name: str) -> Any:
        items: dict[str, Any] = object.__getattribute__(self, "_items")
        try:
            return items[name]
        except KeyError:
            raise KeyError(f"no export named {name!r}; exports are {sorted(items)}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(object.__getattribute__(self, "_items"))

    def __len__(self) -> int:
        return len(object.__getattribute__(self, "_items"))

    def __dir__(self) -> list[str]:
        return sorted(object.__getattribute__(self, "_items"))


class Instantiated:
    """The result of :func:`instantiate`: ``exports`` (attributes), ``memory``
    (the export named ``memory``, or ``None``), and the underlying ``store``,
    ``module`` and ``instance`` for the full API."""

    def __init__(self, store: Store, module: Module, instance: Instance) -> None:
        self.store = store
        self.module = module
        self.instance = instance
        self.exports = Exports(store, instance)
        memory = self.exports.get("memory")
        self.memory: BoundMemory | None = memory if isinstance(memory, BoundMemory) else None

    def __repr__(self) -> str:
        return f"<Instantiated exports={list(self.exports)}>"

