"""``Linker``: resolve a module's imports by name (wasmtime-py's ``Linker``;
the import resolution of spec 4.5.4 "Instantiation" step 3, done by name
instead of by position).

Definitions are keyed by ``(module, name)``. A second definition of the same
key raises :class:`LinkError` unless ``allow_shadowing`` is set, in which
case the later one wins. ``define_wasi()`` makes the WASI preview1 functions
(``wasi_snapshot_preview1``) available; they are created per store, from the
:class:`WasiConfig` given to ``Store.set_wasi``, when a module that imports
them is instantiated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._func import Func, make_host_function
from ._instance import Extern, Instance, instantiate_in, unwrap_extern, wrap_extern
from ._module import Module
from ._store import Engine, Store
from ._types import ExternType, FuncType, GlobalType, MemoryType, TableType
from .interpreter.errors import LinkError, Trap, TrapCode, WasmError
from .interpreter.exec.compile import zero_value
from .interpreter.exec.machine import STATE
from .interpreter.runtime.instances import ExternValue, FunctionInstance, GlobalInstance, HostFunction
from .interpreter.runtime.memory import MemoryInstance
from .interpreter.runtime.table import TableInstance

if TYPE_CHECKING:
    from .wasi.preview1 import WasiImports

__all__ = ["Linker", "InstancePre", "WASI_MODULES"]

WASI_MODULES = ("wasi_snapshot_preview1",)
"""Import module names served by ``define_wasi()``. The older ``wasi_unstable``
(snapshot 0) is not served: several of its layouts differ from preview1's
(e.g. ``fd_seek``'s whence values, ``filestat``'s ``nlink`` width), so its
imports stay unresolved and instantiation reports them."""


class Linker:
    """``Linker(engine)``: named definitions used to instantiate modules."""

    def __init__(self, engine: Engine) -> None:
        if not isinstance(engine, Engine):
            raise TypeError("expected an Engine")
        self.engine = engine
        self._items: dict[tuple[str, str], ExternValue] = {}
        self._shadowing = False
        self._wasi = False

    # -- configuration -------------------------------------------------------
    @property
    def allow_shadowing(self) -> bool:
        """Whether a definition may replace an earlier one with the same name
        (default ``False``: redefining raises :class:`LinkError`)."""
        return self._shadowing

    @allow_shadowing.setter
    def allow_shadowing(self, allow: bool) -> None:
        if not isinstance(allow, bool):
            raise TypeError("expected a bool")
        self._shadowing = allow

    # -- definitions ---------------------------------------------------------
    def _insert(self, module: str, name: str, value: ExternValue) -> None:
        if not isinstance(module, str) or not isinstance(name, str):
            raise TypeError("module and name must be str")
        key = (module, name)
        if key in self._items and not self._shadowing:
            raise LinkError(f"import of `{module}::{name}` defined twice")
        self._items[key] = value

    def define(self, store: Any, module: str, name: str, item: Extern) -> None:
        """Define ``module::name`` as ``item`` (a Func, Memory, Table or Global).

        Raises:
            LinkError: already defined and shadowing is not allowed.
            TypeError: ``item`` is not an external value.
        """
        self._insert(module, name, unwrap_extern(item, f"Linker.define({module!r}, {name!r})"))

    def define_func(self, module: str, name: str, ty: FuncType, func: Callable[..., Any],
                    access_caller: bool = False) -> None:
        """Define ``module::name`` as a host function (usable from any store).

        Raises:
            LinkError: already defined and shadowing is not allowed.
            TypeError: ``ty`` is not a FuncType or ``func`` not callable.
        """
        if not isinstance(ty, FuncType):
            raise TypeError("expected a FuncType")
        if not callable(func):
            raise TypeError("define_func expects a callable")
        self._insert(module, name, make_host_function(None, ty, func, access_caller))

    def define_instance(self, store: Any, name: str, instance: Instance) -> None:
        """Define every export of ``instance`` under module name ``name``.

        Raises:
            LinkError: a name is already defined and shadowing is not allowed.
        """
        if not isinstance(instance, Instance):
            raise TypeError("expected an `Instance`")
        for export, value in instance._inst.exports.items():
            self._insert(name, export, value)

    def define_module(self, store: Store, name: str, module: Module) -> None:
        """Instantiate ``module`` with this linker now, run its
        ``_initialize`` export if it has one (a WASI reactor), and define its
        exports under ``name``.

        Unlike wasmtime, a WASI *command* (exporting ``_start``) is also
        instantiated once here, not afresh for every call of an export.

        Raises:
            LinkError, Trap, WasmError: as :meth:`instantiate`.
        """
        if not isinstance(module, Module):
            raise TypeError("expected a `Module`")
        instance = self.instantiate(store, module)
        init = instance._inst.exports.get("_initialize")
        if isinstance(init, FunctionInstance):
            Func._from_instance(init)(store)
        self.define_instance(store, name, instance)

    def define_wasi(self) -> None:
        """Make the WASI preview1 functions available (configured per store
        by ``Store.set_wasi``).

        Raises:
            LinkError: a WASI name is already defined and shadowing is not allowed.
        """
        if not self._shadowing:
            for module, name in self._items:
                if module in WASI_MODULES:
                    raise LinkError(f"import of `{module}::{name}` defined twice")
        self._wasi = True

    def define_unknown_imports_as_traps(self, module: Module) -> None:
        """Define every function import of ``module`` not yet defined as a
        function that traps when called.

        Raises:
            LinkError: a non-function import is undefined.
        """
        for imp in self._undefined(module):
            if not isinstance(imp.type, FuncType):
                raise _unknown_import(imp.module, imp.name)
            where = f"{imp.module}::{imp.name}"

            def trap(args: list[Any], where: str = where) -> list[Any]:
                raise Trap(TrapCode.HOST, f"unknown import `{where}` was called")
            self._items[(imp.module, imp.name)] = HostFunction(imp.type._core, trap, where)

    def define_unknown_imports_as_default_values(self, store: Store, module: Module) -> None:
        """Define every import of ``module`` not yet defined as a default:
        functions return zeros/nulls, globals hold zero/null, memories and
        tables get the minimum size the import asks for.
        """
        for imp in self._undefined(module):
            self._items[(imp.module, imp.name)] = _default_value(store, imp.type)

    def _undefined(self, module: Module) -> list[Any]:
        if not isinstance(module, Module):
            raise TypeError("expected a `Module`")
        return [imp for imp in module.imports if (imp.module, imp.name) not in self._items
                and not (self._wasi and imp.module in WASI_MODULES)]

    # -- use -----------------------------------------------------------------
    def instantiate(self, store: Store, module: Module) -> Instance:
        """Instantiate ``module`` in ``store``, resolving its imports by name.

        Raises:
            LinkError: an import is not defined, or has the wrong type.
            Trap: the start function (or a segment initialisation) trapped.
            WasmError: a store limit was exceeded, or WASI imports are
                needed and the store has no ``set_wasi`` configuration.
        """
        if not isinstance(module, Module):
            raise TypeError("expected a `Module`")
        externs = [self._resolve(store, imp.module, imp.name) for imp in module._module.imports]
        uses_wasi = self._wasi and any(imp.module in WASI_MODULES and (imp.module, imp.name) not in self._items
                                       for imp in module._module.imports)
        if not uses_wasi:
            return Instance._from_instance(instantiate_in(store, module, externs))
        # The WASI functions work on the instance's exported memory: bind it
        # before the start function can run them, and again afterwards.
        funcs = _wasi_functions(store)[0]
        return Instance._from_instance(instantiate_in(store, module, externs, on_allocated=funcs.bind))

    def _resolve(self, store: Store, module: str, name: str) -> ExternValue:
        value = self._items.get((module, name))
        if value is not None:
            return value
        if self._wasi and module in WASI_MODULES:
            func = _wasi_functions(store)[1].get(name)
            if func is not None:
                return func
        raise _unknown_import(module, name)

    def instantiate_pre(self, module: Module) -> InstancePre:
        """Check now that every import of ``module`` is defined and keep the
        current definitions, to instantiate cheaply later in any store.

        Raises:
            LinkError: an import is not defined.
        """
        undefined = self._undefined(module)
        if undefined:
            raise _unknown_import(undefined[0].module, undefined[0].name)
        snapshot = Linker(self.engine)
        snapshot._items = dict(self._items)
        snapshot._wasi = self._wasi
        return InstancePre(snapshot, module)

    def get(self, store: Store, module: str, name: str) -> Extern:
        """The item defined as ``module::name``.

        Raises:
            WasmError: nothing is defined under that name.
        """
        try:
            return wrap_extern(self._resolve(store, module, name))
        except LinkError:
            raise WasmError("item not defined in linker") from None

    def get_default(self, store: Store, name: str) -> Func:
        """The default export of module ``name``: its function named ``""``,
        else its ``_start``, else a function that does nothing.

        Raises:
            WasmError: the default export is defined but is not a function.
        """
        for field in ("", "_start"):
            value = self._items.get((name, field))
            if value is not None:
                if not isinstance(value, FunctionInstance):
                    raise WasmError(f"default export in '{name}' is not a function")
                return Func._from_instance(value)
        return Func(store, FuncType([], []), lambda: None)


class InstancePre:
    """A module with its imports resolved (``Linker.instantiate_pre``)."""

    def __init__(self, linker: Linker, module: Module) -> None:
        self._linker = linker
        self._module = module

    def instantiate(self, store: Store) -> Instance:
        """A new instance in ``store``.

        Raises:
            LinkError, Trap, WasmError: as :meth:`Linker.instantiate`.
        """
        return self._linker.instantiate(store, self._module)

    def module(self) -> Module:
        return self._module


def _unknown_import(module: str, name: str) -> LinkError:
    return LinkError(f"unknown import: `{module}::{name}` has not been defined")


def _wasi_functions(store: Store) -> tuple[WasiImports, dict[str, FunctionInstance]]:
    """The store's WASI preview1 functions, created once per store: the
    ``wasi_imports`` result (with its ``bind``) and the functions to link.

    The WASI state (fd table, ...) belongs to the store, the memory to the
    calling instance: the linked functions point the state at their caller's
    ``memory`` export before each call, so several WASI modules can share a
    store as in wasmtime.

    Raises:
        WasmError: the store has no WASI configuration.
    """
    cached = store._wasi_funcs
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    if store._wasi is None:
        raise WasmError("store does not have WASI configured: call store.set_wasi(WasiConfig())")
    from .wasi.preview1 import wasi_imports

    funcs = wasi_imports(store, store._wasi)
    bind_memory = funcs.state.bind_memory
    linked: dict[str, FunctionInstance] = {}
    for name, func in funcs.items():
        fn = func._fn
        linked[name] = _with_caller_memory(fn, bind_memory) if isinstance(fn, HostFunction) else fn
    store._wasi_funcs = (funcs, linked)
    return funcs, linked


def _with_caller_memory(fn: HostFunction, bind_memory: Callable[[MemoryInstance], object]) -> HostFunction:
    state = STATE
    inner = fn.callable

    def call(args: list[Any]) -> list[Any]:
        caller = state.caller
        if caller is not None:
            memory = caller.exports.get("memory")
            if isinstance(memory, MemoryInstance):
                bind_memory(memory)
        return inner(args)
    call.wants_caller_instance = True  # type: ignore[attr-defined]
    return HostFunction(fn.type, call, fn.name)


def _default_value(store: Store, ty: ExternType) -> ExternValue:
    if isinstance(ty, FuncType):
        zeros = [zero_value(t) for t in ty._core.results]
        return HostFunction(ty._core, lambda args: list(zeros), "default")
    if isinstance(ty, GlobalType):
        return GlobalInstance(ty._core, zero_value(ty.content))
    if isinstance(ty, MemoryType):
        return MemoryInstance(ty._core, store._limits.memory_pages)
    if isinstance(ty, TableType):
        return TableInstance(ty._core, None, store._limits.table_elements)
    raise TypeError(f"unknown import type {ty!r}")
