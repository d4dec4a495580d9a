"""Side-by-side comparison of WebAssembly engines on the benchmark workloads.

Runs every workload of ``benchmarks/workloads`` (WebAssembly Core
Specification 2.0 modules built from C) on our engine, pywasm 2.2.3, pwasm
0.2a0 (its interpreter, ``mode="interpret"``, and separately its Python code
generator, ``mode="compile"``) and wasmtime-py as a native reference, in one
process. Repetitions alternate between engines (the starting engine rotates
each repetition) so that drifts in machine load hit all engines alike. Each
timed call runs on a fresh instance; decoding and instantiation are not timed
(lazy per-function translation on first call is). Every result is checked
against the native (gcc) build of the same C source: a wrong result or an
error is flagged in the table and left out of the ratios, and makes the exit
status 1.

The table shows the median milliseconds per call, the throughput in millions of
executed wasm instructions per second (the count is wasmtime's fuel: one unit
per operator except nop, drop, block, loop, end, else, return and unreachable;
without wasmtime, the instructions pywasm dispatches),
and the speed-up of our engine over each pure-Python engine (their median time
divided by ours; > 1 means we are faster), with geometric means over the
workloads that need no feature beyond the 1.0 instruction set.

The ``*_simd`` workloads are SIMD twins: the C source of another workload
built with ``-msimd128``. Engines without SIMD (pwasm) show ``n/a``
for them (not flagged); a second table gives, per engine, the scalar build's
time divided by the SIMD build's (> 1: SIMD is faster on that engine).

    python benchmarks/compare.py [--reps N] [--only WORKLOAD[,...]]
                                 [--engines ours,pywasm,pwasm,...] [--size compare|bench|test]
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_common  # noqa: E402

DEFAULT_ENGINES = ("ours", "pywasm", "pwasm", "pwasm-compile", "wasmtime")
# Engines our interpreter is compared against (speed-up columns).
RATIO_ENGINES = ("pywasm", "pwasm", "pwasm-compile")


@dataclass(slots=True)
class Cell:
    """What one engine did on one workload."""

    times: list[float] = field(default_factory=list)
    problem: str | None = None  # "WRONG ..." or "ERROR ..."
    unsupported: str | None = None  # the engine lacks a feature the workload needs

    @property
    def median(self) -> float | None:
        if self.problem is not None or self.unsupported is not None or not self.times:
            return None
        return statistics.median(self.times)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    workloads = bench_common.load_workloads()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=3, help="timed repetitions per engine and workload (default 3)")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="WORKLOAD",
        help=f"run only these workloads (repeatable or comma-separated): {', '.join(workloads)}",
    )
    parser.add_argument(
        "--engines",
        default=",".join(DEFAULT_ENGINES),
        help=f"comma-separated engines (default {','.join(DEFAULT_ENGINES)}); known: {', '.join(bench_common.ENGINES)}",
    )
    parser.add_argument(
        "--size",
        default="compare",
        choices=("test", "compare", "bench"),
        help="which size of workloads.json to run (default compare)",
    )
    parser.add_argument("--json", metavar="OUT", help="also write the raw timings as JSON to OUT")
    args = parser.parse_args(argv)
    if args.reps < 1:
        parser.error("--reps must be at least 1")
    only = [name for item in args.only for name in item.split(",") if name]
    unknown = [name for name in only if name not in workloads]
    if unknown:
        parser.error(f"unknown workload(s) {', '.join(unknown)}; known: {', '.join(workloads)}")
    args.workloads = [workloads[name] for name in (only or workloads)]
    args.engine_names = [name for name in args.engines.split(",") if name]
    unknown = [name for name in args.engine_names if name not in bench_common.ENGINES]
    if unknown:
        parser.error(f"unknown engine(s) {', '.join(unknown)}; known: {', '.join(bench_common.ENGINES)}")
    return args


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_workload(
    workload: bench_common.Workload, size: int, engines: list[bench_common.Engine], reps: int
) -> dict[str, Cell]:
    """Time ``workload(size)`` on every engine, alternating engines per repetition."""
    cells = {engine.name: Cell() for engine in engines}
    prepared = {}
    wasm = workload.wasm_bytes()
    for engine in engines:
        cells[engine.name].unsupported = engine.unsupported(workload)
        if cells[engine.name].unsupported is not None:
            continue
        try:
            prepared[engine.name] = engine.prepare(wasm)
        except Exception as e:  # noqa: BLE001 - any failure of a foreign engine is reported, not raised
            cells[engine.name].problem = f"ERROR {type(e).__name__}: {e}"[:200]
    for rep in range(reps):
        shift = rep % len(engines)
        for engine in engines[shift:] + engines[:shift]:
            cell = cells[engine.name]
            if cell.problem is not None or cell.unsupported is not None:
                continue
            try:
                run = engine.instantiate(prepared[engine.name], workload.name)
                gc.collect()
                start = time.perf_counter()
                result = run(size)
                elapsed = time.perf_counter() - start
            except Exception as e:  # noqa: BLE001
                cell.problem = f"ERROR {type(e).__name__}: {e}"[:200]
                log(f"  {workload.name:<14} {engine.name:<14} {cell.problem}")
                continue
            if not bench_common.result_matches(workload, size, result):
                cell.problem = f"WRONG result {result!r} (native: {workload.expected[size]!r})"
                log(f"  {workload.name:<14} {engine.name:<14} {cell.problem}")
                continue
            cell.times.append(elapsed)
            log(f"  {workload.name:<14} {engine.name:<14} rep {rep + 1}/{reps}: {elapsed:.3f} s")
    return cells


def geomean(values: list[float]) -> float | None:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def render(
    workloads: list[bench_common.Workload],
    sizes: dict[str, int],
    counts: dict[str, int | None],
    results: dict[str, dict[str, Cell]],
    engines: list[bench_common.Engine],
) -> str:
    names = [engine.name for engine in engines]
    ratio_names = [name for name in RATIO_ENGINES if name in names and "ours" in names]
    header = ["workload", "size", "M instr"]
    for engine in engines:
        header += [f"{engine.label} ms", "M/s"]
    header += [f"ours vs {name}" for name in ratio_names]
    rows = [header]
    ratios: dict[str, list[float]] = {name: [] for name in ratio_names}
    rates: dict[str, list[float]] = {name: [] for name in names}
    core = [workload for workload in workloads if not workload.features]
    for workload in workloads:
        count = counts[workload.name]
        row = [workload.name, str(sizes[workload.name]), "-" if count is None else f"{count / 1e6:.2f}"]
        cells = results[workload.name]
        for name in names:
            cell = cells[name]
            median = cell.median
            if median is None:
                row += ["n/a" if cell.unsupported else (cell.problem or "-").split()[0], ""]
            else:
                row.append(f"{median * 1e3:.2f}")
                if count is None:
                    row.append("-")
                else:
                    if not workload.features:
                        rates[name].append(count / median / 1e6)
                    row.append(f"{count / median / 1e6:.2f}")
        ours = cells["ours"].median if "ours" in cells else None
        for name in ratio_names:
            other = cells[name].median
            if ours is None or other is None:
                row.append("n/a" if cells[name].unsupported else "-")
            else:
                if not workload.features:
                    ratios[name].append(other / ours)
                row.append(f"{other / ours:.2f}x")
        rows.append(row)
    footer = ["geomean", "", ""]
    for name in names:
        rate = geomean(rates[name]) if core and len(rates[name]) == len(core) else None
        footer += ["", "-" if rate is None else f"{rate:.2f}"]
    for name in ratio_names:
        g = geomean(ratios[name]) if core and len(ratios[name]) == len(core) else None
        footer.append("-" if g is None else f"{g:.2f}x")
    rows.append(footer)
    return _table(rows, footer=True)


def _table(rows: list[list[str]], footer: bool) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        cells_text = [text.ljust(widths[i]) if i == 0 else text.rjust(widths[i]) for i, text in enumerate(row)]
        lines.append("  ".join(cells_text).rstrip())
        if index == 0 or (footer and index == len(rows) - 2):
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render_twins(
    workloads: list[bench_common.Workload], results: dict[str, dict[str, Cell]], engines: list[bench_common.Engine]
) -> str | None:
    """Per engine, each SIMD twin's speed-up over its scalar build (None if no pair ran)."""
    pairs = [w for w in workloads if w.scalar_twin is not None and w.scalar_twin in results]
    if not pairs:
        return None
    rows = [["SIMD twin", "scalar build", *(f"{engine.label}" for engine in engines)]]
    for workload in pairs:
        twin = workload.scalar_twin or ""
        row = [workload.name, twin]
        for engine in engines:
            simd = results[workload.name][engine.name]
            scalar = results[twin][engine.name].median
            if simd.unsupported is not None:
                row.append("n/a")
            elif simd.median is None or scalar is None:
                row.append("-")
            else:
                row.append(f"{scalar / simd.median:.2f}x")
        rows.append(row)
    return _table(rows, footer=False)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    engines = []
    for name in args.engine_names:
        engine = bench_common.ENGINES[name]
        reason = engine.available()
        if reason is None:
            engines.append(engine)
        else:
            print(f"note: skipping engine {name}: {reason}")
    if not engines:
        print("no engine available")
        return 1
    sizes = {workload.name: workload.sizes[args.size] for workload in args.workloads}
    counts = {}
    results = {}
    for workload in args.workloads:
        size = sizes[workload.name]
        counts[workload.name] = bench_common.count_instructions(workload, size)
        log(f"{workload.name}({size}): {workload.doc}")
        results[workload.name] = run_workload(workload, size, engines, args.reps)
    print(f"median of {args.reps} rep(s), milliseconds per call; M/s = million wasm instructions per second")
    print(render(args.workloads, sizes, counts, results, engines))
    method = bench_common.count_method()
    if method is None:
        print("note: instruction counts need wasmtime (or pywasm); M/s not shown")
    else:
        print(f"M instr: executed wasm instructions, counted as {method}")
    if any("ours" == engine.name for engine in engines):
        print("ours vs X: X's median time / ours (> 1: ours is faster)")
    if any(workload.features for workload in args.workloads):
        print("geomeans: over the workloads without SIMD; n/a: the engine has no SIMD")
    twins = render_twins(args.workloads, results, engines)
    if twins is not None:
        print()
        print("SIMD speed-up: the scalar build's median time / the SIMD build's (> 1: SIMD is faster)")
        print(twins)
    problems = [
        f"{workload}: {engine}: {cell.problem}"
        for workload, cells in results.items()
        for engine, cell in cells.items()
        if cell.problem is not None
    ]
    for problem in problems:
        print(f"FLAGGED {problem}")
    if args.json:
        payload = {
            "size": args.size,
            "reps": args.reps,
            "workloads": {
                workload: {
                    "size": sizes[workload],
                    "instructions": counts[workload],
                    "engines": {
                        engine: {"times": cell.times, "problem": cell.problem, "unsupported": cell.unsupported}
                        for engine, cell in cells.items()
                    },
                }
                for workload, cells in results.items()
            },
        }
        Path(args.json).write_text(json.dumps(payload, indent=2) + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
