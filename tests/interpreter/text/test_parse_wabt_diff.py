"""Differential test of the text parser (spec 6) against wabt's ``wat2wasm``: seeded
single-token mutants of a module using most of the text syntax; whenever our parser
accepts a mutant, wabt accepts it too and its binary decodes to the same module (we are
never more lenient than wabt, and never build a different module). Skipped without wabt."""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pywasm_host.interpreter.binary.decode import decode_module
from pywasm_host.interpreter.errors import MalformedError
from pywasm_host.interpreter.text.parser import parse_module

sys.path.insert(0, str(Path(__file__).parent))
from test_parse_fuzz import _ATOMS, _TOKEN, SEEDS  # noqa: E402
from test_parse_suite import normalize  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("wat2wasm") is None, reason="wabt's wat2wasm not installed")


def _mutant(rng: random.Random, words: list[str]) -> str:
    toks = _TOKEN.findall(SEEDS)
    k = rng.randrange(len(toks))
    op = rng.randrange(4)
    if op == 0:
        del toks[k]
    elif op == 1:
        toks.insert(k, " " + rng.choice(words) + " ")
    elif op == 2 and toks[k].strip():
        toks[k] = rng.choice(words)
    else:
        toks.insert(k, " " + rng.choice(_ATOMS) + " ")
    return "".join(toks)


def test_parse_agrees_with_wat2wasm(tmp_path: Path) -> None:
    rng = random.Random(2024)
    words = sorted({t for t in _TOKEN.findall(SEEDS) if t.strip()})
    accepted = 0
    out = tmp_path / "m.wasm"
    for _ in range(500):
        text = _mutant(rng, words)
        if "\udcff" in text:
            continue
        try:
            ours = parse_module(text)
        except MalformedError:
            continue
        accepted += 1
        done = subprocess.run(
            ["wat2wasm", "--no-check", "-o", str(out), "-"], input=text, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, f"wabt rejects what we accept:\n{text}\n{done.stderr}"
        try:
            theirs = decode_module(out.read_bytes())
        except MalformedError:
            continue  # wabt wrote something only a validator would reject; nothing to compare
        assert normalize(ours) == normalize(theirs), text
    assert accepted > 10
