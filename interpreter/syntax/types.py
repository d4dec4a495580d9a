"""Types of the WebAssembly core specification (spec 2.3 "Types").

Value types are an ``IntEnum`` whose values are their binary encodings
(spec 5.3 "Types"), so decoders and encoders need no lookup table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

__all__ = [
    "ValType",
    "NUMERIC_TYPES",
    "REFERENCE_TYPES",
    "FuncType",
    "Limits",
    "TableType",
    "MemoryType",
    "GlobalType",
    "ExternKind",
    "PAGE_SIZE",
    "MAX_PAGES",
]

PAGE_SIZE = 65536
"""Bytes per page of linear memory (spec 4.2.8 "Memory Instances")."""

MAX_PAGES = 65536
"""Largest number of pages a 32-bit memory may have (spec 3.2.4 "Memory Types")."""


class ValType(IntEnum):
    """A value type, valued by its binary encoding (spec 5.3.1 / 5.3.2 / 5.3.3)."""

    I32 = 0x7F
    I64 = 0x7E
    F32 = 0x7D
    F64 = 0x7C
    V128 = 0x7B
    FUNCREF = 0x70
    EXTERNREF = 0x6F

    # wasmtime-py style constructors: ``ValType.i32()`` etc.
    @staticmethod
    def i32() -> ValType:
        return ValType.I32

    @staticmethod
    def i64() -> ValType:
        return ValType.I64

    @staticmethod
    def f32() -> ValType:
        return ValType.F32

    @staticmethod
    def f64() -> ValType:
        return ValType.F64

    @staticmethod
    def v128() -> ValType:
        return ValType.V128

    @staticmethod
    def funcref() -> ValType:
        return ValType.FUNCREF

    @staticmethod
    def externref() -> ValType:
        return ValType.EXTERNREF

    @property
    def is_reference(self) -> bool:
        return self in (ValType.FUNCREF, ValType.EXTERNREF)

    def __str__(self) -> str:
        return self.name.lower()


NUMERIC_TYPES = frozenset({ValType.I32, ValType.I64, ValType.F32, ValType.F64})
REFERENCE_TYPES = frozenset({ValType.FUNCREF, ValType.EXTERNREF})


@dataclass(frozen=True, slots=True)
class FuncType:
    """``[t1*] -> [t2*]`` (spec 2.3.6 "Function Types")."""

    params: tuple[ValType, ...]
    results: tuple[ValType, ...]

    def __str__(self) -> str:
        p = " ".join(str(t) for t in self.params)
        r = " ".join(str(t) for t in self.results)
        return f"[{p}] -> [{r}]"


@dataclass(frozen=True, slots=True)
class Limits:
    """``{min, max?}`` (spec 2.3.7 "Limits")."""

    min: int
    max: int | None = None


@dataclass(frozen=True, slots=True)
class TableType:
    """``limits reftype`` (spec 2.3.9 "Table Types")."""

    limits: Limits
    elem: ValType


@dataclass(frozen=True, slots=True)
class MemoryType:
    """``limits`` in pages (spec 2.3.8 "Memory Types")."""

    limits: Limits


@dataclass(frozen=True, slots=True)
class GlobalType:
    """``mut? valtype`` (spec 2.3.10 "Global Types")."""

    valtype: ValType
    mutable: bool


class ExternKind(IntEnum):
    """Kinds of external values, valued by their import/export descriptor
    byte (spec 5.5.5 "Import Section")."""

    FUNC = 0
    TABLE = 1
    MEMORY = 2
    GLOBAL = 3
