"""The SIMD part of the official WebAssembly 2.0 spec suite (spec 4.4.3 "Vector Instructions")
under pytest, one item per ``.wast`` file and script form.

The 58 ``simd/`` files of ``suite-2.0.txt``, listed explicitly (a test checks the list still
matches), each run from its wabt ``wast2json`` form (``json``) and from the ``.wast`` itself,
read by our text-format script parser (``wast``; its command and quoted-module counts must match
``MANIFEST.tsv``).  Nothing may be skipped.  Shares
the engine and helpers of :mod:`test_spec_suite`.  Everything skips with a message saying where to
get the suite when it is absent.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from runner import FAILED, SKIPPED, run_script  # noqa: E402
from script import load_script, load_wast_script, read_manifest, suite_files  # noqa: E402
from test_spec_suite import _engine, _suite  # noqa: E402

FORMS = ("json", "wast")

SIMD_2_0_FILES = (
    "simd_address", "simd_align", "simd_bit_shift", "simd_bitwise", "simd_boolean", "simd_const",
    "simd_conversions", "simd_f32x4", "simd_f32x4_arith", "simd_f32x4_cmp", "simd_f32x4_pmin_pmax",
    "simd_f32x4_rounding", "simd_f64x2", "simd_f64x2_arith", "simd_f64x2_cmp", "simd_f64x2_pmin_pmax",
    "simd_f64x2_rounding", "simd_i16x8_arith", "simd_i16x8_arith2", "simd_i16x8_cmp",
    "simd_i16x8_extadd_pairwise_i8x16", "simd_i16x8_extmul_i8x16", "simd_i16x8_q15mulr_sat_s",
    "simd_i16x8_sat_arith", "simd_i32x4_arith", "simd_i32x4_arith2", "simd_i32x4_cmp", "simd_i32x4_dot_i16x8",
    "simd_i32x4_extadd_pairwise_i16x8", "simd_i32x4_extmul_i16x8", "simd_i32x4_trunc_sat_f32x4",
    "simd_i32x4_trunc_sat_f64x2", "simd_i64x2_arith", "simd_i64x2_arith2", "simd_i64x2_cmp",
    "simd_i64x2_extmul_i32x4", "simd_i8x16_arith", "simd_i8x16_arith2", "simd_i8x16_cmp", "simd_i8x16_sat_arith",
    "simd_int_to_int_extend", "simd_lane", "simd_linking", "simd_load", "simd_load16_lane", "simd_load32_lane",
    "simd_load64_lane", "simd_load8_lane", "simd_load_extend", "simd_load_splat", "simd_load_zero", "simd_select",
    "simd_splat", "simd_store", "simd_store16_lane", "simd_store32_lane", "simd_store64_lane", "simd_store8_lane",
)  # fmt: skip


def test_simd_file_list_matches_suite_list() -> None:
    suite = _suite()
    listed = tuple(Path(p).stem for p in suite_files(suite, "2.0-simd"))
    assert listed == SIMD_2_0_FILES
    assert len(SIMD_2_0_FILES) == 58


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", SIMD_2_0_FILES)
def test_simd_spec_file(form: str, name: str) -> None:
    suite = _suite()
    adapter = _engine()
    if form == "wast":
        path = f"wast/2.0/simd/{name}.wast"
        script = load_wast_script(suite / path, path)
        row = read_manifest(suite)[path]
        assert (len(script.commands), script.wat_file_count) == (row.commands, row.wat_modules)
    else:
        script = load_script(suite / "json" / "2.0" / "simd" / name / f"{name}.json")
    result = run_script(adapter, script, timeout=120.0)
    assert len(result.outcomes) == len(script.commands)
    skips = [o for o in result.outcomes if o.status == SKIPPED]
    assert not skips, f"{len(skips)} skipped, e.g. line {skips[0].line}: {skips[0].message}"
    failures = [o for o in result.outcomes if o.status == FAILED]
    if failures:
        listing = "\n".join(f"  line {o.line} {o.kind}: {o.message}" for o in failures[:10])
        more = f"\n  ... and {len(failures) - 10} more" if len(failures) > 10 else ""
        pytest.fail(f"{name}: {len(failures)} of {len(result.outcomes)} commands failed:\n{listing}{more}")
