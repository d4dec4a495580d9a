"""Handlers for control instructions (spec 4.4.8 "Control Instructions").

Structured control has been resolved by the translator: ``block``,
``loop`` and ``end`` emit nothing, and every branch is a jump to a
precomputed handler index carrying the *moves* that put the branch's values
into the target label's stack slots (stack heights are static, so what a
branch keeps and discards is known at translation time).

Calls recurse into the machine loop (``execute``), which enforces the call
depth bound. The callee's register file is a copy of its template with the
arguments written over the parameter slots; its results come back in
``F[0:nresults]``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from ..errors import Trap, TrapCode
from ..runtime.instances import FunctionInstance, HostFunction, WasmFunction
from ..runtime.table import TableInstance
from ..syntax.types import FuncType

__all__ = [
    "op_unreachable",
    "op_copy",
    "op_jump",
    "op_br_if",
    "op_br_unless",
    "op_br_table",
    "op_return",
    "op_call",
    "op_call_indirect",
]

Handler = Callable[[list[Any]], int]
Moves = tuple[tuple[int, int], ...]


def op_unreachable(nxt: int) -> Handler:
    def handler(R: list[Any]) -> int:
        raise Trap(TrapCode.UNREACHABLE)
    return handler


def op_copy(s: int, d: int, nxt: int) -> Handler:
    def handler(R: list[Any]) -> int:
        R[d] = R[s]
        return nxt
    return handler


def _mover(moves: Moves) -> Callable[[list[Any]], None] | None:
    """A function performing ``moves`` in order (safe: destinations never
    overlap sources still to be read, see the translator)."""
    if not moves:
        return None
    if len(moves) == 1:
        (s, d), = moves

        def move1(R: list[Any]) -> None:
            R[d] = R[s]
        return move1
    srcs = tuple(s for s, _ in moves)
    dsts = tuple(d for _, d in moves)
    contiguous = dsts == tuple(range(dsts[0], dsts[0] + len(dsts)))
    get = itemgetter(*srcs)
    if contiguous:
        lo, hi = dsts[0], dsts[0] + len(dsts)

        def move_block(R: list[Any]) -> None:
            R[lo:hi] = get(R)
        return move_block

    def move_many(R: list[Any]) -> None:
        for s, d in moves:
            R[d] = R[s]
    return move_many


def op_jump(moves: Moves, target: int, nxt: int) -> Handler:
    move = _mover(moves)
    if move is None:
        def handler(R: list[Any]) -> int:
            return target
    else:
        def handler(R: list[Any]) -> int:
            move(R)
            return target
    return handler


def op_br_if(c: int, moves: Moves, target: int, nxt: int) -> Handler:
    move = _mover(moves)
    if move is None:
        def handler(R: list[Any]) -> int:
            if R[c]:
                return target
            return nxt
    else:
        def handler(R: list[Any]) -> int:
            if R[c]:
                move(R)
                return target
            return nxt
    return handler


def op_br_unless(c: int, target: int, nxt: int) -> Handler:
    """The test of ``if``: fall into the then-branch, or jump to ``else``/``end``."""
    def handler(R: list[Any]) -> int:
        if R[c]:
            return nxt
        return target
    return handler


def op_br_table(i: int, branches: Sequence[tuple[Moves, int]], nxt: int) -> Handler:
    """``branches[:-1]`` are the labels, ``branches[-1]`` the default."""
    actions = [(_mover(moves), target) for moves, target in branches]
    last = len(actions) - 1
    if all(move is None for move, _ in actions):
        targets = [t for _, t in actions]

        def handler(R: list[Any]) -> int:
            k = R[i]
            return targets[k if k < last else last]
        return handler

    def handler_moves(R: list[Any]) -> int:
        k = R[i]
        move, target = actions[k if k < last else last]
        if move is not None:
            move(R)
        return target
    return handler_moves


def op_return(srcs: tuple[int, ...], nxt: int) -> Handler:
    """Put the results in ``R[0:n]`` and leave the function."""
    n = len(srcs)
    if n == 0:
        def handler(R: list[Any]) -> int:
            return 0
    elif n == 1:
        s = srcs[0]

        def handler(R: list[Any]) -> int:
            R[0] = R[s]
            return 0
    else:
        get = itemgetter(*srcs)

        def handler(R: list[Any]) -> int:
            R[0:n] = get(R)
            return 0
    return handler


def _gather(srcs: tuple[int, ...]) -> Callable[[list[Any]], Any]:
    n = len(srcs)
    if n == 0:
        return lambda R: ()
    if n == 1:
        s = srcs[0]
        return lambda R: (R[s],)
    return itemgetter(*srcs)


def op_call(fn: FunctionInstance, srcs: tuple[int, ...], dst: int, execute: Callable[[list[Any], list[Any]], None],
            ensure: Callable[[WasmFunction], list[Any]], nxt: int) -> Handler:
    """Call ``fn`` with the values in registers ``srcs``; results go to
    ``R[dst:dst+nresults]``."""
    n = len(srcs)
    nres = len(fn.type.results)
    if isinstance(fn, HostFunction):
        gather = _gather(srcs)

        def host_handler(R: list[Any]) -> int:
            results = fn.invoke(list(gather(R)))
            if nres:
                R[dst : dst + nres] = results
            return nxt
        return host_handler

    if n == 1 and nres == 1:
        s0 = srcs[0]

        def handler_1_1(R: list[Any]) -> int:
            code = fn.code
            if code is None:
                code = ensure(fn)
            F = fn.template[:]  # type: ignore[index]
            F[0] = R[s0]
            execute(code, F)
            R[dst] = F[0]
            return nxt
        return handler_1_1

    gather = _gather(srcs)

    def handler(R: list[Any]) -> int:
        code = fn.code
        if code is None:
            code = ensure(fn)
        F = fn.template[:]  # type: ignore[index]
        F[0:n] = gather(R)
        execute(code, F)
        if nres:
            R[dst : dst + nres] = F[0:nres]
        return nxt
    return handler


# op_call and op_call_indirect repeat the call sequence inline on purpose: a
# shared helper would cost one more Python call on every wasm call.
def op_call_indirect(table: TableInstance, functype: FuncType, i: int, srcs: tuple[int, ...], dst: int,
                     execute: Callable[[list[Any], list[Any]], None], ensure: Callable[[WasmFunction], list[Any]],
                     nxt: int) -> Handler:
    """``call_indirect``: the callee is ``table[R[i]]``; its (interned) type must be ``functype``."""
    n = len(srcs)
    nres = len(functype.results)
    gather = _gather(srcs)

    def handler(R: list[Any]) -> int:
        k = R[i]
        elements = table.elements
        if k >= len(elements):
            raise Trap(TrapCode.UNDEFINED_ELEMENT, str(k))
        fn = elements[k]
        if fn is None:
            raise Trap(TrapCode.UNINITIALIZED_ELEMENT, str(k))
        if fn.type is not functype:
            raise Trap(TrapCode.INDIRECT_CALL_TYPE_MISMATCH)
        if fn.__class__ is WasmFunction:
            code = fn.code
            if code is None:
                code = ensure(fn)
            F = fn.template[:]
            F[0:n] = gather(R)
            execute(code, F)
            if nres:
                R[dst : dst + nres] = F[0:nres]
        else:
            results = fn.invoke(list(gather(R)))
            if nres:
                R[dst : dst + nres] = results
        return nxt
    return handler
