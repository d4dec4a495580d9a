"""``Func``: wasm and host functions, called as ``f(store, *args)``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._store import Store
from ._types import FuncType
from ._values import from_engine, to_engine
from .interpreter.runtime.instances import FunctionInstance, HostFunction

__all__ = ["Func"]


class Func:
    """A function: exported by an instance, or defined by Python.

    ``Func(store, FuncType([...], [...]), callable)`` makes a host function;
    the callable receives Python values and returns ``None``, one value, or
    a tuple/list of values matching the result types.
    """

    __slots__ = ("_fn",)

    def __init__(self, store: Store, ty: FuncType, func: Callable[..., Any], access_caller: bool = False) -> None:
        if not isinstance(ty, FuncType):
            raise TypeError("Func() expects a FuncType")
        if not callable(func):
            raise TypeError("Func() expects a callable")
        if access_caller:
            raise NotImplementedError("access_caller is not supported yet")
        self._fn: FunctionInstance = HostFunction(ty._core, _host_adapter(ty, func),
                                                  getattr(func, "__name__", "host"))

    @classmethod
    def _from_instance(cls, fn: FunctionInstance) -> Func:
        obj = cls.__new__(cls)
        obj._fn = fn
        return obj

    def type(self, store: Store | None = None) -> FuncType:
        return FuncType._from_core(self._fn.type)

    def __call__(self, store: Store, *params: Any) -> Any:
        """Call the function with Python values.

        Returns:
            ``None`` for no result, the value for one, a list for several.

        Raises:
            TypeError: wrong number or type of arguments.
            OverflowError: an integer argument does not fit its type.
            Trap: execution trapped (``Exhaustion`` when the call stack is exhausted).
        """
        ft = self._fn.type
        if len(params) != len(ft.params):
            raise TypeError(f"function expects {len(ft.params)} arguments, got {len(params)}")
        args = [to_engine(t, v, f"argument {i}") for i, (t, v) in enumerate(zip(ft.params, params))]
        if isinstance(store, Store):
            store._enter()
        results = self._fn.invoke(args)
        if not ft.results:
            return None
        if len(ft.results) == 1:
            return from_engine(ft.results[0], results[0])
        return [from_engine(t, v) for t, v in zip(ft.results, results)]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Func) and other._fn is self._fn

    def __hash__(self) -> int:
        return id(self._fn)

    def __repr__(self) -> str:
        return f"Func({self._fn!r})"


def _host_adapter(ty: FuncType, func: Callable[..., Any]) -> Callable[[list[Any]], list[Any]]:
    params = ty._core.params
    results = ty._core.results
    name = getattr(func, "__name__", "host function")

    def adapter(args: list[Any]) -> list[Any]:
        out = func(*[from_engine(t, v) for t, v in zip(params, args)])
        if not results:
            return []
        if len(results) == 1:
            return [to_engine(results[0], out, f"result of {name}")]
        if not isinstance(out, (tuple, list)) or len(out) != len(results):
            raise TypeError(f"{name} must return {len(results)} values")
        return [to_engine(t, v, f"result {i} of {name}") for i, (t, v) in enumerate(zip(results, out))]
    return adapter
