"""Source positions of text modules (spec 6 "Text Format"): the parser stores the character
offset of each instruction's token in ``Instruction.offset`` (the operator of a folded
instruction, the closing parenthesis for the implicit ``end`` of a folded block or function),
and validation errors (spec chapter 3) of text modules name the line and column of the
offending instruction, through ``Module(...)`` and ``pywasm-host wat2wasm``.

Every expected offset, line and column below was counted by hand from the source text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pywasm_host.interpreter.binary.opcodes import Opcode
from pywasm_host.interpreter.text.parser import parse_module, parse_module_source

from pywasm_host import Engine, Module, ValidationError
from pywasm_host.cli import main


def positions(text: str, func: int = 0) -> list[tuple[str, int]]:
    return [(ins.opcode.mnemonic, ins.offset) for ins in parse_module(text).funcs[func].body]


def invalid(source: str | bytes) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        Module(Engine(), source)
    return info.value


# -- offsets stored by the parser ---------------------------------------------------------------


def test_folded_plain_instructions_sit_at_their_operator() -> None:
    text = "(func (i32.add (i32.const 1) (i32.const 2)) drop)"
    #       0     6      15 16        26  29 30       40  44  48
    assert positions(text) == [("i32.const", 16), ("i32.const", 30), ("i32.add", 7), ("drop", 44), ("end", 48)]
    assert parse_module(text).funcs[0].offset == 0  # the '(' of the func field


def test_flat_block_end_and_else_sit_at_their_tokens() -> None:
    assert positions("(func block nop end)") == [("block", 6), ("nop", 12), ("end", 16), ("end", 19)]
    text = "(func i32.const 0 if nop else nop end)"
    #       0     6         16 18 21  25   30  34 37
    assert positions(text) == [
        ("i32.const", 6), ("if", 18), ("nop", 21), ("else", 25), ("nop", 30), ("end", 34), ("end", 37),
    ]  # fmt: skip


def test_folded_if_and_implicit_ends_sit_at_keyword_and_closing_parenthesis() -> None:
    text = "(func (if (i32.const 0) (then nop) (else nop)))"
    #       0     6 7  10 11         21 24 25   30   35 36   41 44 45 46
    assert positions(text) == [
        ("i32.const", 11), ("if", 7), ("nop", 30), ("else", 36), ("nop", 41), ("end", 45), ("end", 46),
    ]  # fmt: skip
    # an empty else is dropped; the end is at the if's ')'
    assert positions("(func (if (i32.const 0) (then) (else)))") == [
        ("i32.const", 11),
        ("if", 7),
        ("end", 37),
        ("end", 38),
    ]
    # a folded block's end at its ')'
    assert positions("(module (func (loop $l (br $l))))") == [("loop", 15), ("br", 24), ("end", 30), ("end", 31)]


def test_every_instruction_is_a_fresh_object() -> None:
    body = parse_module("(func nop nop)").funcs[0].body
    assert body[0] is not body[1] and (body[0].offset, body[1].offset) == (6, 10)


def test_constant_expressions_carry_positions() -> None:
    text = "(module (global i32 (i32.const 7)) (table 1 funcref) (func $f) (elem (i32.const 0) $f))"
    # global: i32.const at 21, the field's ')' at 33; elem: '(' 69, i32.const 70, its ')' 81, $f 83
    m = parse_module(text)
    assert [(i.opcode, i.offset) for i in m.globals[0].init] == [(Opcode.I32_CONST, 21), (Opcode.END, 33)]
    seg = m.elems[0]
    assert seg.offset is not None
    assert [(i.opcode, i.offset) for i in seg.offset] == [(Opcode.I32_CONST, 70), (Opcode.END, 81)]
    assert [(i.opcode, i.offset) for i in seg.init[0]] == [(Opcode.REF_FUNC, 83), (Opcode.END, 83)]


def test_offsets_index_the_source_that_was_parsed() -> None:
    module, source = parse_module_source('(module quote "(func nop)")')
    assert source == "(func nop)" and module.funcs[0].body[0].offset == 6
    module, source = parse_module_source('(module binary "\\00asm\\01\\00\\00\\00")')
    assert source is None
    text = "(func)"
    assert parse_module_source(text)[1] is text


# -- validation errors through Module(...) ------------------------------------------------------


def test_flat_error_names_line_and_column() -> None:
    exc = invalid("(module (func (result i32) i32.const 1 i64.const 2 i32.add))")
    # "(module (func (result i32) " is 27 characters; i32.const at 28, i64.const at 40, i32.add at 52
    assert (exc.line, exc.column, exc.func_index, exc.offset) == (1, 52, 0, 51)
    assert exc.message.startswith("type mismatch") and exc.message.endswith("at i32.add")
    first = str(exc).splitlines()[0]
    assert first == f"{exc.message} (in function 0, at 1:52)"
    assert "offset" not in first


def test_folded_error_in_a_multi_line_module() -> None:
    source = """(module
  (func $ok)
  (func (param i32) (result i32)
    (i32.add
      (local.get 0)
      (f32.const 1))))
