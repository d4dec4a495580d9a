"""Command-line runner for the official WebAssembly spec test suite (spec repository ``test/core``).

Usage::

    python spec-tests/run.py [--suite 2.0-core|2.0-simd|2.0|3.0] [PATHS...] [--json OUT]
                             [--engine pywasm_host|wasmtime] [--format wast|json]

``--format wast`` (the default, but for the 3.0 suite) reads the ``.wast`` scripts themselves with our text-format script parser
(``pywasm_host.interpreter.text.wast``); ``--format json`` reads wabt ``wast2json`` output
(its ``.wat`` text modules go through our text parser).  Either way every file's command count
is checked against ``MANIFEST.tsv``.

Prints one line per ``.wast`` file (``name: N passed, M failed, K skipped``), every skip with its
reason, the first failures of each file with line number, command kind and what differed, and ends
with the single line ``spec: N passed, M failed, K skipped`` (counts of script commands).  Exit
status 1 when anything failed, 2 on a usage or engine error, 0 otherwise — including when the suite
is absent (the message says where to get it and 0 commands run).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engines import ENGINES, EngineUnavailable, make_engine  # noqa: E402
from expected_failures import EXPECTED_FAILURES, EXPECTED_FAILURES_WAST  # noqa: E402
from runner import FAILED, SKIPPED, FileResult, run_script  # noqa: E402
from script import (  # noqa: E402
    FORMATS,
    SUITE_MISSING_MESSAGE,
    SUITES,
    ScriptError,
    find_suite,
    load_script,
    load_wast_script,
    read_manifest,
    resolve_paths,
    suite_files,
)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="spec-tests/run.py", description="Run the WebAssembly spec test suite.")
    parser.add_argument("paths", nargs="*", metavar="PATHS", help=".wast or .json files, or bare names like i32")
    parser.add_argument("--suite", choices=SUITES, default="2.0-core", help="which file list (default 2.0-core)")
    parser.add_argument("--engine", choices=sorted(ENGINES), default="pywasm_host", help="engine (default pywasm_host)")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="read the .wast files or their wast2json form (default wast; json for --suite 3.0, whose"
        " proposals our text parser does not read)",
    )
    parser.add_argument("--json", metavar="OUT", type=Path, help="write per-command results to this JSON file")
    parser.add_argument("--max-failures", type=int, default=5, metavar="N", help="failures listed per file (default 5)")
    parser.add_argument("--timeout", type=float, default=60.0, metavar="S", help="per-command time limit (0 = none)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only files with failures and the summary")
    return parser.parse_args(argv)


def _line_list(lines: list[int]) -> str:
    return ", ".join(str(n) for n in lines)


def _print_file(result: FileResult, max_failures: int, quiet: bool, count_note: str, form: str) -> None:
    if quiet and not result.failed and not count_note:
        return
    note = ""
    expected = EXPECTED_FAILURES_WAST if form == "wast" else EXPECTED_FAILURES
    if result.name in expected:
        note = f"  [expected failure: {expected[result.name]}]"
    print(f"{result.name}: {result.passed} passed, {result.failed} failed, {result.skipped} skipped{note}")
    if count_note:
        print(f"  COUNT MISMATCH: {count_note}")
    skips: dict[str, list[int]] = defaultdict(list)
    for outcome in result.outcomes:
        if outcome.status == SKIPPED:
            skips[outcome.message].append(outcome.line)
    if not quiet:
        for reason, lines in skips.items():
            print(f"  skipped {len(lines)} ({reason}): lines {_line_list(lines)}")
    failures = [o for o in result.outcomes if o.status == FAILED]
    for outcome in failures[:max_failures]:
        print(f"  FAIL line {outcome.line} {outcome.kind}: {outcome.message}")
    if len(failures) > max_failures:
        print(f"  ... and {len(failures) - max_failures} more failures (see --json)")


def main(argv: list[str] | None = None) -> int:
    """Run the selected spec files and print the report; returns the exit status."""
    args = _parse_args(argv)
    if args.format is None:
        args.format = "json" if args.suite == "3.0" else "wast"
    suite = find_suite()
    if suite is None:
        print(SUITE_MISSING_MESSAGE)
        print("spec: 0 passed, 0 failed, 0 skipped")
        return 0
    try:
        manifest = read_manifest(suite)
        if args.paths:
            json_paths = resolve_paths(suite, manifest, args.paths, args.suite)
        else:
            json_paths = [suite / manifest[p].json for p in suite_files(suite, args.suite)]
        adapter = make_engine(args.engine, "3.0" if args.suite == "3.0" else "2.0")
    except (ScriptError, EngineUnavailable, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    by_json = {(suite / row.json).resolve(): row for row in manifest.values()}
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    mismatches = 0
    report: list[dict[str, object]] = []
    started = time.perf_counter()
    for json_path in json_paths:
        row = by_json.get(json_path.resolve())
        try:
            if args.format == "wast":
                if row is None:
                    raise ScriptError(f"{json_path}: not in MANIFEST.tsv, so its .wast is unknown")
                script = load_wast_script(suite / row.path, row.path)
            else:
                script = load_script(json_path)
        except ScriptError as exc:
            print(f"{json_path.stem}: cannot read script: {exc}")
            totals["failed"] += 1
            continue
        result = run_script(adapter, script, timeout=args.timeout or None)
        count_note = ""
        if row is not None and (len(script.commands), script.wat_file_count) != (row.commands, row.wat_modules):
            count_note = (
                f"{len(script.commands)} commands / {script.wat_file_count} quoted (.wat) modules read, "
                f"MANIFEST.tsv says {row.commands} / {row.wat_modules}"
            )
            mismatches += 1
        _print_file(result, args.max_failures, args.quiet, count_note, args.format)
        totals["passed"] += result.passed
        totals["failed"] += result.failed
        totals["skipped"] += result.skipped
        report.append(
            {
                "file": script.source,
                "passed": result.passed,
                "failed": result.failed,
                "skipped": result.skipped,
                "commands": [
                    {"line": o.line, "kind": o.kind, "status": o.status, "message": o.message} for o in result.outcomes
                ],
            }
        )
    elapsed = time.perf_counter() - started
    if args.json is not None:
        args.json.write_text(
            json.dumps(
                {
                    "engine": adapter.name,
                    "suite": args.suite,
                    "format": args.format,
                    "seconds": round(elapsed, 3),
                    "files": report,
                    "totals": totals,
                },
                indent=1,
            ),
            encoding="utf-8",
        )
    print(f"({len(report)} files, {args.format} format, engine {adapter.name}, {elapsed:.1f} s)")
    print(f"spec: {totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped")
    return 1 if totals["failed"] or mismatches else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        sys.exit(1)
