"""WIT, the WebAssembly Interface Type language (component-model ``design/mvp/WIT.md``).

Parse and resolve WIT text into the model of :mod:`.model`::

    from pywasm_host.abi.wit import load_path, to_json, print_resolve
    resolve, main = load_path("wit/")          # a .wit file, a package dir with deps/, or a .wasm
    world = resolve.worlds[resolve.packages[main].worlds["my-world"]]

The binary encoding (WIT packages as components, ``component-type`` custom
sections of core modules) is decoded by :mod:`pywasm_host.abi.binary.wit`.
Errors are :class:`~pywasm_host.abi.errors.WitError`.
"""

from __future__ import annotations

from ..errors import WitError
from .json_out import dumps, to_json
from .load import load_path, parse_source
from .model import Resolve
from .printer import print_resolve

__all__ = ["WitError", "Resolve", "load_path", "parse_source", "to_json", "dumps", "print_resolve"]
