"""Numeric literals of the text format (spec 6.3.1 "Integers", 6.3.2
"Floating-Point", 6.5.7 ``v128.const``).

Integers are returned as unsigned ints of their width (two's complement for
negative literals); floats as their raw IEEE-754 bit pattern, rounded exactly
(round to nearest, ties to even) from the decimal or hexadecimal rational the
literal denotes -- no double rounding through ``float`` for f32.
A literal that is not a number of the wanted form returns ``None``; one that
is a number but out of range raises :class:`LiteralRangeError`.
"""

from __future__ import annotations

import re
import struct
from functools import lru_cache

__all__ = ["LiteralRangeError", "parse_u32", "parse_nat", "parse_int", "parse_float", "FLOAT_FORMATS"]

_NUM = r"[0-9](?:_?[0-9])*"
_HEXNUM = r"[0-9a-fA-F](?:_?[0-9a-fA-F])*"
_NAT_RE = re.compile(rf"(?:({_NUM})|0x({_HEXNUM}))\Z")
_INT_RE = re.compile(rf"([+-]?)(?:({_NUM})|0x({_HEXNUM}))\Z")
_DEC_FLOAT_RE = re.compile(rf"([+-]?)({_NUM})(?:\.({_NUM})?)?(?:[eE]([+-]?{_NUM}))?\Z")
_HEX_FLOAT_RE = re.compile(rf"([+-]?)0x({_HEXNUM})(?:\.({_HEXNUM})?)?(?:[pP]([+-]?{_NUM}))?\Z")
_SPECIAL_RE = re.compile(rf"([+-]?)(?:(inf)|nan(?::0x({_HEXNUM}))?)\Z")

# (significand bits incl. the implicit one, min normal exponent, max exponent, total bits)
FLOAT_FORMATS = {32: (24, -126, 127, 32), 64: (53, -1022, 1023, 64)}


_MAX_DIGITS = 1000  # far beyond what any range check or rounding decision needs


def _decimal(digits: str) -> int:
    """``int(digits)`` for a digit string without underscores, never tripping Python's
    limit on decimal conversions: numbers too long for any wasm type become ``10**60``."""
    digits = digits.lstrip("0")
    if len(digits) > 60:
        return 10**60
    return int(digits) if digits else 0


def _exponent(text: str) -> int:
    """A decimal exponent (with sign); absurd lengths saturate to +-10**15."""
    sign = -1 if text[0] == "-" else 1
    digits = text.lstrip("+-").replace("_", "").lstrip("0")
    if len(digits) > 15:
        return sign * 10**15
    return sign * int(digits) if digits else 0


class LiteralRangeError(Exception):
    """A well-formed literal whose value does not fit the wanted type."""


def parse_nat(text: str) -> int | None:
    """An unsigned literal ``uN`` without bound (``None`` when not one)."""
    m = _NAT_RE.match(text)
    if m is None:
        return None
    dec, hexa = m.groups()
    return _decimal(dec.replace("_", "")) if dec is not None else int(hexa, 16)


def parse_u32(text: str) -> int | None:
    """A ``u32`` literal; ``None`` when not a natural number literal.

    Raises:
        LiteralRangeError: the value is 2**32 or more.
    """
    value = parse_nat(text)
    if value is not None and value >= 1 << 32:
        raise LiteralRangeError("i32 constant out of range")
    return value


@lru_cache(maxsize=8192)
def parse_int(text: str, bits: int) -> int | None:
    """An ``iN`` literal (``uN`` or ``sN``) as an unsigned ``bits``-wide int.

    Raises:
        LiteralRangeError: the value does not fit (spec 6.3.1).
    """
    m = _INT_RE.match(text)
    if m is None:
        return None
    sign, dec, hexa = m.groups()
    value = _decimal(dec.replace("_", "")) if dec is not None else int(hexa, 16)
    if sign == "-":
        if value > 1 << (bits - 1):
            raise LiteralRangeError("constant out of range")
        return -value & ((1 << bits) - 1)
    if value >= (1 << (bits - 1) if sign == "+" else 1 << bits):
        raise LiteralRangeError("constant out of range")
    return value


