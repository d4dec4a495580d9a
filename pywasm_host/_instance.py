"""``Instance``: an instantiated module and its exports."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace

from ._extern import Global, Memory, Table
from ._func import Func
from ._module import Module
from ._store import Store
from .interpreter.errors import LinkError
from .interpreter.exec.instantiate import instantiate
from .interpreter.runtime.instances import ExternValue, FunctionInstance, GlobalInstance, ModuleInstance
from .interpreter.runtime.memory import MemoryInstance
from .interpreter.runtime.table import TableInstance

__all__ = ["Instance", "InstanceExports", "Extern"]

Extern = Func | Memory | Table | Global


def unwrap_extern(value: object, what: str) -> ExternValue:
    if isinstance(value, Func):
        return value._fn
    if isinstance(value, Memory):
        return value._mem
    if isinstance(value, Table):
        return value._table
    if isinstance(value, Global):
        return value._global
    raise TypeError(f"{what}: expected a Func, Memory, Table or Global, got {type(value).__name__}")


def wrap_extern(value: ExternValue) -> Extern:
    if isinstance(value, FunctionInstance):
        return Func._from_instance(value)
    if isinstance(value, MemoryInstance):
        return Memory._from_instance(value)
    if isinstance(value, TableInstance):
        return Table._from_instance(value)
    if isinstance(value, GlobalInstance):
        return Global._from_instance(value)
    raise TypeError(f"not an external value: {value!r}")


class InstanceExports(Mapping[str, Extern]):
    """The exports of an instance, by name (``ex["f"]``) or position
    (``ex[0]`` or ``ex.by_index[0]``); iterating gives the names in export order."""

    def __init__(self, inst: ModuleInstance) -> None:
        self._map = {name: wrap_extern(v) for name, v in inst.exports.items()}
        self._seq = list(self._map.values())

    @property
    def by_index(self) -> Sequence[Extern]:
        return self._seq

    def __getitem__(self, key: str | int) -> Extern:
        if isinstance(key, int):
            return self._seq[key]
        try:
            return self._map[key]
        except KeyError:
            raise KeyError(f"no export named {key!r}; exports are {sorted(self._map)}") from None

    def __len__(self) -> int:
        return len(self._map)

    def __iter__(self) -> Iterator[str]:
        return iter(self._map)


def instantiate_in(store: Store, module: Module, externs: list[ExternValue],
                   on_allocated: Callable[[Instance, Store], object] | None = None) -> ModuleInstance:
    """Instantiate ``module`` in ``store`` (its limits, fuel and call depth).
    ``on_allocated(instance, store)``, when given, runs once the instance
    exists and before its start function (WASI binds its memory there).

    Raises:
        LinkError, Trap, WasmError: as :class:`Instance`.
    """
    if not isinstance(store, Store):
        raise TypeError(f"expected a Store, got {type(store).__name__}")
    m = module._module
    counts = (1, len(m.tables), len(m.mems))
    store._reserve(*counts)
    prev = store._enter()
    try:
        if on_allocated is None or m.start is None:
            inst = instantiate(m, externs, store._limits)
            if on_allocated is not None:
                on_allocated(Instance._from_instance(inst), store)
            return inst
        inst = instantiate(replace(m, start=None), externs, store._limits)
        on_allocated(Instance._from_instance(inst), store)
        inst.funcs[m.start].invoke([])
        return inst
    except BaseException:
        store._reserve(*(-n for n in counts))
        raise
    finally:
        store._exit(prev)


class Instance:
    """``Instance(store, module, imports)``: instantiate ``module`` with
    ``imports`` given in the module's import order.

    Raises:
        LinkError: wrong number, kind or type of imports.
        Trap: a segment does not fit, or the start function traps.
        WasmError: a table or memory exceeds the store's limits.
    """

    def __init__(self, store: Store, module: Module, imports: Sequence[Extern]) -> None:
        if not isinstance(module, Module):
            raise TypeError("Instance() expects a Module")
        if len(imports) != len(module._module.imports):
            raise LinkError(f"expected {len(module._module.imports)} imports, got {len(imports)}")
        externs = [unwrap_extern(v, f"import {i}") for i, v in enumerate(imports)]
        self._inst = instantiate_in(store, module, externs)
        self._exports: InstanceExports | None = None

    @classmethod
    def _from_instance(cls, inst: ModuleInstance) -> Instance:
        obj = cls.__new__(cls)
        obj._inst = inst
        obj._exports = None
        return obj

    def exports(self, store: object = None) -> InstanceExports:
        """The instance's exports (``store`` is accepted for wasmtime-py
        compatibility and not needed)."""
        if self._exports is None:
            self._exports = InstanceExports(self._inst)
        return self._exports
