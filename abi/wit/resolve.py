"""Name resolution and world elaboration of WIT packages (component-model ``design/mvp/WIT.md``).

:func:`resolve_packages` takes parsed packages (:class:`UnresolvedPackage`),
orders them by their cross-package references (dependencies first), and
resolves each into a shared :class:`~.model.Resolve`: ``use`` statements,
type declarations (sorted so referenced types come first), functions and
resource functions, feature gates (``@since``, ``@unstable`` with the
enabled feature set, ``@deprecated``), world ``include``s and the
elaboration of world imports and exports.  Every rule violation raises a
:class:`~..errors.WitError` pointing at the offending source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..errors import WitError
from . import ast
from . import model as m
from .docs import docs_text
from .elaborate import elaborate_world, merge_include
from .semver import semver_key

__all__ = ["UnresolvedPackage", "resolve_packages", "DEFAULT_FEATURES"]

DEFAULT_FEATURES: frozenset[str] = frozenset()

_MAP_KEYS = frozenset("bool u8 u16 u32 u64 s8 s16 s32 s64 char string".split())

TopItem = ast.Interface | ast.World | ast.TopUse


@dataclass(slots=True)
class UnresolvedPackage:
    """One package as parsed: its name, docs and the top-level items of each file
    (each file keeps its own scope for top-level ``use``)."""

    name: ast.PackageName
    attrs: ast.Attributes = field(default_factory=ast.Attributes)
    files: list[tuple[ast.Span | None, tuple[TopItem, ...]]] = field(default_factory=list)


def _external_id(attrs: ast.Attributes) -> str | None:
    for gate in attrs.gates:
        if gate.kind == "external-id":
            return gate.value
    return None


# ---- helpers shared by the passes --------------------------------------------------------------------------


def _paths_of_items(items: Iterable[object]) -> Iterator[ast.UsePath]:
    for path, _want in _paths_with_kind(items):
        yield path


def _paths_with_kind(items: Iterable[object]) -> Iterator[tuple[ast.UsePath, str]]:
    """Every path in ``items`` with the kind it must name (``interface`` or ``world``)."""
    for item in items:
        if isinstance(item, (ast.Use, ast.TopUse)):
            yield item.path, "interface"
        elif isinstance(item, ast.Include):
            yield item.path, "world"
        elif isinstance(item, ast.WorldExtern):
            ext = item.item
            if isinstance(ext, ast.ExternPath):
                yield ext.path, "interface"
            elif isinstance(ext, ast.ExternInterface):
                yield from _paths_with_kind(ext.items)
        elif isinstance(item, (ast.Interface, ast.World)):
            yield from _paths_with_kind(item.items)


def _type_refs(expr: ast.TypeExpr | None) -> Iterator[ast.Id]:
    """Named references inside a type expression (iteratively: depth is bounded by the parser anyway)."""
    stack: list[ast.TypeExpr | None] = [expr]
    while stack:
        t = stack.pop()
        if t is None or isinstance(t, ast.Prim):
            continue
        if isinstance(t, ast.Named):
            yield t.id
        elif isinstance(t, ast.Handle):
            yield t.resource
        elif isinstance(t, (ast.ListType, ast.FixedList, ast.OptionType, ast.FutureType, ast.StreamType)):
            stack.append(t.elem)
        elif isinstance(t, ast.MapType):
            stack += [t.key, t.value]
        elif isinstance(t, ast.TupleType):
            stack.extend(t.types)
        elif isinstance(t, ast.ResultType):
            stack += [t.ok, t.err]


def _decl_refs(body: object) -> Iterator[ast.Id]:
    if isinstance(body, ast.Alias):
        yield from _type_refs(body.type)
    elif isinstance(body, ast.Record):
        for f in body.fields:
            yield from _type_refs(f.type)
    elif isinstance(body, ast.Variant):
        for c in body.cases:
            yield from _type_refs(c.type)


def _toposort(names: list[str], deps: dict[str, list[ast.Id]], what: str,
              decl_spans: dict[str, ast.Span] | None = None) -> list[str]:
    """Order ``names`` so dependencies come first (iterative DFS).

    Raises:
        WitError: on a cycle, naming the item whose reference closes it, at its
            declaration (``decl_spans``) or else at the reference that reached it.
    """
    state: dict[str, int] = {}
    entry: dict[str, ast.Span] = {}
    order: list[str] = []
    for root in names:
        if root in state:
            continue
        state[root] = 1
        stack: list[tuple[str, Iterator[ast.Id]]] = [(root, iter(deps.get(root, ())))]
        while stack:
            name, it = stack[-1]
            for ref in it:
                if ref.name not in deps:
                    continue
                st = state.get(ref.name)
                if st == 1:
                    span = decl_spans[name] if decl_spans is not None else entry.get(name, ref.span)
                    raise span.error(f"{what} `{name}` depends on itself")
                if st is None:
                    state[ref.name] = 1
                    entry[ref.name] = ref.span
                    stack.append((ref.name, iter(deps[ref.name])))
                    break
            else:
                stack.pop()
                state[name] = 2
                order.append(name)
    return order


# ---- package ordering --------------------------------------------------------------------------------------


def resolve_packages(
    packages: list[UnresolvedPackage], resolve: m.Resolve | None = None, features: Iterable[str] = DEFAULT_FEATURES
) -> tuple[m.Resolve, list[int]]:
    """Resolve ``packages`` (in any order) into ``resolve`` (a new one by default).

    Returns the resolve and the ids of the new packages, in the order given.

    Raises:
        WitError: for duplicate packages, dependency cycles and every resolution error.
    """
    resolve = resolve if resolve is not None else m.Resolve()
    feats = frozenset(features)
    by_name: dict[str, UnresolvedPackage] = {}
    for pkg in packages:
        key = str(pkg.name)
        prev = by_name.get(key)
        if prev is not None or key in resolve.package_ids:
            where = [p.name.span for p in (pkg, prev) if p is not None]
            lines = "".join(
                f"\n  * {s.source.path}:{s.source.text.count(chr(10), 0, s.start) + 1}:"
                f"{s.start - s.source.text.rfind(chr(10), 0, s.start)}" for s in where
            )
            raise WitError(f"package `{key}` is defined in two different locations:{lines}")
        by_name[key] = pkg

    deps: dict[str, list[ast.Id]] = {}
    for key, pkg in by_name.items():
        refs: list[ast.Id] = []
        for _span, items in pkg.files:
            for path in _paths_of_items(items):
                if path.package is None:
                    continue
                dep = str(path.package)
                if dep not in by_name and dep not in resolve.package_ids:
                    known = "".join(f"\n    {n}" for n in sorted(set(by_name) | set(resolve.package_ids)))
                    raise path.package.span.error(
                        f"package '{dep}' not found. known packages:{known}" if known else f"package '{dep}' not found"
                    )
                refs.append(ast.Id(dep, path.package.span))
        deps[key] = refs
    try:
        order = _toposort(list(by_name), deps, "package")
    except WitError as err:
        name = err.message.split("`")[1]
        raise WitError(f"package `{name}` creates a dependency cycle", err.path, err.line, err.column,
                       err.excerpt) from None
    ids: dict[str, int] = {}
    try:
        for key in order:
            ids[key] = _PackageResolver(resolve, by_name[key], feats).run()
    except RecursionError:  # a last guard: the passes are iterative where depth depends on input
        raise WitError("WIT definitions nest too deeply to resolve") from None
    return resolve, [ids[str(p.name)] for p in packages]


# ---- one package -------------------------------------------------------------------------------------------

# entries of a type namespace
_GATED = ("gated", 0)
_FUNC = ("func", 0)


class _PackageResolver:
    def __init__(self, resolve: m.Resolve, pkg: UnresolvedPackage, features: frozenset[str]) -> None:
        self.r = resolve
        self.pkg = pkg
        self.features = features
        self.pkg_id = -1
        self.decls: dict[str, tuple[str, ast.Interface | ast.World, int]] = {}
        self.gated: set[str] = set()
        self.done: dict[str, int] = {}
        self.scopes: list[dict[str, tuple[str, int | str, ast.Span]]] = []
        self.decl_span: ast.Span | None = None
        self.ref_site: ast.Span | None = None  # where wit-parser reports gated-out references
        self.in_func = False  # names in signatures see functions too (wit-parser's wording differs)

    # ---- gates -----------------------------------------------------------------------------------------

    def stability(self, attrs: ast.Attributes, span: ast.Span | None = None) -> tuple[bool, m.Stability | None]:
        """Whether the item (at ``span``) is active, and its stability."""
        since = unstable = deprecated = None
        for gate in attrs.gates:
            if gate.kind == "since":
                if since is not None or unstable is not None:
                    raise gate.span.error("only one `@since` or `@unstable` is allowed")
                since = gate
                version = self.pkg.name.version
                if version is None:
                    raise (span or gate.span).error(
                        f"package [{self.pkg.name}] contains a feature gate with a version specifier, so it must "
                        "have a version")
                if semver_key(gate.value, gate.span) > semver_key(version, gate.span):
                    raise (span or gate.span).error(
                        f"feature gate cannot reference unreleased version {gate.value} of package "
                        f"[{self.pkg.name}] (current version {version})"
                    )
            elif gate.kind == "unstable":
                if since is not None or unstable is not None:
                    raise gate.span.error("only one `@since` or `@unstable` is allowed")
                unstable = gate
            elif gate.kind == "deprecated":
                if deprecated is not None:
                    raise gate.span.error("only one `@deprecated` is allowed")
                deprecated = gate
        if deprecated is not None and since is None and unstable is None:
            raise deprecated.span.error("`@deprecated` requires `@since` or `@unstable`")
        dep = deprecated.value if deprecated is not None else None
        if since is not None:
            return True, m.Stability("stable", since.value, dep)
        if unstable is not None:
            return unstable.value in self.features, m.Stability("unstable", unstable.value, dep)
        return True, None

    # ---- driver ----------------------------------------------------------------------------------------

    def run(self) -> int:
        pkg = self.pkg
        self.pkg_id = len(self.r.packages)
        self.r.packages.append(m.Package(str(pkg.name), docs_text(pkg.attrs.docs)))
        self.r.package_ids[str(pkg.name)] = self.pkg_id
        for file_index, (_span, items) in enumerate(pkg.files):
            for item in items:
                if isinstance(item, (ast.Interface, ast.World)):
                    name = item.name.name
                    if name in self.decls:
                        raise item.name.span.error(f"duplicate item named `{name}`")
                    kind = "interface" if isinstance(item, ast.Interface) else "world"
                    self.decls[name] = (kind, item, file_index)
                    active, _ = self.stability(item.attrs, item.name.span)
                    if not active:
                        self.gated.add(name)
        for _span, items in pkg.files:
            scope: dict[str, tuple[str, int | str, ast.Span]] = {}
            for item in items:
                if isinstance(item, ast.TopUse):
                    active, _ = self.stability(item.attrs)
                    alias = item.as_ or item.path.name
                    if alias.name in self.decls:
                        raise self.decls[alias.name][1].name.span.error(f"duplicate name `{alias.name}` in this file")
                    if alias.name in scope:
                        raise alias.span.error(f"duplicate name `{alias.name}` in this file")
                    if not active:
                        continue
                    if item.path.package is None:
                        target = self.decls.get(item.path.name.name)
                        if target is None:
                            raise item.path.name.span.error(
                                f"interface or world `{item.path.name.name}` does not exist")
                        if target[0] != "interface":
                            raise item.path.name.span.error(
                                f"name `{item.path.name.name}` is defined as a world, not an interface")
                        scope[alias.name] = ("local", item.path.name.name, item.path.name.span)
                    else:
                        scope[alias.name] = ("foreign", self.foreign(item.path, "interface"), item.path.name.span)
            self.scopes.append(scope)
        deps: dict[str, list[ast.Id]] = {}
        for name, (_kind, node, file_index) in self.decls.items():
            if name in self.gated:
                if isinstance(node, ast.Interface):
                    self.check_gated_body(node.items)
                continue
            refs = []
            for path, want in _paths_with_kind(node.items):
                if path.package is None:
                    entry = self.scopes[file_index].get(path.name.name)
                    if entry is None:
                        decl = self.decls.get(path.name.name)
                        if decl is not None and decl[0] != want:
                            self.lookup(path, file_index, want)  # raises the kind mismatch
                        refs.append(path.name)
                    elif entry[0] == "local":
                        refs.append(ast.Id(str(entry[1]), path.name.span))
            deps[name] = refs
        spans = {n: d[1].name.span for n, d in self.decls.items()}
        for name in _toposort(list(deps), deps, "interface or world", spans):
            kind, node, file_index = self.decls[name]
            if isinstance(node, ast.Interface):
                self.done[name] = self.interface(node, file_index)
            else:
                self.done[name] = self.world(node, file_index)
        package = self.r.packages[self.pkg_id]
        for name, (kind, _node, _f) in self.decls.items():
            if name in self.done:
                (package.interfaces if kind == "interface" else package.worlds)[name] = self.done[name]
        return self.pkg_id

    def check_gated_body(self, items: tuple[object, ...]) -> None:
        """A gated-out interface may not hold ungated types (wit-parser rejects them)."""
        for sub in items:
            if isinstance(sub, ast.TypeDecl) and not any(g.kind in ("since", "unstable") for g in sub.attrs.gates):
                raise sub.name.span.error(
                    "found a reference to a interface which is excluded due to its feature not being "
                    "activated; this type is not gated by a feature but its interface is")

    # ---- paths -----------------------------------------------------------------------------------------

    def foreign(self, path: ast.UsePath, want: str) -> int:
        assert path.package is not None  # callers check
        pkg_name = str(path.package)
        pkg = self.r.packages[self.r.package_ids[pkg_name]]
        table = pkg.interfaces if want == "interface" else pkg.worlds
        found = table.get(path.name.name)
        if found is None:
            raise path.name.span.error(f"{want} '{path.name.name}' not found in package '{pkg_name}'")
        return found

    def lookup(self, path: ast.UsePath, file_index: int, want: str) -> int:
        """The interface or world id a path names."""
        if path.package is not None:
            return self.foreign(path, want)
        ident = path.name
        entry = self.scopes[file_index].get(ident.name)
        if entry is not None:
            if entry[0] == "foreign":
                if want != "interface":
                    raise ident.span.error(f"name `{ident.name}` is defined as an interface, not a world")
                return int(entry[1])
            local = str(entry[1])
        else:
            local = ident.name
        decl = self.decls.get(local)
        if decl is None:
            raise ident.span.error(f"interface or world `{ident.name}` does not exist")
        if decl[0] != want:
            other = "an interface" if decl[0] == "interface" else "a world"
            raise ident.span.error(f"name `{ident.name}` is defined as {other}, not {'an' if want == 'interface' else 'a'} {want}")
        if local in self.gated:
            raise ident.span.error(
                f"found a reference to a {want} which is excluded due to its feature not being activated")
        return self.done[local]

    # ---- interfaces ------------------------------------------------------------------------------------

    def interface(self, node: ast.Interface, file_index: int) -> int:
        _, stab = self.stability(node.attrs, node.name.span)
        return self.interface_body(node.name.name, node.items, file_index, docs_text(node.attrs.docs), stab)

    def interface_body(self, name: str | None, items: tuple[object, ...], file_index: int, docs: str | None,
                       stab: m.Stability | None) -> int:
        iface_id = len(self.r.interfaces)
        iface = m.Interface(name, docs=docs, stability=stab, package=self.pkg_id)
        self.r.interfaces.append(iface)
        owner = m.Owner("interface", iface_id)
        names: dict[str, tuple[str, int]] = {}

        def add_type(tname: str, type_id: int) -> None:
            iface.types[tname] = type_id

        def add_func(func: m.Function, span: ast.Span) -> None:
            if func.name in iface.functions:
                raise span.error(f"name `{func.name}` is defined more than once")
            iface.functions[func.name] = func

        self.items(items, file_index, owner, names, add_type, add_func)
        return iface_id

    def items(self, items: tuple[object, ...], file_index: int, owner: m.Owner, names: dict[str, tuple[str, int]],
              add_type: Callable[[str, int], None], add_func: Callable[[m.Function, ast.Span], None]) -> None:
        """Resolve the ``use``s, type declarations and functions of an interface or world."""
        # uses first
        for item in items:
            if not isinstance(item, ast.Use):
                continue
            active, stab = self.stability(item.attrs)
            if not active:
                if owner.kind == "world" and item.names:  # as for types: wit-parser links them into the world
                    raise item.names[0].name.span.error(
                        "found a reference to a type which is excluded due to its feature not being activated")
                for un in item.names:
                    names.setdefault((un.as_ or un.name).name, _GATED)
                continue
            target = self.lookup(item.path, file_index, "interface")
            target_types = self.r.interfaces[target].types
            for un in item.names:
                found = target_types.get(un.name.name)
                if found is None:
                    if item.path.package is not None:
                        raise un.name.span.error(f"type `{un.name.name}` not defined in interface")
                    raise un.name.span.error(f"name `{un.name.name}` does not exist")
                local = un.as_ or un.name
                if local.name in names:
                    raise local.span.error(f"name `{local.name}` is defined more than once")
                type_id = self.r.add_type(m.TypeDef(local.name, m.Alias(found), owner, None, stab,
                                                    _external_id(item.attrs)))
                names[local.name] = ("type", type_id)
                add_type(local.name, type_id)
        # type declarations, dependencies first
        decls: dict[str, ast.TypeDecl] = {}
        for item in items:
            if isinstance(item, ast.TypeDecl):
                tname = item.name.name
                if tname in names or tname in decls:
                    raise item.name.span.error(f"name `{tname}` is defined more than once")
                active, _ = self.stability(item.attrs)
                if not active:
                    if owner.kind == "world":  # wit-parser still links a world's gated-out type into the world
                        raise item.name.span.error(
                            "found a reference to a type which is excluded due to its feature not being activated")
                    names[tname] = _GATED
                    continue
                decls[tname] = item
            elif isinstance(item, ast.NamedFunc):
                fname = item.name.name
                if fname in names or fname in decls:
                    raise item.name.span.error(f"name `{fname}` is defined more than once")
                names[fname] = _FUNC
        deps = {n: list(_decl_refs(d.body)) for n, d in decls.items()}
        for tname in _toposort(list(decls), deps, "type"):
            decl = decls[tname]
            _, stab = self.stability(decl.attrs)
            self.decl_span = decl.name.span
            kind = self.decl_kind(decl.body, names)
            type_id = self.r.add_type(m.TypeDef(tname, kind, owner, docs_text(decl.attrs.docs), stab,
                                                _external_id(decl.attrs)))
            names[tname] = ("type", type_id)
            add_type(tname, type_id)
        # functions
        for item in items:
            if isinstance(item, ast.NamedFunc):
                active, stab = self.stability(item.attrs)
                if not active:
                    names[item.name.name] = _GATED
                    continue
                fkind = "async-freestanding" if item.func.is_async else "freestanding"
                func = self.function(item.name.name, fkind, None, item.func, names, docs_text(item.attrs.docs), stab,
                                     span=item.name.span)
                func.external_id = _external_id(item.attrs)
                add_func(func, item.name.span)
            elif isinstance(item, ast.TypeDecl) and isinstance(item.body, ast.Resource):
                self.resource_funcs(item, names, add_func)

    def resource_funcs(self, decl: ast.TypeDecl, names: dict[str, tuple[str, int]],
                       add_func: Callable[[m.Function, ast.Span], None]) -> None:
        rname = decl.name.name
        has_ctor = False
        for rf in decl.body.funcs:  # type: ignore[union-attr]
            active, stab = self.stability(rf.attrs)
            if not active:
                continue
            entry = names.get(rname)
            if entry is None or entry[0] != "type":
                raise rf.name.span.error(
                    "found a reference to a type which is excluded due to its feature not being activated")
            res_id = entry[1]
            docs = docs_text(rf.attrs.docs)
            if rf.kind == "constructor":
                if has_ctor:
                    raise rf.name.span.error("duplicate constructors")
                has_ctor = True
                func = self.constructor(rname, res_id, rf, names, docs, stab)
            elif rf.kind == "static":
                kind = "async-static" if rf.func.is_async else "static"
                func = self.function(f"[static]{rname}.{rf.name.name}", kind, res_id, rf.func, names, docs, stab,
                                     span=rf.name.span)
            else:
                kind = "async-method" if rf.func.is_async else "method"
                func = self.function(f"[method]{rname}.{rf.name.name}", kind, res_id, rf.func, names, docs, stab,
                                     self_param=m.Param("self", self.r.anon(m.Handle(False, res_id))),
                                     span=rf.name.span)
            func.external_id = _external_id(rf.attrs)
            add_func(func, rf.name.span)

    def constructor(self, rname: str, res_id: int, rf: ast.ResourceFunc, names: dict[str, tuple[str, int]],
                    docs: str | None, stab: m.Stability | None) -> m.Function:
        params = self.params(rf.func, names)
        own = self.r.anon(m.Handle(True, res_id))
        result: m.Type = own
        res_expr = rf.func.result
        if res_expr is not None:
            if not isinstance(res_expr, ast.ResultType):
                raise ast.type_span(res_expr).error("if a constructor return type is declared it must be a `result`")
            ok = res_expr.ok
            if not (isinstance(ok, ast.Named) and self.sig_type(ok, names) == own):
                span = ast.type_span(ok) if ok is not None else res_expr.span
                raise span.error("the `ok` type must be the resource being constructed")
            err = self.sig_type(res_expr.err, names) if res_expr.err is not None else None
            result = self.r.anon(m.Result(own, err))
        return m.Function(f"[constructor]{rname}", "constructor", params, result, res_id, docs, stab)

    def params(self, func: ast.Func, names: dict[str, tuple[str, int]]) -> tuple[m.Param, ...]:
        seen: set[str] = set()
        out = []
        for p in func.params:
            if p.name.name in seen:
                raise p.name.span.error(f"param `{p.name.name}` is defined more than once")
            seen.add(p.name.name)
            out.append(m.Param(p.name.name, self.sig_type(p.type, names)))
        return tuple(out)

    def sig_type(self, expr: ast.TypeExpr, names: dict[str, tuple[str, int]]) -> m.Type:
        """A type in a function signature."""
        self.in_func = True
        try:
            return self.resolve_type(expr, names)
        finally:
            self.in_func = False

    def function(self, name: str, kind: str, res_id: int | None, func: ast.Func, names: dict[str, tuple[str, int]],
                 docs: str | None, stab: m.Stability | None, self_param: m.Param | None = None,
                 span: ast.Span | None = None) -> m.Function:
        params = self.params(func, names)
        if self_param is not None:
            if any(p.name == "self" for p in params):
                raise func.span.error("param `self` is defined more than once")
            params = (self_param, *params)
        result = self.sig_type(func.result, names) if func.result is not None else None
        if result is not None and self.contains_borrow(result):
            raise (span or func.span).error(f"function `{name}` returns a type which contains a `borrow<T>` which is not supported")
        return m.Function(name, kind, params, result, res_id, docs, stab)

    def contains_borrow(self, ty: m.Type) -> bool:
        stack = [ty]
        seen: set[int] = set()
        while stack:
            t = stack.pop()
            if not isinstance(t, int) or t in seen:
                continue
            seen.add(t)
            k = self.r.types[t].kind
            if isinstance(k, m.Handle):
                if not k.own:
                    return True
            elif isinstance(k, (m.Alias, m.Option, m.List, m.FixedList)):
                stack.append(k.type)
            elif isinstance(k, (m.Future, m.Stream)):
                continue
            elif isinstance(k, m.Result):
                stack += [x for x in (k.ok, k.err) if x is not None]
            elif isinstance(k, m.Tuple):
                stack.extend(k.types)
            elif isinstance(k, m.Record):
                stack.extend(f.type for f in k.fields)
            elif isinstance(k, m.Variant):
                stack.extend(c.type for c in k.cases if c.type is not None)
            elif isinstance(k, m.Map):
                stack += [k.key, k.value]
        return False

    # ---- types -----------------------------------------------------------------------------------------

    def name_ref(self, ident: ast.Id, names: dict[str, tuple[str, int]]) -> int:
        entry = names.get(ident.name)
        if entry is not None and entry[0] == "func" and not self.in_func:
            entry = None
        if entry is None:
            message = f"{'name' if self.in_func else 'type'} `{ident.name}` does not exist"
            if ident.name in ("float32", "float64"):
                message += (f"\nthe `{ident.name}` type has been renamed to `f{ident.name[5:]}` and is no longer "
                            "accepted, but the `WIT_REQUIRE_F32_F64=0` environment variable can be used to "
                            "temporarily disable this error")
            raise ident.span.error(message)
        if entry[0] == "func":
            raise ident.span.error(f"cannot use function `{ident.name}` as a type")
        if entry[0] == "gated":
            raise (self.ref_site or ident.span).error("found a reference to a type which is excluded due to its feature not being activated")
        return entry[1]

    def is_resource(self, type_id: int) -> bool:
        t = self.r.unalias(type_id)
        return isinstance(t, int) and isinstance(self.r.types[t].kind, m.Resource)

    def decl_kind(self, body: object, names: dict[str, tuple[str, int]]) -> m.TypeKind:
        if isinstance(body, ast.Resource):
            return m.Resource()
        if isinstance(body, ast.Record):
            fields = []
            seen: set[str] = set()
            for f in body.fields:
                if f.name.name in seen:
                    raise f.name.span.error(f"field `{f.name.name}` is defined more than once")
                seen.add(f.name.name)
                self.ref_site = f.name.span
                fields.append(m.Field(f.name.name, self.resolve_type(f.type, names), docs_text(f.attrs.docs)))
                self.ref_site = None
            return m.Record(tuple(fields))
        if isinstance(body, (ast.Flags, ast.Enum, ast.Variant)):
            cases = body.flags if isinstance(body, ast.Flags) else body.cases
            out = []
            seen = set()
            for c in cases:
                if c.name.name in seen:
                    raise c.name.span.error(f"case `{c.name.name}` is defined more than once")
                seen.add(c.name.name)
                ty = self.resolve_type(c.type, names) if c.type is not None else None
                out.append(m.Case(c.name.name, ty, docs_text(c.attrs.docs)))
            if isinstance(body, ast.Flags):
                return m.Flags(tuple(out))
            if isinstance(body, ast.Enum):
                if not out:
                    raise self.decl_span.error("empty enum") if self.decl_span is not None else WitError("empty enum")
                return m.Enum(tuple(out))
            return m.Variant(tuple(out))
        assert isinstance(body, ast.Alias)
        expr = body.type
        if isinstance(expr, ast.Prim):
            return m.Alias(expr.name)
        if isinstance(expr, ast.Named):
            self.ref_site = self.decl_span
            try:
                return m.Alias(self.name_ref(expr.id, names))
            finally:
                self.ref_site = None
        return self.type_kind(expr, names)

    def resolve_type(self, expr: ast.TypeExpr, names: dict[str, tuple[str, int]]) -> m.Type:
        if isinstance(expr, ast.Prim):
            return expr.name
        if isinstance(expr, ast.Named):
            type_id = self.name_ref(expr.id, names)
            if self.is_resource(type_id):
                return self.r.anon(m.Handle(True, type_id))
            return type_id
        return self.r.anon(self.type_kind(expr, names))

    def type_kind(self, expr: ast.TypeExpr, names: dict[str, tuple[str, int]]) -> m.TypeKind:
        rt = self.resolve_type
        if isinstance(expr, ast.ListType):
            return m.List(rt(expr.elem, names))
        if isinstance(expr, ast.FixedList):
            return m.FixedList(rt(expr.elem, names), expr.size)
        if isinstance(expr, ast.MapType):
            key = rt(expr.key, names)
            base = self.r.unalias(key)
            if not (isinstance(base, str) and base in _MAP_KEYS):
                raise ast.Span(expr.span.source, expr.span.start, expr.span.start + 3).error(
                    "invalid map key type: map keys must be bool, u8, u16, u32, u64, s8, s16, s32, s64, char, or string")
            return m.Map(key, rt(expr.value, names))
        if isinstance(expr, ast.Handle):
            type_id = self.name_ref(expr.resource, names)
            if not self.is_resource(type_id):
                td = self.r.types[type_id]
                used = isinstance(td.kind, m.Alias) and isinstance(td.kind.type, int) \
                    and self.r.types[td.kind.type].owner != td.owner
                what = "type" if used else f"type `{expr.resource.name}`"  # wit-parser's wording for `use`d names
                raise expr.resource.span.error(f"{what} used in a handle must be a resource")
            return m.Handle(expr.own, type_id)
        if isinstance(expr, ast.TupleType):
            return m.Tuple(tuple(rt(t, names) for t in expr.types))
        if isinstance(expr, ast.OptionType):
            return m.Option(rt(expr.elem, names))
        if isinstance(expr, ast.ResultType):
            return m.Result(rt(expr.ok, names) if expr.ok is not None else None,
                            rt(expr.err, names) if expr.err is not None else None)
        if isinstance(expr, ast.FutureType):
            return m.Future(rt(expr.elem, names) if expr.elem is not None else None)
        if isinstance(expr, ast.StreamType):
            return m.Stream(rt(expr.elem, names) if expr.elem is not None else None)
        raise TypeError(f"not a compound type: {expr!r}")

    # ---- worlds ----------------------------------------------------------------------------------------

    def world(self, node: ast.World, file_index: int) -> int:
        _, stab = self.stability(node.attrs, node.name.span)
        world_id = len(self.r.worlds)
        world = m.World(node.name.name, package=self.pkg_id, docs=docs_text(node.attrs.docs), stability=stab)
        self.r.worlds.append(world)
        owner = m.Owner("world", world_id)
        names: dict[str, tuple[str, int]] = {}
        import_kinds: dict[str, str] = {}
        export_kinds: dict[str, str] = {}

        def add_type(tname: str, type_id: int) -> None:
            world.imports[tname] = m.TypeItem(type_id)
            import_kinds[tname] = "type"

        def add_func(func: m.Function, span: ast.Span) -> None:
            if func.name in world.imports:
                raise span.error(f"name `{func.name}` is defined more than once")
            world.imports[func.name] = m.FunctionItem(func)
            import_kinds[func.name] = "func"

        type_items = tuple(i for i in node.items if isinstance(i, (ast.Use, ast.TypeDecl)))
        self.items(type_items, file_index, owner, names, add_type, add_func)

        includes: list[tuple[int, ast.Include, m.Stability | None]] = []
        for item in node.items:
            if isinstance(item, ast.Include):
                active, istab = self.stability(item.attrs, item.span)
                if active:
                    includes.append((self.lookup(item.path, file_index, "world"), item, istab))
                continue
            if not isinstance(item, ast.WorldExtern):
                continue
            active, istab = self.stability(item.attrs, item.span)
            if not active:
                if isinstance(item.item, ast.ExternInterface):
                    self.check_gated_body(item.item.items)
                continue
            direction = "import" if item.is_import else "export"
            items = world.imports if item.is_import else world.exports
            kinds = import_kinds if item.is_import else export_kinds
            ext = item.item
            docs = docs_text(item.attrs.docs)
            key: m.WorldKey
            if isinstance(ext, ast.ExternPath) and ext.label is None:
                iface = self.lookup(ext.path, file_index, "interface")
                key = m.InterfaceKey(iface)
                if key in items:
                    raise ext.path.name.span.error(f"interface cannot be {direction}ed more than once")
                items[key] = m.InterfaceItem(iface, istab, docs)
                continue
            label = ext.label if isinstance(ext, ast.ExternPath) else ext.name
            assert label is not None
            if label.name in kinds:
                raise label.span.error(
                    f"{direction} `{label.name}` conflicts with prior {kinds[label.name]} of same name")
            value: m.WorldItem
            if isinstance(ext, ast.ExternFunc):
                kind = "async-freestanding" if ext.func.is_async else "freestanding"
                func = self.function(label.name, kind, None, ext.func, names, docs, istab, span=label.span)
                func.external_id = _external_id(item.attrs)
                value = m.FunctionItem(func)
                kinds[label.name] = "func"
            elif isinstance(ext, ast.ExternInterface):
                iface = self.interface_body(None, ext.items, file_index, None, istab)
                value = m.InterfaceItem(iface, istab, docs)
                kinds[label.name] = "interface"
            else:
                iface = self.lookup(ext.path, file_index, "interface")
                value = m.InterfaceItem(iface, istab, docs)
                kinds[label.name] = "interface"
            items[label.name] = value

        for inc_id, inc, _istab in includes:
            external = self.r.worlds[inc_id].package != self.pkg_id
            merge_include(self.r, world, world_id, self.r.worlds[inc_id], inc, external)
        elaborate_world(self.r, world, node.name.span)
        for direction, items in (("import", world.imports), ("export", world.exports)):
            lowered: dict[str, str] = {}
            for k in items:
                if isinstance(k, str):
                    prev = lowered.setdefault(k.lower(), k)
                    if prev != k:
                        raise WitError(
                            f"{direction} `{k}` in world `{world.name}` conflicts with {direction} `{prev}` "
                            "(kebab-case identifiers are case-insensitive)")
        return world_id
