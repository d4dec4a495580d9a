"""The ``pywasm-host`` command line.

Each subcommand lives in its own module exposing ``register(subparsers)``,
which adds an ``argparse`` parser whose ``func`` attribute runs it and
returns the process exit status.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    from . import _cli_run

    parser = argparse.ArgumentParser(prog="pywasm-host", description="Run WebAssembly from pure Python.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    _cli_run.register(sub)
    try:
        from . import _cli_wit
    except ImportError:  # pragma: no cover - the WIT tools are optional during development
        pass
    else:
        _cli_wit.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``pywasm-host`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    status: int = args.func(args)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
