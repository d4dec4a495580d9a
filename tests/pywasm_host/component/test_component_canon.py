"""Canonical ABI lift/lower paths through a hand-written guest (tests/fixtures/canon/canon).

The guest's static data is laid out by hand from CanonicalABI.md's alignment
and elem_size rules (see canon.wat); the expected values below are the ones
written there.  Every test runs over our interpreter and over wasmtime-py's
core engine (the same ABI code, two ``CoreInstance`` implementations).
"""

from __future__ import annotations

import math
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pywasm_host import Trap
from pywasm_host.component import Err, Ok, Some, load_core

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "canon" / "canon" / "canon.wasm"

try:
    import wasmtime  # noqa: F401

    ENGINES = [None, "wasmtime"]
except ImportError:  # pragma: no cover
    ENGINES = [None]


class Host:
    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def greet(self, name: str) -> str:
        self.calls.append(("greet", name))
        return f"hello, {name}!"

    def add(self, p: object, n: int) -> int:
        self.calls.append(("add", (p, n)))
        return p.a + p.b + n  # type: ignore[attr-defined]


@pytest.fixture(params=ENGINES, ids=lambda e: e or "ours")
def engine(request: pytest.FixtureRequest) -> str | None:
    return request.param  # type: ignore[no-any-return]


def load(engine: str | None, **kw: object):  # type: ignore[no-untyped-def]
    host = Host()
    m = load_core(FIXTURE, {"test:canon/host": host}, engine=engine, **kw)  # type: ignore[arg-type]
    m.host = host
    return m


def test_records_variants_and_lists_from_memory(engine: str | None) -> None:
    m = load(engine)
    api, T = m.exports.api, m.types
    assert api.get_pair() == T.Pair(a=200, b=0x0123456789ABCDEF)
    shapes = api.get_shapes()
    assert [(s.tag, s.value) for s in shapes] == [("empty", None), ("circle", 1.5), ("rect", T.Pair(7, 9))]
    assert all(isinstance(s, T.Shape) for s in shapes)
    match shapes[2]:
        case T.Shape(tag="rect", value=p):
            assert p.a == 7
        case _:
            pytest.fail("variant does not match by tag")
    assert api.get_mixed() == T.Mixed(c="\U0001F600", s=-2, o="hi", t=(True, -0.25))


def test_nested_option_and_result_and_post_return(engine: str | None) -> None:
    m = load(engine)
    api = m.exports.api
    assert api.get_opt(0) is None
    assert api.get_opt(1) == Some(None)
    assert api.get_opt(2) == Some(7)
    before = api.post_count()
    assert api.get_result(True) == Ok("hello")
    assert api.get_result(False) == Err(42)
    assert api.post_count() == before + 2  # cabi_post_ ran after each lift


def test_string_encodings(engine: str | None) -> None:
    assert load(engine, string_encoding="utf16").exports.api.get_text_utf16() == "h\u00e9llo \U0001F600"
    m = load(engine, string_encoding="latin1+utf16")
    assert m.exports.api.get_text_latin1() == "caf\u00e9"
    assert m.exports.api.get_text_tagged() == "h\u00e9llo \U0001F600"
    for enc in ("utf8", "utf16", "latin1+utf16"):
        api = load(engine, string_encoding=enc).exports.api
        for s in ("", "ascii", "caf\u00e9", "\u4e2d\u6587", "\U0001F600 non-BMP"):
            assert api.echo_string(s) == s


def test_spilled_params_and_lists(engine: str | None) -> None:
    api = load(engine).exports.api
    assert api.sum17(*range(1, 18)) == 153
    assert api.sum_list([1, 2, 3, 0xFFFF_FFFF]) == 6 + 0xFFFF_FFFF
    assert api.sum_list([]) == 0
    data = bytes(range(256)) * 3
    assert api.echo_bytes(data) == data
    assert api.echo_bytes(bytearray(b"xy")) == b"xy"
    assert api.echo_bytes(memoryview(b"xyz")) == b"xyz"


def test_flat_variant_join(engine: str | None) -> None:
    m = load(engine)
    api, T = m.exports.api, m.types
    for v in (T.Shape("empty"), T.Shape("circle", -2.5), T.Shape("rect", T.Pair(255, 2**64 - 1))):
        assert api.echo_shape(v) == v


def test_scalars_flags_enums(engine: str | None) -> None:
    m = load(engine)
    api, T = m.exports.api, m.types
    assert api.echo_flags(T.Perms.READ | T.Perms.EXEC) == T.Perms.READ | T.Perms.EXEC
    assert api.echo_flags({"write"}) == T.Perms.WRITE
    assert api.echo_wide(T.Wide.B31 | T.Wide.B0) == T.Wide.B31 | T.Wide.B0
    assert api.echo_color(T.Color.BLUE) is T.Color.BLUE
    assert api.echo_color("green") is T.Color.GREEN
    assert api.echo_s8(-5) == -5 and api.echo_s8(127) == 127 and api.echo_s8(-128) == -128
    assert api.echo_u64(2**64 - 1) == 2**64 - 1
    assert api.echo_f32(1.5) == 1.5
    assert api.echo_f32(0.1) == struct.unpack("<f", struct.pack("<f", 0.1))[0]
    assert math.isnan(api.echo_f64(float("nan")))
    assert api.echo_f64(-0.0) == 0 and math.copysign(1, api.echo_f64(-0.0)) == -1
    assert api.echo_char("\U0010FFFF") == "\U0010FFFF"
    assert api.echo_bool(True) is True and api.echo_bool(False) is False


