"""The ``spectest`` host module of the spec test scripts (spec ``interpreter/host/spectest.ml``).

Scripts import from a host module called ``spectest``: the functions ``print``, ``print_i32``,
``print_i64``, ``print_f32``, ``print_f64``, ``print_i32_f32``, ``print_f64_f64`` (no results;
here they append their arguments to a buffer instead of printing), the immutable globals
``global_i32`` = 666, ``global_i64`` = 666, ``global_f32`` = 666.6 (rounded to f32),
``global_f64`` = 666.6, a ``table`` of 10..20 ``funcref`` and a ``memory`` of 1..2 pages.
The objects are built through the engine's wasmtime-shaped public API, once per script file.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engines import EngineAdapter

__all__ = ["PRINT_SIGNATURES", "build_spectest", "f32_round"]

PRINT_SIGNATURES: dict[str, tuple[str, ...]] = {
    "print": (),
    "print_i32": ("i32",),
    "print_i64": ("i64",),
    "print_f32": ("f32",),
    "print_f64": ("f64",),
    "print_i32_f32": ("i32", "f32"),
    "print_f64_f64": ("f64", "f64"),
}


def f32_round(value: float) -> float:
    """``value`` rounded to the nearest f32 (ties to even), as a Python float."""
    return struct.unpack("<f", struct.pack("<f", value))[0]


def build_spectest(adapter: EngineAdapter, store: Any) -> dict[str, Any]:
    """Build the ``spectest`` exports in ``store``; ``adapter.printed`` collects the print calls."""
    api = adapter.api
    valtype = {
        "i32": api.ValType.i32(),
        "i64": api.ValType.i64(),
        "f32": api.ValType.f32(),
        "f64": api.ValType.f64(),
    }
    printed: list[tuple[str, tuple[Any, ...]]] = []
    adapter.printed = printed  # type: ignore[attr-defined]

    def printer(name: str) -> Any:
        def host_print(*args: Any) -> None:
            printed.append((name, args))

        return host_print

    exports: dict[str, Any] = {}
    for name, params in PRINT_SIGNATURES.items():
        functype = api.FuncType([valtype[p] for p in params], [])
        exports[name] = api.Func(store, functype, printer(name))
    for name, kind, value in (
        ("global_i32", "i32", 666),
        ("global_i64", "i64", 666),
        ("global_f32", "f32", f32_round(666.6)),
        ("global_f64", "f64", 666.6),
    ):
        exports[name] = api.Global(store, api.GlobalType(valtype[kind], False), value)
    exports["table"] = api.Table(store, api.TableType(api.ValType.funcref(), api.Limits(10, 20)), None)
    exports["memory"] = api.Memory(store, api.MemoryType(api.Limits(1, 2)))
    return exports
