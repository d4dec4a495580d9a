"""``Module``: binary and text input (str, bytes without the ``\\0asm``
magic, ``.wat`` files), validation, and typed errors for bad input."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from pywasm_host import Engine, Instance, MalformedError, Module, Store, ValidationError, WasmError

FIXTURES = Path(__file__).parent.parent / "fixtures" / "api"

WAT = '(module (func (export "seven") (result i32) i32.const 7))'


def run_seven(module: Module) -> int:
    store = Store(module.engine)
    return Instance(store, module, []).exports(store)["seven"](store)  # type: ignore[no-any-return]


def test_text_as_str_and_as_bytes() -> None:
    engine = Engine()
    assert run_seven(Module(engine, WAT)) == 7
    assert run_seven(Module(engine, WAT.encode())) == 7
    Module.validate(engine, WAT)


def test_wat_file_gives_the_same_module_as_its_wasm(tmp_path: Path) -> None:
    engine = Engine()
    from_text = Module.from_file(engine, FIXTURES / "article.wat")
    from_binary = Module.from_file(engine, FIXTURES / "article.wasm")
    assert [(i.module, i.name, i.type) for i in from_text.imports] == \
        [(i.module, i.name, i.type) for i in from_binary.imports]
    assert [(e.name, e.type) for e in from_text.exports] == [(e.name, e.type) for e in from_binary.exports]


def test_text_errors_are_typed() -> None:
    engine = Engine()
    with pytest.raises(MalformedError):
        Module(engine, "(module (func (export")
    with pytest.raises(ValidationError):
        Module(engine, "(module (func (result i32)))")
    with pytest.raises(ValidationError):
        Module.validate(engine, "(module (func (result i32) i64.const 1))")


def test_bad_inputs() -> None:
    engine = Engine()
    with pytest.raises(MalformedError):
        Module(engine, b"")
    with pytest.raises(MalformedError):
        Module(engine, b"\0asm\x02\0\0\0")
    with pytest.raises(MalformedError):
        Module(engine, b"\xff\xfe not utf-8")  # not binary, so text: and not UTF-8
    with pytest.raises(TypeError):
        Module(engine, 42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Module(None, b"\0asm\1\0\0\0")  # type: ignore[arg-type]
    with pytest.raises(WasmError):
        Module(engine, b"\0asm\1\0\0\0").serialize()


def test_binary_module_imports_exports_types() -> None:
    module = Module.from_file(Engine(), FIXTURES / "article.wasm")
    assert [(i.module, i.name) for i in module.imports] == [("env", "log"), ("env", "scale")]
    assert [e.name for e in module.exports][:3] == ["memory", "counter", "greet"]


def without_custom_sections(wasm: bytes | bytearray) -> bytes:
    out = bytearray(wasm[:8])
    i = 8
    while i < len(wasm):
        start = i
        section_id = wasm[i]
        i += 1
        size = shift = 0
        while True:
            byte = wasm[i]
            i += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                break
        i += size
        if section_id != 0:
            out += wasm[start:i]
    return bytes(out)


@pytest.mark.skipif(importlib.util.find_spec("wasmtime") is None, reason="wasmtime-py is not installed")
def test_wat2wasm_matches_wasmtime() -> None:
    import wasmtime

    from pywasm_host import wat2wasm

    text = (FIXTURES / "article.wat").read_text()
    # equal apart from the custom (name) sections, whose contents tools choose freely
    assert without_custom_sections(wat2wasm(text)) == without_custom_sections(wasmtime.wat2wasm(text))
    assert wat2wasm(text.encode()) == wat2wasm(text)
    with pytest.raises(MalformedError):
        wat2wasm("(module (func")
    with pytest.raises(TypeError):
        wat2wasm(3)  # type: ignore[arg-type]