def test_imports_lift_and_lower(engine: str | None) -> None:
    m = load(engine)
    assert m.exports.call_greet() == "hello, wasm!"
    assert m.exports.call_add() == 12
    assert m.host.calls[0] == ("greet", "wasm")
    assert m.host.calls[1][1] == (m.types.Pair(3, 4), 5)
    assert m.call("call-greet") == "hello, wasm!"
    assert m.call("test:canon/api#echo-s8", -1) == -1


@pytest.mark.parametrize(("func", "match"), [
    ("bad_string", "out of bounds"), ("bad_utf8", "invalid utf8"), ("bad_char", "invalid char"),
    ("bad_disc", "discriminant 3"),
    ("get_text_latin1", "invalid utf8"),  # Latin-1 bytes are not UTF-8
])
def test_guest_errors_trap_and_poison_the_instance(engine: str | None, func: str, match: str) -> None:
    api = load(engine).exports.api
    with pytest.raises(Trap, match=match):
        getattr(api, func)()
    # as in the spec and wasmtime, a trapped instance cannot be entered again
    for again in (api.get_pair, api.post_count):
        with pytest.raises(Trap, match="cannot enter component instance"):
            again()


def test_bad_realloc_traps(engine: str | None) -> None:
    from pywasm_host.abi.canonical.canon import canon_lift
    from pywasm_host.abi.canonical.options import CanonicalOptions, LiftLowerContext

    m = load(engine)
    ft = m._export_funcs["test:canon/api#echo-string"][0]
    for name, match in (("bad_realloc_misaligned", "misaligned"), ("bad_realloc_oob", "out of bounds")):
        cx = LiftLowerContext(CanonicalOptions("utf16", name), m.core, m.state, m.classes)
        with pytest.raises(Trap, match=match):
            canon_lift(cx, "test:canon/api#echo-string", ft, ["abcd"])


def test_host_argument_errors_name_the_parameter(engine: str | None) -> None:
    m = load(engine)
    api, T = m.exports.api, m.types
    with pytest.raises(OverflowError, match=r"parameter `x` \(s8\)"):
        api.echo_s8(128)
    with pytest.raises(TypeError, match=r"parameter `x` \(u64\)"):
        api.echo_u64("1")
    with pytest.raises(OverflowError, match="parameter `xs`"):
        api.sum_list([1, -1])
    with pytest.raises(TypeError, match="parameter `xs`"):
        api.sum_list([1, "2"])
    with pytest.raises(TypeError, match=r"parameter `s` \(shape\)"):
        api.echo_shape(3)
    with pytest.raises(ValueError, match=r"parameter `s` \(shape\).*unknown case"):
        api.echo_shape(T.Shape("square"))
    with pytest.raises(ValueError, match="surrogate"):
        api.echo_char("\ud800")
    with pytest.raises(TypeError, match="takes 1 arguments"):
        api.echo_bool()
    with pytest.raises(OverflowError, match="a17"):
        api.sum17(*range(16), 2**32)
    with pytest.raises(KeyError):
        m.call("nope")


def test_core_signatures_must_match_the_wit() -> None:
    from pywasm_host import LinkError

    mismatch = FIXTURE.parent.parent / "mismatch" / "mismatch.wasm"
    with pytest.raises(LinkError, match=r"import test:mismatch/host::log has type \(i32\) -> \(\), but its WIT"):
        load_core(mismatch, {"test:mismatch/host": {"log": print}})


_ECHO = {enc: load(None, string_encoding=enc) for enc in ("utf8", "utf16", "latin1+utf16")}


@settings(max_examples=100, deadline=None)
@given(s=st.text(alphabet=st.characters(blacklist_categories=("Cs",))), data=st.binary(),
       xs=st.lists(st.integers(0, 2**32 - 1), max_size=50), enc=st.sampled_from(sorted(_ECHO)))
def test_echo_round_trips(s: str, data: bytes, xs: list[int], enc: str) -> None:
    api = _ECHO[enc].exports.api
    assert api.echo_string(s) == s
    assert api.echo_bytes(data) == data
    assert api.sum_list(xs) == sum(xs)


def test_inline_interfaces_and_world_functions() -> None:
    logged: list[str] = []
    inline = FIXTURE.parent.parent / "inline" / "inline.wasm"
    for engine in ENGINES:
        m = load_core(inline, {"host": {"ping": lambda x: x + 1}, "log": logged.append}, engine=engine)
        assert m.exports.calc.twice_ping(20) == 42
        assert m.exports.hello() is None
    assert logged == ["hello"] * len(ENGINES)
