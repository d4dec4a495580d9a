"""Lane views of the ``v128`` value (spec 4.3.1 "Representations", the
``lanes`` and ``lanes^-1`` functions of 4.3.4 "Vector Operations").

A ``v128`` is a Python ``int`` in ``[0, 2**128)`` with lane 0 in the low bits
(see :mod:`..runtime.values`). The functions here split it into a tuple of
lanes of one shape and join such a tuple back:

* ``iNxM_u(v)`` / ``iNxM_s(v)``: the ``M`` lanes as unsigned / signed ints.
* ``from_iNxM(lanes)``: join ints of any sign and size, each wrapped modulo
  ``2**N`` (so results of lane arithmetic need no masking by the caller).
* ``f32x4(v)`` / ``f64x2(v)``: float lanes in the f32/f64 representation of
  :mod:`..runtime.values` (NaN payloads kept); ``from_f32x4(lanes)`` /
  ``from_f64x2(lanes)`` join them back bit-exactly. ``from_f32x4`` expects
  exact binary32 values (round with ``f32_round`` first).

Everything goes through precompiled :class:`struct.Struct` objects on the
16-byte little-endian form; the NaN fix-ups run only when a lane is a NaN.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

from ..runtime.values import MASK128, f32_from_bits, f32_to_bits

__all__ = [
    "V128_MASK",
    "i8x16_u",
    "i8x16_s",
    "i16x8_u",
    "i16x8_s",
    "i32x4_u",
    "i32x4_s",
    "i64x2_u",
    "i64x2_s",
    "f32x4",
    "f64x2",
    "from_i8x16",
    "from_i16x8",
    "from_i32x4",
    "from_i64x2",
    "from_f32x4",
    "from_f64x2",
    "splat_mask",
]

V128_MASK = MASK128

_U8 = struct.Struct("<16B")
_S8 = struct.Struct("<16b")
_U16 = struct.Struct("<8H")
_S16 = struct.Struct("<8h")
_U32 = struct.Struct("<4I")
_S32 = struct.Struct("<4i")
_U64 = struct.Struct("<2Q")
_S64 = struct.Struct("<2q")
_F32 = struct.Struct("<4f")
_F64 = struct.Struct("<2d")


def i8x16_u(v: int) -> tuple[int, ...]:
    return tuple(v.to_bytes(16, "little"))


def i8x16_s(v: int) -> tuple[int, ...]:
    return _S8.unpack(v.to_bytes(16, "little"))


def i16x8_u(v: int) -> tuple[int, ...]:
    return _U16.unpack(v.to_bytes(16, "little"))


def i16x8_s(v: int) -> tuple[int, ...]:
    return _S16.unpack(v.to_bytes(16, "little"))


def i32x4_u(v: int) -> tuple[int, ...]:
    return _U32.unpack(v.to_bytes(16, "little"))


def i32x4_s(v: int) -> tuple[int, ...]:
    return _S32.unpack(v.to_bytes(16, "little"))


def i64x2_u(v: int) -> tuple[int, ...]:
    return (v & 0xFFFF_FFFF_FFFF_FFFF, v >> 64)


def i64x2_s(v: int) -> tuple[int, ...]:
    return _S64.unpack(v.to_bytes(16, "little"))


def f32x4(v: int) -> tuple[float, ...]:
    lanes = _F32.unpack(v.to_bytes(16, "little"))
    a, b, c, d = lanes
    if a != a or b != b or c != c or d != d:
        # struct's float -> double cast may alter NaNs: convert those lanes by hand.
        m = 0xFFFF_FFFF
        return tuple(f32_from_bits((v >> (32 * i)) & m) if x != x else x for i, x in enumerate(lanes))
    return lanes


def f64x2(v: int) -> tuple[float, ...]:
    # Unpacking a double copies its bits: NaN payloads survive.
    return _F64.unpack(v.to_bytes(16, "little"))


def _join(s: struct.Struct, lanes: Iterable[int]) -> int:
    return int.from_bytes(s.pack(*lanes), "little")


def from_i8x16(lanes: Iterable[int]) -> int:
    return int.from_bytes(bytes([x & 0xFF for x in lanes]), "little")


def from_i16x8(lanes: Iterable[int]) -> int:
    return _join(_U16, [x & 0xFFFF for x in lanes])


def from_i32x4(lanes: Iterable[int]) -> int:
    return _join(_U32, [x & 0xFFFF_FFFF for x in lanes])


def from_i64x2(lanes: Iterable[int]) -> int:
    a, b = lanes
    return (a & 0xFFFF_FFFF_FFFF_FFFF) | ((b & 0xFFFF_FFFF_FFFF_FFFF) << 64)


def from_f32x4(lanes: Iterable[float]) -> int:
    t = tuple(lanes)
    a, b, c, d = t
    if a != a or b != b or c != c or d != d:
        return _join(_U32, [f32_to_bits(x) for x in t])
    return int.from_bytes(_F32.pack(*t), "little")


def from_f64x2(lanes: Iterable[float]) -> int:
    # Packing a double copies its bits: NaN payloads survive.
    return int.from_bytes(_F64.pack(*lanes), "little")


def splat_mask(width: int) -> int:
    """The ``v128`` with 1 in the lowest bit of every ``width``-bit lane
    (multiply a lane value by it to splat)."""
    return V128_MASK // ((1 << width) - 1)
