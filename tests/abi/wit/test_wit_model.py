"""The resolved model's helpers (abi/wit/model.py), checked on hand-written WIT."""

from __future__ import annotations

import pytest
from pywasm_host.abi.errors import WitError
from pywasm_host.abi.wit import model as m
from pywasm_host.abi.wit.load import parse_source

TEXT = """package a:b@1.0.0;
interface base { resource r; type id = u32; }
interface user { use base.{r, id as ident}; f: func(x: ident, y: borrow<r>) -> r; }
world w1 { import user; }
world w2 { export f: func(); }
package x:y { world only { import g: func(); } }
"""


def test_select_world() -> None:
    resolve, main = parse_source("t.wit", TEXT)
    assert resolve.worlds[resolve.select_world(main, "w2")].name == "w2"
    assert resolve.worlds[resolve.select_world(None, "x:y/only")].name == "only"
    assert resolve.worlds[resolve.select_world(resolve.package_ids["x:y"])].name == "only"
    with pytest.raises(WitError, match="2 worlds"):
        resolve.select_world(main)
    with pytest.raises(WitError, match="no world named"):
        resolve.select_world(main, "w3")


def test_use_aliases_and_handles() -> None:
    resolve, main = parse_source("t.wit", TEXT)
    user = resolve.interfaces[resolve.packages[main].interfaces["user"]]
    base = resolve.interfaces[resolve.packages[main].interfaces["base"]]
    ident = resolve.types[user.types["ident"]]
    assert ident.kind == m.Alias(base.types["id"]) and ident.owner == m.Owner("interface", 1)
    assert resolve.unalias(user.types["ident"]) == "u32"
    f = user.functions["f"]
    borrow = resolve.types[f.params[1].type]  # type: ignore[index]
    assert borrow.kind == m.Handle(False, user.types["r"]) and borrow.name is None
    own = resolve.types[f.result]  # type: ignore[index]
    assert own.kind == m.Handle(True, user.types["r"])
    assert resolve.interface_direct_deps(resolve.packages[main].interfaces["user"]) == [0]
    w1 = resolve.worlds[resolve.select_world(main, "w1")]
    assert list(w1.imports) == [m.InterfaceKey(0), m.InterfaceKey(1)]  # `base` elaborated before `user`