@lru_cache(maxsize=8192)
def parse_float(text: str, bits: int) -> int | None:
    """An ``fN`` literal (``bits`` 32 or 64) as its raw bit pattern.

    Raises:
        LiteralRangeError: the value rounds to infinity, or a NaN payload is
            zero or too wide (spec 6.3.2).
    """
    p, _emin, _emax, total = FLOAT_FORMATS[bits]
    sign_bit = 1 << (total - 1)
    m = _DEC_FLOAT_RE.match(text)
    if m is not None:
        sign, whole, frac, exp = m.groups()
        neg = sign == "-"
        if bits == 64:
            value = float(text.replace("_", ""))
            if value in (float("inf"), float("-inf")):
                raise LiteralRangeError("constant out of range")
            bits_of: int = struct.unpack("<Q", struct.pack("<d", value))[0]
            return bits_of
        digits = (whole + (frac or "")).replace("_", "").lstrip("0")
        e10 = (_exponent(exp) if exp else 0) - len((frac or "").replace("_", ""))
        if len(digits) > _MAX_DIGITS:
            # keep plenty of digits and a sticky 1 for any nonzero tail: the rounding is unchanged
            tail = digits[_MAX_DIGITS:]
            e10 += len(tail)
            digits = digits[:_MAX_DIGITS]
            if tail.strip("0"):
                digits += "1"
                e10 -= 1
        mant = int(digits) if digits else 0
        return _round(neg, mant, 0, e10, bits)
    m = _HEX_FLOAT_RE.match(text)
    if m is not None:
        sign, whole, frac, exp = m.groups()
        frac = (frac or "").replace("_", "")
        mant = int(whole.replace("_", "") + frac, 16)
        e2 = (_exponent(exp) if exp else 0) - 4 * len(frac)
        return _round(sign == "-", mant, e2, 0, bits)
    m = _SPECIAL_RE.match(text)
    if m is not None:
        sign, inf, payload = m.groups()
        s = sign_bit if sign == "-" else 0
        exp_all = ((1 << (total - p)) - 1) << (p - 1)
        if inf:
            return s | exp_all
        if payload is None:
            return s | exp_all | (1 << (p - 2))
        value = int(payload.replace("_", ""), 16)
        if not 1 <= value < 1 << (p - 1):
            raise LiteralRangeError("constant out of range")
        return s | exp_all | value
    return None


def _round(neg: bool, mant: int, e2: int, e10: int, bits: int) -> int:
    """Round ``mant * 2**e2 * 10**e10`` to the nearest ``bits``-wide float."""
    p, emin, emax, total = FLOAT_FORMATS[bits]
    sign = (1 << (total - 1)) if neg else 0
    if mant == 0:
        return sign
    # cheap bounds first, so that absurd exponents never build huge integers
    mag2 = mant.bit_length() + e2 + e10 * 3.321928094887362
    slack = 10 + abs(e10) * 1e-9
    if mag2 > emax + slack:
        raise LiteralRangeError("constant out of range")
    if mag2 < emin - p - slack:
        return sign
    num, den = mant, 1
    if e10 >= 0:
        num *= 10**e10
    else:
        den *= 10**-e10
    if e2 >= 0:
        num <<= e2
    else:
        den <<= -e2
    e = num.bit_length() - den.bit_length()  # 2**e <= num/den < 2**(e+2)
    if (num >> e if e >= 0 else num << -e) < den:
        e -= 1
    elif (num >> (e + 1) if e + 1 >= 0 else num << -(e + 1)) >= den:
        e += 1
    # exact check: 2**e <= num/den < 2**(e+1)
    lo = den << e if e >= 0 else den
    lo_num = num if e >= 0 else num << -e
    while lo_num < lo:
        e -= 1
        lo = den << e if e >= 0 else den
        lo_num = num if e >= 0 else num << -e
    q = max(e, emin) - (p - 1)  # exponent of one unit in the last place
    if q >= 0:
        n, d = num, den << q
    else:
        n, d = num << -q, den
    m, r = divmod(n, d)
    if 2 * r > d or (2 * r == d and m & 1):
        m += 1
    if m >= 1 << p:
        m >>= 1
        q += 1
    if m < 1 << (p - 1):
        return sign | m  # subnormal (or zero after rounding)
    biased = q + (p - 1) + emax
    if biased >= 2 * emax + 1:
        raise LiteralRangeError("constant out of range")
    return sign | (biased << (p - 1)) | (m - (1 << (p - 1)))
