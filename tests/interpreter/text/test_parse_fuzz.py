"""Robustness of the text parser (spec 6): seeded mutations of valid .wat/.wast inputs
(token deletions, duplications, swaps, byte flips, truncations, deep nesting) never
escape as anything but :class:`MalformedError` (:class:`TextFormatError` for text)."""

from __future__ import annotations

import random
import re
import time

import pytest
from pywasm_host.interpreter.errors import MalformedError
from pywasm_host.interpreter.text.errors import TextFormatError
from pywasm_host.interpreter.text.parser import parse_module
from pywasm_host.interpreter.text.wast import parse_script

SEEDS = r"""
(module $m
  (type $t (func (param i32 i64) (result f32)))
  (import "env" "f" (func $imp (type $t)))
  (import "env" "g" (global $g (mut i32)))
  (memory $mem (export "mem") 1 2)
  (table $tab 2 funcref)
  (global $h f64 (f64.const -0x1.8p3))
  (func $f (export "f") (param $a i32) (param $b i64) (result f32) (local $x v128)
    (block $out (result i32)
      (loop $top
        (br_if $out (i32.eqz (local.get $a)))
        (local.set $a (i32.sub (local.get $a) (i32.const 1)))
        br $top)
      unreachable)
    if (result f32) f32.const nan:0x200 else f32.const -inf end
    (drop (i32.load8_u offset=4 align=1 (i32.const 0)))
    (local.set $x (v128.const i32x4 1 -2 0x3 4))
    (drop (i8x16.extract_lane_u 3 (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (local.get $x) (local.get $x))))
    (call_indirect $tab (type $t) (i32.const 1) (i64.const 2) (i32.const 0)) drop
    (select (result f32) (f32.const 1) (f32.const 2) (i32.const 1)))
  (elem (table $tab) (offset (i32.const 0)) func $f $imp)
  (elem $e declare funcref (ref.func $f))
  (data (memory $mem) (i32.const 8) "a\00\u{263a}" "\ff")
  (data $d "passive")
  (func (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop $d) (table.init $tab $e (i32.const 0) (i32.const 0) (i32.const 0)))
  (start $imp2)
  (func $imp2)
)
"""

SCRIPT = r"""
(module $M (func (export "id") (param i64) (result i64) local.get 0))
(register "m" $M)
(assert_return (invoke $M "id" (i64.const -1)) (i64.const 0xffff_ffff_ffff_ffff))
(assert_return (invoke "id" (i64.const 1)) (either (i64.const 1) (i64.const 2)))
(assert_trap (invoke "id" (i64.const 0)) "unreachable")
(assert_malformed (module quote "(func (i32.const 0x))") "unknown operator")
(assert_invalid (module (func (result i32))) "type mismatch")
(module binary "\00asm" "\01\00\00\00")
(assert_return (invoke "f" (v128.const f32x4 1 2 3 nan)) (v128.const f32x4 nan:canonical nan:arithmetic 0 -0))
(assert_return (invoke "g" (ref.null extern) (ref.extern 1)) (ref.extern) (ref.func) (ref.null func))
"""

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[()]|[^\s()"]+|\s+')
_ATOMS = ["(", ")", "$x", '"', '"\\', "0x", "1_", "nan:0x0", "-0", "(;", ";)", ";;", "(@a", "\x80", "\udcff",
          "offset=", "align=3", "i32.const", "block", "end", "then", "(then", "else", "(type 0)", "(param $p i32)",
          "(result i32 i64)", "v128.const", "i8x16", "\\u{110000}", "\\u{d800}", "\\ff", "1e99999999999", "0x1p-99999999"]  # fmt: skip


def _mutate(rng: random.Random, text: str) -> str:
    toks = _TOKEN.findall(text)
    for _ in range(rng.randint(1, 4)):
        if not toks:
            break
        k = rng.randrange(len(toks))
        op = rng.randrange(6)
        if op == 0:
            del toks[k]
        elif op == 1:
            toks.insert(k, toks[rng.randrange(len(toks))])
        elif op == 2:
            j = rng.randrange(len(toks))
            toks[k], toks[j] = toks[j], toks[k]
        elif op == 3:
            toks.insert(k, rng.choice(_ATOMS))
        elif op == 4:
            t = toks[k]
            if t:
                p = rng.randrange(len(t))
                toks[k] = (
                    t[:p] + chr(rng.choice([0x00, 0x22, 0x28, 0x29, 0x3B, 0x5C, 0x24, 0x30, 0x7F, 0xE9])) + t[p + 1 :]
                )
        else:
            toks = toks[: rng.randrange(len(toks) + 1)]
    return "".join(toks)


def test_seeds_parse() -> None:
    m = parse_module(SEEDS)
    assert len(m.funcs) == 3 and m.start == 3
    assert len(parse_script(SCRIPT)) == 10


@pytest.mark.parametrize("seed", range(4))
def test_parse_fuzz_mutants(seed: int) -> None:
    rng = random.Random(seed)
    accepted = rejected = 0
    for _ in range(750):
        for source, parse in ((SEEDS, parse_module), (SCRIPT, parse_script)):
            mutant = _mutate(rng, source)
            try:
                parse(mutant)  # type: ignore[operator]
                accepted += 1
            except TextFormatError as exc:
                rejected += 1
                assert exc.line >= 0 and exc.column >= 0
                assert str(exc)
            except MalformedError:
                rejected += 1  # a (module binary ...) that does not decode
    assert rejected > 100 and accepted > 10


def test_parse_fuzz_bytes() -> None:
    rng = random.Random(7)
    data = SEEDS.encode()
    for _ in range(300):
        b = bytearray(data)
        for _ in range(rng.randint(1, 3)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        try:
            parse_module(bytes(b))
        except MalformedError:
            pass


@pytest.mark.parametrize("depth", [10, 5000])
def test_deep_nesting_no_recursion_error(depth: int) -> None:
    folded = "(module (func " + "(block " * depth + ")" * depth + "))"
    flat = "(module (func " + "block " * depth + "end " * depth + "))"
    mixed = "(module (func (result i32) " + "(i32.add (i32.const 1) " * depth + "(i32.const 0)" + ")" * depth + "))"
    for text in (folded, flat, mixed):
        m = parse_module(text)
        assert len(m.funcs[0].body) >= 2 * depth
    with pytest.raises(TextFormatError):
        parse_module("(module (func " + "(block " * depth + ")" * (depth - 1) + "))")


@pytest.mark.parametrize(
    "text",
    [
        "(module" + " " * 100_000 + "\x7f",
        "(module" + " \n;; c\n" * 20_000 + "{",
        '(module (data "' + "a" * 100_000,
        "(module (func (i32.const " + "1" * 100_000 + ")))",
        "(module " + "(; " * 10_000 + ";)" * 9_999,
        "(module (func" + " $x" * 50_000 + "))",
    ],
    ids=["spaces", "comments", "unclosed-string", "long-number", "unclosed-comments", "many-ids"],
)
def test_pathological_inputs_fail_fast(text: str) -> None:
    start = time.perf_counter()
    with pytest.raises(TextFormatError):
        parse_module(text)
    assert time.perf_counter() - start < 5.0  # linear time: a backtracking regex would take hours
