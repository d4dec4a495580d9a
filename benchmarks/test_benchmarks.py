"""Benchmarks of our interpreter on the workloads of ``benchmarks/workloads``.

Each workload (recursive calls, tight i32/i64 loops, memory-heavy loops, f64
and f32 float loops, a call-heavy loop) runs through the public embedding API
(WebAssembly Core Specification 2.0, section 7 "Embedding": instantiate, then
invoke an export), and its checksum must equal the result of the same C code
compiled natively with gcc (``workloads/expected.json``).

With benchmarks disabled (the default: pyproject passes ``--benchmark-disable``)
each workload runs once at its small ``test`` size, so the file costs a few
seconds. With ``--benchmark-enable`` (or ``--benchmark-only``) it runs the
larger ``bench`` size, sized for roughly 0.2-1 s per call. No timing is asserted.

    python -m pytest benchmarks/test_benchmarks.py --benchmark-enable
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("bench_common", Path(__file__).with_name("bench_common.py"))
assert _spec is not None and _spec.loader is not None
bench_common = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("bench_common", bench_common)
_spec.loader.exec_module(bench_common)

WORKLOADS = bench_common.load_workloads()
OURS = bench_common.ENGINES["ours"]


@pytest.fixture(scope="module")
def ours_available() -> None:
    reason = OURS.available()
    if reason is not None:
        pytest.skip(reason)


@pytest.mark.parametrize("name", list(WORKLOADS))
def test_workload(name: str, benchmark, ours_available) -> None:
    workload = WORKLOADS[name]
    # benchmark.disabled folds --benchmark-disable (pyproject's default),
    # --benchmark-enable and --benchmark-only together.
    enabled = not benchmark.disabled
    size = workload.sizes["bench" if enabled else "test"]
    prepared = OURS.prepare(workload.wasm_bytes())

    def setup():
        # A fresh instance per round, outside the timed part.
        return (OURS.instantiate(prepared, workload.name), size), {}

    result = benchmark.pedantic(lambda run, n: run(n), setup=setup, rounds=5 if enabled else 1, warmup_rounds=0)
    assert bench_common.result_matches(workload, size, result), (
        f"{name}({size}) returned {result!r}, native build gives {workload.expected[size]!r}"
    )


def test_expected_results_cover_every_size() -> None:
    # The committed expected.json must match the sizes in workloads.json
    # (load_workloads raises KeyError otherwise) and every module must exist.
    for workload in WORKLOADS.values():
        assert workload.path.is_file(), workload.path
        assert set(workload.sizes.values()) <= set(workload.expected)


@pytest.mark.parametrize("name", list(WORKLOADS))
def test_reference_engine_agrees(name: str) -> None:
    # The committed .wasm and expected.json come from two compilers (clang to
    # wasm32, gcc to native); wasmtime running the .wasm ties them together.
    if importlib.util.find_spec("wasmtime") is None:
        pytest.skip("wasmtime is not installed (the 'compare' extra)")
    workload = WORKLOADS[name]
    wasmtime = bench_common.ENGINES["wasmtime"]
    run = wasmtime.instantiate(wasmtime.prepare(workload.wasm_bytes()), workload.name)
    for size in sorted(set(workload.sizes.values())):
        assert bench_common.result_matches(workload, size, run(size)), f"{name}({size})"
