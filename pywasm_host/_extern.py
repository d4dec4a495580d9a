"""``Memory``, ``Table`` and ``Global``: wasmtime-py's external objects."""

from __future__ import annotations

from typing import Any

from ._store import Store
from ._types import GlobalType, MemoryType, TableType
from ._values import from_engine, to_engine
from .interpreter.errors import Trap, TrapCode, WasmError
from .interpreter.runtime.instances import GlobalInstance
from .interpreter.runtime.memory import MemoryInstance
from .interpreter.runtime.table import TableInstance
from .interpreter.syntax.types import PAGE_SIZE

__all__ = ["Memory", "Table", "Global"]


class Memory:
    """A linear memory: ``Memory(store, MemoryType(Limits(1, 2)))``."""

    __slots__ = ("_mem",)

    def __init__(self, store: Store, ty: MemoryType) -> None:
        if not isinstance(ty, MemoryType):
            raise TypeError("expected a MemoryType")
        store._reserve(0, 0, 1)
        self._mem = MemoryInstance(ty._core, store._limits.memory_pages)

    @classmethod
    def _from_instance(cls, mem: MemoryInstance) -> Memory:
        obj = cls.__new__(cls)
        obj._mem = mem
        return obj

    def type(self, store: Store | None = None) -> MemoryType:
        return MemoryType._from_core(self._mem.type)

    def size(self, store: Store | None = None) -> int:
        """Current size in pages."""
        return self._mem.pages

    def data_len(self, store: Store | None = None) -> int:
        """Current size in bytes."""
        return len(self._mem.data)

    def grow(self, store: Store, delta: int) -> int:
        """Grow by ``delta`` pages and return the previous size.

        Raises:
            WasmError: the memory cannot grow that much.
        """
        if delta < 0:
            raise ValueError("delta must be non-negative")
        old = self._mem.grow(delta)
        if old < 0:
            raise WasmError(f"failed to grow memory by {delta} pages")
        return old

    def read(self, store: Any, start: int | None = 0, stop: int | None = None) -> bytearray:
        """A copy of bytes ``[start, stop)``, with Python slice rules as in
        wasmtime-py (negative indices count from the end; a range past the end
        is cut short, so it never fails)."""
        size = len(self._mem.data)
        lo, hi, _ = slice(start, stop).indices(size)
        if hi <= lo:
            return bytearray()
        return bytearray(self._mem.read(lo, hi - lo))

    def write(self, store: Any, value: bytes | bytearray | memoryview, start: int | None = None) -> int:
        """Write ``value`` at ``start`` (negative counts from the end); returns
        the number of bytes written.

        Raises:
            IndexError: ``start`` is at or past the end, or the bytes do not
                fit (as wasmtime-py).
            TypeError: ``value`` is not bytes-like (an int or str).
        """
        if isinstance(value, (int, str)):
            raise TypeError(f"Memory.write expects bytes, got {type(value).__name__}")
        size = len(self._mem.data)
        lo = slice(start, None).indices(size)[0]
        if lo >= size:
            raise IndexError("index out of range")
        data = bytes(value)
        if lo + len(data) > size:
            raise IndexError("index out of range")
        if data:
            self._mem.write(lo, data)
        return len(data)

    def numpy(self) -> Any:
        """A zero-copy numpy ``uint8`` view of the whole memory: writes through
        it change the memory and wasm's writes show in it.

        The view is **stale after the memory grows** (by ``memory.grow`` in
        wasm or :meth:`grow` here): growing moves the memory to a new array,
        and the old view keeps showing (and writing to) the old one. Fetch a
        new view after any call that may grow memory."""
        return self._mem.data.view()

    def get_buffer_ptr(self, store: Any = None, size: int | None = None, offset: int = 0) -> Any:
        """A ctypes ``c_ubyte`` array over the memory's bytes (zero-copy;
        stale after growth, like :meth:`numpy`).

        Raises:
            IndexError: ``offset``/``size`` fall outside the memory.
        """
        import ctypes

        length = len(self._mem.data)
        if size is None:
            size = length - offset
        if offset < 0 or size < 0 or offset + size > length:
            raise IndexError("index out of range")
        return (ctypes.c_ubyte * size).from_address(self._mem.data.ctypes.data + offset)

    def data_ptr(self, store: Any = None) -> Any:
        """A ctypes pointer to the first byte (stale after growth)."""
        import ctypes

        return ctypes.cast(self._mem.data.ctypes.data, ctypes.POINTER(ctypes.c_ubyte))

    def page_size(self, store: Any = None) -> int:
        """The page size in bytes (always 65536 here)."""
        return PAGE_SIZE

    def page_size_log2(self, store: Any = None) -> int:
        return 16


class Table:
    """A table: ``Table(store, TableType(ValType.funcref(), Limits(1)), None)``."""

    __slots__ = ("_table",)

    def __init__(self, store: Store, ty: TableType, init: Any) -> None:
        if not isinstance(ty, TableType):
            raise TypeError("expected a TableType")
        store._reserve(0, 1, 0)
        self._table = TableInstance(ty._core, to_engine(ty.element, init, "table init"),
                                    store._limits.table_elements)

    @classmethod
    def _from_instance(cls, table: TableInstance) -> Table:
        obj = cls.__new__(cls)
        obj._table = table
        return obj

    def type(self, store: Store | None = None) -> TableType:
        return TableType._from_core(self._table.type)

    def size(self, store: Store | None = None) -> int:
        return len(self._table.elements)

    def grow(self, store: Store, amt: int, init: Any) -> int:
        """Grow by ``amt`` elements set to ``init``; returns the previous size.

        Raises:
            WasmError: the table cannot grow that much.
        """
        old = self._table.grow(amt, to_engine(self._table.type.elem, init, "table init"))
        if old < 0:
            raise WasmError(f"failed to grow table by {amt} elements")
        return old

    def get(self, store: Store, idx: int) -> Any:
        """Element ``idx`` (``None`` for null or out of range, as wasmtime-py)."""
        if not 0 <= idx < len(self._table.elements):
            return None
        return from_engine(self._table.type.elem, self._table.elements[idx])

    def set(self, store: Store, idx: int, val: Any) -> None:
        """Set element ``idx``.

        Raises:
            Trap: ``idx`` is out of bounds.
        """
        if not 0 <= idx < len(self._table.elements):
            raise Trap(TrapCode.OUT_OF_BOUNDS_TABLE_ACCESS)
        self._table.elements[idx] = to_engine(self._table.type.elem, val, "table element")


class Global:
    """A global: ``Global(store, GlobalType(ValType.i32(), False), 666)``."""

    __slots__ = ("_global",)

    def __init__(self, store: Store, ty: GlobalType, val: Any) -> None:
        self._global = GlobalInstance(ty._core, to_engine(ty.content, val, "global value"))

    @classmethod
    def _from_instance(cls, g: GlobalInstance) -> Global:
        obj = cls.__new__(cls)
        obj._global = g
        return obj

    def type(self, store: Store | None = None) -> GlobalType:
        return GlobalType._from_core(self._global.type)

    def value(self, store: Store | None = None) -> Any:
        return from_engine(self._global.type.valtype, self._global.value)

    def set_value(self, store: Store, val: Any) -> None:
        """Set a mutable global.

        Raises:
            WasmError: the global is immutable.
        """
        if not self._global.type.mutable:
            raise WasmError("global is immutable")
        self._global.value = to_engine(self._global.type.valtype, val, "global value")
