"""``pywasm-host run`` and ``pywasm-host validate``, modelled on ``wasmtime run``.

``run FILE [ARGS...]`` runs a WASI command: the module's
``wasi_snapshot_preview1`` imports are served with ``ARGS`` as arguments
(``argv[0]`` is FILE), the directories given with ``--dir`` and the
variables given with ``--env``; stdin, stdout and stderr are this process's.
Its ``proc_exit`` status becomes the process exit status. ``--invoke NAME``
instead calls export ``NAME`` with ``ARGS`` parsed by its parameter types and
prints the results one per line. Exit statuses: the program's own, 1 for a
module that fails to load, link or run, 2 for bad command-line usage, 134
for a trap (as a Unix shell reports an abort).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from ._func import Func
from ._linker import Linker
from ._module import Module
from ._store import Config, Engine, Store
from .interpreter.errors import Trap, WasmError
from .interpreter.syntax.types import ValType
from .wasi import ExitTrap, WasiConfig

__all__ = ["register", "module_file_command"]

EXIT_TRAP = 134


class UsageError(Exception):
    """A bad command line: reported on stderr with status 2."""


def _parse_arg(t: ValType, text: str) -> Any:
    if t in (ValType.I32, ValType.I64):
        value = int(text, 0)
        bits = 32 if t == ValType.I32 else 64
        if not -(1 << (bits - 1)) <= value < (1 << bits):
            raise ValueError(f"{text} does not fit {t}")
        if value >= 1 << (bits - 1):  # accept unsigned spellings too
            value -= 1 << bits
        return value
    if t in (ValType.F32, ValType.F64):
        return float(text)
    raise ValueError(f"cannot pass a {t} argument on the command line")


def _format(value: Any) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def _dir_mapping(spec: str) -> tuple[str, str]:
    host, sep, guest = spec.partition("::")
    if not host:
        raise UsageError(f"--dir {spec!r}: empty host directory")
    return host, guest if sep else host


def _env_pair(spec: str) -> tuple[str, str]:
    name, sep, value = spec.partition("=")
    if not name:
        raise UsageError(f"--env {spec!r}: empty variable name")
    if not sep:  # `--env NAME` passes the host's value, as wasmtime does
        if name not in os.environ:
            raise UsageError(f"--env {name}: not set in this environment")
        value = os.environ[name]
    return name, value


def _wasi_config(args: argparse.Namespace) -> WasiConfig:
    config = WasiConfig()
    config.argv = [args.file, *args.args]
    config.env = [_env_pair(e) for e in args.env]
    for spec in args.dir:
        host, guest = _dir_mapping(spec)
        config.preopen_dir(host, guest)
    config.inherit_stdin()
    config.inherit_stdout()
    config.inherit_stderr()
    return config


def _run(args: argparse.Namespace) -> int:
    config = Config()
    if args.max_call_depth is not None:
        config.max_call_depth = args.max_call_depth
    if args.fuel is not None:
        setattr(config, "consume_fuel", True)  # noqa: B010 (a property with a custom setter)
    engine = Engine(config)
    store = Store(engine)
    try:
        if args.fuel is not None:
            store.set_fuel(args.fuel)
        module = Module.from_file(engine, args.file)
        linker = Linker(engine)
        linker.define_wasi()
        store.set_wasi(_wasi_config(args))
        instance = linker.instantiate(store, module)
        exports = instance.exports(store)
        if args.invoke is None:
            start = exports.get("_start")
            if not isinstance(start, Func):
                raise UsageError("no func export named `_start` found (use --invoke NAME to call another export)")
            start(store)
            return 0
        init = exports.get("_initialize")
        if isinstance(init, Func):
            init(store)
        func = exports.get(args.invoke)
        if not isinstance(func, Func):
            raise UsageError(f"no func export named `{args.invoke}` found")
        params = func.type(store).params
        if len(params) != len(args.args):
            raise UsageError(f"{args.invoke} takes {len(params)} arguments, got {len(args.args)}")
        try:
            values = [_parse_arg(t, a) for t, a in zip(params, args.args)]
        except ValueError as e:
            raise UsageError(f"bad argument: {e}") from None
        result = func(store, *values)
    except ExitTrap as e:
        return e.code
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except Trap as e:
        print(f"error: wasm trap: {e}", file=sys.stderr)
        return EXIT_TRAP
    except WasmError as e:
        print(f"error: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    finally:
        sys.stdout.flush()
    if result is not None:
        for value in result if isinstance(result, list) else [result]:
            print(_format(value))
    return 0


def module_file_command(path: str, report: Callable[[bytes], str]) -> int:
    """Write ``report(contents of path)`` to stdout; the exit status: 0, 2 for
    a file that cannot be read, 1 for a module that fails to load."""
    try:
        with open(path, "rb") as f:
            text = report(f.read())
    except OSError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except WasmError as e:
        print(f"error: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    sys.stdout.write(text)
    return 0


def _validate(args: argparse.Namespace) -> int:
    def report(data: bytes) -> str:
        Module.validate(Engine(), data)
        return f"{args.file}: valid\n"
    return module_file_command(args.file, report)


def register(sub: Any) -> None:
    run = sub.add_parser(
        "run", help="run a WebAssembly module (a WASI command, or one export with --invoke)",
        description="Run a WASI command module (its exit status becomes ours), or call one export "
                    "with --invoke.",
        epilog="example: pywasm-host run --dir data::/data --env LANG=C prog.wasm arg1 arg2")
    run.add_argument("--dir", action="append", default=[], metavar="HOST[::GUEST]",
                     help="give the program the host directory HOST, seen as GUEST (default: HOST)")
    run.add_argument("--env", action="append", default=[], metavar="NAME[=VALUE]",
                     help="set an environment variable (NAME alone passes this process's value)")
    run.add_argument("--invoke", metavar="NAME",
                     help="call export NAME with ARGS parsed by its parameter types and print the results")
    run.add_argument("--fuel", type=int, default=None, metavar="N",
                     help="run with N units of fuel (one per instruction, as wasmtime); trap when it runs out")
    run.add_argument("--max-call-depth", type=int, default=None, metavar="N", help="bound on nested wasm calls")
    run.add_argument("file", help="the .wasm module")
    run.add_argument("args", nargs=argparse.REMAINDER,
                     help="arguments: the program's argv[1:], or the values for --invoke")
    run.set_defaults(func=_run)
    val = sub.add_parser("validate", help="decode and validate a module", description="Decode and validate a module.")
    val.add_argument("file", help="the .wasm module")
    val.set_defaults(func=_validate)
