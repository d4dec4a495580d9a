"""``Val``: a WebAssembly value tagged with its type (spec 4.2.1 "Values"),
as wasmtime-py's ``Val``.

``Val.i32(-1)``, ``Val.f64(1.5)``, ``Val.externref(obj)``,
``Val.funcref(func)``, ``Val.ref_null(ValType.funcref())``; ``.value`` is the
Python value (i32/i64 signed, as wasmtime-py), ``.type`` the
:class:`ValType`. A ``Val`` is accepted wherever a plain value is (function
arguments, host results, globals, tables); its type must then match.
"""

from __future__ import annotations

from typing import Any

from .interpreter.errors import WasmError
from .interpreter.runtime.values import f32_round, signed32, signed64
from .interpreter.syntax.types import ValType

__all__ = ["Val"]


class Val:
    """A typed WebAssembly value."""

    __slots__ = ("_type", "_val")

    def __init__(self, type: ValType, val: Any) -> None:
        self._type = type
        self._val = val

    @classmethod
    def i32(cls, val: int) -> Val:
        """An i32; ``val`` is wrapped to 32 bits (kept signed).

        Raises:
            TypeError: ``val`` is not an int.
        """
        if not isinstance(val, int):
            raise TypeError("expected an integer")
        return cls(ValType.I32, signed32(val & 0xFFFF_FFFF))

    @classmethod
    def i64(cls, val: int) -> Val:
        """An i64; ``val`` is wrapped to 64 bits (kept signed).

        Raises:
            TypeError: ``val`` is not an int.
        """
        if not isinstance(val, int):
            raise TypeError("expected an integer")
        return cls(ValType.I64, signed64(val & 0xFFFF_FFFF_FFFF_FFFF))

    @classmethod
    def f32(cls, val: float) -> Val:
        """An f32 (rounded to single precision).

        Raises:
            TypeError: ``val`` is not a float.
        """
        if not isinstance(val, float):
            raise TypeError("expected a float")
        return cls(ValType.F32, f32_round(val) if val == val else val)

    @classmethod
    def f64(cls, val: float) -> Val:
        """An f64.

        Raises:
            TypeError: ``val`` is not a float.
        """
        if not isinstance(val, float):
            raise TypeError("expected a float")
        return cls(ValType.F64, val)

    @classmethod
    def externref(cls, extern: Any) -> Val:
        """An externref holding any Python object (``None`` is null)."""
        return cls(ValType.EXTERNREF, extern)

    @classmethod
    def funcref(cls, f: Any) -> Val:
        """A funcref: a :class:`Func` or ``None`` (null).

        Raises:
            TypeError: ``f`` is neither.
        """
        from ._func import Func

        if f is not None and not isinstance(f, Func):
            raise TypeError("expected a Func or None")
        return cls(ValType.FUNCREF, f)

    @classmethod
    def ref_null(cls, ty: ValType) -> Val:
        """The null reference of reference type ``ty``.

        Raises:
            WasmError: ``ty`` is not a reference type.
        """
        if ty == ValType.EXTERNREF or ty == ValType.FUNCREF:
            return cls(ty, None)
        raise WasmError(f"Invalid reference type for `ref_null`: {ty}")

    @property
    def value(self) -> Any:
        """The Python value."""
        return self._val

    @property
    def type(self) -> ValType:
        return self._type

    def as_i32(self) -> int | None:
        return self._val if self._type == ValType.I32 else None

    def as_i64(self) -> int | None:
        return self._val if self._type == ValType.I64 else None

    def as_f32(self) -> float | None:
        return self._val if self._type == ValType.F32 else None

    def as_f64(self) -> float | None:
        return self._val if self._type == ValType.F64 else None

    def as_externref(self) -> Any:
        return self._val if self._type == ValType.EXTERNREF else None

    def as_funcref(self) -> Any:
        return self._val if self._type == ValType.FUNCREF else None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Val):
            return self._type == other._type and self._val == other._val
        return bool(self._val == other)

    def __hash__(self) -> int:
        return hash((self._type, self._val))

    def __repr__(self) -> str:
        return f"Val.{self._type!s}({self._val!r})" if not self._type.is_reference else f"Val({self._type!s}, {self._val!r})"


def unwrap_val(t: ValType, v: Any, what: str) -> Any:
    """If ``v`` is a :class:`Val`, check its type against ``t`` and return its
    Python value; otherwise return ``v``.

    Raises:
        TypeError: the ``Val`` has another type.
    """
    if isinstance(v, Val):
        if v._type != t:
            raise TypeError(f"{what}: wrong type of `Val` provided: expected {t}, got {v._type}")
        return v._val
    return v
