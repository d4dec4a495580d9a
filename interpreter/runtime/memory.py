"""Memory instances (spec 4.2.8 "Memory Instances", 4.5.3.8 "Growing memories").

Linear memory is a numpy ``uint8`` array. The interpreter's scalar loads and
stores go through precompiled ``struct`` objects on :attr:`MemoryInstance.view`,
a ``memoryview`` of that array (measured: as fast as a ``bytearray``, about
twice as fast as indexing the numpy array); bulk operations use numpy slicing.

``grow`` replaces the array (numpy arrays cannot be resized in place): any
view taken from :attr:`data` or :attr:`view` before a grow is stale after it.
This module is the only place in the engine that imports numpy.
"""

from __future__ import annotations

import numpy as np

from ..errors import Trap, TrapCode, WasmError
from ..syntax.types import MAX_PAGES, PAGE_SIZE, MemoryType

__all__ = ["MemoryInstance", "new_byte_array"]


def new_byte_array(size: int) -> np.ndarray:
    """A zero-filled numpy ``uint8`` array of ``size`` bytes."""
    return np.zeros(size, dtype=np.uint8)


class MemoryInstance:
    """A linear memory: ``data`` (numpy uint8), ``view`` (memoryview of it),
    ``max_pages`` (the type's maximum, or the 32-bit limit)."""

    __slots__ = ("type", "data", "view", "max_pages", "limit_pages")

    def __init__(self, memtype: MemoryType, limit_pages: int | None = None) -> None:
        self.type = memtype
        self.max_pages = memtype.limits.max if memtype.limits.max is not None else MAX_PAGES
        # ``limit_pages`` is an embedder-imposed cap (Store limits); growth beyond it fails.
        self.limit_pages = MAX_PAGES if limit_pages is None else min(limit_pages, MAX_PAGES)
        if memtype.limits.min > self.limit_pages:
            raise WasmError(f"memory minimum size of {memtype.limits.min} pages exceeds the limit "
                            f"of {self.limit_pages} pages")
        try:
            self.data = new_byte_array(memtype.limits.min * PAGE_SIZE)
        except MemoryError:
            raise WasmError(f"cannot allocate a memory of {memtype.limits.min} pages") from None
        self.view = memoryview(self.data)

    @property
    def pages(self) -> int:
        return len(self.data) // PAGE_SIZE

    def grow(self, delta: int) -> int:
        """Grow by ``delta`` pages; return the old size in pages, or -1 when the
        new size would exceed the maximum (spec 4.5.3.8) or memory is exhausted."""
        old = len(self.data) // PAGE_SIZE
        new = old + delta
        if new > self.max_pages or new > self.limit_pages:
            return -1
        if delta == 0:
            return old
        try:
            data = new_byte_array(new * PAGE_SIZE)
        except MemoryError:
            return -1
        data[: len(self.data)] = self.data
        self.data = data
        self.view = memoryview(data)
        return old

    # -- bulk operations (spec 4.4.7 "Memory Instructions") -------------------
    def fill(self, dst: int, value: int, n: int) -> None:
        if dst + n > len(self.data):
            raise Trap(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS)
        if n:
            self.data[dst : dst + n] = value & 0xFF

    def copy(self, dst: int, src: int, n: int) -> None:
        size = len(self.data)
        if src + n > size or dst + n > size:
            raise Trap(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS)
        if n:
            # numpy slice assignment between overlapping views of one array is
            # memmove-safe (numpy detects the overlap and buffers).
            self.data[dst : dst + n] = self.data[src : src + n]

    def write(self, dst: int, data: bytes | bytearray | memoryview) -> None:
        """Copy ``data`` to ``dst``; traps when it does not fit."""
        n = len(data)
        if dst < 0 or dst + n > len(self.data):
            raise Trap(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS)
        if n:
            self.data[dst : dst + n] = np.frombuffer(data, dtype=np.uint8)

    def read(self, start: int, n: int) -> bytes:
        """``n`` bytes from ``start``; traps when out of bounds."""
        if start < 0 or n < 0 or start + n > len(self.data):
            raise Trap(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS)
        return self.data[start : start + n].tobytes()
