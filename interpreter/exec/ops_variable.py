"""Handlers for variable and parametric instructions (spec 4.4.3
"Parametric Instructions", 4.4.4 "Variable Instructions").

``local.get``/``local.set``/``local.tee`` and constants mostly compile to
nothing: locals and constants are registers, and the translator makes other
instructions read and write them directly. What remains is a ``copy``
(in ``ops_control``), ``select`` and the global accessors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..runtime.instances import GlobalInstance

__all__ = ["op_select", "op_global_get", "op_global_set"]

Handler = Callable[[list[Any]], int]


def op_select(a: int, b: int, c: int, d: int, nxt: int) -> Handler:
    def handler(R: list[Any]) -> int:
        R[d] = R[a] if R[c] else R[b]
        return nxt
    return handler


def op_global_get(d: int, g: GlobalInstance, nxt: int) -> Handler:
    def handler(R: list[Any]) -> int:
        R[d] = g.value
        return nxt
    return handler


def op_global_set(a: int, g: GlobalInstance, nxt: int) -> Handler:
    def handler(R: list[Any]) -> int:
        g.value = R[a]
        return nxt
    return handler
