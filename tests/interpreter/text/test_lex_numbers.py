"""Numeric literals (spec 6.3.1 "Integers", 6.3.2 "Floating-Point") and tokens
(6.2): expected values from the spec's rules, ``float.fromhex``/``float`` (correctly
rounded f64) and numpy's float64 -> float32 conversion (one exact rounding)."""

from __future__ import annotations

import random
import struct

import numpy as np
import pytest
from pywasm_host.interpreter.text.errors import TextFormatError
from pywasm_host.interpreter.text.lexer import ATOM, EOF, ID, LPAR, RPAR, STRING, decode_string, tokenize
from pywasm_host.interpreter.text.numbers import LiteralRangeError, parse_float, parse_int, parse_u32


def f64_bits(x: float) -> int:
    return int(struct.unpack("<Q", struct.pack("<d", x))[0])


def f32_bits_of_f64(x: float) -> int:
    return int(np.array([x], dtype=np.float64).astype(np.float32).view(np.uint32)[0])


@pytest.mark.parametrize(
    ("text", "bits", "value"),
    [
        ("0", 32, 0), ("-1", 32, 0xFFFFFFFF), ("+0x7fff_ffff", 32, 0x7FFFFFFF), ("0xffffffff", 32, 0xFFFFFFFF),
        ("-0x8000_0000", 32, 0x80000000), ("1_000_000", 32, 1000000), ("-9223372036854775808", 64, 1 << 63),
        ("18446744073709551615", 64, (1 << 64) - 1),
    ],
)  # fmt: skip
def test_lex_int_values(text: str, bits: int, value: int) -> None:
    assert parse_int(text, bits) == value


@pytest.mark.parametrize("text", ["4294967296", "-2147483649", "+0x80000000", "+2147483648"])
def test_lex_int_out_of_range(text: str) -> None:
    with pytest.raises(LiteralRangeError, match="constant out of range"):
        parse_int(text, 32)


@pytest.mark.parametrize("text", ["0x", "1_", "_1", "1__0", "0x_1", "1.0", "--1", "0X1", "", "+", "0xg"])
def test_lex_not_an_int(text: str) -> None:
    assert parse_int(text, 32) is None


def test_lex_u32() -> None:
    assert parse_u32("0xffff_ffff") == 0xFFFFFFFF
    assert parse_u32("-1") is None
    with pytest.raises(LiteralRangeError, match="i32 constant out of range"):
        parse_u32("0x1_0000_0000")


@pytest.mark.parametrize(
    ("text", "bits", "expected"),
    [
        ("0x1p128", 32, None), ("0x1.fffffep127", 32, 0x7F7FFFFF), ("0x1.fffffefffffffffp127", 32, 0x7F7FFFFF),
        ("0x1.ffffffp127", 32, None), ("1e39", 32, None), ("1e-46", 32, 0), ("0x1p-149", 32, 1), ("0x1p-150", 32, 0),
        ("0x1.000000000001p-150", 32, 1), ("0x1.8p-149", 32, 2), ("-0x0.0p0", 32, 0x80000000),
        ("inf", 32, 0x7F800000), ("-inf", 64, 0xFFF0000000000000), ("nan", 32, 0x7FC00000),
        ("-nan", 64, 0xFFF8000000000000), ("nan:0x1", 32, 0x7F800001), ("nan:0x7f_ffff", 32, 0x7FFFFFFF),
        ("+nan:0xf_ffff_ffff_ffff", 64, 0x7FFFFFFFFFFFFFFF), ("nan:0x0", 32, None), ("nan:0x80_0000", 32, None),
        ("0x1.fffffffffffff8p1023", 64, None), ("1e309", 64, None), ("0x1p-1074", 64, 1), ("0x1p-1075", 64, 0),
        ("0x1.00000000000000000000001p-1075", 64, 1), ("0x1.fffffffffffffp-1023", 64, 0x0010000000000000),
        # ties to even at the f32 boundary of 1.0: 1 + 2**-24 is halfway between 1 and 1 + 2**-23
        ("0x1.000001p0", 32, 0x3F800000), ("0x1.000003p0", 32, 0x3F800002), ("16777217", 32, 0x4B800000),
        ("16777219", 32, 0x4B800002), ("1.", 64, 0x3FF0000000000000), ("1.e1", 64, f64_bits(10.0)),
        ("0x1.p1", 64, 0x4000000000000000), ("1_0.2_5e-1_0", 64, f64_bits(10.25e-10)), ("3", 32, 0x40400000),
    ],
)  # fmt: skip
def test_lex_float_values(text: str, bits: int, expected: int | None) -> None:
    if expected is None:
        with pytest.raises(LiteralRangeError, match="constant out of range"):
            parse_float(text, bits)
    else:
        assert parse_float(text, bits) == expected


