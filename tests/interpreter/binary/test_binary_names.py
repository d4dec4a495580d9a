"""The ``name`` custom section (spec 7.4.1) against wabt's encoder.

The text module below is compiled by ``wat2wasm --debug-names`` (an
independent encoder); the expected names are read off the text by hand.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pywasm_host.interpreter.binary.decode import decode_module

WAT2WASM = shutil.which("wat2wasm")

SOURCE = """
(module $mymod
  (func $add (param $x i32) (param $y i32) (result i32) (local $tmp i64) local.get $x)
  (func (param i32))
  (func $third (local $a f32) (local $b f32)))
"""


@pytest.mark.skipif(WAT2WASM is None, reason="wat2wasm (wabt) not installed")
def test_names_from_wat2wasm(tmp_path: Path) -> None:
    source = tmp_path / "names.wat"
    source.write_text(SOURCE)
    binary = tmp_path / "names.wasm"
    subprocess.run([WAT2WASM, "--debug-names", str(source), "-o", str(binary)], check=True)
    module = decode_module(binary.read_bytes())
    assert [c.name for c in module.customs] == ["name"]
    assert module.names.module == "mymod"
    assert module.names.functions == {0: "add", 2: "third"}
    # wabt writes an (empty) local map for the unnamed function too.
    assert {f: m for f, m in module.names.locals.items() if m} == {0: {0: "x", 1: "y", 2: "tmp"}, 2: {0: "a", 1: "b"}}
