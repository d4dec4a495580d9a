"""``pywasm-host bindgen``: write typed Python bindings for a WIT world
(component-model ``design/mvp/WIT.md``; see :mod:`.component.bindgen`).

``pywasm-host bindgen PATH [--world W] [-o OUT.py]`` reads PATH (a ``.wit``
file, a WIT package directory, or a ``.wasm``: a wit-bindgen core module
with a ``component-type`` section, a WIT package or a component) and writes
the module to OUT.py (standard output without ``-o``).  Errors print the
message and exit with status 1.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["register"]


def _run(args: argparse.Namespace) -> int:
    from .abi.errors import WitError
    from .component.bindgen import generate_from_path

    try:
        source = generate_from_path(args.path, args.world)
    except WitError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if args.output in (None, "-"):
        sys.stdout.write(source)
        return 0
    try:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(source)
    except OSError as err:
        print(f"error: cannot write {args.output!r}: {err.strerror}", file=sys.stderr)
        return 1
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``bindgen`` subcommand."""
    p = subparsers.add_parser("bindgen", help="write typed Python bindings for a WIT world")
    p.add_argument("path", metavar="PATH", help=".wit file, package directory, or .wasm carrying WIT")
    p.add_argument("--world", metavar="W", help="the world (name in the package, or ns:pkg/name); "
                   "default: the package's only world, or the module's own")
    p.add_argument("-o", "--output", metavar="OUT.py", help="output file (default: standard output)")
    p.set_defaults(func=_run)
