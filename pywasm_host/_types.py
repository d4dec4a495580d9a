"""Public type objects, shaped like wasmtime-py's: :class:`FuncType`,
:class:`GlobalType`, :class:`MemoryType`, :class:`TableType`,
:class:`Limits`, :class:`ImportType`, :class:`ExportType`.

Each wraps the engine's frozen type (``pywasm_host.interpreter.syntax.types``)
and converts in both directions.
"""

from __future__ import annotations

from collections.abc import Sequence

from .interpreter.errors import WasmError
from .interpreter.syntax import types as core
from .interpreter.syntax.types import ValType

__all__ = ["ValType", "FuncType", "Limits", "GlobalType", "MemoryType", "TableType", "ImportType", "ExportType",
           "ExternType", "wrap_type"]


class FuncType:
    """A function type: ``FuncType([ValType.i32()], [ValType.i64()])``."""

    __slots__ = ("_core",)

    def __init__(self, params: Sequence[ValType], results: Sequence[ValType]) -> None:
        for t in (*params, *results):
            if not isinstance(t, ValType):
                raise TypeError(f"expected a ValType, got {t!r}")
        self._core = core.FuncType(tuple(params), tuple(results))

    @classmethod
    def _from_core(cls, ft: core.FuncType) -> FuncType:
        obj = cls.__new__(cls)
        obj._core = ft
        return obj

    @property
    def params(self) -> list[ValType]:
        return list(self._core.params)

    @property
    def results(self) -> list[ValType]:
        return list(self._core.results)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FuncType) and other._core == self._core

    def __hash__(self) -> int:
        return hash(self._core)

    def __repr__(self) -> str:
        return f"FuncType({self.params!r}, {self.results!r})"


class Limits:
    """``Limits(min, max=None)`` in pages (memories) or elements (tables)."""

    __slots__ = ("min", "max")

    def __init__(self, min: int, max: int | None = None) -> None:
        self.min = min
        self.max = max

    def _to_core(self) -> core.Limits:
        return core.Limits(self.min, self.max)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Limits) and (other.min, other.max) == (self.min, self.max)

    def __hash__(self) -> int:
        return hash((self.min, self.max))

    def __repr__(self) -> str:
        return f"Limits({self.min}, {self.max})"


class GlobalType:
    """``GlobalType(valtype, mutable)``."""

    __slots__ = ("_core",)

    def __init__(self, valtype: ValType, mutable: bool) -> None:
        if not isinstance(valtype, ValType):
            raise TypeError(f"expected a ValType, got {valtype!r}")
        self._core = core.GlobalType(valtype, bool(mutable))

    @classmethod
    def _from_core(cls, gt: core.GlobalType) -> GlobalType:
        return cls(gt.valtype, gt.mutable)

    @property
    def content(self) -> ValType:
        return self._core.valtype

    @property
    def mutable(self) -> bool:
        return self._core.mutable

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GlobalType) and other._core == self._core

    def __hash__(self) -> int:
        return hash(self._core)

    def __repr__(self) -> str:
        return f"GlobalType({self.content!s}, mutable={self.mutable})"


class MemoryType:
    """``MemoryType(Limits(min_pages, max_pages))``. wasmtime-py's ``is_64``,
    ``shared`` and ``page_size_log2`` parameters are accepted with their
    defaults only (memory64, threads and custom page sizes are not supported).

    Raises:
        WasmError: limits out of range, or an unsupported memory kind.
        TypeError: ``limits`` is not a :class:`Limits`.
    """

    __slots__ = ("_core",)

    def __init__(self, limits: Limits, is_64: bool = False, shared: bool = False, page_size_log2: int = 16) -> None:
        if not isinstance(limits, Limits):
            raise TypeError("expected Limits")
        if is_64 or shared or page_size_log2 != 16:
            raise WasmError("64-bit, shared and custom-page-size memories are not supported by pywasm-host")
        if limits.min > core.MAX_PAGES:
            raise WasmError(f"minimum size too large: {limits!r} (at most {core.MAX_PAGES} pages)")
        if limits.max is not None and (limits.max > core.MAX_PAGES or limits.max < limits.min):
            raise WasmError(f"invalid memory limits {limits!r}")
        self._core = core.MemoryType(limits._to_core())

    @property
    def is_64(self) -> bool:
        return False

    @property
    def is_shared(self) -> bool:
        return False

    @property
    def page_size(self) -> int:
        return core.PAGE_SIZE

    @property
    def page_size_log2(self) -> int:
        return 16

    @classmethod
    def _from_core(cls, mt: core.MemoryType) -> MemoryType:
        return cls(Limits(mt.limits.min, mt.limits.max))

    @property
    def limits(self) -> Limits:
        return Limits(self._core.limits.min, self._core.limits.max)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MemoryType) and other._core == self._core

    def __hash__(self) -> int:
        return hash(self._core)

    def __repr__(self) -> str:
        return f"MemoryType({self.limits!r})"


class TableType:
    """``TableType(ValType.funcref(), Limits(min, max))``."""

    __slots__ = ("_core",)

    def __init__(self, valtype: ValType, limits: Limits) -> None:
        if not isinstance(valtype, ValType) or not valtype.is_reference:
            raise TypeError(f"table element type must be funcref or externref, got {valtype!r}")
        self._core = core.TableType(limits._to_core(), valtype)

    @classmethod
    def _from_core(cls, tt: core.TableType) -> TableType:
        return cls(tt.elem, Limits(tt.limits.min, tt.limits.max))

    @property
    def element(self) -> ValType:
        return self._core.elem

    @property
    def limits(self) -> Limits:
        return Limits(self._core.limits.min, self._core.limits.max)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TableType) and other._core == self._core

    def __hash__(self) -> int:
        return hash(self._core)

    def __repr__(self) -> str:
        return f"TableType({self.element!s}, {self.limits!r})"


ExternType = FuncType | GlobalType | MemoryType | TableType


def wrap_type(t: core.FuncType | core.GlobalType | core.MemoryType | core.TableType) -> ExternType:
    if isinstance(t, core.FuncType):
        return FuncType._from_core(t)
    if isinstance(t, core.GlobalType):
        return GlobalType._from_core(t)
    if isinstance(t, core.MemoryType):
        return MemoryType._from_core(t)
    return TableType._from_core(t)


class ImportType:
    """One import of a module: ``module``, ``name`` and ``type``."""

    __slots__ = ("module", "name", "type")

    def __init__(self, module: str, name: str, type: ExternType) -> None:
        self.module = module
        self.name = name
        self.type = type

    def __repr__(self) -> str:
        return f"ImportType({self.module!r}, {self.name!r}, {self.type!r})"


class ExportType:
    """One export of a module: ``name`` and ``type``."""

    __slots__ = ("name", "type")

    def __init__(self, name: str, type: ExternType) -> None:
        self.name = name
        self.type = type

    def __repr__(self) -> str:
        return f"ExportType({self.name!r}, {self.type!r})"
