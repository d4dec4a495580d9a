"""The ``pywasm-host`` command line.

Each subcommand lives in its own module exposing ``register(subparsers)``,
which adds an ``argparse`` parser whose ``func`` attribute runs it and
returns the process exit status.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

__all__ = ["main"]


#: Subcommand modules, in the order ``--help`` lists them.
SUBCOMMANDS = ("_cli_run", "_cli_inspect", "_cli_wat", "_cli_wit", "_cli_bindgen")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pywasm-host", description="Run WebAssembly from pure Python.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in SUBCOMMANDS:
        importlib.import_module(f"{__package__}.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``pywasm-host`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    status: int = args.func(args)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
