"""``Module``: a decoded and validated WebAssembly module (the embedding
API's ``module_decode``/``module_parse`` + ``module_validate``, spec 7.1.4).

Input in the text format (a ``str``, or bytes that do not start with the
``\\0asm`` magic, as wasmtime-py decides) goes through the text parser
(``pywasm_host.interpreter.text.parser.parse_module``); a validation error of
such a module names the line and column of the offending instruction.
"""

from __future__ import annotations

import os
from typing import Any

from ._store import Engine
from ._types import ExportType, ImportType, wrap_type
from .interpreter.binary.decode import decode_module
from .interpreter.errors import MalformedError, ValidationError
from .interpreter.syntax import module as syntax
from .interpreter.syntax.types import ExternKind
from .interpreter.valid.module import validate_module

__all__ = ["Module", "wat2wasm", "load_module"]


def _parse_text(text: str, filename: str) -> syntax.Module:
    from .interpreter.text.parser import parse_module  # imported on first use: keeps `import pywasm_host` light

    return parse_module(text, filename=filename)


def _load_text(text: str, filename: str) -> syntax.Module:
    """Parse and validate a text module; validation errors are located in ``text``.

    Raises:
        MalformedError: a syntax error (``TextFormatError``, with line:column).
        ValidationError: not valid, with ``line``/``column`` of the offending instruction.
    """
    from .interpreter.text.parser import parse_module_source

    module, source = parse_module_source(text, filename=filename)
    try:
        validate_module(module)
    except ValidationError as exc:
        raise (exc if source is None else exc.in_source(source)) from None
    return module


def _utf8(data: bytes, where: str = "") -> str:
    """``data`` as text-format source.

    Raises:
        MalformedError: ``data`` is not UTF-8.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise MalformedError(f"{where}text format is not valid UTF-8: {e.reason}", e.start) from None


def wat2wasm(wat: str | bytes) -> bytearray:
    """The binary encoding of the module in text format ``wat`` (as
    wasmtime-py's ``wat2wasm``; the module is not validated).

    Raises:
        MalformedError: a syntax error (``TextFormatError``, with line:column).
        TypeError: ``wat`` is neither str nor bytes.
    """
    if isinstance(wat, (bytes, bytearray)):
        wat = _utf8(bytes(wat))
    if not isinstance(wat, str):
        raise TypeError(f"wat2wasm() expects str or bytes, got {type(wat).__name__}")
    from .interpreter.binary.encode import encode_module

    return bytearray(encode_module(_parse_text(wat, "<wat2wasm>")))


def load_module(wasm: object, filename: str = "<input>") -> syntax.Module:
    """Decode (binary) or parse (text) ``wasm`` and validate it.

    Raises:
        MalformedError: not well-formed (binary), or a text syntax error.
        ValidationError: not valid (for text, with ``line``/``column`` of the
            offending instruction when known).
        TypeError: ``wasm`` is neither str nor bytes-like.
    """
    if isinstance(wasm, str):
        if wasm[:1] == "\0":
            module = decode_module(wasm.encode("latin-1", errors="replace"))
        else:
            return _load_text(wasm, filename)
    elif isinstance(wasm, (bytes, bytearray, memoryview)):
        data = bytes(wasm)
        if data[:1] not in (b"", b"\0"):
            return _load_text(_utf8(data), filename)
        module = decode_module(data)
    else:
        raise TypeError(f"Module() expects bytes or str, got {type(wasm).__name__}")
    validate_module(module)
    return module


class Module:
    """``Module(engine, wasm)`` decodes and validates a module given as binary
    bytes or as text (``str``, or bytes not starting with ``\\0asm``).

    Raises:
        MalformedError: the input is not a well-formed module.
        ValidationError: the module is not valid.
        TypeError: ``wasm`` is neither bytes-like nor str, or the text format
            is given while no text parser is installed.
    """

    def __init__(self, engine: Engine, wasm: bytes | bytearray | memoryview | str) -> None:
        if not isinstance(engine, Engine):
            raise TypeError("expected an Engine")
        self.engine = engine
        self._module: syntax.Module = load_module(wasm)

    @classmethod
    def _from_syntax(cls, engine: Engine, module: syntax.Module) -> Module:
        obj = cls.__new__(cls)
        obj.engine = engine
        obj._module = module
        return obj

    @classmethod
    def from_file(cls, engine: Engine, path: str | bytes | os.PathLike[str]) -> Module:
        """Read and compile the module in file ``path`` (binary or text; a
        ``.wat`` file is always read as text).

        Raises:
            OSError: the file cannot be read.
            MalformedError, ValidationError: as the constructor.
        """
        if not isinstance(engine, Engine):
            raise TypeError("expected an Engine")
        with open(path, "rb") as f:
            data = f.read()
        name = os.fsdecode(path)
        if name.endswith(".wat") and data[:4] != b"\0asm":
            return cls._from_syntax(engine, load_module(_utf8(data, f"{name}: "), name))
        return cls._from_syntax(engine, load_module(data, name))

    @staticmethod
    def validate(engine: Engine, wasm: bytes | bytearray | memoryview | str) -> None:
        """Check that ``wasm`` (binary or text) is a well-formed, valid module.

        Raises:
            MalformedError: not well-formed.
            ValidationError: not valid.
        """
        load_module(wasm)

    def serialize(self) -> bytearray:
        """Not supported: there is no compiled form to save.

        Raises:
            WasmError: always.
        """
        from .interpreter.errors import WasmError

        raise WasmError("Module.serialize is not supported by pywasm-host (nothing is compiled ahead of time)")

    @property
    def name(self) -> str | None:
        return self._module.names.module

    @property
    def imports(self) -> list[ImportType]:
        m = self._module
        out = []
        for imp in m.imports:
            desc = m.types[imp.desc] if imp.kind == ExternKind.FUNC else imp.desc  # type: ignore[index]
            out.append(ImportType(imp.module, imp.name, wrap_type(desc)))  # type: ignore[arg-type]
        return out

    @property
    def exports(self) -> list[ExportType]:
        m = self._module
        spaces: dict[ExternKind, list[Any]] = {
            ExternKind.FUNC: [m.types[i] for i in m.func_types()],
            ExternKind.TABLE: m.table_types(),
            ExternKind.MEMORY: m.memory_types(),
            ExternKind.GLOBAL: m.global_types(),
        }
        return [ExportType(e.name, wrap_type(spaces[e.kind][e.index])) for e in m.exports]

    def __repr__(self) -> str:
        return f"<Module {self.name or ''} imports={len(self._module.imports)} exports={len(self._module.exports)}>"