@pytest.mark.parametrize("text", ["1e", "0x1p", ".5", "1.5.5", "nan:1", "nan:0x", "infinity", "0x1P+_1", "1e+", "e1"])
def test_lex_not_a_float(text: str) -> None:
    assert parse_float(text, 32) is None


def test_lex_floats_match_python_and_numpy() -> None:
    rng = random.Random(3)
    for _ in range(3000):
        x = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
        if x != x or x in (float("inf"), float("-inf")):
            continue
        # decimal shortest repr and hex form: f64 exactly, f32 rounded once from the exact value
        assert parse_float(repr(x), 64) == f64_bits(x)
        assert parse_float(x.hex(), 64) == f64_bits(float.fromhex(x.hex()))
        if abs(x) < 3.4e38:
            assert parse_float(x.hex(), 32) == f32_bits_of_f64(x)
            # the exact decimal expansion of x ('%.1100g' prints every digit of the binary value)
            exact = f"{x:.1100g}"
            assert parse_float(exact, 32) == f32_bits_of_f64(x)


def test_lex_many_hex_digits() -> None:
    digits = "0x1." + "0" * 200 + "1p0"  # just above 1.0: rounds down in both formats
    assert parse_float(digits, 32) == 0x3F800000
    assert parse_float(digits, 64) == 0x3FF0000000000000
    half = "0x1.000001" + "0" * 100 + "1p0"  # just above the f32 halfway point: rounds up
    assert parse_float(half, 32) == 0x3F800001


def test_lex_huge_exponents_are_fast() -> None:
    with pytest.raises(LiteralRangeError):
        parse_float("1e99999999999999", 32)
    assert parse_float("1e-99999999999999", 32) == 0
    assert parse_float("-0x1p-99999999999999", 64) == 1 << 63


def test_lex_very_long_literals() -> None:
    # beyond Python's 4300-digit limit on int(str): still a typed error or the exact value
    with pytest.raises(LiteralRangeError):
        parse_int("1" * 5000, 64)
    with pytest.raises(LiteralRangeError):
        parse_u32("9" * 5000)
    with pytest.raises(LiteralRangeError):
        parse_float("1" * 5000, 32)
    with pytest.raises(LiteralRangeError):
        parse_float("1e" + "1" * 5000, 32)
    assert parse_int("0" * 5000 + "7", 32) == 7
    assert parse_float("0x1p-" + "1" * 5000, 64) == 0
    # a long decimal tail decides between a tie (to even) and rounding up
    assert parse_float("16777217." + "0" * 2000, 32) == 0x4B800000
    assert parse_float("16777217." + "0" * 2000 + "1", 32) == 0x4B800001


def test_lex_tokens_and_comments() -> None:
    toks = tokenize('(a (; x (; nested ;) y ;) $id "s\\t\\u{1F600}\\41" ;; line\n (@ann (x "y") z) 12)')
    assert toks.kinds == [LPAR, ATOM, ID, STRING, ATOM, RPAR, EOF]
    assert toks.close[0] == 5
    assert decode_string(toks, 3) == b"s\t" + "\U0001f600".encode() + b"A"
    # quoted identifiers (3.0 text format, printed by wasm-tools) name the same thing as plain ones
    assert tokenize('$"a\\41" $"x"').texts == ["$aA", "$x", ""]
    assert tokenize('$"x"').kinds[0] == ID
    # a line comment ends at LF, CR or CRLF (spec 6.2.4, comments.wast "Newline recognition")
    for newline in ("\n", "\r", "\r\n"):
        assert tokenize(f"a ;; c{newline}b").texts == ["a", "b", ""]


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [('(a\n  "unterminated', 2, 3), ("(a (; never closed", 1, 4), ('(a "\\q")', 1, 5), ("(a\n\n  {", 3, 3),
     ("(a\n b\"s\")", 2, 2), ('("\\u{110000}")', 1, 3)],
)  # fmt: skip
def test_lex_errors_have_positions(text: str, line: int, column: int) -> None:
    with pytest.raises(TextFormatError) as info:
        _lex_all(text)
    assert (info.value.line, info.value.column) == (line, column)
    assert f":{line}:{column}" in str(info.value) and "^" in str(info.value)


def _lex_all(text: str) -> None:
    toks = tokenize(text)
    for i, kind in enumerate(toks.kinds):
        if kind == STRING:
            decode_string(toks, i)
