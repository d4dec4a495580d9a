"""Conversion of values between Python and the engine (wasmtime-py's rules).

Into the engine: a :class:`Val` of the right type stands for its value;
i32/i64 accept a Python ``int`` in the signed or the
unsigned range of the width (wrapped to the engine's unsigned form); f32/f64
accept ``int`` or ``float`` (f32 rounded to single precision; an f32 NaN is
kept bit for bit); funcref accepts a :class:`Func` or ``None``; externref
accepts any object (``None`` is null); v128 accepts an ``int`` in
``[-2**127, 2**128)`` (wrapped to unsigned: the 128 bits little-endian, lane
0 of every shape in the low bits). Out of the engine: i32/i64 come back as
*signed* ints, floats as ``float``, funcref as :class:`Func` or ``None``,
v128 as an *unsigned* ``int`` in ``[0, 2**128)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._val import Val, unwrap_val
from .interpreter.runtime.instances import FunctionInstance
from .interpreter.runtime.values import f32_round
from .interpreter.syntax.types import ValType

__all__ = ["to_engine", "from_engine"]


def _int_in(bits: int, name: str = "") -> Callable[[Any, str], int]:
    name = name or f"i{bits}"
    lo = -(1 << (bits - 1))
    hi = 1 << bits
    mask = hi - 1

    def convert(v: Any, what: str) -> int:
        if not isinstance(v, int):
            raise TypeError(f"{what}: expected an int for {name}, got {type(v).__name__}")
        if not lo <= v < hi:
            raise OverflowError(f"{what}: {v} does not fit in {name}")
        return v & mask
    return convert


def _float_in(single: bool) -> Callable[[Any, str], float]:
    def convert(v: Any, what: str) -> float:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise TypeError(f"{what}: expected a float for {'f32' if single else 'f64'}, got {type(v).__name__}")
        x = float(v)
        if single and x == x:
            return f32_round(x)
        return x
    return convert


def _funcref_in(v: Any, what: str) -> Any:
    from ._func import Func

    if v is None:
        return None
    if isinstance(v, Func):
        return v._fn
    raise TypeError(f"{what}: expected a Func or None for funcref, got {type(v).__name__}")


def _externref_in(v: Any, what: str) -> Any:
    return v


_TO_ENGINE: dict[ValType, Callable[[Any, str], Any]] = {
    ValType.I32: _int_in(32),
    ValType.I64: _int_in(64),
    ValType.F32: _float_in(True),
    ValType.F64: _float_in(False),
    ValType.V128: _int_in(128, "v128"),
    ValType.FUNCREF: _funcref_in,
    ValType.EXTERNREF: _externref_in,
}


def to_engine(t: ValType, v: Any, what: str = "value") -> Any:
    """Convert a Python value to the engine's representation of type ``t``.

    Raises:
        TypeError: ``v`` has the wrong Python type for ``t``.
        OverflowError: an integer does not fit the width of ``t``.
    """
    if isinstance(v, Val):
        v = unwrap_val(t, v, what)
    try:
        convert = _TO_ENGINE[t]
    except KeyError:
        raise TypeError(f"{what}: values of type {t} are not supported by this API yet") from None
    return convert(v, what)


def from_engine(t: ValType, v: Any) -> Any:
    """Convert an engine value of type ``t`` to its Python form."""
    if t == ValType.I32:
        v = int(v)
        return v - 0x1_0000_0000 if v & 0x8000_0000 else v
    if t == ValType.I64:
        v = int(v)
        return v - 0x1_0000_0000_0000_0000 if v & 0x8000_0000_0000_0000 else v
    if t == ValType.V128:
        return int(v)
    if t == ValType.FUNCREF:
        if isinstance(v, FunctionInstance):
            from ._func import Func

            return Func._from_instance(v)
        return v
    return v
