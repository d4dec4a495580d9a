"""Handlers for table and reference instructions (spec 4.4.5 "Table
Instructions", 4.4.2 "Reference Instructions").

References are function instances, host objects (externref) or ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import Trap, TrapCode
from ..runtime.table import TableInstance

__all__ = [
    "op_ref_is_null",
    "op_table_get",
    "op_table_set",
    "op_table_size",
    "op_table_grow",
    "op_table_fill",
    "op_table_copy",
    "op_table_init",
    "op_elem_drop",
]

Handler = Callable[[list[Any]], int]
M32 = 0xFFFFFFFF


def _oob() -> Trap:
    return Trap(TrapCode.OUT_OF_BOUNDS_TABLE_ACCESS)


def op_ref_is_null(a: int, d: int, nxt: int) -> Handler:
    def handler(R: list[Any]) -> int:
        R[d] = R[a] is None
        return nxt
    return handler


def op_table_get(i: int, d: int, table: TableInstance, nxt: int) -> Handler:
    def handler(R: list[Any]) -> int:
        k = R[i]
        elements = table.elements
        if k >= len(elements):
            raise _oob()
        R[d] = elements[k]
        return nxt
    return handler


def op_table_set(i: int, v: int, table: TableInstance, nxt: int) -> Handler:
    def handler(R: list[Any]) -> int:
        k = R[i]
        elements = table.elements
        if k >= len(elements):
            raise _oob()
        elements[k] = R[v]
        return nxt
    return handler


def op_table_size(d: int, table: TableInstance, nxt: int) -> Handler:
    def handler(R: list[Any]) -> int:
        R[d] = len(table.elements)
        return nxt
    return handler


def op_table_grow(init: int, n: int, d: int, table: TableInstance, nxt: int) -> Handler:
    def handler(R: list[Any]) -> int:
        R[d] = table.grow(R[n], R[init]) & M32
        return nxt
    return handler


def op_table_fill(i: int, v: int, n: int, table: TableInstance, nxt: int) -> Handler:
    def handler(R: list[Any]) -> int:
        table.fill(R[i], R[v], R[n])
        return nxt
    return handler


def op_table_copy(d: int, s: int, n: int, dst: TableInstance, src: TableInstance, nxt: int) -> Handler:
    def handler(R: list[Any]) -> int:
        di, si, count = R[d], R[s], R[n]
        if si + count > len(src.elements) or di + count > len(dst.elements):
            raise _oob()
        dst.elements[di : di + count] = src.elements[si : si + count]
        return nxt
    return handler


def op_table_init(d: int, s: int, n: int, table: TableInstance, elems: list[list[Any]], index: int,
                  nxt: int) -> Handler:
    def handler(R: list[Any]) -> int:
        di, si, count = R[d], R[s], R[n]
        seg = elems[index]
        if si + count > len(seg) or di + count > len(table.elements):
            raise _oob()
        table.elements[di : di + count] = seg[si : si + count]
        return nxt
    return handler


def op_elem_drop(elems: list[list[Any]], index: int, nxt: int) -> Handler:
    def handler(R: list[Any]) -> int:
        elems[index] = []
        return nxt
    return handler
