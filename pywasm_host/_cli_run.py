"""``pywasm-host run`` and ``pywasm-host validate``.

``run --invoke NAME FILE [ARGS...]`` instantiates a module that has no
imports, calls export ``NAME`` with ``ARGS`` parsed by the export's parameter
types, and prints the results one per line (like ``wasmtime run --invoke``).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._func import Func
from ._instance import Instance
from ._module import Module
from ._store import Config, Engine, Store
from .interpreter.errors import Trap, WasmError
from .interpreter.syntax.types import ValType

__all__ = ["register"]


def _parse_arg(t: ValType, text: str) -> Any:
    if t in (ValType.I32, ValType.I64):
        value = int(text, 0)
        bits = 32 if t == ValType.I32 else 64
        if value >= 1 << (bits - 1):  # accept unsigned spellings too
            value -= 1 << bits
        return value
    if t in (ValType.F32, ValType.F64):
        return float(text)
    raise ValueError(f"cannot pass a {t} argument on the command line")


def _format(value: Any) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def _run(args: argparse.Namespace) -> int:
    config = Config()
    if args.max_call_depth is not None:
        config.max_call_depth = args.max_call_depth
    engine = Engine(config)
    store = Store(engine)
    try:
        module = Module.from_file(engine, args.file)
        if module.imports:
            names = ", ".join(f"{i.module}.{i.name}" for i in module.imports)
            print(f"error: the module has imports this command cannot provide yet: {names}", file=sys.stderr)
            return 2
        instance = Instance(store, module, [])
        if args.invoke is None:
            print("error: --invoke NAME is required (WASI commands are not supported yet)", file=sys.stderr)
            return 2
        func = instance.exports(store).get(args.invoke)
        if not isinstance(func, Func):
            print(f"error: no exported function named {args.invoke!r}", file=sys.stderr)
            return 2
        params = func.type(store).params
        if len(params) != len(args.args):
            print(f"error: {args.invoke} takes {len(params)} arguments, got {len(args.args)}", file=sys.stderr)
            return 2
        values = [_parse_arg(t, a) for t, a in zip(params, args.args)]
        result = func(store, *values)
    except OSError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except ValueError as e:
        print(f"error: bad argument: {e}", file=sys.stderr)
        return 2
    except Trap as e:
        print(f"error: wasm trap: {e}", file=sys.stderr)
        return 134
    except WasmError as e:
        print(f"error: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    if result is not None:
        for value in result if isinstance(result, list) else [result]:
            print(_format(value))
    return 0


def _validate(args: argparse.Namespace) -> int:
    try:
        with open(args.file, "rb") as f:
            Module.validate(Engine(), f.read())
    except OSError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except WasmError as e:
        print(f"error: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    print(f"{args.file}: valid")
    return 0


def register(sub: Any) -> None:
    run = sub.add_parser("run", help="run a WebAssembly module", description="Run a WebAssembly module.")
    run.add_argument("--invoke", metavar="NAME", help="exported function to call")
    run.add_argument("--max-call-depth", type=int, default=None, help="bound on nested wasm calls")
    run.add_argument("file", help="the .wasm module")
    run.add_argument("args", nargs="*", help="arguments for the invoked function")
    run.set_defaults(func=_run)
    val = sub.add_parser("validate", help="decode and validate a module", description="Decode and validate a module.")
    val.add_argument("file", help="the .wasm module")
    val.set_defaults(func=_validate)
