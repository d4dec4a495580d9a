"""Script values: wast2json argument/result encodings and bit-exact result matching.

In the JSON form of a spec script (wabt ``wast2json``; spec ``interpreter/README.md``
"Scripts", ``assert_return`` with ``result`` patterns) every number is the decimal string of
its raw bit pattern, floats included; expected floats may instead be ``nan:canonical`` or
``nan:arithmetic`` (spec 4.3.3 "Floating-Point", NaN propagation); ``v128`` values are lists of
lanes with a ``lane_type``; references are ``"null"`` or, for ``externref``, a number naming a
host reference (``ref.extern N``).  The runner moves values to and from engines as raw bits:
``i32``/``i64``/``f32``/``f64``/``v128`` as non-negative ints, references as the Python object
(``None`` for null).  Matching is bit-exact: no approximate float comparison anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "NUMERIC_WIDTH",
    "REF_TYPES",
    "ExternRef",
    "HostRefs",
    "Value",
    "ValueError_",
    "parse_arg",
    "match_result",
    "match_results",
    "describe_expected",
    "describe_value",
    "F32_CANONICAL_NANS",
    "F64_CANONICAL_NANS",
]

NUMERIC_WIDTH = {"i32": 32, "i64": 64, "f32": 32, "f64": 64, "v128": 128}
LANE_WIDTH = {"i8": 8, "i16": 16, "i32": 32, "i64": 64, "f32": 32, "f64": 64}
REF_TYPES = frozenset(
    {
        "funcref", "externref", "anyref", "eqref", "i31ref", "structref", "arrayref", "exnref",
        "nullref", "nullfuncref", "nullexternref", "nullexnref", "refnull",
    }
)  # fmt: skip
NULL_ONLY_TYPES = frozenset({"nullref", "nullfuncref", "nullexternref", "nullexnref", "refnull"})

F32_CANONICAL_NANS = (0x7FC00000, 0xFFC00000)
F64_CANONICAL_NANS = (0x7FF8000000000000, 0xFFF8000000000000)
_F32_QUIET = 0x00400000
_F64_QUIET = 0x0008000000000000
_F32_EXP = 0x7F800000
_F64_EXP = 0x7FF0000000000000


class ValueError_(Exception):
    """A JSON value that this runner cannot decode (an unsupported type or a bad number)."""


class ExternRef:
    """The host object standing for ``ref.extern N`` within one script file."""

    __slots__ = ("number",)

    def __init__(self, number: int) -> None:
        self.number = number

    def __repr__(self) -> str:
        return f"ref.extern {self.number}"


class HostRefs:
    """``N`` -> the same unique :class:`ExternRef` object for the whole script file."""

    __slots__ = ("_refs",)

    def __init__(self) -> None:
        self._refs: dict[int, ExternRef] = {}

    def get(self, number: int) -> ExternRef:
        ref = self._refs.get(number)
        if ref is None:
            ref = self._refs[number] = ExternRef(number)
        return ref


@dataclass(frozen=True, slots=True)
class Value:
    """A typed raw value: ``type`` is the wasm value type name, ``raw`` its bits or reference."""

    type: str
    raw: Any


def _number(text: Any, width: int) -> int:
    if not isinstance(text, str):
        raise ValueError_(f"expected a decimal string, got {text!r}")
    try:
        value = int(text, 10)
    except ValueError as exc:
        raise ValueError_(f"bad number {text!r}") from exc
    if value < 0:
        value += 1 << width
    if not 0 <= value < (1 << width):
        raise ValueError_(f"number {text!r} does not fit {width} bits")
    return value


def _v128_from_lanes(lane_type: Any, lanes: Any) -> int:
    width = LANE_WIDTH.get(lane_type) if isinstance(lane_type, str) else None
    if width is None or not isinstance(lanes, list) or len(lanes) * width != 128:
        raise ValueError_(f"bad v128 value: lane_type {lane_type!r}, lanes {lanes!r}")
    bits = 0
    for index, lane in enumerate(lanes):
        bits |= _number(lane, width) << (index * width)
    return bits


def parse_arg(value: dict[str, Any], refs: HostRefs) -> Value:
    """Decode one JSON argument into a raw :class:`Value`.

    Raises:
        ValueError_: unsupported type or malformed number.
    """
    kind = value.get("type")
    if not isinstance(kind, str):
        raise ValueError_(f"value without a type: {value!r}")
    if kind == "v128":
        return Value(kind, _v128_from_lanes(value.get("lane_type"), value.get("value")))
    width = NUMERIC_WIDTH.get(kind)
    if width is not None:
        return Value(kind, _number(value.get("value"), width))
    if kind in REF_TYPES:
        raw = value.get("value")
        if raw == "null" or kind in NULL_ONLY_TYPES:
            return Value(kind, None)
        if kind in ("externref", "anyref") and raw is not None:
            return Value(kind, refs.get(_number(raw, 64)))
        raise ValueError_(f"cannot build a {kind} argument from {raw!r}")
    raise ValueError_(f"unsupported value type {kind!r}")


# ---------------------------------------------------------------------------------------------
# Matching results
# ---------------------------------------------------------------------------------------------


def _is_nan(bits: int, width: int) -> bool:
    if width == 32:
        return (bits & _F32_EXP) == _F32_EXP and (bits & 0x007FFFFF) != 0
    return (bits & _F64_EXP) == _F64_EXP and (bits & 0x000FFFFFFFFFFFFF) != 0


def _match_float_pattern(pattern: str, bits: int, width: int) -> bool:
    if pattern == "nan:canonical":
        return bits in (F32_CANONICAL_NANS if width == 32 else F64_CANONICAL_NANS)
    if pattern == "nan:arithmetic":
        quiet = _F32_QUIET if width == 32 else _F64_QUIET
        return _is_nan(bits, width) and bool(bits & quiet)
    return False


def _match_lane(lane_type: str, pattern: Any, bits: int) -> bool:
    width = LANE_WIDTH[lane_type]
    if isinstance(pattern, str) and pattern.startswith("nan:"):
        return lane_type in ("f32", "f64") and _match_float_pattern(pattern, bits, width)
    return _number(pattern, width) == bits


def match_result(expected: dict[str, Any], actual: Value, refs: HostRefs) -> bool:
    """Whether ``actual`` satisfies one expected JSON result, bit-exactly.

    Raises:
        ValueError_: the expected value cannot be decoded.
    """
    kind = expected.get("type")
    pattern = expected.get("value")
    if kind == "v128":
        if actual.type != "v128" or not isinstance(actual.raw, int):
            return False
        lane_type = expected.get("lane_type")
        if lane_type not in LANE_WIDTH or not isinstance(pattern, list):
            raise ValueError_(f"bad v128 expectation {expected!r}")
        width = LANE_WIDTH[lane_type]
        if len(pattern) * width != 128:
            raise ValueError_(f"bad v128 expectation {expected!r}")
        mask = (1 << width) - 1
        return all(_match_lane(lane_type, lane, (actual.raw >> (i * width)) & mask) for i, lane in enumerate(pattern))
    width = NUMERIC_WIDTH.get(kind) if isinstance(kind, str) else None
    if width is not None:
        if actual.type != kind or not isinstance(actual.raw, int) or isinstance(actual.raw, bool):
            return False
        if isinstance(pattern, str) and pattern.startswith("nan:"):
            if kind not in ("f32", "f64"):
                raise ValueError_(f"NaN pattern for {kind}: {expected!r}")
            return _match_float_pattern(pattern, actual.raw, width)
        return _number(pattern, width) == actual.raw
    if kind in REF_TYPES:
        if actual.type not in REF_TYPES:
            return False
        if pattern == "null" or kind in NULL_ONLY_TYPES:
            return actual.raw is None
        if pattern is None:
            return actual.raw is not None
        if kind in ("externref", "anyref"):
            return actual.raw is refs.get(_number(pattern, 64))
        # a numbered reference of another kind: only non-null is checkable
        return actual.raw is not None
    raise ValueError_(f"unsupported expected type {kind!r}")


def match_results(expected: tuple[dict[str, Any], ...], actual: list[Value], refs: HostRefs) -> bool:
    """Whether a whole result list matches: same arity and every value matching.

    Raises:
        ValueError_: an expected value cannot be decoded.
    """
    if len(expected) != len(actual):
        return False
    return all(match_result(e, a, refs) for e, a in zip(expected, actual))


def describe_expected(expected: tuple[dict[str, Any], ...]) -> str:
    """Render expected results as ``(i32 5, f32 nan:canonical)`` for failure reports."""
    parts = []
    for e in expected:
        kind = e.get("type")
        value = e.get("value", "<non-null>")
        if kind == "v128":
            lanes = " ".join(str(x) for x in value) if isinstance(value, list) else str(value)
            parts.append(f"v128 {e.get('lane_type')}x[{lanes}]")
        elif kind in ("f32", "f64") and isinstance(value, str) and not value.startswith("nan:"):
            try:
                parts.append(f"{kind} {int(value):#x}")
            except ValueError:
                parts.append(f"{kind} {value}")
        else:
            parts.append(f"{kind} {value}")
    return "(" + ", ".join(parts) + ")"


def describe_value(values: list[Value]) -> str:
    """Render actual results for failure reports (floats as hex bit patterns)."""
    parts = []
    for v in values:
        if v.type in ("f32", "f64", "v128") and isinstance(v.raw, int):
            parts.append(f"{v.type} {v.raw:#x}")
        elif v.type in REF_TYPES:
            parts.append(f"{v.type} {'null' if v.raw is None else repr(v.raw)}")
        else:
            parts.append(f"{v.type} {v.raw!r}")
    return "(" + ", ".join(parts) + ")"
