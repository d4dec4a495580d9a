"""The register translator's hazards (see ``interpreter/exec/compile.py``):
values read from a local that are still on the operand stack when the local
is overwritten, across blocks, branches, loops, calls and multi-value
returns. Fixture: tests/fixtures/translator_hazards.wat; every expected value
is worked out by hand from the wasm semantics (comments give the arithmetic),
and cross-checked against wasmtime when it is installed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import pywasm_host as ours

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "translator_hazards.wasm"

CASES: list[tuple[str, tuple[int, ...], Any]] = [
    ("stale_set", (12,), 7),            # old x (12) - new x (5)
    ("stale_set", (0,), -5),
    ("stale_tee", (3,), 303),           # 3*100 + 3 (the stale copy, not the teed 4)
    ("stale_across_block", (5, 1), 10),     # branch taken: x unchanged, 5 + 5
    ("stale_across_block", (5, 0), 1005),   # x set to 1000 in the block: old 5 + 1000
    ("retarget", (3, 4), 21),           # old a (3) * new a (3 + 4)
    ("swap", (1, 2), [2, 1]),
    ("swap_return", (1, 2), [2, 1]),
    ("loop_params", (10,), 55),         # 1 + 2 + ... + 10
    ("loop_params", (1,), 1),
    ("loop_params", (0,), 1),           # the body runs once: i = 1, acc = 1
    ("table_value", (0,), 10),          # k + 10 straight out of $b0
    ("table_value", (1,), 1011),        # out of $b1: 11 + 1000
    ("table_value", (2,), 1112),        # out of $b2: 12 + 100 + 1000
    ("table_value", (5,), 1115),        # default is $b2: 15 + 100 + 1000
    ("if_arms", (5, 1), 12),            # old 5 + 7
    ("if_arms", (5, 0), 10),            # 5 + 5
    ("select_stale", (5, 1), 5),        # the stale (old) x
    ("select_stale", (5, 0), 15),       # the new x = 3 * 5
    ("self_set", (9,), 9),
    ("call_args", (10,), 19),           # old 10 + (10 - 1)
    ("dead_code", (41,), 42),
]


@pytest.fixture(scope="module")
def exports() -> tuple[ours.Store, Any]:
    store = ours.Store(ours.Engine())
    instance = ours.Instance(store, ours.Module.from_file(store.engine, FIXTURE), [])
    return store, instance.exports(store)


@pytest.mark.parametrize(("name", "args", "expected"), CASES)
def test_hand_computed(exports: tuple[ours.Store, Any], name: str, args: tuple[int, ...], expected: Any) -> None:
    store, ex = exports
    assert ex[name](store, *args) == expected


def test_wasmtime_agrees() -> None:
    wasmtime = pytest.importorskip("wasmtime")
    store = wasmtime.Store()
    instance = wasmtime.Instance(store, wasmtime.Module.from_file(store.engine, str(FIXTURE)), [])
    ex = instance.exports(store)
    for name, args, expected in CASES:
        assert ex[name](store, *args) == expected, name
