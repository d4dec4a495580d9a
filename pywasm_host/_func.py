"""``Func``: wasm and host functions, called as ``f(store, *args)`` (the
embedding API's ``func_invoke``/``func_alloc``, spec 7.1.7), and host
functions that receive a :class:`Caller`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._caller import Caller
from ._store import Store
from ._types import FuncType
from ._values import from_engine, to_engine
from .interpreter.exec.machine import STATE
from .interpreter.runtime.instances import FunctionInstance, HostFunction

__all__ = ["Func"]


class Func:
    """A function: exported by an instance, or defined by Python.

    ``Func(store, FuncType([...], [...]), callable, access_caller=False)``
    makes a host function; the callable receives Python values (preceded by
    a :class:`Caller` when ``access_caller`` is true) and returns ``None``,
    one value, or a tuple/list of values matching the result types. An
    exception it raises propagates to whoever called into wasm, unchanged.
    """

    __slots__ = ("_fn",)

    def __init__(self, store: Store | None, ty: FuncType, func: Callable[..., Any],
                 access_caller: bool = False) -> None:
        if not isinstance(ty, FuncType):
            raise TypeError("expected a FuncType")
        if not callable(func):
            raise TypeError("Func() expects a callable")
        self._fn: FunctionInstance = make_host_function(store, ty, func, access_caller)

    @classmethod
    def _from_instance(cls, fn: FunctionInstance) -> Func:
        obj = cls.__new__(cls)
        obj._fn = fn
        return obj

    def type(self, store: Any = None) -> FuncType:
        return FuncType._from_core(self._fn.type)

    def __call__(self, store: Store | Caller, *params: Any) -> Any:
        """Call the function with Python values (or :class:`Val`).

        ``store`` is the store to run in (a :class:`Caller` inside a host
        function stands for its store).

        Returns:
            ``None`` for no result, the value for one, a list for several.

        Raises:
            TypeError: wrong number or type of arguments.
            OverflowError: an integer argument does not fit its type.
            Trap: execution trapped (``Exhaustion`` when the call stack is
                exhausted, ``TrapCode.OUT_OF_FUEL`` when fuel runs out).
        """
        ft = self._fn.type
        if len(params) != len(ft.params):
            raise TypeError(f"function expects {len(ft.params)} arguments, got {len(params)}")
        args = [to_engine(t, v, f"argument {i}") for i, (t, v) in enumerate(zip(ft.params, params))]
        st = store._store if isinstance(store, Caller) else store
        if isinstance(st, Store):
            prev = st._enter()
            try:
                results = self._invoke(args)
            finally:
                st._exit(prev)
        else:
            results = self._invoke(args)
        if not ft.results:
            return None
        if len(ft.results) == 1:
            return from_engine(ft.results[0], results[0])
        return [from_engine(t, v) for t, v in zip(ft.results, results)]

    def _invoke(self, args: list[Any]) -> list[Any]:
        fn = self._fn
        if isinstance(fn, HostFunction):
            s = STATE
            saved = s.caller
            s.caller = None  # called from Python: there is no calling instance
            try:
                return fn.invoke(args)
            finally:
                s.caller = saved
        return fn.invoke(args)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Func) and other._fn is self._fn

    def __hash__(self) -> int:
        return id(self._fn)

    def __repr__(self) -> str:
        return f"Func({self._fn!r})"


def make_host_function(store: Store | None, ty: FuncType, func: Callable[..., Any],
                       access_caller: bool) -> HostFunction:
    """The engine's host function running the Python callable ``func``."""
    params = ty._core.params
    results = ty._core.results
    name = getattr(func, "__name__", "host function")

    def convert_results(out: Any) -> list[Any]:
        if not results:
            if out is not None:
                raise TypeError(f"{name} returned a value but its type has no results")
            return []
        if len(results) == 1:
            return [to_engine(results[0], out, f"result of {name}")]
        if not isinstance(out, (tuple, list)) or len(out) != len(results):
            raise TypeError(f"{name} must return {len(results)} values")
        return [to_engine(t, v, f"result {i} of {name}") for i, (t, v) in enumerate(zip(results, out))]

    if access_caller:
        def adapter_caller(args: list[Any]) -> list[Any]:
            caller = Caller(STATE.caller, store)
            try:
                out = func(caller, *[from_engine(t, v) for t, v in zip(params, args)])
            finally:
                caller._invalidate()
            return convert_results(out)
        adapter_caller.wants_caller_instance = True  # type: ignore[attr-defined]
        return HostFunction(ty._core, adapter_caller, name)

    def adapter(args: list[Any]) -> list[Any]:
        return convert_results(func(*[from_engine(t, v) for t, v in zip(params, args)]))
    return HostFunction(ty._core, adapter, name)
