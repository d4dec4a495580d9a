"""Table instances (spec 4.2.7 "Table Instances", 4.5.3.7 "Growing tables").

Elements are a Python list of references: a function instance, a host
(externref) object, or ``None`` for null.
"""

from __future__ import annotations

from typing import Any

from ..errors import Trap, TrapCode, WasmError
from ..syntax.types import TableType

__all__ = ["TableInstance", "MAX_TABLE_SIZE"]

MAX_TABLE_SIZE = 0xFFFFFFFF
"""Tables are indexed by i32 (spec 3.2.5 "Table Types")."""

DEFAULT_LIMIT = 10_000_000
"""Embedder cap on table growth; a table may not grow past this many elements."""


class TableInstance:
    __slots__ = ("type", "elements", "max", "limit")

    def __init__(self, tabletype: TableType, init: Any = None, limit: int | None = None) -> None:
        self.type = tabletype
        self.max = tabletype.limits.max if tabletype.limits.max is not None else MAX_TABLE_SIZE
        self.limit = DEFAULT_LIMIT if limit is None else limit
        if tabletype.limits.min > self.limit:
            raise WasmError(f"table minimum size of {tabletype.limits.min} elements exceeds the limit "
                            f"of {self.limit} elements")
        self.elements: list[Any] = [init] * tabletype.limits.min

    def grow(self, delta: int, init: Any) -> int:
        """Grow by ``delta`` elements set to ``init``; the old size, or -1 on failure."""
        old = len(self.elements)
        new = old + delta
        if new > self.max or new > self.limit:
            return -1
        self.elements.extend([init] * delta)
        return old

    def fill(self, i: int, value: Any, n: int) -> None:
        if i + n > len(self.elements):
            raise Trap(TrapCode.OUT_OF_BOUNDS_TABLE_ACCESS)
        self.elements[i : i + n] = [value] * n

    def copy_within(self, dst: int, src: int, n: int) -> None:
        size = len(self.elements)
        if src + n > size or dst + n > size:
            raise Trap(TrapCode.OUT_OF_BOUNDS_TABLE_ACCESS)
        self.elements[dst : dst + n] = self.elements[src : src + n]
