"""``Caller``: what a host function defined with ``access_caller=True`` gets as
its first argument (wasmtime-py's ``Caller``): the exports of the module
instance that called it, valid only while the call lasts.

Which instance is "the caller": for a direct ``call`` of the host function
it is the instance whose code contains the call; for a ``call_indirect``
through a table (rare for caller-aware host functions) it is the instance
the embedder last entered, which differs only when one instance calls
another that then calls the host indirectly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._instance import Extern
    from ._store import Store
    from .interpreter.runtime.instances import ModuleInstance

__all__ = ["Caller"]


class Caller:
    """The calling instance's exports during a host call: ``caller["memory"]``,
    ``caller.get("name")``. Usable wherever a store is expected (as in
    wasmtime-py, ``memory.read(caller, ...)`` works).
    """

    __slots__ = ("_instance", "_store")

    def __init__(self, instance: ModuleInstance | None, store: Store | None) -> None:
        self._instance = instance
        self._store = store

    def __getitem__(self, name: str) -> Extern:
        """The export ``name`` of the calling instance.

        Raises:
            KeyError: no such export, or the caller is no longer valid.
        """
        item = self.get(name)
        if item is None:
            raise KeyError(f"failed to find export {name}")
        return item

    def get(self, name: str) -> Extern | None:
        """The export ``name`` of the calling instance, or ``None`` (no such
        export, no calling instance, or the host call has returned)."""
        if not isinstance(name, str):
            raise TypeError(f"export name must be a str, got {type(name).__name__}")
        inst = self._instance
        if inst is None:
            return None
        value = inst.exports.get(name)
        if value is None:
            return None
        from ._instance import wrap_extern

        return wrap_extern(value)

    @property
    def store(self) -> Store | None:
        """The store the host function was created in (``None`` for functions
        defined through ``Linker.define_func`` before a store was known)."""
        return self._store

    @property
    def data(self) -> Any:
        """The store's ``data`` (a convenience; wasmtime-py's Caller has none)."""
        return None if self._store is None else self._store.data()

    @property
    def engine(self) -> Any:
        return None if self._store is None else self._store.engine

    def _invalidate(self) -> None:
        self._instance = None

    def __repr__(self) -> str:
        return f"<Caller {'valid' if self._instance is not None else 'invalid'}>"
