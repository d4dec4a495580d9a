"""Runtime representation of wasm values (spec 4.2.1 "Values", 4.3 "Numerics").

Every value is a plain Python object; nothing is boxed:

* ``i32`` / ``i64``: a Python ``int`` in canonical **unsigned** form,
  ``0 <= v < 2**32`` (resp. ``2**64``). Operators that read a value as signed
  convert with :func:`signed32` / :func:`signed64`; every result is masked
  back with :data:`MASK32` / :data:`MASK64`.
* ``f64``: a Python ``float``. It is an IEEE 754 binary64; CPython stores the
  bits unchanged, so NaN signs and payloads (even signalling NaNs) survive
  ``-x``, ``abs(x)``, ``math.copysign`` and :func:`f64_to_bits`. Arithmetic
  quiets signalling NaNs as IEEE requires.
* ``f32``: a Python ``float`` whose value is *exactly* a binary32 value.
  Finite values and infinities convert exactly. A binary32 NaN is carried as
  the binary64 NaN with the same sign, the same quiet bit, and the 23-bit f32
  payload in the top mantissa bits (``payload << 29``), so ``0x7fa00000``
  is carried as ``0x7ff4000000000000``. That keeps sign and payload across
  ``-x``, ``abs``, ``math.copysign`` and the round trip through
  :func:`f32_from_bits` / :func:`f32_to_bits`, and f64 arithmetic on such NaNs
  yields NaNs that are again in this form. The conversions cannot rely on
  ``struct``'s ``'f'`` format for NaNs (CPython converts through C
  ``float``/``double`` casts, which quiet signalling NaNs on x86), so NaN bit
  patterns are converted by hand, on the NaN path only. f32 arithmetic is done
  in binary64 and rounded once with :func:`f32_round` (binary64 has more than
  ``2*24+2`` bits of precision, so for ``+ - * / sqrt`` this double rounding
  gives the correctly rounded binary32 result).
* ``v128``: a Python ``int`` in ``[0, 2**128)``, the 128 bits read
  little-endian, so lane ``i`` of shape ``iNxM`` / ``fNxM`` is bits
  ``[i*N, (i+1)*N)`` (lane 0 in the low bits, byte 0 of memory = bits 0..7).
  ``v128.const`` immediates, loads (``int.from_bytes(..., "little")`` or
  ``struct`` ``"<QQ"``) and host values use the same int. Chosen by
  measurement (CPython 3.11, this machine; ns per operation incl. a call):
  ``v128.and`` on ints 28 vs 113 on 4-tuples; ``i32x4.add`` as SWAR on the
  int (mask the top bit of each lane, add, xor the top bits back) 113 vs 169
  on tuples, 220 on two numpy arrays and 757 via numpy from bytes; extracting
  a lane is a shift and a mask (42). So bitwise operations, ``add``/``sub``/
  ``neg``, comparisons, ``min``/``max``, saturating arithmetic, ``avgr_u``,
  ``abs``, shifts, splats and lane access work on the whole int (SWAR);
  the other lane-wise operations split it into lanes with ``struct``
  (``to_bytes`` + ``unpack``) and run generated straight-line code per lane
  (:mod:`..exec.ops_simd_int`, :mod:`..exec.simd_lanes`).
  Float lanes follow the f32/f64 rules above: a lane is extracted from the
  raw bits with :func:`f32_from_bits` / :func:`f64_from_bits` and stored
  back with :func:`f32_to_bits` / :func:`f64_to_bits`, so NaN payloads pass
  through ``extract_lane`` / ``replace_lane`` / ``splat`` unchanged.
* ``funcref`` / ``externref``: the referenced object (a function instance or
  any host object), or ``None`` for the null reference.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from math import copysign, inf

__all__ = [
    "MASK32",
    "MASK64",
    "MASK128",
    "signed32",
    "signed64",
    "f32_from_bits",
    "f32_to_bits",
    "f64_from_bits",
    "f64_to_bits",
    "f32_round",
    "F32_CANONICAL_NAN_BITS",
    "F64_CANONICAL_NAN_BITS",
]

MASK32 = 0xFFFF_FFFF
MASK64 = 0xFFFF_FFFF_FFFF_FFFF
MASK128 = (1 << 128) - 1

F32_CANONICAL_NAN_BITS = 0x7FC0_0000
F64_CANONICAL_NAN_BITS = 0x7FF8_0000_0000_0000

_F32 = struct.Struct("<f")
_U32 = struct.Struct("<I")
_F64 = struct.Struct("<d")
_U64 = struct.Struct("<Q")
# Bound methods with precise types (struct's stubs return tuple[Any, ...]).
_f32_pack: Callable[[float], bytes] = _F32.pack
_f32_unpack: Callable[[bytes], tuple[float]] = _F32.unpack
_u32_pack: Callable[[int], bytes] = _U32.pack
_u32_unpack: Callable[[bytes], tuple[int]] = _U32.unpack
_f64_pack: Callable[[float], bytes] = _F64.pack
_f64_unpack: Callable[[bytes], tuple[float]] = _F64.unpack
_u64_pack: Callable[[int], bytes] = _U64.pack
_u64_unpack: Callable[[bytes], tuple[int]] = _U64.unpack


def signed32(v: int) -> int:
    """Read a canonical (unsigned) i32 as a signed integer in ``[-2**31, 2**31)``."""
    return (v ^ 0x8000_0000) - 0x8000_0000


def signed64(v: int) -> int:
    """Read a canonical (unsigned) i64 as a signed integer in ``[-2**63, 2**63)``."""
    return (v ^ 0x8000_0000_0000_0000) - 0x8000_0000_0000_0000


def f64_from_bits(b: int) -> float:
    """The f64 whose IEEE bit pattern is ``b`` (``0 <= b < 2**64``), NaN payloads kept."""
    return _f64_unpack(_u64_pack(b))[0]


def f64_to_bits(x: float) -> int:
    """The IEEE binary64 bit pattern of ``x``."""
    return _u64_unpack(_f64_pack(x))[0]


def f32_from_bits(b: int) -> float:
    """The f32 whose IEEE bit pattern is ``b`` (``0 <= b < 2**32``), in the
    representation described in the module docstring (NaN sign, quiet bit and
    payload kept)."""
    x = _f32_unpack(_u32_pack(b))[0]
    if x != x:
        # struct's float -> double cast may quiet a signalling NaN: widen by hand.
        return _f64_unpack(_u64_pack(((b & 0x8000_0000) << 32) | 0x7FF0_0000_0000_0000 | ((b & 0x7F_FFFF) << 29)))[0]
    return x


def f32_to_bits(x: float) -> int:
    """The IEEE binary32 bit pattern of an f32 value ``x``.

    ``x`` must be exactly a binary32 value in our representation (finite
    values that are not raise ``OverflowError`` or are rounded by ``struct``).
    A NaN keeps its sign, quiet bit and the top 23 payload bits; a NaN whose
    top payload bits are all zero (not an f32 value) comes back quiet.
    """
    if x != x:
        b = _u64_unpack(_f64_pack(x))[0]
        payload = (b >> 29) & 0x7F_FFFF
        return ((b >> 32) & 0x8000_0000) | 0x7F80_0000 | (payload or 0x40_0000)
    return _u32_unpack(_f32_pack(x))[0]


def f32_round(x: float) -> float:
    """Round a binary64 value to the nearest binary32 value (ties to even).

    Values beyond the binary32 range round to ``±inf`` exactly as IEEE
    specifies (``0x1.fffffefffffffp127`` still rounds to the largest finite
    f32, ``0x1.ffffffp127`` to ``inf``); subnormals round correctly. A NaN
    becomes a quiet NaN keeping the sign and the payload bits that fit.
    """
    if x == x:
        try:
            return _f32_unpack(_f32_pack(x))[0]
        except OverflowError:
            # struct refuses finite values that round to infinity: that *is* the result.
            return copysign(inf, x)
    # NaN: how C casts treat NaNs differs between CPython versions; do it by hand.
    b = _u64_unpack(_f64_pack(x))[0]
    return _f64_unpack(_u64_pack((b & 0xFFFF_FFFF_E000_0000) | 0x0008_0000_0000_0000))[0]
