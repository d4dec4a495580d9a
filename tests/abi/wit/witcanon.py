"""Index-free canonical form of wit-parser JSON, for structural comparison (conformance README, level 1+2).

Packages are identified by name, interfaces by ``pkg/name`` (inline ones by
their world and key), worlds by ``pkg/name``; named types become
``("named", owner, name)`` and anonymous types are expanded; ``interface-N``
world keys become the interface's identity.  Maps compare unordered.
"""

from __future__ import annotations

from typing import Any


def canonical(doc: dict[str, Any]) -> dict[str, Any]:
    types, ifaces, worlds, pkgs = doc["types"], doc["interfaces"], doc["worlds"], doc["packages"]

    def pkg(i: int | None) -> Any:
        return None if i is None else pkgs[i]["name"]

    inline: dict[int, Any] = {}
    for w in worlds:
        for direction in ("imports", "exports"):
            for key, item in w[direction].items():
                if "interface" in item and not key.startswith("interface-"):
                    iid = item["interface"]["id"]
                    if ifaces[iid]["name"] is None:  # shared by includes: the least owner names it
                        cand = (pkg(w["package"]), w["name"], direction, key)
                        inline[iid] = min(inline.get(iid, cand), cand)

    def iface_id(i: int) -> Any:
        f = ifaces[i]
        if f["name"] is None:
            return ("inline", inline.get(i, ("orphan", i)))
        return f"{pkg(f['package'])}/{f['name']}"

    def world_id(i: int) -> Any:
        return f"{pkg(worlds[i]['package'])}/{worlds[i]['name']}"

    def owner(o: Any) -> Any:
        if o is None:
            return None
        if "interface" in o:
            return ("interface", iface_id(o["interface"]))
        return ("world", world_id(o["world"]))

    def ty(t: Any, depth: int = 0) -> Any:
        if t is None or isinstance(t, str):
            return t
        td = types[t]
        if td["name"] is not None:
            return ("named", owner(td["owner"]), td["name"])
        return ("anon", kind(td["kind"], depth + 1))

    def kind(k: Any, depth: int = 0) -> Any:
        if isinstance(k, str):
            return k
        (tag, v), = k.items()
        if tag in ("type", "option", "list", "future", "stream"):
            return (tag, ty(v, depth))
        if tag == "record":
            return (tag, tuple((f["name"], ty(f["type"], depth), docs(f)) for f in v["fields"]))
        if tag == "flags":
            return (tag, tuple((f["name"], docs(f)) for f in v["flags"]))
        if tag == "variant":
            return (tag, tuple((c["name"], ty(c["type"], depth), docs(c)) for c in v["cases"]))
        if tag == "enum":
            return (tag, tuple((c["name"], docs(c)) for c in v["cases"]))
        if tag == "tuple":
            return (tag, tuple(ty(x, depth) for x in v["types"]))
        if tag == "result":
            return (tag, ty(v["ok"], depth), ty(v["err"], depth))
        if tag in ("fixed-length-list",):
            return (tag, ty(v[0], depth), v[1])
        if tag == "map":
            return (tag, ty(v[0], depth), ty(v[1], depth))
        if tag == "handle":
            (h, r), = v.items()
            return (tag, h, ty(r, depth))
        raise AssertionError(f"unknown kind {k}")

    def docs(o: dict[str, Any]) -> Any:
        d = o.get("docs")
        return None if d is None else d.get("contents")

    def stab(o: dict[str, Any]) -> Any:
        return o.get("stability")

    def func(f: dict[str, Any]) -> Any:
        k = f["kind"]
        if not isinstance(k, str):
            (tag, r), = k.items()
            k = (tag, ty(r))
        return {
            "name": f["name"], "kind": k, "params": [(p["name"], ty(p["type"])) for p in f["params"]],
            "result": ty(f.get("result")), "docs": docs(f), "stability": stab(f),
            "external_id": f.get("external_id"),
        }

    def item(i: dict[str, Any]) -> Any:
        if "interface" in i:
            v = i["interface"]
            return ("interface", iface_id(v["id"]), v.get("stability"), docs(v))
        if "function" in i:
            return ("function", func(i["function"]))
        return ("type", ty(i["type"]))

    def key(k: str) -> Any:
        return iface_id(int(k[len("interface-"):])) if k.startswith("interface-") else k

    out_ifaces = {}
    for i, f in enumerate(ifaces):
        out_ifaces[iface_id(i)] = {
            "types": {k: ty(v) for k, v in f["types"].items()},
            "functions": {k: func(v) for k, v in f["functions"].items()},
            "docs": docs(f), "stability": stab(f), "package": pkg(f["package"]),
            "clone_of": None if f.get("clone_of") is None else iface_id(f["clone_of"]),
        }
    out_worlds = {}
    for i, w in enumerate(worlds):
        out_worlds[world_id(i)] = {
            "imports": {key(k): item(v) for k, v in w["imports"].items()},
            "exports": {key(k): item(v) for k, v in w["exports"].items()},
            "docs": docs(w), "stability": stab(w), "package": pkg(w["package"]),
        }
    out_types = {}
    for t in types:
        if t["name"] is not None:
            out_types[(owner(t["owner"]), t["name"])] = (kind(t["kind"]), docs(t), stab(t), t.get("external_id"))
    out_pkgs = {}
    for p in pkgs:
        out_pkgs[p["name"]] = {
            "docs": docs(p),
            "interfaces": {k: iface_id(v) for k, v in p["interfaces"].items()},
            "worlds": {k: world_id(v) for k, v in p["worlds"].items()},
        }
    return {"packages": out_pkgs, "interfaces": out_ifaces, "worlds": out_worlds, "types": out_types}


def first_difference(a: Any, b: Any, path: str = "") -> str | None:
    """A readable path to the first place where ``a`` and ``b`` differ, or ``None``."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            if k not in a or k not in b:
                return f"{path}/{k!r}: {'missing in ours' if k not in a else 'extra in ours'}"
            d = first_difference(a[k], b[k], f"{path}/{k!r}")
            if d:
                return d
        return None
    if a != b:
        return f"{path}: ours={a!r} expected={b!r}"
    return None
