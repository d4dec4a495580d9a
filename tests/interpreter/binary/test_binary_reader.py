"""LEB128, float, vector and name reading (spec 5.2 "Values").

Expected values are worked out by hand from the LEB128 definition in spec
5.2.2 (and the classic examples 624485 = E5 8E 26, -123456 = C0 BB 78).
"""

from __future__ import annotations

import pytest
from pywasm_host.interpreter.binary.reader import (
    Reader,
    read_s32,
    read_s33,
    read_s64,
    read_u32,
    read_u64,
)
from pywasm_host.interpreter.errors import MalformedError

TOO_LONG = "integer representation too long"
TOO_LARGE = "integer too large"
END = "unexpected end"


@pytest.mark.parametrize(
    ("data", "value", "size"),
    [
        (b"\x00", 0, 1),
        (b"\x7f", 127, 1),
        (b"\x80\x01", 128, 2),
        (b"\xe5\x8e\x26", 624485, 3),
        (b"\x83\x80\x80\x80\x00", 3, 5),  # padded, still 5 bytes: allowed
        (b"\x80\x80\x80\x80\x00", 0, 5),
        (b"\xff\xff\xff\xff\x0f", 0xFFFF_FFFF, 5),
        (b"\x05\xff", 5, 1),  # stops after the first byte
    ],
)
def test_u32_values(data: bytes, value: int, size: int) -> None:
    assert read_u32(data, 0) == (value, size)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", END),
        (b"\x80", END),
        (b"\xff\xff\xff\xff", END),
        (b"\xff\xff\xff\xff\x1f", TOO_LARGE),  # bit 32 set
        (b"\x80\x80\x80\x80\x10", TOO_LARGE),
        (b"\xff\xff\xff\xff\x4f", TOO_LARGE),
        (b"\x80\x80\x80\x80\x80\x00", TOO_LONG),  # six bytes
        (b"\x80\x80\x80\x80\x8f\x00", TOO_LONG),  # value bits fine, continuation set
    ],
)
def test_u32_malformed(data: bytes, message: str) -> None:
    with pytest.raises(MalformedError) as info:
        read_u32(data, 0)
    assert info.value.message.startswith(message)


@pytest.mark.parametrize(
    ("data", "value"),
    [
        (b"\x00", 0),
        (b"\x3f", 63),
        (b"\x40", -64),
        (b"\x7f", -1),
        (b"\xff\x00", 127),
        (b"\x80\x7f", -128),
        (b"\xc0\xbb\x78", -123456),
        (b"\xff\xff\xff\xff\x07", 2**31 - 1),
        (b"\x80\x80\x80\x80\x78", -(2**31)),
        (b"\xff\xff\xff\xff\x7f", -1),  # padded -1
        (b"\x80\x80\x80\x80\x00", 0),  # padded 0
    ],
)
def test_s32_values(data: bytes, value: int) -> None:
    assert read_s32(data, 0) == (value, len(data))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xff\xff\xff\x0f", TOO_LARGE),  # 2**32-1 is not an s32
        (b"\x80\x80\x80\x80\x70", TOO_LARGE),  # bits 3..6 neither all 0 nor all 1
        (b"\x80\x80\x80\x80\x08", TOO_LARGE),
        (b"\xff\xff\xff\xff\x77", TOO_LARGE),
        (b"\x80\x80\x80\x80\x80\x00", TOO_LONG),
        (b"\xc0", END),
    ],
)
def test_s32_malformed(data: bytes, message: str) -> None:
    with pytest.raises(MalformedError) as info:
        read_s32(data, 0)
    assert info.value.message.startswith(message)


def test_s33_block_type_range() -> None:
    # 5th byte of an s33 carries 5 value bits: bit 4 is the sign.
    assert read_s33(b"\xff\xff\xff\xff\x0f", 0) == (2**32 - 1, 5)
    assert read_s33(b"\x80\x80\x80\x80\x70", 0) == (-(2**32), 5)
    with pytest.raises(MalformedError, match=TOO_LARGE):
        read_s33(b"\xff\xff\xff\xff\x1f", 0)
    with pytest.raises(MalformedError, match=TOO_LARGE):
        read_s33(b"\x80\x80\x80\x80\x60", 0)


