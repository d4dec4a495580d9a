"""The parser reads what other tools print (spec 6): the repository's .wasm fixtures,
printed by wabt's ``wasm2wat`` (flat and ``--fold-exprs``) and by ``wasm-tools print``
(which uses quoted identifiers ``$"..."`` and ``(@name ...)`` annotations), parse to
the module ``decode_module`` reads from the binary. Skipped when the tools are absent."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pywasm_host.interpreter.binary.decode import decode_module
from pywasm_host.interpreter.errors import MalformedError
from pywasm_host.interpreter.text.parser import parse_module

sys.path.insert(0, str(Path(__file__).parent))
from test_parse_suite import normalize  # noqa: E402

REPO = Path(__file__).resolve().parents[3]
TOOLS = {
    "wasm2wat": ["wasm2wat", "--enable-all"],
    "wasm2wat-folded": ["wasm2wat", "--enable-all", "--fold-exprs"],
    "wasm-tools": ["wasm-tools", "print"],
}


def _fixtures() -> list[Path]:
    small = [
        p
        for p in sorted((REPO / "tests" / "fixtures").rglob("*.wasm")) + sorted((REPO / "examples").glob("*.wasm"))
        if not p.name.endswith(".component.wasm") and p.stat().st_size < 12_000
    ]
    big = REPO / "tests" / "fixtures" / "wasi" / "qsort_heavy.wasm"  # a whole C program with libc
    return small + ([big] if big.is_file() else [])


@pytest.mark.parametrize("tool", sorted(TOOLS))
@pytest.mark.parametrize("path", _fixtures(), ids=lambda p: p.name)
def test_parse_printed_fixture(path: Path, tool: str) -> None:
    argv = TOOLS[tool]
    if shutil.which(argv[0]) is None:
        pytest.skip(f"{argv[0]} not installed")
    try:
        expected = decode_module(path.read_bytes())
    except MalformedError:
        pytest.skip("not a core module our decoder reads")
    done = subprocess.run([*argv, str(path)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"{tool} cannot print it: {done.stderr[:80]}")
    assert normalize(parse_module(done.stdout, path.name)) == normalize(expected)
