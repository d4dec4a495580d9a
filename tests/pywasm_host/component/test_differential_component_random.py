"""Random differential tests of the component host: hypothesis draws values of every
WIT type the kitchen and strings fixtures take, and each call must give the
independently computed result (plain Python: reversal, joins, wrapping sums...)
through ``load_core`` on our interpreter and, when wasmtime-py is installed, through
our canonical ABI over wasmtime-py's core engine and through wasmtime-py's component API."""

from __future__ import annotations

import os
import sys
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "component")
sys.path.insert(0, os.path.abspath(FIXTURES))

import cases  # noqa: E402
import ours_host  # noqa: E402
from cases import Err, Ok, Some  # noqa: E402

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

_OURS: dict[tuple[str, str | None], ours_host.OursFixture] = {}
_THEIRS: dict[str, Any] = {}


def teardown_module() -> None:
    _OURS.clear()
    _THEIRS.clear()


def _ours(fixture: str, engine: str | None) -> ours_host.OursFixture:
    if (fixture, engine) not in _OURS:
        _OURS[fixture, engine] = ours_host.OursFixture(fixture, engine)
    return _OURS[fixture, engine]


def _check(fixture: str, interface: str, func: str, args: tuple[Any, ...], expected: Any) -> None:
    ours = _ours(fixture, None).call(interface, func, *args)
    assert cases.same(ours, expected), f"{func}{args!r}: ours {ours!r} != expected {expected!r}"
    try:
        import wasmtime_host
    except ImportError:  # wasmtime-py is optional: the oracle comparisons are skipped
        return
    over_wasmtime_core = _ours(fixture, "wasmtime").call(interface, func, *args)
    assert cases.same(over_wasmtime_core, expected), f"{func}{args!r}: our ABI over wasmtime core {over_wasmtime_core!r}"
    if fixture not in _THEIRS:
        _THEIRS[fixture] = wasmtime_host.WasmtimeFixture(fixture)
    theirs = _THEIRS[fixture].call(interface, func, *args)
    assert cases.same(ours, theirs), f"{func}{args!r}: ours {ours!r} != wasmtime.component {theirs!r}"


KT = cases.KT
chars = st.characters(blacklist_categories=("Cs",))  # every Unicode scalar value
texts = st.text(chars, max_size=20)
f32s = st.floats(width=32)
f64s = st.floats()
points = st.builds(lambda x, y: {"x": x, "y": y}, st.integers(-(2**31), 2**31 - 1), st.integers(-(2**31), 2**31 - 1))
people = st.builds(lambda n, a, t, h: {"name": n, "age": a, "tags": t, "home": h},
                   texts, st.integers(0, 255), st.lists(texts, max_size=3), st.none() | points.map(Some))


def _wrap64(v: int) -> int:
    v &= 2**64 - 1
    return v - 2**64 if v >= 2**63 else v


@SETTINGS
@given(st.tuples(st.booleans(), st.integers(-128, 127), st.integers(0, 255), st.integers(-(2**15), 2**15 - 1),
                 st.integers(0, 2**16 - 1), st.integers(-(2**31), 2**31 - 1), st.integers(0, 2**32 - 1),
                 st.integers(-(2**63), 2**63 - 1), st.integers(0, 2**64 - 1), f32s, f64s, chars))
def test_scalars(row: tuple[Any, ...]) -> None:
    _check("kitchen", KT, "scalars", row, row)


@SETTINGS
@given(st.lists(st.integers(0, 2**32 - 1), min_size=16, max_size=16), texts)
def test_many_params(values: list[int], name: str) -> None:
    _check("kitchen", KT, "many-params", (*values, name), f"{name}={sum((i + 1) * v for i, v in enumerate(values))}")


