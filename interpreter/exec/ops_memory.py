"""Handlers for memory instructions (spec 4.4.7 "Memory Instructions").

Loads and stores use precompiled ``struct`` objects on the memory's
``memoryview`` (re-read on every access, since ``memory.grow`` replaces it).
The effective address ``R[a] + offset`` is never negative (i32 values are
unsigned), so an access is out of bounds exactly when ``struct`` (or the
view's indexing) refuses it; that refusal becomes the spec's trap. A store
that does not fit writes nothing (``pack_into`` checks before writing).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from ..binary.opcodes import Opcode as O
from ..errors import Trap, TrapCode
from ..runtime.memory import MemoryInstance
from ..runtime.values import f32_from_bits, f32_to_bits

__all__ = ["LOAD_FACTORIES", "STORE_FACTORIES", "op_memory_size", "op_memory_grow", "op_memory_fill",
           "op_memory_copy", "op_memory_init", "op_data_drop"]

_OOB = TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS
_ERRORS = (struct.error, IndexError)
M32 = 0xFFFFFFFF
M64 = 0xFFFFFFFFFFFFFFFF


def _oob() -> Trap:
    return Trap(_OOB)


def _load_struct(fmt: str, mask: int | None) -> Callable[..., Any]:
    unpack = struct.Struct(fmt).unpack_from
    if mask is None:
        def factory(a: int, d: int, offset: int, mem: MemoryInstance, nxt: int) -> Callable[[list[Any]], int]:
            def handler(R: list[Any]) -> int:
                try:
                    R[d] = unpack(mem.view, R[a] + offset)[0]
                except _ERRORS:
                    raise _oob() from None
                return nxt
            return handler
    else:
        def factory(a: int, d: int, offset: int, mem: MemoryInstance, nxt: int) -> Callable[[list[Any]], int]:
            def handler(R: list[Any]) -> int:
                try:
                    R[d] = unpack(mem.view, R[a] + offset)[0] & mask
                except _ERRORS:
                    raise _oob() from None
                return nxt
            return handler
    return factory


def op_i32_load8_u(a: int, d: int, offset: int, mem: MemoryInstance, nxt: int) -> Callable[[list[Any]], int]:
    def handler(R: list[Any]) -> int:
        try:
            R[d] = mem.view[R[a] + offset]
        except IndexError:
            raise _oob() from None
        return nxt
    return handler


_unpack_f = struct.Struct("<f").unpack_from
_unpack_I = struct.Struct("<I").unpack_from


def op_f32_load(a: int, d: int, offset: int, mem: MemoryInstance, nxt: int) -> Callable[[list[Any]], int]:
    def handler(R: list[Any]) -> int:
        ea = R[a] + offset
        try:
            x = _unpack_f(mem.view, ea)[0]
        except struct.error:
            raise _oob() from None
        if x != x:  # NaN: convert by hand, CPython's float conversion may quiet it
            x = f32_from_bits(_unpack_I(mem.view, ea)[0])
        R[d] = x
        return nxt
    return handler


LOAD_FACTORIES: dict[O, Callable[..., Any]] = {
    O.I32_LOAD: _load_struct("<I", None),
    O.I64_LOAD: _load_struct("<Q", None),
    O.F32_LOAD: op_f32_load,
    O.F64_LOAD: _load_struct("<d", None),
    O.I32_LOAD8_S: _load_struct("<b", M32),
    O.I32_LOAD8_U: op_i32_load8_u,
    O.I32_LOAD16_S: _load_struct("<h", M32),
    O.I32_LOAD16_U: _load_struct("<H", None),
    O.I64_LOAD8_S: _load_struct("<b", M64),
    O.I64_LOAD8_U: op_i32_load8_u,
    O.I64_LOAD16_S: _load_struct("<h", M64),
    O.I64_LOAD16_U: _load_struct("<H", None),
    O.I64_LOAD32_S: _load_struct("<i", M64),
    O.I64_LOAD32_U: _load_struct("<I", None),
}


def _store_struct(fmt: str, mask: int | None) -> Callable[..., Any]:
    pack = struct.Struct(fmt).pack_into
    if mask is None:
        def factory(a: int, v: int, offset: int, mem: MemoryInstance, nxt: int) -> Callable[[list[Any]], int]:
            def handler(R: list[Any]) -> int:
                try:
                    pack(mem.view, R[a] + offset, R[v])
                except struct.error:
                    raise _oob() from None
                return nxt
            return handler
    else:
        def factory(a: int, v: int, offset: int, mem: MemoryInstance, nxt: int) -> Callable[[list[Any]], int]:
            def handler(R: list[Any]) -> int:
                try:
                    pack(mem.view, R[a] + offset, R[v] & mask)
                except struct.error:
                    raise _oob() from None
                return nxt
            return handler
    return factory


def op_i32_store8(a: int, v: int, offset: int, mem: MemoryInstance, nxt: int) -> Callable[[list[Any]], int]:
    def handler(R: list[Any]) -> int:
        try:
            mem.view[R[a] + offset] = R[v] & 0xFF
        except IndexError:
            raise _oob() from None
        return nxt
    return handler


_pack_I = struct.Struct("<I").pack_into


def op_f32_store(a: int, v: int, offset: int, mem: MemoryInstance, nxt: int) -> Callable[[list[Any]], int]:
    def handler(R: list[Any]) -> int:
        try:
            _pack_I(mem.view, R[a] + offset, f32_to_bits(R[v]))
        except struct.error:
            raise _oob() from None
        return nxt
    return handler


STORE_FACTORIES: dict[O, Callable[..., Any]] = {
    O.I32_STORE: _store_struct("<I", None),
    O.I64_STORE: _store_struct("<Q", None),
    O.F32_STORE: op_f32_store,
    O.F64_STORE: _store_struct("<d", None),
    O.I32_STORE8: op_i32_store8,
    O.I32_STORE16: _store_struct("<H", 0xFFFF),
    O.I64_STORE8: op_i32_store8,
    O.I64_STORE16: _store_struct("<H", 0xFFFF),
    O.I64_STORE32: _store_struct("<I", M32),
}


def op_memory_size(d: int, mem: MemoryInstance, nxt: int) -> Callable[[list[Any]], int]:
    def handler(R: list[Any]) -> int:
        R[d] = len(mem.data) >> 16
        return nxt
    return handler


def op_memory_grow(a: int, d: int, mem: MemoryInstance, nxt: int) -> Callable[[list[Any]], int]:
    def handler(R: list[Any]) -> int:
        R[d] = mem.grow(R[a]) & M32
        return nxt
    return handler


def op_memory_fill(dst: int, val: int, n: int, mem: MemoryInstance, nxt: int) -> Callable[[list[Any]], int]:
    def handler(R: list[Any]) -> int:
        mem.fill(R[dst], R[val], R[n])
        return nxt
    return handler


def op_memory_copy(dst: int, src: int, n: int, mem: MemoryInstance, nxt: int) -> Callable[[list[Any]], int]:
    def handler(R: list[Any]) -> int:
        mem.copy(R[dst], R[src], R[n])
        return nxt
    return handler


def op_memory_init(dst: int, src: int, n: int, datas: list[bytes], index: int, mem: MemoryInstance,
                   nxt: int) -> Callable[[list[Any]], int]:
    def handler(R: list[Any]) -> int:
        s = R[src]
        count = R[n]
        seg = datas[index]
        if s + count > len(seg):
            raise _oob()
        d = R[dst]
        if d + count > len(mem.data):
            raise _oob()
        if count:
            mem.write(d, seg[s : s + count])
        return nxt
    return handler


def op_data_drop(datas: list[bytes], index: int, nxt: int) -> Callable[[list[Any]], int]:
    def handler(R: list[Any]) -> int:
        datas[index] = b""
        return nxt
    return handler
