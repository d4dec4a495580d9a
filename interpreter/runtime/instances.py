"""Runtime instances (spec 4.2 "Runtime Structure"): functions, globals and
module instances. Memories and tables live in ``memory.py`` and ``table.py``.

Values inside the engine follow ``values.py``: i32/i64 as unsigned ints,
floats as Python floats, references as objects or ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..syntax.module import Function, Module
from ..syntax.types import FuncType, GlobalType
from .memory import MemoryInstance
from .table import TableInstance

__all__ = [
    "GlobalInstance",
    "FunctionInstance",
    "WasmFunction",
    "HostFunction",
    "ModuleInstance",
    "ExternValue",
    "intern_functype",
]

_FUNCTYPES: dict[FuncType, FuncType] = {}


def intern_functype(ft: FuncType) -> FuncType:
    """The canonical object for a function type, so that the hot path can test
    type equality by identity first (``call_indirect``)."""
    return _FUNCTYPES.setdefault(ft, ft)


class GlobalInstance:
    """A global (spec 4.2.9): its type and current ``value``."""

    __slots__ = ("type", "value")

    def __init__(self, globaltype: GlobalType, value: Any) -> None:
        self.type = globaltype
        self.value = value


class FunctionInstance:
    """Base of function instances; ``type`` is an interned :class:`FuncType`."""

    __slots__ = ("type",)

    type: FuncType

    def invoke(self, args: list[Any]) -> list[Any]:  # pragma: no cover - overridden
        raise NotImplementedError


class WasmFunction(FunctionInstance):
    """A function defined by a module (spec 4.2.6). ``code`` and ``template``
    are filled in by the translator on first call: ``code`` is the list of
    handlers the machine runs, ``template`` the initial register file."""

    __slots__ = ("instance", "func", "index", "code", "template", "nparams", "nresults")

    def __init__(self, functype: FuncType, instance: ModuleInstance, func: Function, index: int) -> None:
        self.type = intern_functype(functype)
        self.instance = instance
        self.func = func
        self.index = index
        self.code: list[Any] | None = None
        self.template: list[Any] | None = None
        self.nparams = len(functype.params)
        self.nresults = len(functype.results)

    def invoke(self, args: list[Any]) -> list[Any]:
        from ..exec.machine import invoke_wasm

        return invoke_wasm(self, args)

    def __repr__(self) -> str:
        return f"<wasm function {self.index} {self.type}>"


class HostFunction(FunctionInstance):
    """A function provided by the embedder (spec 4.2.6 "host function").

    ``callable`` receives a list of engine values and returns a list of
    engine values (one per result type); the public API wraps user callables
    to convert between this and Python-level values.
    """

    __slots__ = ("callable", "name")

    def __init__(self, functype: FuncType, fn: Callable[[list[Any]], list[Any]], name: str = "host") -> None:
        self.type = intern_functype(functype)
        self.callable = fn
        self.name = name

    def invoke(self, args: list[Any]) -> list[Any]:
        from ..exec.machine import invoke_host

        return invoke_host(self, args)

    def __repr__(self) -> str:
        return f"<host function {self.name} {self.type}>"


ExternValue = FunctionInstance | TableInstance | MemoryInstance | GlobalInstance


class ModuleInstance:
    """A module instance (spec 4.2.5): the resolved index spaces and segments.

    ``datas[i]`` is the segment's bytes, or ``b""`` once dropped; ``elems[i]``
    is the list of references, or ``[]`` once dropped (spec 4.2.11/4.2.12).
    """

    __slots__ = ("module", "types", "funcs", "tables", "mems", "globals", "elems", "datas", "exports")

    def __init__(self, module: Module) -> None:
        self.module = module
        self.types: list[FuncType] = [intern_functype(t) for t in module.types]
        self.funcs: list[FunctionInstance] = []
        self.tables: list[TableInstance] = []
        self.mems: list[MemoryInstance] = []
        self.globals: list[GlobalInstance] = []
        self.elems: list[list[Any]] = []
        self.datas: list[bytes] = []
        self.exports: dict[str, ExternValue] = {}
