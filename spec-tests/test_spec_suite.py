"""The official WebAssembly 2.0 spec suite under pytest, one item per ``.wast`` file and script form.

Each non-SIMD file runs twice: from the ``.wast`` itself, read by our text-format script parser
(``wast``), and from its wabt ``wast2json`` form (``json``, whose text modules also go through our
parser); the SIMD files run in both forms in ``test_spec_simd_suite.py``.  Nothing may be skipped.  The non-SIMD file list is explicit (the 90
files of ``suite-2.0.txt``; a test checks it still matches the list file); ``expected_failures.py``
holds the known failures per form, each with a reason, marked ``xfail(strict=True)``.  The engine
is ``pywasm_host`` unless ``$SPEC_ENGINE`` names another (``wasmtime``).  Everything skips with a
message saying where to get the suite when it is absent.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engines import EngineAdapter, EngineUnavailable, make_engine  # noqa: E402
from expected_failures import EXPECTED_FAILURES, EXPECTED_FAILURES_WAST  # noqa: E402
from runner import FAILED, SKIPPED, run_script  # noqa: E402
from script import (  # noqa: E402
    SUITE_MISSING_MESSAGE,
    find_suite,
    load_script,
    load_wast_script,
    read_manifest,
    suite_files,
)

CORE_2_0_FILES = (
    "address", "align", "binary-leb128", "binary", "block", "br", "br_if", "br_table", "bulk", "call",
    "call_indirect", "comments", "const", "conversions", "custom", "data", "elem", "endianness", "exports", "f32",
    "f32_bitwise", "f32_cmp", "f64", "f64_bitwise", "f64_cmp", "fac", "float_exprs", "float_literals",
    "float_memory", "float_misc", "forward", "func", "func_ptrs", "global", "i32", "i64", "if", "imports",
    "inline-module", "int_exprs", "int_literals", "labels", "left-to-right", "linking", "load", "local_get",
    "local_set", "local_tee", "loop", "memory", "memory_copy", "memory_fill", "memory_grow", "memory_init",
    "memory_redundancy", "memory_size", "memory_trap", "names", "nop", "obsolete-keywords", "ref_func",
    "ref_is_null", "ref_null", "return", "select", "skip-stack-guard-page", "stack", "start", "store", "switch",
    "table-sub", "table", "table_copy", "table_fill", "table_get", "table_grow", "table_init", "table_set",
    "table_size", "token", "traps", "type", "unreachable", "unreached-invalid", "unreached-valid", "unwind",
    "utf8-custom-section-id", "utf8-import-field", "utf8-import-module", "utf8-invalid-encoding",
)  # fmt: skip

TEXT_MODULE_COMMANDS_2_0_CORE = 581  # commands whose module exists only as text (.wat) in the JSON form
SUITE = find_suite()
ENGINE_NAME = os.environ.get("SPEC_ENGINE", "pywasm_host")
_adapter: EngineAdapter | None = None


def _suite() -> Path:
    if SUITE is None:
        pytest.skip(SUITE_MISSING_MESSAGE)
    return SUITE


def _engine() -> EngineAdapter:
    global _adapter
    if _adapter is None:
        try:
            _adapter = make_engine(ENGINE_NAME, "2.0")
        except EngineUnavailable as exc:
            pytest.skip(f"engine {ENGINE_NAME} unavailable: {exc}")
    return _adapter


def _json_path(suite: Path, name: str) -> Path:
    return suite / "json" / "2.0" / name / f"{name}.json"


def test_file_list_matches_suite_list() -> None:
    suite = _suite()
    listed = tuple(Path(p).stem for p in suite_files(suite, "2.0-core"))
    assert listed == CORE_2_0_FILES
    assert len(CORE_2_0_FILES) == 90
    for table in (EXPECTED_FAILURES, EXPECTED_FAILURES_WAST):
        unknown = set(table) - set(CORE_2_0_FILES)
        assert not unknown, f"expected-failure entries for files not in the list: {sorted(unknown)}"
        assert all(reason.strip() for reason in table.values()), "every expected failure needs a reason"


def test_command_counts_match_manifest() -> None:
    suite = _suite()
    manifest = read_manifest(suite)
    total_text = 0
    for name in CORE_2_0_FILES:
        row = manifest[f"wast/2.0/{name}.wast"]
        script = load_script(suite / row.json)
        assert (len(script.commands), script.wat_file_count) == (row.commands, row.wat_modules), name
        assert script.text_module_count == row.wat_modules, name
        total_text += script.text_module_count
    assert total_text == TEXT_MODULE_COMMANDS_2_0_CORE


def test_wast_command_counts_match_manifest() -> None:
    """The text-format script parser reads as many commands and quoted modules as wast2json."""
    suite = _suite()
    manifest = read_manifest(suite)
    for name in CORE_2_0_FILES:
        row = manifest[f"wast/2.0/{name}.wast"]
        script = load_wast_script(suite / row.path, row.path)
        assert (len(script.commands), script.wat_file_count) == (row.commands, row.wat_modules), name


def _params() -> list[object]:
    params: list[object] = []
    for form, table in (("wast", EXPECTED_FAILURES_WAST), ("json", EXPECTED_FAILURES)):
        for name in CORE_2_0_FILES:
            reason = table.get(name)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(form, name, marks=marks, id=f"{form}-{name}"))
    return params


@pytest.mark.parametrize(("form", "name"), _params())
def test_spec_file(form: str, name: str) -> None:
    suite = _suite()
    adapter = _engine()
    if form == "wast":
        script = load_wast_script(suite / "wast" / "2.0" / f"{name}.wast", f"wast/2.0/{name}.wast")
    else:
        script = load_script(_json_path(suite, name))
    result = run_script(adapter, script, timeout=120.0)
    assert len(result.outcomes) == len(script.commands)
    skips = [o for o in result.outcomes if o.status == SKIPPED]
    assert not skips
    failures = [o for o in result.outcomes if o.status == FAILED]
    if failures:
        listing = "\n".join(f"  line {o.line} {o.kind}: {o.message}" for o in failures[:10])
        more = f"\n  ... and {len(failures) - 10} more" if len(failures) > 10 else ""
        pytest.fail(f"{name}: {len(failures)} of {len(result.outcomes)} commands failed:\n{listing}{more}")

