"""wit-parser UI-test conformance (../shared/wit-conformance): every passing case must resolve to JSON
structurally equal to the expected file, every failing case must raise WitError."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pywasm_host.abi.errors import WitError
from pywasm_host.abi.wit.json_out import to_json
from pywasm_host.abi.wit.load import load_path

sys.path.insert(0, os.path.dirname(__file__))
from witcanon import canonical, first_difference  # noqa: E402

ROOT = Path(os.environ.get("WIT_CONFORMANCE", Path(__file__).resolve().parents[3].parent / "shared" / "wit-conformance"))
if not (ROOT / "manifest.json").exists():
    pytest.skip(f"WIT conformance data not found at {ROOT} (set $WIT_CONFORMANCE)", allow_module_level=True)
MANIFEST = json.loads((ROOT / "manifest.json").read_text())
WASM_TOOLS = shutil.which("wasm-tools")


BUILT = Path(__file__).resolve().parent.parent / "fixtures" / "wit-conformance"


def wat_to_wasm(path: str) -> bytes:
    """The binary of a component-text input: `wasm-tools parse`, or the committed build of it."""
    if WASM_TOOLS is not None:
        return subprocess.run([WASM_TOOLS, "parse", path], check=True, capture_output=True).stdout
    parts = Path(path).parts
    name = "kinds-of-deps.d.wasm" if "kinds-of-deps" in parts else Path(path).stem + ".wasm"
    return (BUILT / name).read_bytes()


def load(case: dict) -> dict:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        resolve, _main = load_path(case["input"], features={"active"}, wat_to_wasm=wat_to_wasm)
    finally:
        os.chdir(cwd)
    return to_json(resolve)


@pytest.mark.parametrize("case", MANIFEST["cases"]["pass"], ids=lambda c: c["id"])
def test_pass(case: dict) -> None:
    ours = canonical(load(case))
    expected = canonical(json.loads((ROOT / case["expected"]).read_text()))
    assert first_difference(ours, expected) is None


@pytest.mark.parametrize("case", MANIFEST["cases"]["fail"], ids=lambda c: c["id"])
def test_fail(case: dict) -> None:
    with pytest.raises(WitError) as info:
        load(case)
    err = info.value
    # beyond the required rejection: wit-parser's rendering (message, location, caret excerpt),
    # without the "failed to resolve directory ..." wrappers its directory loader adds
    expected = (ROOT / case["expected"]).read_text().strip().replace("\\", "/").replace("\r\n", "\n")
    first, nl, rest = expected.partition("\n")
    first = re.sub(r"^failed to resolve directory while parsing WIT for path \[[^\]]*\]: ", "", first)
    first = re.sub(r"^failed to parse package: [^:]*: ", "", first)
    assert str(err).strip() == first + nl + rest
    loc = case.get("location")
    if loc is not None:
        assert (os.path.normpath(err.path), err.line, err.column) == (
            os.path.normpath(loc["file"]), loc["line"], loc["column"])
