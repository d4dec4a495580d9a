"""The narrow interface between the canonical ABI and a core module instance
(component-model ``design/mvp/CanonicalABI.md``, "Canonical ABI options":
the ``memory``, ``realloc`` and ``post-return`` a lifted or lowered function
uses), and its implementation over our interpreter.

The ABI touches a core instance only through :class:`CoreInstance`: read
and write bytes and little-endian unsigned integers of the exported memory,
its size, and calls of core exports by name with *flat* values (``i32`` and
``i64`` as unsigned ``int``, ``f32``/``f64`` as ``float``).  Every
out-of-bounds access raises :class:`Trap`.  :class:`EngineCore` serves it
from a :class:`~..interpreter.runtime.instances.ModuleInstance`, and
:func:`instantiate_engine_core` instantiates a module for it, building each
function import from a Python callable over flat values.  A second
implementation over wasmtime-py's core API lives in
``pywasm_host.component.wasmtime_core``; both are exercised by the same tests.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any, Protocol

from ...interpreter.binary.decode import decode_module
from ...interpreter.errors import LinkError, Trap, TrapCode
from ...interpreter.exec.instantiate import instantiate
from ...interpreter.runtime.instances import FunctionInstance, HostFunction, ModuleInstance
from ...interpreter.runtime.memory import MemoryInstance
from ...interpreter.syntax.types import ExternKind, FuncType, ValType
from ...interpreter.valid.module import validate_module

__all__ = ["CoreInstance", "EngineCore", "instantiate_engine_core", "ImportResolver", "FlatFunc", "CORE_NAMES"]

FlatFunc = Callable[[list[Any]], list[Any]]
"""A host function over flat values: receives the argument list, returns the result list."""

ImportResolver = Callable[[str, str, tuple[str, ...], tuple[str, ...]], Any]
"""``resolve(module, name, params, results)`` -> a :data:`FlatFunc`, or an engine-specific
extern passed through unchanged (used for WASI), or ``None`` when the import is unknown."""

CORE_NAMES = {ValType.I32: "i32", ValType.I64: "i64", ValType.F32: "f32", ValType.F64: "f64"}

_UINT = {1: struct.Struct("<B"), 2: struct.Struct("<H"), 4: struct.Struct("<I"), 8: struct.Struct("<Q")}


class CoreInstance(Protocol):
    """What the canonical ABI needs from a core instance."""

    def memory_size(self) -> int:
        """Current size of the exported memory in bytes (0 without a memory)."""

    def read(self, ptr: int, n: int) -> bytes:
        """``n`` bytes at ``ptr``; raises :class:`Trap` when out of bounds."""

    def write(self, ptr: int, data: bytes | bytearray | memoryview) -> None:
        """Write ``data`` at ``ptr``; raises :class:`Trap` when out of bounds."""

    def load_int(self, ptr: int, nbytes: int) -> int:
        """The unsigned little-endian integer of ``nbytes`` (1, 2, 4, 8) bytes at ``ptr``."""

    def store_int(self, ptr: int, nbytes: int, value: int) -> None:
        """Store the low ``nbytes`` bytes of ``value`` (unsigned) little-endian at ``ptr``."""

    def has_export(self, name: str) -> bool:
        """Whether the instance exports a function ``name``."""

    def call(self, name: str, args: list[Any]) -> list[Any]:
        """Call export ``name`` with flat values; results as flat values (unsigned ints)."""

    def func_type(self, name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The flat signature ``(params, results)`` of export ``name`` (``KeyError`` if absent)."""


def _flat_signature(ft: FuncType) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(CORE_NAMES.get(t, str(t)) for t in ft.params), tuple(CORE_NAMES.get(t, str(t)) for t in ft.results)


def _oob() -> Trap:
    return Trap(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS)


