"""Byte-level reading of component binaries (component-model ``design/mvp/Binary.md``;
LEB128 integers and names as in the core spec, "Binary Format / Values").

Every decoding failure raises :class:`~..errors.WitError` naming the byte
offset, never ``IndexError`` or ``UnicodeDecodeError``.
"""

from __future__ import annotations

from ..errors import WitError

__all__ = ["Reader"]


class Reader:
    """A cursor over ``data[pos:end]``; ``base`` is added to offsets in messages."""

    __slots__ = ("data", "pos", "end", "base", "what")

    def __init__(self, data: bytes, pos: int = 0, end: int | None = None, what: str = "component") -> None:
        self.data = data
        self.pos = pos
        self.end = len(data) if end is None else end
        self.what = what

    def error(self, message: str, offset: int | None = None) -> WitError:
        at = self.pos if offset is None else offset
        return WitError(f"malformed {self.what}: {message} (at byte offset {at:#x})")

    def eof(self) -> bool:
        return self.pos >= self.end

    def u8(self) -> int:
        if self.pos >= self.end:
            raise self.error("unexpected end")
        b = self.data[self.pos]
        self.pos += 1
        return b

    def peek(self) -> int:
        if self.pos >= self.end:
            raise self.error("unexpected end")
        return self.data[self.pos]

    def bytes(self, n: int) -> bytes:
        if n < 0 or self.pos + n > self.end:
            raise self.error("unexpected end")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return bytes(out)

    def u32(self) -> int:
        result = shift = 0
        start = self.pos
        while True:
            b = self.u8()
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                break
            shift += 7
            if shift >= 35:
                raise self.error("integer representation too long", start)
        if result > 0xFFFFFFFF:
            raise self.error("integer too large", start)
        return result

    def s33(self) -> int:
        result = shift = 0
        start = self.pos
        while True:
            b = self.u8()
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
            if shift >= 35:
                raise self.error("integer representation too long", start)
        if b & 0x40:
            result -= 1 << shift
        return result

    def name(self) -> str:
        n = self.u32()
        start = self.pos
        raw = self.bytes(n)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise self.error("malformed UTF-8 name", start) from None

    def sub(self, size: int) -> Reader:
        """A reader over the next ``size`` bytes, which this reader skips."""
        if size < 0 or self.pos + size > self.end:
            raise self.error("section size mismatch: unexpected end")
        r = Reader(self.data, self.pos, self.pos + size, self.what)
        self.pos += size
        return r
