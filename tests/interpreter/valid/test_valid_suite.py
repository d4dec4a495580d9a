"""The validator against the WebAssembly 2.0 spec test suite (non-SIMD files).

For every one of the 90 non-SIMD files of ``suite-2.0.txt``: each
``assert_invalid`` module (binary form) must decode and then fail validation
with a message starting with the command's ``text``; each ``module``,
``assert_unlinkable``, ``assert_uninstantiable`` and ``assert_trap`` module
must validate. The suite is located at ``$WASM_TESTSUITE`` or
``<repo>/../shared/wasm-testsuite``; the tests skip when it is absent.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from pywasm_host.interpreter.binary.decode import decode_module
from pywasm_host.interpreter.errors import ValidationError
from pywasm_host.interpreter.valid.module import validate_module

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from wasm_test_support import SUITE_MISSING, suite_root  # noqa: E402

SUITE = suite_root()


def _files() -> list[str]:
    if SUITE is None:
        return []
    names = [line.strip() for line in (SUITE / "suite-2.0.txt").read_text().splitlines() if line.strip()]
    return [Path(n).stem for n in names if "simd" not in Path(n).parts and not Path(n).stem.startswith("simd")]


FILES = _files()
VALID_KINDS = ("module", "assert_unlinkable", "assert_uninstantiable", "assert_trap")


def test_suite_present() -> None:
    if not FILES:
        pytest.skip(SUITE_MISSING)
    assert len(FILES) == 90


@pytest.mark.parametrize("name", FILES)
def test_valid_suite_file(name: str) -> None:
    assert SUITE is not None
    folder = SUITE / "json" / "2.0" / name
    commands = json.loads((folder / f"{name}.json").read_text())["commands"]
    failures: list[str] = []
    for cmd in commands:
        kind = cmd["type"]
        filename = cmd.get("filename", "")
        if not filename.endswith(".wasm") or kind not in ("assert_invalid", *VALID_KINDS):
            continue
        where = f"{name}.wast:{cmd['line']} ({filename})"
        module = decode_module((folder / filename).read_bytes())
        if kind == "assert_invalid":
            try:
                validate_module(module)
            except ValidationError as e:
                if not e.message.startswith(cmd["text"]):
                    failures.append(f"{where}: expected {cmd['text']!r}, got {e.message!r}")
            else:
                failures.append(f"{where}: accepted, expected {cmd['text']!r}")
        else:
            try:
                validate_module(module)
            except ValidationError as e:
                failures.append(f"{where}: rejected a valid module: {e}")
    assert not failures, "\n".join(failures)
