"""``pywasm-host wat2wasm`` and ``pywasm-host wasm2wat``: the text format (spec chapter 6) to
the binary format (spec chapter 5) and back, modelled on wabt's tools of the same names.

``wat2wasm IN.wat [-o OUT.wasm] [--no-check]`` parses a text module, validates it (unless
``--no-check``) and writes its binary (``IN.wasm`` by default, ``-`` for stdout).
``wasm2wat IN.wasm [-o OUT.wat] [--folded]`` decodes a binary module and prints it as text
(stdout by default), flat or folded.  ``IN`` may be ``-`` for stdin.  Errors are printed on
stderr as ``path:line:col: message`` for text (``path: message`` when there is no position) and
exit with status 1; a validation error names the line and column of the offending instruction
and shows its source line with a caret under it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .interpreter.binary.decode import decode_module
from .interpreter.binary.encode import encode_module
from .interpreter.errors import MalformedError, ValidationError, WasmError, caret_excerpt
from .interpreter.text.errors import TextFormatError
from .interpreter.text.parser import parse_module_source
from .interpreter.text.print import print_module
from .interpreter.valid.module import validate_module

__all__ = ["register"]


class _Failure(Exception):
    """A reported error: the message is printed as is, the status is 1."""


def _read(path: str) -> bytes:
    try:
        if path == "-":
            return sys.stdin.buffer.read()
        return Path(path).read_bytes()
    except OSError as exc:
        raise _Failure(f"{path}: cannot read: {exc.strerror or exc}") from None


def _write(path: str, data: bytes) -> None:
    try:
        if path == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            Path(path).write_bytes(data)
    except OSError as exc:
        raise _Failure(f"{path}: cannot write: {exc.strerror or exc}") from None


def _error_text(path: str, exc: WasmError) -> str:
    if isinstance(exc, TextFormatError):
        token = f" {exc.token!r}" if exc.token and exc.token not in exc.message else ""
        return f"{path}:{exc.line}:{exc.column}: {exc.message}{token}"
    if isinstance(exc, MalformedError):
        where = f" (at byte offset {exc.offset:#x})" if exc.offset is not None else ""
        return f"{path}: malformed module: {exc.message}{where}"
    if isinstance(exc, ValidationError):
        if exc.line is None or exc.column is None:
            return f"{path}: invalid module: {exc}"
        where = f" (in function {exc.func_index})" if exc.func_index is not None else ""
        excerpt = "\n" + caret_excerpt(exc.source_line, exc.column) if exc.source_line else ""
        return f"{path}:{exc.line}:{exc.column}: invalid module: {exc.message}{where}{excerpt}"
    return f"{path}: {exc}"


def _wat2wasm(args: argparse.Namespace) -> int:
    source: str = args.input
    data = _read(source)
    name = "<stdin>" if source == "-" else source
    try:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise TextFormatError("malformed UTF-8 encoding", 1, 1, "", name) from None
        module, positions = parse_module_source(text, name)
        if not args.no_check:
            try:
                validate_module(module)
            except ValidationError as exc:
                raise (exc if positions is None else exc.in_source(positions)) from None
        binary = encode_module(module)
    except WasmError as exc:
        raise _Failure(_error_text(name, exc)) from None
    except ValueError as exc:  # a value the binary format cannot hold
        raise _Failure(f"{name}: cannot encode: {exc}") from None
    output = args.output
    if output is None:
        output = "-" if source == "-" else str(Path(source).with_suffix(".wasm"))
    _write(output, binary)
    return 0


def _wasm2wat(args: argparse.Namespace) -> int:
    source: str = args.input
    data = _read(source)
    name = "<stdin>" if source == "-" else source
    try:
        module = decode_module(data)
    except WasmError as exc:
        raise _Failure(_error_text(name, exc)) from None
    text = print_module(module, folded=args.folded)
    _write(args.output or "-", text.encode("utf-8"))
    return 0


def _run(args: argparse.Namespace) -> int:
    try:
        status: int = args.tool(args)
    except _Failure as failure:
        print(str(failure), file=sys.stderr)
        return 1
    return status


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``wat2wasm`` and ``wasm2wat`` subcommands."""
    p = subparsers.add_parser(
        "wat2wasm",
        help="translate a module from the text format to the binary format",
        description="Parse a WebAssembly text module (.wat), validate it and write its binary encoding.",
    )
    p.add_argument("input", metavar="IN.wat", help="text module ('-' for stdin)")
    p.add_argument("-o", "--output", metavar="OUT.wasm", help="output file (default IN.wasm; '-' for stdout)")
    p.add_argument("--no-check", action="store_true", help="do not validate the module before writing it")
    p.set_defaults(func=_run, tool=_wat2wasm)

    p = subparsers.add_parser(
        "wasm2wat",
        help="translate a module from the binary format to the text format",
        description="Decode a WebAssembly binary module (.wasm) and print it in the text format.",
    )
    p.add_argument("input", metavar="IN.wasm", help="binary module ('-' for stdin)")
    p.add_argument("-o", "--output", metavar="OUT.wat", help="output file (default stdout)")
    p.add_argument("--folded", action="store_true", help="print folded expressions instead of flat instructions")
    p.set_defaults(func=_run, tool=_wasm2wat)
