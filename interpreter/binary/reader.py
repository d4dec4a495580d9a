"""Byte-level reading of the binary format (spec 5.1 "Conventions" and
5.2 "Values": bytes, LEB128 integers, floats, names, vectors).

Two layers are provided. Module-level functions such as :func:`read_u32`
take ``(data, pos)`` and return ``(value, new_pos)``; the instruction decoder
calls them directly from its hot loop (after inlining the one-byte fast
path itself). :class:`Reader` wraps a buffer and a position for the colder
section decoders.

Malformed encodings raise :class:`MalformedError` with the spec reference
interpreter's messages: ``integer representation too long`` (more bytes than
``ceil(N/7)``), ``integer too large`` (unused bits of the last byte are not
zero, or not a sign extension), ``unexpected end of section or function``
(reading past the end of the input), ``length out of bounds`` (a length
larger than the bytes left) and ``malformed UTF-8 encoding``.

Reading past the end of the buffer surfaces as a Python ``IndexError`` inside
the fast paths; every public entry point converts it to
:class:`MalformedError` (``try`` costs nothing in CPython 3.11 when nothing is
raised, which is cheaper than a bounds check per byte).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from ..errors import MalformedError

T = TypeVar("T")

__all__ = [
    "UNEXPECTED_END",
    "Reader",
    "read_u32",
    "read_u64",
    "read_s32",
    "read_s33",
    "read_s64",
    "read_uleb",
    "read_sleb",
]

UNEXPECTED_END = "unexpected end of section or function"
"""Message for reading past the end of the input (spec interpreter wording)."""

_MASK32 = 0xFFFF_FFFF
_MASK64 = 0xFFFF_FFFF_FFFF_FFFF


def read_uleb(data: bytes, pos: int, bits: int) -> tuple[int, int]:
    """Read an unsigned LEB128 integer of at most ``bits`` bits (spec 5.2.2).

    Raises:
        MalformedError: ``integer representation too long``, ``integer too
            large`` or ``unexpected end of section or function``.
    """
    result = 0
    shift = 0
    try:
        while True:
            if shift >= bits:
                raise MalformedError("integer representation too long", pos)
            b = data[pos]
            pos += 1
            left = bits - shift
            if left < 7 and (b & 0x7F) >= (1 << left):
                raise MalformedError("integer too large", pos - 1)
            result |= (b & 0x7F) << shift
            if b < 0x80:
                return result, pos
            shift += 7
    except IndexError:
        raise MalformedError(UNEXPECTED_END, len(data)) from None


def read_sleb(data: bytes, pos: int, bits: int) -> tuple[int, int]:
    """Read a signed LEB128 integer of at most ``bits`` bits (spec 5.2.2);
    the result is a negative Python ``int`` for negative values.

    Raises:
        MalformedError: ``integer representation too long``, ``integer too
            large`` or ``unexpected end of section or function``.
    """
    result = 0
    shift = 0
    try:
        while True:
            if shift >= bits:
                raise MalformedError("integer representation too long", pos)
            b = data[pos]
            pos += 1
            left = bits - shift
            if left < 7:
                # The bits of the last byte beyond the value must all be a
                # sign extension of its top bit.
                mask = (-1 << (left - 1)) & 0x7F
                top = b & mask
                if top != 0 and top != mask:
                    raise MalformedError("integer too large", pos - 1)
            result |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                if b & 0x40:
                    result -= 1 << shift
                return result, pos
    except IndexError:
        raise MalformedError(UNEXPECTED_END, len(data)) from None


def read_u32(data: bytes, pos: int) -> tuple[int, int]:
    """``u32`` (spec 5.2.2). Raises: MalformedError."""
    try:
        b = data[pos]
    except IndexError:
        raise MalformedError(UNEXPECTED_END, len(data)) from None
    if b < 0x80:
        return b, pos + 1
    return read_uleb(data, pos, 32)


def read_u64(data: bytes, pos: int) -> tuple[int, int]:
    """``u64`` (spec 5.2.2). Raises: MalformedError."""
    return read_uleb(data, pos, 64)


def read_s32(data: bytes, pos: int) -> tuple[int, int]:
    """``s32`` (spec 5.2.2), as a signed Python int. Raises: MalformedError."""
    try:
        b = data[pos]
    except IndexError:
        raise MalformedError(UNEXPECTED_END, len(data)) from None
    if b < 0x40:
        return b, pos + 1
    if b < 0x80:
        return b - 0x80, pos + 1
    return read_sleb(data, pos, 32)


def read_s33(data: bytes, pos: int) -> tuple[int, int]:
    """``s33`` (spec 5.2.2, used by block types). Raises: MalformedError."""
    return read_sleb(data, pos, 33)


def read_s64(data: bytes, pos: int) -> tuple[int, int]:
    """``s64`` (spec 5.2.2), as a signed Python int. Raises: MalformedError."""
    try:
        b = data[pos]
    except IndexError:
        raise MalformedError(UNEXPECTED_END, len(data)) from None
    if b < 0x40:
        return b, pos + 1
    if b < 0x80:
        return b - 0x80, pos + 1
    return read_sleb(data, pos, 64)


class Reader:
    """A cursor over an immutable ``bytes`` buffer (spec 5.1, 5.2).

    ``pos`` is the absolute byte offset of the next byte; every error carries
    the offset where it was detected.
    """

    __slots__ = ("data", "pos")

    def __init__(self, data: bytes, pos: int = 0) -> None:
        self.data = data
        self.pos = pos

    # -- position ------------------------------------------------------------
    def at_end(self) -> bool:
        """Whether every byte has been consumed."""
        return self.pos >= len(self.data)

    def remaining(self) -> int:
        """Number of bytes not consumed yet."""
        return len(self.data) - self.pos

    def error(self, message: str, offset: int | None = None) -> MalformedError:
        """A :class:`MalformedError` at ``offset`` (default: the current position)."""
        return MalformedError(message, self.pos if offset is None else offset)

    # -- bytes ------------------------------------------------------------------
    def peek(self) -> int | None:
        """The next byte without consuming it, or ``None`` at the end."""
        pos = self.pos
        return self.data[pos] if pos < len(self.data) else None

    def u8(self) -> int:
        """One raw byte. Raises: MalformedError at the end of the input."""
        pos = self.pos
        try:
            b = self.data[pos]
        except IndexError:
            raise MalformedError(UNEXPECTED_END, len(self.data)) from None
        self.pos = pos + 1
        return b

    def expect_zero(self) -> None:
        """A reserved byte that must be ``0x00`` (spec 5.4.6 ``memory.size`` etc.).

        Raises:
            MalformedError: ``zero byte expected``.
        """
        if self.u8() != 0:
            raise MalformedError("zero byte expected", self.pos - 1)

    def raw(self, n: int) -> bytes:
        """``n`` raw bytes. Raises: MalformedError if fewer are left."""
        pos = self.pos
        end = pos + n
        if n < 0 or end > len(self.data):
            raise MalformedError(UNEXPECTED_END, len(self.data))
        self.pos = end
        return self.data[pos:end]

    # -- integers ---------------------------------------------------------------
    def u1(self) -> int:
        """A one-bit unsigned LEB128 (flags of limits). Raises: MalformedError."""
        value, self.pos = read_uleb(self.data, self.pos, 1)
        return value

    def u32(self) -> int:
        """``u32``. Raises: MalformedError."""
        value, self.pos = read_u32(self.data, self.pos)
        return value

    def u64(self) -> int:
        """``u64``. Raises: MalformedError."""
        value, self.pos = read_uleb(self.data, self.pos, 64)
        return value

    def s32(self) -> int:
        """``s32``. Raises: MalformedError."""
        value, self.pos = read_s32(self.data, self.pos)
        return value

    def s33(self) -> int:
        """``s33``. Raises: MalformedError."""
        value, self.pos = read_sleb(self.data, self.pos, 33)
        return value

    def s64(self) -> int:
        """``s64``. Raises: MalformedError."""
        value, self.pos = read_s64(self.data, self.pos)
        return value

    def f32_bits(self) -> int:
        """An ``f32`` as its raw little-endian bit pattern (spec 5.2.3)."""
        return int.from_bytes(self.raw(4), "little")

    def f64_bits(self) -> int:
        """An ``f64`` as its raw little-endian bit pattern (spec 5.2.3)."""
        return int.from_bytes(self.raw(8), "little")

    # -- vectors and names --------------------------------------------------------
    def len32(self) -> int:
        """A ``u32`` length that may not exceed the bytes left (every vector
        element and every byte takes at least one byte), so that huge counts
        fail at once instead of looping or allocating.

        Raises:
            MalformedError: ``length out of bounds`` or a LEB128 error.
        """
        start = self.pos
        n = self.u32()
        if n > len(self.data) - start:
            raise MalformedError("length out of bounds", start)
        return n

    def vec(self, item: Callable[[], T]) -> tuple[T, ...]:
        """``vec(B)`` (spec 5.1.3): a :meth:`len32` count, then ``item()``
        called that many times. Nothing is preallocated from the count.

        Raises:
            MalformedError: from the count or from ``item``.
        """
        return tuple([item() for _ in range(self.len32())])

    def byte_vec(self) -> bytes:
        """``vec(byte)`` (spec 5.2.4). Raises: MalformedError."""
        n = self.len32()
        return self.raw(n)

    def name(self) -> str:
        """``name`` (spec 5.2.4): a UTF-8 validated byte vector.

        Raises:
            MalformedError: ``malformed UTF-8 encoding`` or a length error.
        """
        start = self.pos
        raw = self.byte_vec()
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise MalformedError("malformed UTF-8 encoding", start) from None