"""
    exc = invalid(source)
    assert (exc.line, exc.column, exc.func_index) == (4, 6, 1)  # the operator, after "    ("
    assert exc.message.startswith("type mismatch")
    assert exc.source_line == "    (i32.add"
    assert str(exc).splitlines()[1:] == ["   |     (i32.add", "   |      ^"]


def test_error_at_the_implicit_end_of_a_folded_block() -> None:
    source = "(module\n  (func\n    (block (result i32)\n      (nop))))\n"
    # line 4 is "      (nop))))": nop's ')' at column 11, the block's ')' at 12
    exc = invalid(source)
    assert (exc.line, exc.column) == (4, 12)
    assert exc.message.startswith("type mismatch") and exc.message.endswith("at end")


def test_error_at_the_implicit_end_of_a_function_and_at_a_flat_end() -> None:
    exc = invalid("(module\n  (func (result i32)\n    nop)\n)")
    assert (exc.line, exc.column) == (3, 8)  # the func field's ')' after "    nop"
    exc = invalid("(module\n  (func\n    block (result i32)\n      nop\n    end\n    drop))")
    assert (exc.line, exc.column) == (5, 5)  # the 'end' token


def test_error_in_a_constant_expression() -> None:
    exc = invalid("(module\n  (global i32 (global.get 5)))")
    assert (exc.line, exc.column, exc.func_index) == (2, 16, None)
    assert str(exc).splitlines()[0] == "unknown global 5 (at 2:16)"
    exc = invalid("(module\n  (global i32 (i64.const 0)))")
    assert (exc.line, exc.column) == (2, 28)  # the implicit end: the global field's ')'
    assert exc.message.startswith("type mismatch")


def test_columns_count_characters_not_bytes() -> None:
    # "(; é ü ;) " is 10 characters (12 bytes in UTF-8); the text is given as bytes
    source = "(module (func\n(; é ü ;) i64.const 0 drop i32.eqz drop))"
    exc = invalid(source.encode("utf-8"))
    # line 2: i64.const at 11, 0 at 21, drop at 23, i32.eqz at 28
    assert (exc.line, exc.column) == (2, 28)
    assert exc.source_line == "(; é ü ;) i64.const 0 drop i32.eqz drop))"


def test_from_file_and_crlf_line_ends(tmp_path: Path) -> None:
    src = tmp_path / "m.wat"
    src.write_bytes(b"(module\r\n  (func (result i64)\r\n    (i32.const 0)))\r\n")
    with pytest.raises(ValidationError) as info:
        Module.from_file(Engine(), src)
    # the function's implicit end: line 3 is "    (i32.const 0)))", the func's ')' at column 18
    assert (info.value.line, info.value.column) == (3, 18)
    assert info.value.source_line == "    (i32.const 0)))"


def test_error_in_a_quoted_module_is_located_in_the_quoted_text() -> None:
    exc = invalid('(module quote "(func (result i32) i64.const 0)")')
    # in "(func (result i32) i64.const 0)": i64.const at 20, the func's ')' at 31
    assert (exc.line, exc.column) == (1, 31)
    assert exc.source_line == "(func (result i32) i64.const 0)"


def test_binary_modules_keep_byte_offsets() -> None:
    # header (8 bytes), type section [] -> [i32] (7), function section (4), code section
    # 0a 04 01 02 00 0b from byte 19: the body's "end" (0x0b) is at byte 24 = 0x18
    wasm = bytes.fromhex("0061736d01000000 010501600001 7f 03020100 0a040102000b".replace(" ", ""))
    exc = invalid(wasm)
    assert exc.line is None and exc.column is None
    assert str(exc) == f"{exc.message} (in function 0, offset 0x18)"
    exc = invalid(
        '(module binary "\\00asm\\01\\00\\00\\00" "\\01\\05\\01\\60\\00\\01\\7f" "\\03\\02\\01\\00" "\\0a\\04\\01\\02\\00\\0b")'
    )
    assert exc.line is None and str(exc).endswith("(in function 0, offset 0x18)")


def test_in_source_without_an_offset_returns_the_error() -> None:
    exc = ValidationError("duplicate export name 'f'")
    assert exc.in_source("(module)") is exc and str(exc) == "duplicate export name 'f'"


# -- validation errors through pywasm-host wat2wasm ---------------------------------------------


def test_wat2wasm_reports_line_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "bad.wat"
    src.write_text("(module\n  (func $f (result i32)\n    i32.const 1\n    i64.const 2\n    i32.add))\n")
    assert main(["wat2wasm", str(src), "-o", str(tmp_path / "bad.wasm")]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith(f"{src}:5:5: invalid module: type mismatch")
    assert lines[0].endswith("at i32.add (in function 0)")
    assert lines[1:] == ["   |     i32.add))", "   |     ^"]
    assert not (tmp_path / "bad.wasm").exists()


def test_wat2wasm_folded_error_and_no_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "folded.wat"
    src.write_text("(module\n\t(func (result i32)\n\t\t(if (result i32) (i32.const 1)\n\t\t\t(then (i32.const 2)))))\n")
    assert main(["wat2wasm", str(src), "-o", str(tmp_path / "folded.wasm")]) == 1
    lines = capsys.readouterr().err.splitlines()
    # an if with a result needs an else: the error is at the if's end, its ')' on line 4 after
    # "\t\t\t(then (i32.const 2))": 3 tabs + 20 characters, so column 24 (a tab counts as one)
    assert lines[0].startswith(f"{src}:4:24: invalid module: type mismatch")
    assert lines[2] == "   | " + " " * 23 + "^"
    assert main(["wat2wasm", "--no-check", str(src), "-o", str(tmp_path / "folded.wasm")]) == 0
