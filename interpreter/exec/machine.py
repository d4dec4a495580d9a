"""The machine: the one hot loop that runs translated code (spec 4.4
"Instructions" and 4.5.5 "Invocation" are realised by the translator and
the handlers; this module only sequences them).

A translated function is a list of handlers ``code`` (index 0 unused) and a
register file ``R`` (a Python list: locals, then operand-stack slots, then
constants). Each handler executes one (possibly fused) instruction on ``R``
and returns the index of the next handler; index 0 ends the function, whose
results are then in ``R[0:nresults]``::

    while pc:
        pc = code[pc](R)

Wasm calls recurse in Python (one ``execute`` frame and one handler frame
per wasm call level), bounded by :data:`STATE.limit` — our own bound,
checked on every call, raising :class:`Exhaustion` long before Python's
recursion limit is reached.

Tracing and stepping hook in through the translator, not this loop: handlers
that call other functions are bound at translation time to the loop they
re-enter, so a traced translation (a separate code list whose loop calls a
hook before every handler) never slows this one.

Fuel works the same way: when :data:`STATE.fuel_mode` is on at translation
time, the translator adds the fuel handlers below to the function's code
(one charge per straight-line segment, checks at function entry and loop
headers, following wasmtime's accounting); code translated without fuel
contains none of them, so this loop costs the same either way.
"""

from __future__ import annotations

import sys
from typing import Any

from ..errors import Exhaustion, Trap, TrapCode
from ..runtime.instances import HostFunction, WasmFunction

__all__ = [
    "STATE",
    "ExecState",
    "DEFAULT_CALL_DEPTH",
    "execute",
    "invoke_wasm",
    "invoke_host",
    "set_call_depth_limit",
    "op_fuel_charge",
    "op_fuel_enter",
    "op_fuel_check",
]

DEFAULT_CALL_DEPTH = 10_000
"""Default bound on nested wasm calls (the ``call stack exhausted`` limit)."""

PYTHON_FRAMES_PER_CALL = 2
RECURSION_MARGIN = 3_000


class ExecState:
    """Machine-wide execution state.

    ``depth``/``limit``: the current call depth and its bound.
    ``caller``: the module instance whose code is calling out to the host (the
    instance entered from outside, or the one a direct call to a
    caller-aware host function was translated in) — what the public API's
    ``Caller`` sees.
    ``fuel``: the fuel left for the running code (may go negative between
    checks; the public store clamps it at 0); ``fuel_mode``: translate new
    code with fuel accounting; ``fuel_owner``: the object (a store) whose fuel
    ``fuel`` currently holds, or ``None``.
    """

    __slots__ = ("depth", "limit", "caller", "fuel", "fuel_mode", "fuel_owner")

    def __init__(self) -> None:
        self.depth = 0
        self.limit = DEFAULT_CALL_DEPTH
        self.caller: Any = None
        self.fuel = 0
        self.fuel_mode = False
        self.fuel_owner: Any = None


STATE = ExecState()


def set_call_depth_limit(limit: int) -> None:
    """Bound nested wasm calls to ``limit`` levels, and make sure Python's own
    recursion limit leaves room for that many levels."""
    if limit < 1:
        raise ValueError("call depth limit must be at least 1")
    STATE.limit = limit
    needed = limit * PYTHON_FRAMES_PER_CALL + RECURSION_MARGIN
    if sys.getrecursionlimit() < needed:
        sys.setrecursionlimit(needed)


set_call_depth_limit(DEFAULT_CALL_DEPTH)


def execute(code: list[Any], R: list[Any]) -> None:
    """Run translated code on register file ``R`` until it returns."""
    s = STATE
    d = s.depth + 1
    if d > s.limit:
        raise Exhaustion()
    s.depth = d
    pc = 1
    while pc:
        pc = code[pc](R)
    s.depth = d - 1


def invoke_wasm(fn: WasmFunction, args: list[Any]) -> list[Any]:
    """Call a wasm function from outside the machine (the embedder or a host
    function). Restores the call depth however the call ends."""
    code = fn.code
    if code is None:
        from .compile import ensure_compiled  # compile imports this module

        code = ensure_compiled(fn)
    R = fn.template[:]  # type: ignore[index]
    R[: fn.nparams] = args
    s = STATE
    saved = s.depth
    saved_caller = s.caller
    s.caller = fn.instance
    try:
        execute(code, R)
    except RecursionError:
        raise Exhaustion("(Python recursion limit reached)") from None
    finally:
        s.depth = saved
        s.caller = saved_caller
    return R[: fn.nresults]


def invoke_host(fn: HostFunction, args: list[Any]) -> list[Any]:
    """Call a host function; re-entrant calls into wasm from it keep the call
    depth consistent even when they raise."""
    s = STATE
    saved = s.depth
    try:
        return fn.callable(args)
    finally:
        s.depth = saved


# -- fuel (wasmtime's accounting: 1 per instruction except nop, drop, block,
# loop, unreachable, return, else and end; 1 more per function entered; out
# of fuel is detected on function entry and at loop headers) ---------------
def op_fuel_charge(cost: int, nxt: int) -> Any:
    """Charge the instructions of the straight-line segment just executed."""
    s = STATE

    def handler(R: list[Any]) -> int:
        s.fuel -= cost
        return nxt
    return handler


def op_fuel_enter(cost: int, nxt: int) -> Any:
    """Function entry: trap when no fuel is left after charging the entry's
    1; otherwise charge ``cost`` (that 1 plus the first straight-line
    segment, which runs exactly once per call)."""
    s = STATE

    def handler(R: list[Any]) -> int:
        f = s.fuel
        if f <= 1:
            s.fuel = f - 1
            raise Trap(TrapCode.OUT_OF_FUEL)
        s.fuel = f - cost
        return nxt
    return handler


def op_fuel_check(nxt: int) -> Any:
    """Loop header: trap when no fuel is left."""
    s = STATE

    def handler(R: list[Any]) -> int:
        if s.fuel <= 0:
            raise Trap(TrapCode.OUT_OF_FUEL)
        return nxt
    return handler
