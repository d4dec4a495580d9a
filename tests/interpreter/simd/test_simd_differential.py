"""Differential execution of SIMD code against wasmtime (an independent
engine) on random modules from ``wasm-tools smith`` with SIMD enabled: every
exported function without ``v128`` parameters or results (wasmtime-py cannot
pass ``v128`` values) is called with the same arguments on both engines, and
the results, traps, numeric exported globals and memory contents must agree,
so ``v128`` values are compared through what they leave in memory, globals
and scalar results.

NaNs are canonicalised by smith (so float results compare bit for bit) and
``--ensure-termination`` bounds loops. The harness is
``tests/interpreter/smith_differential.py``. Needs wasm-tools and wasmtime
(the `compare` extra); skipped without them.
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

import pytest

pytest.importorskip("wasmtime")
pytestmark = pytest.mark.skipif(
    shutil.which("wasm-tools") is None, reason="wasm-tools is not installed (the `compare` extra)"
)
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from smith_differential import assert_agrees_with_wasmtime, smith  # noqa: E402

SEEDS = range(60)


@pytest.mark.parametrize("seed", SEEDS)
def test_random_simd_module_agrees_with_wasmtime(seed: int) -> None:
    wasm = smith(1000 + seed, simd=True, max_instructions=600, max_funcs=10, disallow_traps=seed % 2 == 1)
    assert_agrees_with_wasmtime(wasm, random.Random(seed), simd=True, skip_if_rejected=False)