def test_s64_and_u64_limits() -> None:
    assert read_s64(b"\xff" * 9 + b"\x00", 0) == (2**63 - 1, 10)
    assert read_s64(b"\x80" * 9 + b"\x7f", 0) == (-(2**63), 10)
    assert read_s64(b"\x7e", 0) == (-2, 1)
    assert read_u64(b"\xff" * 9 + b"\x01", 0) == (2**64 - 1, 10)
    with pytest.raises(MalformedError, match=TOO_LARGE):
        read_s64(b"\xff" * 9 + b"\x01", 0)
    with pytest.raises(MalformedError, match=TOO_LARGE):
        read_s64(b"\x80" * 9 + b"\x7e", 0)
    with pytest.raises(MalformedError, match=TOO_LONG):
        read_s64(b"\x80" * 10 + b"\x00", 0)
    with pytest.raises(MalformedError, match=TOO_LARGE):
        read_u64(b"\xff" * 9 + b"\x02", 0)
    with pytest.raises(MalformedError, match=TOO_LONG):
        read_u64(b"\x80" * 10 + b"\x00", 0)


def test_reader_u1_for_limits_flags() -> None:
    assert Reader(b"\x01").u1() == 1
    with pytest.raises(MalformedError, match=TOO_LARGE):
        Reader(b"\x02").u1()
    with pytest.raises(MalformedError, match=TOO_LONG):
        Reader(b"\x81\x00").u1()


def test_reader_tracks_position_and_error_offsets() -> None:
    r = Reader(b"\x01\xe5\x8e\x26\x7f\x00\x00\xc0\x7f")
    assert r.u8() == 1
    assert r.u32() == 624485
    assert r.pos == 4
    assert r.s32() == -1
    assert r.f32_bits() == 0x7FC0_0000
    assert r.at_end()
    with pytest.raises(MalformedError) as info:
        r.u8()
    assert info.value.offset == 9
    r = Reader(b"\x00\x00\x80\x80\x80\x80\x10")
    r.pos = 2
    with pytest.raises(MalformedError) as info:
        r.u32()
    assert info.value.offset == 6  # the offending last byte


def test_f64_bits_raw() -> None:
    # 1.0 = 0x3FF0000000000000, little-endian; a signalling NaN keeps its payload.
    assert Reader(b"\x00\x00\x00\x00\x00\x00\xf0\x3f").f64_bits() == 0x3FF0_0000_0000_0000
    assert Reader(b"\x01\x00\x80\x7f").f32_bits() == 0x7F80_0001
    with pytest.raises(MalformedError, match=END):
        Reader(b"\x00\x00\x80").f32_bits()


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"\x00", ""),
        (b"\x03abc", "abc"),
        (b"\x02\xc3\xa9", "\u00e9"),
        (b"\x04\xf0\x9f\x98\x80", "\U0001f600"),
    ],
)
def test_names(data: bytes, text: str) -> None:
    r = Reader(data)
    assert r.name() == text
    assert r.at_end()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x02\xc0\x80", "malformed UTF-8 encoding"),  # overlong NUL
        (b"\x03\xed\xa0\x80", "malformed UTF-8 encoding"),  # surrogate U+D800
        (b"\x04\xf4\x90\x80\x80", "malformed UTF-8 encoding"),  # above U+10FFFF
        (b"\x01\x80", "malformed UTF-8 encoding"),  # lone continuation byte
        (b"\x04ab", "length out of bounds"),
        # Like the spec interpreter, the bound counts from the start of the length.
        (b"\x02\xc3", "unexpected end of section or function"),
        (b"\xff\xff\xff\xff\x0f", "length out of bounds"),
    ],
)
def test_malformed_names(data: bytes, message: str) -> None:
    with pytest.raises(MalformedError) as info:
        Reader(data).name()
    assert info.value.message == message


def test_len32_rejects_counts_beyond_the_input_at_once() -> None:
    r = Reader(b"\xff\xff\xff\xff\x0f\x00\x00")
    with pytest.raises(MalformedError) as info:
        r.len32()
    assert info.value.message == "length out of bounds"
    assert info.value.offset == 0
    assert Reader(b"\x02\x00\x00").len32() == 2
