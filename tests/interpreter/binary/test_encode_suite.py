"""Our assembler (text parser + binary encoder) against wabt's ``wast2json`` over the whole 2.0
suite, SIMD included: for every module of every ``.wast`` file that wabt wrote as a ``.wasm``
(text modules, and quoted modules of ``module`` commands), the binary *we* produce decodes to the
module decoded from wabt's binary, up to byte offsets, and without the ``name`` section (we write
the ``$`` identifiers, wast2json does not). The data count section is compared too. One
normalisation: a block type written ``(type x)`` whose type is ``[] -> [t?]`` stays a type index
in our model (spec 6.5.2), while wabt writes the short form; both are compared in short form.
And a module using ``data.drop``/``memory.init`` without any data segment (invalid) gets a data
count of 0 from our parser, which the encoder writes (the binary format requires the section
then); wabt leaves the section out. Both read as "no data segments".
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import pytest
from pywasm_host.interpreter.binary.decode import decode_module
from pywasm_host.interpreter.binary.encode import encode_module
from pywasm_host.interpreter.syntax.module import Module, TypeIndex
from pywasm_host.interpreter.text.wast import parse_script

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from wasm_test_support import SUITE_MISSING, strip_offsets, suite_root  # noqa: E402

SUITE = suite_root()
pytestmark = pytest.mark.skipif(SUITE is None, reason=SUITE_MISSING)


def _short(imm: object, m: Module) -> object:
    if isinstance(imm, TypeIndex) and imm.index < len(m.types):
        ft = m.types[imm.index]
        if not ft.params and len(ft.results) <= 1:
            return ft.results[0] if ft.results else None
    return imm


def _structure(m: Module) -> Module:
    s = strip_offsets(m, lambda imm: _short(imm, m))
    return dataclasses.replace(
        s,
        customs=tuple(c for c in s.customs if c.name != "name"),
        data_count=m.data_count if m.data_count or m.datas else None,
    )


def _scripts() -> list[str]:
    if SUITE is None:
        return []
    lines = (SUITE / "suite-2.0.txt").read_text(encoding="utf-8").split()
    return [line for line in lines if line.endswith(".wast")]


def test_assembled_modules_equal_wast2json() -> None:
    assert SUITE is not None
    compared = 0
    for path in _scripts():
        wast = SUITE / path
        stem = wast.stem
        json_dir = SUITE / "json" / "2.0" / ("simd/" if "/simd/" in path else "") / stem
        commands = json.loads((json_dir / f"{stem}.json").read_text(encoding="utf-8"))["commands"]
        ours = parse_script(wast.read_bytes(), path)
        assert len(ours) == len(commands), path
        for mine, theirs in zip(ours, commands):
            filename = theirs.get("filename", "")
            module = mine.module
            if module is None or not filename.endswith(".wasm") or module.kind == "binary":
                continue
            if theirs["type"] == "assert_malformed":
                continue  # wabt wrote a binary it could not judge; not an assembled module
            expected = decode_module((json_dir / filename).read_bytes())
            assembled = decode_module(encode_module(module.load()))
            assert _structure(assembled) == _structure(expected), f"{path}:{mine.line}"
            compared += 1
    print(f"{compared} assembled modules equal to wast2json's")
    assert compared >= 3000