class EngineCore:
    """:class:`CoreInstance` over one of our :class:`ModuleInstance` objects (memory export ``memory``)."""

    __slots__ = ("instance", "_mem", "_funcs")

    def __init__(self, instance: ModuleInstance, memory: str = "memory") -> None:
        self.instance = instance
        mem = instance.exports.get(memory)
        self._mem: MemoryInstance | None = mem if isinstance(mem, MemoryInstance) else None
        self._funcs: dict[str, FunctionInstance] = {
            name: v for name, v in instance.exports.items() if isinstance(v, FunctionInstance)}

    def _memory(self) -> MemoryInstance:
        if self._mem is None:
            raise Trap(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS, "the module exports no memory")
        return self._mem

    def memory_size(self) -> int:
        return 0 if self._mem is None else len(self._mem.data)

    def read(self, ptr: int, n: int) -> bytes:
        return self.view(ptr, n).tobytes()

    def view(self, ptr: int, n: int) -> memoryview:
        """A zero-copy view of ``n`` bytes at ``ptr``, valid until the guest runs again
        (optional extension of :class:`CoreInstance`); traps when out of bounds."""
        view = self._memory().view
        if ptr < 0 or n < 0 or ptr + n > len(view):
            raise _oob()
        return view[ptr:ptr + n]

    def write(self, ptr: int, data: bytes | bytearray | memoryview) -> None:
        view = self._memory().view
        mv = memoryview(data)
        n = mv.nbytes
        if ptr < 0 or ptr + n > len(view):
            raise _oob()
        if mv.format != "B" or mv.ndim != 1:
            mv = mv.cast("B")
        view[ptr:ptr + n] = mv

    def load_int(self, ptr: int, nbytes: int) -> int:
        view = self._memory().view
        if ptr < 0 or ptr + nbytes > len(view):
            raise _oob()
        return _UINT[nbytes].unpack_from(view, ptr)[0]  # type: ignore[no-any-return]

    def store_int(self, ptr: int, nbytes: int, value: int) -> None:
        view = self._memory().view
        if ptr < 0 or ptr + nbytes > len(view):
            raise _oob()
        _UINT[nbytes].pack_into(view, ptr, value & ((1 << (8 * nbytes)) - 1))

    def has_export(self, name: str) -> bool:
        return name in self._funcs

    def func_type(self, name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The flat signature of export ``name``.

        Raises:
            KeyError: no such function export.
        """
        return _flat_signature(self._funcs[name].type)

    def call(self, name: str, args: list[Any]) -> list[Any]:
        try:
            fn = self._funcs[name]
        except KeyError:
            raise LinkError(f"the core module exports no function {name!r}") from None
        return fn.invoke(args)

    def function(self, name: str) -> Callable[[list[Any]], list[Any]]:
        """A direct caller of export ``name`` (skips the name lookup on hot paths).

        Raises:
            LinkError: no such function export.
        """
        try:
            return self._funcs[name].invoke
        except KeyError:
            raise LinkError(f"the core module exports no function {name!r}") from None


def _host_function(ft: FuncType, fn: FlatFunc, name: str) -> HostFunction:
    nres = len(ft.results)
    i32_results = [i for i, t in enumerate(ft.results) if t in (ValType.I32, ValType.I64)]
    masks = [0xFFFF_FFFF if ft.results[i] == ValType.I32 else 0xFFFF_FFFF_FFFF_FFFF for i in i32_results]

    def call(args: list[Any]) -> list[Any]:
        out = fn(args)
        if len(out) != nres:
            raise TypeError(f"host function {name} returned {len(out)} values, expected {nres}")
        if i32_results:
            out = list(out)
            for i, mask in zip(i32_results, masks):
                out[i] &= mask
        return out
    return HostFunction(ft, call, name)


def instantiate_engine_core(module: bytes | Any, resolve: ImportResolver) -> EngineCore:
    """Decode, validate and instantiate ``module`` (bytes or a decoded module) on our interpreter;
    each function import is built from ``resolve(module, name, params, results)``.

    Raises:
        MalformedError, ValidationError: the module is not valid.
        LinkError: an import is unknown to ``resolve`` or not a function.
        Trap: instantiation trapped.
    """
    mod = decode_module(bytes(module)) if isinstance(module, (bytes, bytearray, memoryview)) else module
    if isinstance(module, (bytes, bytearray, memoryview)):
        validate_module(mod)
    externs: list[Any] = []
    for imp in mod.imports:
        if imp.kind != ExternKind.FUNC:
            raise LinkError(f"import {imp.module}::{imp.name}: only function imports can be provided")
        ft: FuncType = mod.types[imp.desc]
        params, results = _flat_signature(ft)
        got = resolve(imp.module, imp.name, params, results)
        if got is None:
            raise LinkError(f"unknown import: {imp.module}::{imp.name} has not been defined")
        if isinstance(got, FunctionInstance):
            externs.append(got)
        else:
            externs.append(_host_function(ft, got, f"{imp.module}::{imp.name}"))
    return EngineCore(instantiate(mod, externs))
