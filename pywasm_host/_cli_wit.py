"""``pywasm-host wit``: parse, resolve and print WIT (component-model ``design/mvp/WIT.md``).

``pywasm-host wit PATH`` prints the resolved package as WIT text;
``--json`` prints every resolved package in wit-parser's JSON shape.  PATH is
a ``.wit`` file, a package directory (with ``deps/``) or a ``.wasm`` carrying
WIT: a WIT package encoded as a component, a core module with a
``component-type`` custom section, or a component (its own world, printed as
``root:component/root`` like wasm-tools does).  Errors print the ``WitError`` message
and exit with status 1.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["register"]


def _run(args: argparse.Namespace) -> int:
    from .abi.errors import WitError
    from .abi.wit.json_out import dumps
    from .abi.wit.load import load_path
    from .abi.wit.printer import print_resolve

    try:
        resolve, main = load_path(args.path, features=set(args.features or ()))
    except WitError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if args.json:
        sys.stdout.write(dumps(resolve) + "\n")
    else:
        sys.stdout.write(print_resolve(resolve, main))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``wit`` subcommand."""
    p = subparsers.add_parser("wit", help="parse and resolve WIT, print it as WIT text or JSON")
    p.add_argument("path", metavar="PATH", help=".wit file, package directory, or .wasm carrying WIT")
    p.add_argument("--json", action="store_true", help="print the resolved packages in wit-parser's JSON shape")
    p.add_argument("--features", action="append", metavar="NAME",
                   help="enable an @unstable feature (repeatable)")
    p.set_defaults(func=_run)
