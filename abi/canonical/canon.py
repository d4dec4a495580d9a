"""``canon lift`` and ``canon lower`` of functions (component-model
``design/mvp/CanonicalABI.md``, "``canon lift``" and "``canon lower``",
synchronous case), and the resource built-ins ``canon resource.new``,
``resource.rep`` and ``resource.drop``.

:func:`canon_lift` calls a guest export with Python values: it lowers the
arguments (spilling beyond ``MAX_FLAT_PARAMS`` through ``realloc``), calls
the core function, lifts the result (through the return pointer beyond
``MAX_FLAT_RESULTS``), then calls the ``post-return`` function and releases
the call's borrows.  :func:`canon_lower` turns a Python callable into a
flat host function the guest can import.  :func:`lift_export` precompiles
a caller for one export, with a fast path for functions whose parameters
and result are all scalars.  Host-side errors in arguments name the
parameter and its WIT type (``TypeError``/``OverflowError``/``ValueError``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...interpreter.errors import Trap
from ...interpreter.runtime.values import f32_round
from .core import CoreInstance
from .flat import ValueIter, describe_error, lift_flat_values, lower_flat_values
from .flatten import MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, flatten_functype, flatten_types
from .loading import convert_char
from .options import CanonicalOptions, LiftLowerContext, trap
from .resources import CallScope, ResourceState
from .storing import INT_RANGES
from .types import FuncType, Prim, ResourceType, ValType
from .values import ValueClasses

__all__ = ["canon_lift", "canon_lower", "lift_export", "describe_error", "canon_resource_new",
           "canon_resource_rep", "canon_resource_drop"]

_NAN = float("nan")


def canon_lift(cx: LiftLowerContext, callee: str, ft: FuncType, args: list[Any] | tuple[Any, ...],
               func_name: str = "function") -> Any:
    """Call guest export ``callee`` of type ``ft`` with Python ``args``; returns the Python result
    (``None`` for a function without result).

    Raises:
        TypeError: wrong number of arguments, or an argument of the wrong Python type.
        OverflowError: an integer argument out of its WIT type's range.
        ValueError: an invalid char/string/case name.
        Trap: the guest trapped or a canonical ABI check failed.
    """
    if len(args) != len(ft.params):
        raise TypeError(f"{func_name}() takes {len(ft.params)} arguments ({', '.join(n for n, _ in ft.params)}), "
                        f"got {len(args)}")
    state = cx.inst
    if state is not None and state.poisoned:
        raise POISONED()
    scope = CallScope()
    cx.scope = scope
    try:
        flat_args = lower_flat_values(cx, MAX_FLAT_PARAMS, list(args), ft.param_types,
                                      names=[f"{func_name}() parameter `{n}`" for n, _ in ft.params])
        try:
            flat_results = cx.core.call(callee, flat_args)
            results = lift_flat_values(cx, MAX_FLAT_RESULTS, ValueIter(flat_results), ft.result_types)
            if scope.lent and scope.remaining(state):
                raise trap("borrow handles still remain at the end of the call")
            post = cx.opts.post_return
            if post is not None:
                cx.core.call(post, flat_results)
        except BaseException:
            if state is not None:
                state.poisoned = True
            raise
    finally:
        scope.release(state)
        cx.scope = None
    return results[0] if results else None


def POISONED() -> Trap:  # noqa: N802 - reads as a constant at the raise sites
    """The trap for entering an instance that trapped before."""
    return trap("cannot enter component instance: a previous call trapped")


def canon_lower(opts: CanonicalOptions, core: Callable[[], CoreInstance], inst: ResourceState | None,
                classes: ValueClasses, ft: FuncType, callee: Callable[..., Any],
                func_name: str = "import") -> Callable[[list[Any]], list[Any]]:
    """A flat host function (flat args list -> flat results list) that lifts the guest's arguments,
    calls ``callee`` with Python values and lowers its result; ``core()`` gives the core instance
    (late bound: the instance exists only after instantiation).

    Raises (when called):
        TypeError, OverflowError, ValueError: ``callee`` returned a value not of the result type.
        Trap: a canonical ABI check on the guest's arguments failed.
    """
    flat_results_n = len(flatten_types(ft.result_types))
    flatten_functype(ft, "lower")
    result_types = ft.result_types
    result_name = [f"result of {func_name}"]

    def call(args: list[Any]) -> list[Any]:
        cx = LiftLowerContext(opts, core(), inst, classes, CallScope())
        vi = ValueIter(args)
        values = lift_flat_values(cx, MAX_FLAT_PARAMS, vi, ft.param_types)
        try:
            result = callee(*values)
        finally:
            cx.scope.release(inst)  # type: ignore[union-attr]
        out_param = vi.next("i32") if flat_results_n > MAX_FLAT_RESULTS else None
        results = [result] if result_types else []
        return lower_flat_values(cx, MAX_FLAT_RESULTS, results, result_types, out_param, names=result_name)
    return call


# ---- precompiled export callers -----------------------------------------------

_SCALARS = frozenset(INT_RANGES) | {"bool", "f32", "f64", "char"}


def _scalar_in(t: ValType, what: str) -> Callable[[Any], Any]:
    k = t.kind  # type: ignore[attr-defined]
    if k in INT_RANGES:
        lo, hi, size = INT_RANGES[k]
        mask = (1 << (8 * size)) - 1

        def conv_int(v: Any) -> Any:
            if type(v) is not int:
                if not isinstance(v, int) or isinstance(v, bool):
                    raise TypeError(f"{what} ({k}): expected int, got {type(v).__name__}")
            if not lo <= v <= hi:
                raise OverflowError(f"{what} ({k}): {v} is out of range [{lo}, {hi}]")
            return v & mask
        return conv_int
    if k == "bool":
        def conv_bool(v: Any) -> Any:
            if not isinstance(v, bool):
                raise TypeError(f"{what} (bool): expected bool, got {type(v).__name__}")
            return int(v)
        return conv_bool
    if k == "char":
        def conv_char(v: Any) -> Any:
            if not isinstance(v, str) or len(v) != 1:
                raise TypeError(f"{what} (char): expected a 1-character str, got {type(v).__name__}")
            i = ord(v)
            if 0xD800 <= i <= 0xDFFF:
                raise ValueError(f"{what} (char): {i:#x} is a surrogate")
            return i
        return conv_char
    single = k == "f32"

    def conv_float(v: Any) -> Any:
        if isinstance(v, bool) or not isinstance(v, (float, int)):
            raise TypeError(f"{what} ({k}): expected float, got {type(v).__name__}")
        x = float(v)
        if x != x:
            return _NAN
        return f32_round(x) if single else x
    return conv_float


def _scalar_out(t: ValType) -> Callable[[Any], Any]:
    k = t.kind  # type: ignore[attr-defined]
    if k in INT_RANGES:
        lo, hi, size = INT_RANGES[k]
        mask = (1 << (8 * size)) - 1
        if lo == 0:
            return lambda v: v & mask
        return lambda v: (v & mask) - (mask + 1) if v & mask > hi else v & mask
    if k == "bool":
        return lambda v: v != 0
    if k == "char":
        return convert_char
    return lambda v: _NAN if v != v else float(v)


def lift_export(cx_factory: Callable[[], LiftLowerContext], core: CoreInstance, callee: str, ft: FuncType,
                post_return: str | None, func_name: str, state: ResourceState | None = None) -> Callable[..., Any]:
    """A Python callable for guest export ``callee``: ``f(*args) -> result``.

    ``cx_factory()`` makes the context of one call; ``state`` is the instance state (poisoned
    after a trap).  When every parameter and the result are
    scalars (integers, bool, floats, char), arguments are converted by precompiled checkers and
    the core function is called directly, without a context.
    """
    scalar = (all(isinstance(t, Prim) and t.kind in _SCALARS for t in ft.param_types + ft.result_types)
              and len(ft.params) <= MAX_FLAT_PARAMS)
    fn = getattr(core, "function", None)
    if scalar and fn is not None and (post_return is None or not core.has_export(post_return)):
        invoke = fn(callee)
        convs = [_scalar_in(t, f"{func_name}() parameter `{n}`") for n, t in ft.params]
        nparams = len(convs)
        out = _scalar_out(ft.result) if ft.result is not None else None
        guard = state if state is not None else ResourceState()

        def call_scalar(*args: Any) -> Any:
            if len(args) != nparams:
                raise TypeError(f"{func_name}() takes {nparams} arguments, got {len(args)}")
            flat = [c(a) for c, a in zip(convs, args)] if nparams else []
            if guard.poisoned:
                raise POISONED()
            try:
                r = invoke(flat)
                return out(r[0]) if out is not None else None
            except BaseException:
                guard.poisoned = True
                raise
        return call_scalar

    def call(*args: Any) -> Any:
        return canon_lift(cx_factory(), callee, ft, args, func_name)
    return call


# ---- canon resource.new / resource.rep / resource.drop ------------------------


def canon_resource_new(state: ResourceState, rt: ResourceType) -> Callable[[list[Any]], list[Any]]:
    """The flat ``[resource-new]<name>`` intrinsic: ``(rep) -> handle``."""
    return lambda args: [state.resource_new(rt, args[0])]


def canon_resource_rep(state: ResourceState, rt: ResourceType) -> Callable[[list[Any]], list[Any]]:
    """The flat ``[resource-rep]<name>`` intrinsic: ``(handle) -> rep``."""
    return lambda args: [state.resource_rep(rt, args[0])]


def canon_resource_drop(state: ResourceState, rt: ResourceType) -> Callable[[list[Any]], list[Any]]:
    """The flat ``[resource-drop]<name>`` intrinsic: ``(handle) -> ()``."""
    def drop(args: list[Any]) -> list[Any]:
        state.resource_drop(rt, args[0])
        return []
    return drop
