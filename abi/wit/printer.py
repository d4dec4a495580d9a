"""Printing a resolved model back as WIT text (component-model ``design/mvp/WIT.md``).

:func:`print_resolve` writes the main package with a ``package`` header and
every other package as a nested ``package … { }`` block.  Types brought in by
``use`` are printed as ``use`` statements, resources with their functions,
methods without their implicit ``self``, and a bare resource name stands for
``own<r>``.  Docs become ``///`` comments and gates ``@since`` / ``@unstable`` /
``@deprecated`` attributes.
"""

from __future__ import annotations

from ..errors import WitError
from . import model as m
from .lexer import KEYWORDS

__all__ = ["print_resolve"]


def _id(name: str) -> str:
    return f"%{name}" if name in KEYWORDS else name


class _Printer:
    def __init__(self, r: m.Resolve) -> None:
        self.r = r
        self.out: list[str] = []
        self._grouped: tuple[dict[str, m.Function], dict[int, list[tuple[str, m.Function]]]] | None = None

    def by_resource(self, funcs: dict[str, m.Function]) -> dict[int, list[tuple[str, m.Function]]]:
        """``funcs`` grouped by the resource they belong to (cached for the map being printed)."""
        if self._grouped is None or self._grouped[0] is not funcs:
            grouped: dict[int, list[tuple[str, m.Function]]] = {}
            for name, f in funcs.items():
                if f.resource is not None:
                    grouped.setdefault(f.resource, []).append((name, f))
            self._grouped = (funcs, grouped)  # keeps ``funcs`` alive, so identity is meaningful
        return self._grouped[1]

    def line(self, depth: int, text: str) -> None:
        self.out.append("  " * depth + text if text else "")

    def docs(self, depth: int, docs: str | None) -> None:
        if docs is None:
            return
        for ln in docs.split("\n"):
            self.line(depth, f"///{' ' + ln if ln else ''}")

    def gates(self, depth: int, s: m.Stability | None, external_id: str | None = None) -> None:
        if external_id is not None:
            self.line(depth, f'@external-id("{external_id}")')
        if s is None:
            return
        if s.kind == "stable":
            self.line(depth, f"@since(version = {s.value})")
        else:
            self.line(depth, f"@unstable(feature = {_id(s.value)})")
        if s.deprecated is not None:
            self.line(depth, f"@deprecated(version = {s.deprecated})")

    # ---- types -------------------------------------------------------------

    def ty(self, t: m.Type | None) -> str:
        if t is None:
            return "_"
        if isinstance(t, str):
            return t
        td = self.r.types[t]
        if td.name is not None:
            return _id(td.name)
        return self.kind_text(td.kind)

    def kind_text(self, k: m.TypeKind) -> str:
        """WIT text of a structural type kind."""
        if isinstance(k, m.Handle):
            name = self.ty(k.resource)
            return name if k.own else f"borrow<{name}>"
        if isinstance(k, m.List):
            return f"list<{self.ty(k.type)}>"
        if isinstance(k, m.FixedList):
            return f"list<{self.ty(k.type)}, {k.size}>"
        if isinstance(k, m.Map):
            return f"map<{self.ty(k.key)}, {self.ty(k.value)}>"
        if isinstance(k, m.Option):
            return f"option<{self.ty(k.type)}>"
        if isinstance(k, m.Tuple):
            return f"tuple<{', '.join(self.ty(x) for x in k.types)}>"
        if isinstance(k, m.Result):
            if k.ok is None and k.err is None:
                return "result"
            if k.err is None:
                return f"result<{self.ty(k.ok)}>"
            return f"result<{self.ty(k.ok)}, {self.ty(k.err)}>"
        if isinstance(k, (m.Future, m.Stream)):
            word = "future" if isinstance(k, m.Future) else "stream"
            return word if k.type is None else f"{word}<{self.ty(k.type)}>"
        if isinstance(k, m.Alias):
            return self.ty(k.type)
        raise TypeError(f"cannot print anonymous {k!r}")

    def func_sig(self, f: m.Function) -> str:
        params = f.params[1:] if f.kind in ("method", "async-method") else f.params
        text = "(" + ", ".join(f"{_id(p.name)}: {self.ty(p.type)}" for p in params) + ")"
        if f.kind == "constructor":
            if f.result is not None and isinstance(f.result, int) and \
                    isinstance(self.r.types[f.result].kind, m.Result):
                text += f" -> {self.ty(f.result)}"
            return text
        if f.result is not None:
            text += f" -> {self.ty(f.result)}"
        return text

    def func(self, depth: int, name: str, f: m.Function) -> None:
        self.docs(depth, f.docs)
        self.gates(depth, f.stability, f.external_id)
        prefix = "async func" if f.kind.startswith("async") else "func"
        self.line(depth, f"{_id(name)}: {prefix}{self.func_sig(f)};")

    def typedef(self, depth: int, type_id: int, funcs: dict[str, m.Function]) -> None:
        td = self.r.types[type_id]
        k = td.kind
        assert td.name is not None
        self.docs(depth, td.docs)
        self.gates(depth, td.stability, td.external_id)
        name = _id(td.name)
        if isinstance(k, m.Record):
            self.line(depth, f"record {name} {{")
            for f in k.fields:
                self.docs(depth + 1, f.docs)
                self.line(depth + 1, f"{_id(f.name)}: {self.ty(f.type)},")
            self.line(depth, "}")
        elif isinstance(k, (m.Flags, m.Enum)):
            word = "flags" if isinstance(k, m.Flags) else "enum"
            cases = k.flags if isinstance(k, m.Flags) else k.cases
            self.line(depth, f"{word} {name} {{")
            for c in cases:
                self.docs(depth + 1, c.docs)
                self.line(depth + 1, f"{_id(c.name)},")
            self.line(depth, "}")
        elif isinstance(k, m.Variant):
            self.line(depth, f"variant {name} {{")
            for c in k.cases:
                self.docs(depth + 1, c.docs)
                self.line(depth + 1, f"{_id(c.name)}" + (f"({self.ty(c.type)})" if c.type is not None else "") + ",")
            self.line(depth, "}")
        elif isinstance(k, m.Resource):
            own = self.by_resource(funcs).get(type_id, [])
            if not own:
                self.line(depth, f"resource {name};")
                return
            self.line(depth, f"resource {name} {{")
            for _n, rf in own:
                self.docs(depth + 1, rf.docs)
                self.gates(depth + 1, rf.stability, rf.external_id)
                short = rf.name.split(".", 1)[-1] if "." in rf.name else ""
                if rf.kind == "constructor":
                    self.line(depth + 1, f"constructor{self.func_sig(rf)};")
                else:
                    word = "static " if "static" in rf.kind else ""
                    word += "async " if rf.kind.startswith("async") else ""
                    self.line(depth + 1, f"{_id(short)}: {word}func{self.func_sig(rf)};")
            self.line(depth, "}")
        elif isinstance(k, m.Alias):
            self.line(depth, f"type {name} = {self.ty(k.type)};")
        else:
            self.line(depth, f"type {name} = {self.kind_text(k)};")

    def iface_ref(self, iface: int, from_pkg: int | None) -> str:
        i = self.r.interfaces[iface]
        if i.package == from_pkg and i.name is not None:
            return _id(i.name)
        return self.r.interface_path(iface) or "?"

    def type_items(self, depth: int, types: dict[str, int], funcs: dict[str, m.Function], pkg: int | None) -> None:
        uses: dict[tuple[int, m.Stability | None, str | None], list[str]] = {}
        for local, type_id in types.items():
            td = self.r.types[type_id]
            if isinstance(td.kind, m.Alias) and isinstance(td.kind.type, int):
                target = self.r.types[td.kind.type]
                if target.owner is not None and target.owner != td.owner and target.owner.kind == "interface":
                    name = target.name or ""
                    entry = _id(name) if name == local else f"{_id(name)} as {_id(local)}"
                    uses.setdefault((target.owner.id, td.stability, td.external_id), []).append(entry)
                    continue
        for (iface, stab, ext), names in uses.items():
            self.gates(depth, stab, ext)
            self.line(depth, f"use {self.iface_ref(iface, pkg)}.{{{', '.join(names)}}};")
        for type_id in types.values():
            td = self.r.types[type_id]
            if isinstance(td.kind, m.Alias) and isinstance(td.kind.type, int):
                target = self.r.types[td.kind.type]
                if target.owner is not None and target.owner != td.owner and target.owner.kind == "interface":
                    continue
            self.typedef(depth, type_id, funcs)

    def interface_body(self, depth: int, iface: m.Interface) -> None:
        self.type_items(depth, iface.types, iface.functions, iface.package)
        for name, f in iface.functions.items():
            if f.resource is None:
                self.func(depth, name, f)

    def world(self, depth: int, w: m.World) -> None:
        self.docs(depth, w.docs)
        self.gates(depth, w.stability)
        self.line(depth, f"world {_id(w.name)} {{")
        types = {k: v.id for k, v in w.imports.items() if isinstance(k, str) and isinstance(v, m.TypeItem)}
        funcs = {k: v.func for k, v in w.imports.items() if isinstance(k, str) and isinstance(v, m.FunctionItem)}
        self.type_items(depth + 1, types, funcs, w.package)
        for word, items in (("import", w.imports), ("export", w.exports)):
            for key, item in items.items():
                if isinstance(item, m.TypeItem):
                    continue
                if isinstance(item, m.FunctionItem):
                    if item.func.resource is not None:
                        continue
                    self.docs(depth + 1, item.func.docs)
                    self.gates(depth + 1, item.func.stability, item.func.external_id)
                    prefix = "async func" if item.func.kind.startswith("async") else "func"
                    self.line(depth + 1, f"{word} {_id(str(key))}: {prefix}{self.func_sig(item.func)};")
                    continue
                self.docs(depth + 1, item.docs)
                self.gates(depth + 1, item.stability)
                if isinstance(key, m.InterfaceKey):
                    self.line(depth + 1, f"{word} {self.iface_ref(item.id, w.package)};")
                elif self.r.interfaces[item.id].name is None:
                    self.line(depth + 1, f"{word} {_id(key)}: interface {{")
                    self.interface_body(depth + 2, self.r.interfaces[item.id])
                    self.line(depth + 1, "}")
                else:
                    self.line(depth + 1, f"{word} {_id(key)}: {self.iface_ref(item.id, w.package)};")
        self.line(depth, "}")

    def all(self, main: int) -> None:
        """The main package, then every other one as a nested block."""
        if not self.r.packages:
            return
        self.package(main, nested=False)
        for pkg_id in range(len(self.r.packages)):
            if pkg_id != main:
                self.line(0, "")
                self.package(pkg_id, nested=True)

    def package(self, pkg_id: int, nested: bool) -> None:
        p = self.r.packages[pkg_id]
        depth = 1 if nested else 0
        self.docs(0, p.docs)
        base, at, version = p.name.partition("@")
        ns, _, pname = base.partition(":")
        self.line(0, f"package {_id(ns)}:{_id(pname)}{at}{version}" + (" {" if nested else ";"))
        for _name, iface_id in p.interfaces.items():
            iface = self.r.interfaces[iface_id]
            self.line(depth, "")
            self.docs(depth, iface.docs)
            self.gates(depth, iface.stability)
            self.line(depth, f"interface {_id(iface.name or '')} {{")
            self.interface_body(depth + 1, iface)
            self.line(depth, "}")
        for _name, world_id in p.worlds.items():
            self.line(depth, "")
            self.world(depth, self.r.worlds[world_id])
        if nested:
            self.line(0, "}")


def print_resolve(resolve: m.Resolve, main: int | None = None) -> str:
    """WIT text of ``main`` (default: ``resolve.main`` or the last package), other packages nested."""
    if main is None:
        main = resolve.main if resolve.main is not None else len(resolve.packages) - 1
    p = _Printer(resolve)
    try:
        p.all(main)
    except RecursionError:
        raise WitError("types nest too deeply to print") from None
    return "\n".join(p.out) + "\n"
