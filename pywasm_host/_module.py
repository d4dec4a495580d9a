"""``Module``: a decoded and validated WebAssembly module."""

from __future__ import annotations

import os
from typing import Any

from ._store import Engine
from ._types import ExportType, ImportType, wrap_type
from .interpreter.binary.decode import decode_module
from .interpreter.syntax import module as syntax
from .interpreter.syntax.types import ExternKind
from .interpreter.valid.module import validate_module

__all__ = ["Module"]


class Module:
    """``Module(engine, wasm)`` decodes and validates a binary module.

    Raises:
        MalformedError: the bytes are not a well-formed module.
        ValidationError: the module is not valid.
        TypeError: ``wasm`` is not bytes-like.
    """

    def __init__(self, engine: Engine, wasm: bytes | bytearray | memoryview | str) -> None:
        if isinstance(wasm, str):
            raise TypeError("the text format is not supported yet: pass the binary module as bytes")
        if not isinstance(wasm, (bytes, bytearray, memoryview)):
            raise TypeError(f"Module() expects bytes, got {type(wasm).__name__}")
        self.engine = engine
        self._module: syntax.Module = decode_module(bytes(wasm))
        validate_module(self._module)

    @classmethod
    def from_file(cls, engine: Engine, path: str | os.PathLike[str]) -> Module:
        """Read and compile the module in file ``path``."""
        with open(path, "rb") as f:
            return cls(engine, f.read())

    @staticmethod
    def validate(engine: Engine, wasm: bytes | bytearray | memoryview) -> None:
        """Check that ``wasm`` is a well-formed, valid module.

        Raises:
            MalformedError: not well-formed.
            ValidationError: not valid.
        """
        validate_module(decode_module(bytes(wasm)))

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