@SETTINGS
@given(texts)
def test_strings(s: str) -> None:
    _check("kitchen", KT, "reverse-string", (s,), s[::-1])
    _check("kitchen", KT, "count-chars", (s,), (len(s.encode()), len(s)))
    _check("machine", cases.MI, "count-symbols", (s,), len(s))
    for enc in ("utf16", "compact"):
        _check(enc, cases.ST, "echo", (s,), s)
        units = (len(s), False) if enc == "compact" and all(ord(c) < 256 for c in s) else \
            (len(s.encode("utf-16-le")) // 2, True)
        _check(enc, cases.ST, "units", (s,), units)


@SETTINGS
@given(st.lists(st.lists(texts, max_size=4), max_size=4))
def test_nested_lists(x: list[list[str]]) -> None:
    _check("kitchen", KT, "echo-strings", (x,), x)
    _check("kitchen", KT, "join-strings", (x,), ";".join(",".join(inner) for inner in x))


@SETTINGS
@given(st.lists(people, max_size=4))
def test_records(ps: list[dict[str, Any]]) -> None:
    _check("kitchen", KT, "echo-people", (ps,), ps)
    oldest = None
    for p in ps:
        if oldest is None or p["age"] > oldest["age"]:
            oldest = p
    _check("kitchen", KT, "oldest", (ps,), None if oldest is None else Some(oldest))


@SETTINGS
@given(st.one_of(f64s.map(lambda r: ("circle", r)), points.map(lambda p: ("rect", p)), st.just(("nothing", None))))
def test_variants(shape: tuple[str, Any]) -> None:
    _check("kitchen", KT, "echo-shape", (shape,), shape)


@SETTINGS
@given(st.one_of(st.none(), st.just(Some(None)), st.integers(0, 255).map(lambda v: Some(Some(v)))),
       st.none() | st.integers(0, 2**32 - 1).map(Some))
def test_options(nested: Any, single: Any) -> None:
    _check("kitchen", KT, "echo-nested-option", (nested,), nested)
    _check("kitchen", KT, "maybe-double", (single,), None if single is None else Some(single.value * 2 % 2**32))


@SETTINGS
@given(texts, st.integers(-(2**31), 2**31 - 1), st.integers(-(2**31), 2**31 - 1))
def test_results(key: str, a: int, b: int) -> None:
    if key == "":
        expected: Any = Err("not-found")
    elif key == "denied":
        expected = Err("denied")
    elif key == "missing":
        expected = Ok(None)
    else:
        expected = Ok(Some(key + "!"))
    _check("kitchen", KT, "lookup", (key,), expected)
    if b == 0:
        quotient: Any = Err("division by zero")
    elif a == -(2**31) and b == -1:
        quotient = Err("overflow")
    else:
        q = abs(a) // abs(b)  # C division truncates toward zero
        quotient = Ok(-q if (a < 0) != (b < 0) else q)
    _check("kitchen", KT, "divide", (a, b), quotient)


@SETTINGS
@given(st.binary(max_size=64), st.lists(st.integers(0, 2**16 - 1), max_size=16), st.lists(f64s, max_size=8),
       st.lists(st.integers(-(2**63), 2**63 - 1), max_size=8))
def test_numeric_lists(b: bytes, u16s: list[int], f64_list: list[float], s64s: list[int]) -> None:
    _check("kitchen", KT, "echo-bytes", (b,), b)
    _check("kitchen", KT, "echo-u16s", (u16s,), u16s)
    _check("kitchen", KT, "echo-f64s", (f64_list,), f64_list)
    _check("kitchen", KT, "sum-s64s", (s64s,), _wrap64(sum(s64s)))


@SETTINGS
@given(st.frozensets(st.sampled_from([f"c{i}" for i in range(32)])), texts, st.integers(0, 2**64 - 1))
def test_flags_and_tuples(flags: frozenset[str], s: str, n: int) -> None:
    _check("kitchen", KT, "invert-thirty-two", (flags,), frozenset(f"c{i}" for i in range(32)) - flags)
    _check("kitchen", KT, "swap", ((s, n),), (n, s))

