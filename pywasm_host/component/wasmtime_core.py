"""The canonical ABI's core-instance interface (``abi.canonical.core.CoreInstance``)
over wasmtime-py's core API (``wasmtime.Instance``), so that the same ABI
code runs over wasmtime's engine as over ours (component-model
``design/mvp/CanonicalABI.md``: the ABI only needs a memory and callable
core functions).  wasmtime-py is optional: importing this module without it
raises ``ImportError``.
"""

from __future__ import annotations

import ctypes
import struct
from collections.abc import Callable
from typing import Any

import wasmtime

from ..interpreter.errors import LinkError, Trap, TrapCode

__all__ = ["WasmtimeCore", "instantiate_wasmtime_core"]

_UINT = {1: struct.Struct("<B"), 2: struct.Struct("<H"), 4: struct.Struct("<I"), 8: struct.Struct("<Q")}
_MASKS = {"i32": 0xFFFF_FFFF, "i64": 0xFFFF_FFFF_FFFF_FFFF}
_VALTYPES = {"i32": wasmtime.ValType.i32, "i64": wasmtime.ValType.i64, "f32": wasmtime.ValType.f32,
             "f64": wasmtime.ValType.f64}


def _core_name(t: wasmtime.ValType) -> str:
    return str(t)


def _signed(v: Any, t: str) -> Any:
    if t == "i32":
        v &= 0xFFFF_FFFF
        return v - 0x1_0000_0000 if v & 0x8000_0000 else v
    if t == "i64":
        v &= 0xFFFF_FFFF_FFFF_FFFF
        return v - (1 << 64) if v >> 63 else v
    return v


def _oob() -> Trap:
    return Trap(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS)


def _convert_trap(e: wasmtime.Trap | wasmtime.WasmtimeError) -> Trap:
    msg = str(e).splitlines()[0] if str(e) else "trap"
    for code in TrapCode:
        if code.value in msg:
            return Trap(code, "(wasmtime: " + msg + ")")
    return Trap(TrapCode.HOST, "(wasmtime: " + msg + ")")


class WasmtimeCore:
    """``CoreInstance`` over a ``wasmtime.Instance`` in ``store`` (memory export ``memory``)."""

    def __init__(self, store: wasmtime.Store, instance: wasmtime.Instance, memory: str = "memory") -> None:
        self.store = store
        self.instance = instance
        exports = instance.exports(store)
        mem = exports.get(memory) if hasattr(exports, "get") else None
        self._mem: wasmtime.Memory | None = mem if isinstance(mem, wasmtime.Memory) else None
        self._funcs: dict[str, tuple[wasmtime.Func, list[str], list[str]]] = {}
        for name in _export_names(instance, store):
            f = exports[name]
            if isinstance(f, wasmtime.Func):
                ty = f.type(store)
                self._funcs[name] = (f, [_core_name(t) for t in ty.params], [_core_name(t) for t in ty.results])

    def memory_size(self) -> int:
        return 0 if self._mem is None else self._mem.data_len(self.store)

    def _base(self) -> int:
        # the address of linear memory; re-read on every access (memory.grow may move it)
        return ctypes.addressof(self._mem.data_ptr(self.store).contents)  # type: ignore[union-attr]

    def _check(self, ptr: int, n: int) -> None:
        if self._mem is None or ptr < 0 or n < 0 or ptr + n > self._mem.data_len(self.store):
            raise _oob()

    def read(self, ptr: int, n: int) -> bytes:
        self._check(ptr, n)
        return ctypes.string_at(self._base() + ptr, n) if n else b""

    def view(self, ptr: int, n: int) -> memoryview:
        """A zero-copy view of ``n`` bytes at ``ptr``, valid until the guest runs again."""
        self._check(ptr, n)
        return memoryview((ctypes.c_ubyte * n).from_address(self._base() + ptr)).cast("B")

    def write(self, ptr: int, data: bytes | bytearray | memoryview) -> None:
        n = memoryview(data).nbytes
        self._check(ptr, n)
        if n:
            ctypes.memmove(self._base() + ptr, data if isinstance(data, bytes) else bytes(data), n)

    def load_int(self, ptr: int, nbytes: int) -> int:
        return _UINT[nbytes].unpack(self.read(ptr, nbytes))[0]  # type: ignore[no-any-return]

    def store_int(self, ptr: int, nbytes: int, value: int) -> None:
        self.write(ptr, _UINT[nbytes].pack(value & ((1 << (8 * nbytes)) - 1)))

    def has_export(self, name: str) -> bool:
        return name in self._funcs

    def func_type(self, name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The flat signature of export ``name``.

        Raises:
            KeyError: no such function export.
        """
        _, params, results = self._funcs[name]
        return tuple(params), tuple(results)

    def call(self, name: str, args: list[Any]) -> list[Any]:
        try:
            f, params, results = self._funcs[name]
        except KeyError:
            raise LinkError(f"the core module exports no function {name!r}") from None
        try:
            out = f(self.store, *[_signed(a, t) for a, t in zip(args, params)])
        except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
            raise _convert_trap(e) from None
        if not results:
            return []
        if len(results) == 1:
            out = [out]
        return [v & _MASKS[t] if t in _MASKS else v for v, t in zip(out, results)]


def _export_names(instance: wasmtime.Instance, store: wasmtime.Store) -> list[str]:
    exports = instance.exports(store)
    try:
        return list(exports)
    except TypeError:  # pragma: no cover - older wasmtime-py
        return [e.name for e in instance.type(store).exports]  # type: ignore[attr-defined, unused-ignore]


def instantiate_wasmtime_core(module: bytes, resolve: Callable[[str, str, tuple[str, ...], tuple[str, ...]], Any],
                              engine: wasmtime.Engine | None = None) -> WasmtimeCore:
    """Instantiate ``module`` with wasmtime; function imports come from ``resolve(module, name, params, results)``
    (a flat callable, a ``wasmtime.Func``, or ``None`` when unknown).

    Raises:
        LinkError: an import is unknown or not a function.
        Trap: instantiation trapped.
    """
    engine = engine or wasmtime.Engine()
    store = wasmtime.Store(engine)
    mod = wasmtime.Module(engine, bytes(module))
    externs: list[Any] = []
    for imp in mod.imports:
        ty = imp.type
        if not isinstance(ty, wasmtime.FuncType):
            raise LinkError(f"import {imp.module}::{imp.name}: only function imports can be provided")
        params = tuple(_core_name(t) for t in ty.params)
        results = tuple(_core_name(t) for t in ty.results)
        got = resolve(imp.module, imp.name or "", params, results)
        if got is None:
            raise LinkError(f"unknown import: {imp.module}::{imp.name} has not been defined")
        if isinstance(got, wasmtime.Func):
            externs.append(got)
            continue
        externs.append(wasmtime.Func(store, ty, _adapter(got, params, results)))
    try:
        inst = wasmtime.Instance(store, mod, externs)
    except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
        raise _convert_trap(e) from None
    return WasmtimeCore(store, inst)


def _adapter(fn: Callable[[list[Any]], list[Any]], params: tuple[str, ...], results: tuple[str, ...]
             ) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        out = fn([a & _MASKS[t] if t in _MASKS else a for a, t in zip(args, params)])
        if not results:
            return None
        if len(results) == 1:
            return _signed(out[0], results[0])
        return tuple(_signed(v, t) for v, t in zip(out, results))
    return call
