"""The resolved model as JSON in wit-parser's shape (the ``Resolve`` serialisation used by
``wasm-tools component wit --json`` and by the wit-parser UI tests).

Top level: ``worlds``, ``interfaces``, ``types``, ``packages``; references are
indices into those arrays; primitive types are strings; interfaces imported by
path are keyed ``interface-N``.
"""

from __future__ import annotations

import json
from typing import Any

from . import model as m

__all__ = ["to_json", "dumps"]


def _stab(s: m.Stability | None) -> dict[str, Any] | None:
    if s is None:
        return None
    inner: dict[str, Any] = {"since" if s.kind == "stable" else "feature": s.value}
    if s.deprecated is not None:
        inner["deprecated"] = s.deprecated
    return {s.kind: inner}


def _docs(d: str | None) -> dict[str, Any] | None:
    return None if d is None else {"contents": d}


def _put(obj: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        obj[key] = value


def _kind(k: m.TypeKind) -> Any:
    if isinstance(k, m.Alias):
        return {"type": k.type}
    if isinstance(k, m.Record):
        fields = []
        for f in k.fields:
            d: dict[str, Any] = {"name": f.name, "type": f.type}
            _put(d, "docs", _docs(f.docs))
            fields.append(d)
        return {"record": {"fields": fields}}
    if isinstance(k, m.Flags):
        flags = []
        for c in k.flags:
            d = {"name": c.name}
            _put(d, "docs", _docs(c.docs))
            flags.append(d)
        return {"flags": {"flags": flags}}
    if isinstance(k, m.Variant):
        cases = []
        for c in k.cases:
            d = {"name": c.name, "type": c.type}
            _put(d, "docs", _docs(c.docs))
            cases.append(d)
        return {"variant": {"cases": cases}}
    if isinstance(k, m.Enum):
        cases = []
        for c in k.cases:
            d = {"name": c.name}
            _put(d, "docs", _docs(c.docs))
            cases.append(d)
        return {"enum": {"cases": cases}}
    if isinstance(k, m.Tuple):
        return {"tuple": {"types": list(k.types)}}
    if isinstance(k, m.Option):
        return {"option": k.type}
    if isinstance(k, m.Result):
        return {"result": {"ok": k.ok, "err": k.err}}
    if isinstance(k, m.List):
        return {"list": k.type}
    if isinstance(k, m.FixedList):
        return {"fixed-length-list": [k.type, k.size]}
    if isinstance(k, m.Map):
        return {"map": [k.key, k.value]}
    if isinstance(k, m.Future):
        return {"future": k.type}
    if isinstance(k, m.Stream):
        return {"stream": k.type}
    if isinstance(k, m.Resource):
        return "resource"
    if isinstance(k, m.Handle):
        return {"handle": {"own" if k.own else "borrow": k.resource}}
    raise TypeError(f"unknown type kind {k!r}")


def _function(f: m.Function) -> dict[str, Any]:
    kind: Any = f.kind if f.resource is None else {f.kind: f.resource}
    d: dict[str, Any] = {"name": f.name, "kind": kind, "params": [{"name": p.name, "type": p.type} for p in f.params]}
    _put(d, "result", f.result)
    _put(d, "docs", _docs(f.docs))
    _put(d, "stability", _stab(f.stability))
    _put(d, "external_id", f.external_id)
    return d


def _key(k: m.WorldKey) -> str:
    return k if isinstance(k, str) else f"interface-{k.id}"


def _item(item: m.WorldItem) -> dict[str, Any]:
    if isinstance(item, m.InterfaceItem):
        d: dict[str, Any] = {"id": item.id}
        _put(d, "stability", _stab(item.stability))
        _put(d, "docs", _docs(item.docs))
        return {"interface": d}
    if isinstance(item, m.FunctionItem):
        return {"function": _function(item.func)}
    return {"type": item.id}


def to_json(resolve: m.Resolve) -> dict[str, Any]:
    """The JSON-ready dictionary of ``resolve``."""
    worlds = []
    for w in resolve.worlds:
        d: dict[str, Any] = {
            "name": w.name,
            "imports": {_key(k): _item(v) for k, v in w.imports.items()},
            "exports": {_key(k): _item(v) for k, v in w.exports.items()},
            "package": w.package,
        }
        _put(d, "docs", _docs(w.docs))
        _put(d, "stability", _stab(w.stability))
        worlds.append(d)
    interfaces = []
    for i in resolve.interfaces:
        d = {"name": i.name, "types": dict(i.types), "functions": {k: _function(f) for k, f in i.functions.items()}}
        _put(d, "docs", _docs(i.docs))
        _put(d, "stability", _stab(i.stability))
        d["package"] = i.package
        _put(d, "clone_of", i.clone_of)
        interfaces.append(d)
    types = []
    for t in resolve.types:
        d = {"name": t.name, "kind": _kind(t.kind), "owner": None if t.owner is None else {t.owner.kind: t.owner.id}}
        _put(d, "docs", _docs(t.docs))
        _put(d, "stability", _stab(t.stability))
        _put(d, "external_id", t.external_id)
        types.append(d)
    packages = []
    for p in resolve.packages:
        d = {"name": p.name}
        _put(d, "docs", _docs(p.docs))
        d["interfaces"] = dict(p.interfaces)
        d["worlds"] = dict(p.worlds)
        packages.append(d)
    return {"worlds": worlds, "interfaces": interfaces, "types": types, "packages": packages}


def dumps(resolve: m.Resolve) -> str:
    """``to_json`` rendered with 2-space indentation."""
    return json.dumps(to_json(resolve), indent=2)
