"""Handlers for the vector memory instructions (spec 4.4.7 "Memory
Instructions": ``v128.load``, the extending loads ``v128.loadMxN_sx``,
``v128.loadN_splat``, ``v128.loadN_zero``, ``v128.loadN_lane``,
``v128.store`` and ``v128.storeN_lane``).

As in :mod:`.ops_memory`, every access is a precompiled ``struct`` object
on the memory's ``memoryview`` (re-read on every access, since
``memory.grow`` replaces it); the effective address ``R[a] + offset`` is
never negative, so an access is out of bounds exactly when ``struct``
refuses it, which becomes the spec's trap, and a refused store writes
nothing. A ``v128`` is assembled from / split into two little-endian ``u64``
halves (``"<QQ"``). Factories: loads ``factory(a, d, offset, mem, nxt)``,
lane loads ``factory(a, v, d, offset, lane, mem, nxt)``, stores
``factory(a, v, offset, mem, nxt)``, lane stores
``factory(a, v, offset, lane, mem, nxt)``.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any

from ..binary.opcodes import Opcode as O
from ..errors import Trap, TrapCode
from ..runtime.memory import MemoryInstance
from ..runtime.values import MASK64
from . import simd_lanes as L

__all__ = ["LOAD_FACTORIES", "LOAD_LANE_FACTORIES", "STORE_FACTORIES", "STORE_LANE_FACTORIES"]

Handler = Callable[[list[Any]], int]
_OOB = TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS
M64 = MASK64
M128 = L.V128_MASK
_QQ = struct.Struct("<QQ")


def op_v128_load(a: int, d: int, offset: int, mem: MemoryInstance, nxt: int) -> Handler:
    unpack = _QQ.unpack_from

    def handler(R: list[Any]) -> int:
        try:
            lo, hi = unpack(mem.view, R[a] + offset)
        except struct.error:
            raise Trap(_OOB) from None
        R[d] = lo | (hi << 64)
        return nxt
    return handler


def _extend(fmt: str, join: Callable[[Any], int]) -> Callable[..., Handler]:
    unpack = struct.Struct(fmt).unpack_from

    def factory(a: int, d: int, offset: int, mem: MemoryInstance, nxt: int) -> Handler:
        def handler(R: list[Any]) -> int:
            try:
                lanes = unpack(mem.view, R[a] + offset)
            except struct.error:
                raise Trap(_OOB) from None
            R[d] = join(lanes)
            return nxt
        return handler
    return factory


def _scalar(fmt: str, factor: int) -> Callable[..., Handler]:
    # splat (factor = the one-in-every-lane pattern) and zero-extending loads (factor = 1)
    unpack = struct.Struct(fmt).unpack_from

    def factory(a: int, d: int, offset: int, mem: MemoryInstance, nxt: int) -> Handler:
        def handler(R: list[Any]) -> int:
            try:
                R[d] = unpack(mem.view, R[a] + offset)[0] * factor
            except struct.error:
                raise Trap(_OOB) from None
            return nxt
        return handler
    return factory


LOAD_FACTORIES: dict[O, Callable[..., Handler]] = {
    O.V128_LOAD: op_v128_load,
    O.V128_LOAD8X8_S: _extend("<8b", L.from_i16x8),
    O.V128_LOAD8X8_U: _extend("<8B", L.from_i16x8),
    O.V128_LOAD16X4_S: _extend("<4h", L.from_i32x4),
    O.V128_LOAD16X4_U: _extend("<4H", L.from_i32x4),
    O.V128_LOAD32X2_S: _extend("<2i", L.from_i64x2),
    O.V128_LOAD32X2_U: _extend("<2I", L.from_i64x2),
    O.V128_LOAD8_SPLAT: _scalar("<B", L.splat_mask(8)),
    O.V128_LOAD16_SPLAT: _scalar("<H", L.splat_mask(16)),
    O.V128_LOAD32_SPLAT: _scalar("<I", L.splat_mask(32)),
    O.V128_LOAD64_SPLAT: _scalar("<Q", L.splat_mask(64)),
    O.V128_LOAD32_ZERO: _scalar("<I", 1),
    O.V128_LOAD64_ZERO: _scalar("<Q", 1),
}


def _load_lane(fmt: str, w: int) -> Callable[..., Handler]:
    unpack = struct.Struct(fmt).unpack_from
    mask = (1 << w) - 1

    def factory(a: int, v: int, d: int, offset: int, lane: int, mem: MemoryInstance, nxt: int) -> Handler:
        sh = lane * w
        keep = M128 ^ (mask << sh)

        def handler(R: list[Any]) -> int:
            try:
                x = unpack(mem.view, R[a] + offset)[0]
            except struct.error:
                raise Trap(_OOB) from None
            R[d] = (R[v] & keep) | (x << sh)
            return nxt
        return handler
    return factory


LOAD_LANE_FACTORIES: dict[O, Callable[..., Handler]] = {
    O.V128_LOAD8_LANE: _load_lane("<B", 8),
    O.V128_LOAD16_LANE: _load_lane("<H", 16),
    O.V128_LOAD32_LANE: _load_lane("<I", 32),
    O.V128_LOAD64_LANE: _load_lane("<Q", 64),
}


def op_v128_store(a: int, v: int, offset: int, mem: MemoryInstance, nxt: int) -> Handler:
    pack = _QQ.pack_into

    def handler(R: list[Any]) -> int:
        x = R[v]
        try:
            pack(mem.view, R[a] + offset, x & M64, x >> 64)
        except struct.error:
            raise Trap(_OOB) from None
        return nxt
    return handler


STORE_FACTORIES: dict[O, Callable[..., Handler]] = {O.V128_STORE: op_v128_store}


def _store_lane(fmt: str, w: int) -> Callable[..., Handler]:
    pack = struct.Struct(fmt).pack_into
    mask = (1 << w) - 1

    def factory(a: int, v: int, offset: int, lane: int, mem: MemoryInstance, nxt: int) -> Handler:
        sh = lane * w

        def handler(R: list[Any]) -> int:
            try:
                pack(mem.view, R[a] + offset, (R[v] >> sh) & mask)
            except struct.error:
                raise Trap(_OOB) from None
            return nxt
        return handler
    return factory


STORE_LANE_FACTORIES: dict[O, Callable[..., Handler]] = {
    O.V128_STORE8_LANE: _store_lane("<B", 8),
    O.V128_STORE16_LANE: _store_lane("<H", 16),
    O.V128_STORE32_LANE: _store_lane("<I", 32),
    O.V128_STORE64_LANE: _store_lane("<Q", 64),
}
