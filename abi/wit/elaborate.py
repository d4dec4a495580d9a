"""World includes and elaboration (component-model ``design/mvp/WIT.md``, "Item: ``include``" and
"Worlds"; the rules follow wit-parser's resolver).

:func:`merge_include` flattens ``include other with { a as b }`` into a world;
:func:`elaborate_world` adds, as imports, every interface the world's imports
and exports depend on through ``use``, and checks that no interface would
have to be both imported and exported.  Both walk dependency chains
iteratively, so their depth is not bounded by Python's stack.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import ast
from . import model as m

__all__ = ["merge_include", "clone_interface", "remap_type", "remap_kind", "elaborate_world"]


def merge_include(r: m.Resolve, world: m.World, world_id: int, other: m.World, inc: ast.Include,
                  external: bool) -> None:
    """Merge ``other``'s imports and exports into ``world`` (``include other with {...}``).

    Types are copied with the including world as owner; a world included
    from another package loses its ``@since`` versions (they refer to that
    package), while ``@unstable`` gates are kept.
    """
    renames = {un.name.name: un for un in inc.with_}
    for old in renames:
        if old not in other.imports and old not in other.exports:
            raise inc.span.error(
                f"no import or export kebab-name `{old}`. Note that an ID does not support renaming")
    remap: dict[int, int] = {}
    for direction, src, dst in (("import", other.imports, world.imports), ("export", other.exports, world.exports)):
        for key, item in src.items():
            if isinstance(key, m.InterfaceKey):
                assert isinstance(item, m.InterfaceItem)
                if external and item.stability is not None and item.stability.kind == "stable":
                    item = m.InterfaceItem(item.id, None, item.docs)
                prev = dst.get(key)
                if prev is None or (isinstance(prev, m.InterfaceItem) and prev.stability is None
                                    and item.stability is not None):
                    dst[key] = item
                continue
            renamed = renames[key].as_ if key in renames else None
            new = renamed.name if renamed is not None else key
            if new in dst:
                raise inc.span.error(f"{direction} of `{new}` shadows previously {direction}ed items")
            if isinstance(item, m.FunctionItem):
                f = item.func
                item = m.FunctionItem(m.Function(
                    new, f.kind, tuple(m.Param(p.name, remap_type(r, p.type, remap)) for p in f.params),
                    None if f.result is None else remap_type(r, f.result, remap),
                    None if f.resource is None else remap.get(f.resource, f.resource), f.docs, f.stability,
                    f.external_id))
            elif isinstance(item, m.TypeItem):
                t = r.types[item.id]
                stab = None if external and t.stability is not None and t.stability.kind == "stable" \
                    else t.stability
                new_id = r.add_type(m.TypeDef(new, remap_kind(r, t.kind, remap), m.Owner("world", world_id),
                                                   t.docs, stab, t.external_id))
                remap[item.id] = new_id
                item = m.TypeItem(new_id)
            elif isinstance(item, m.InterfaceItem) and r.interfaces[item.id].name is None:
                item = m.InterfaceItem(clone_interface(r, item.id, remap), item.stability, item.docs)
            dst[new] = item


def clone_interface(r: m.Resolve, iface_id: int, outer: dict[int, int]) -> int:
    """A copy of the inline interface ``iface_id`` for an including world (wit-parser gives
    each world its own; the copy records ``clone_of``).  Its types are copied with the copy as
    owner and its functions rewritten to use them."""
    old = r.interfaces[iface_id]
    new_id = len(r.interfaces)
    new = m.Interface(None, docs=old.docs, stability=old.stability, package=old.package, clone_of=iface_id)
    r.interfaces.append(new)
    remap = dict(outer)
    owner = m.Owner("interface", new_id)
    for name, type_id in old.types.items():
        t = r.types[type_id]
        copied = r.add_type(m.TypeDef(t.name, remap_kind(r, t.kind, remap), owner, t.docs, t.stability, t.external_id))
        remap[type_id] = copied
        new.types[name] = copied
    for name, f in old.functions.items():
        new.functions[name] = m.Function(
            f.name, f.kind, tuple(m.Param(p.name, remap_type(r, p.type, remap)) for p in f.params),
            None if f.result is None else remap_type(r, f.result, remap),
            None if f.resource is None else remap.get(f.resource, f.resource), f.docs, f.stability, f.external_id)
    return new_id

def remap_type(r: m.Resolve, t: m.Type, remap: dict[int, int]) -> m.Type:
    """``t`` with the named types in ``remap`` replaced (anonymous types rebuilt as needed)."""
    if not isinstance(t, int):
        return t
    if t in remap:
        return remap[t]
    td = r.types[t]
    if td.name is not None or not remap:
        return t
    kind = remap_kind(r, td.kind, remap)
    return t if kind == td.kind else r.anon(kind)

def remap_kind(r: m.Resolve, k: m.TypeKind, remap: dict[int, int]) -> m.TypeKind:
    if not remap:
        return k
    if isinstance(k, m.Alias):
        return m.Alias(remap_type(r, k.type, remap))
    if isinstance(k, m.Record):
        return m.Record(tuple(m.Field(f.name, remap_type(r, f.type, remap), f.docs) for f in k.fields))
    if isinstance(k, m.Variant):
        return m.Variant(tuple(m.Case(c.name, None if c.type is None else remap_type(r, c.type, remap), c.docs)
                               for c in k.cases))
    if isinstance(k, m.Tuple):
        return m.Tuple(tuple(remap_type(r, x, remap) for x in k.types))
    if isinstance(k, (m.Option, m.List)):
        return type(k)(remap_type(r, k.type, remap))
    if isinstance(k, m.FixedList):
        return m.FixedList(remap_type(r, k.type, remap), k.size)
    if isinstance(k, m.Result):
        return m.Result(None if k.ok is None else remap_type(r, k.ok, remap), None if k.err is None else remap_type(r, k.err, remap))
    if isinstance(k, m.Map):
        return m.Map(remap_type(r, k.key, remap), remap_type(r, k.value, remap))
    if isinstance(k, (m.Future, m.Stream)):
        return type(k)(None if k.type is None else remap_type(r, k.type, remap))
    if isinstance(k, m.Handle):
        return m.Handle(k.own, remap.get(k.resource, k.resource))
    return k

def elaborate_world(r: m.Resolve, world: m.World, span: ast.Span) -> None:
    new_imports: dict[m.WorldKey, m.WorldItem] = {}

    def add_import(key: m.WorldKey, iface: int, stab: m.Stability | None, docs: str | None = None) -> None:
        """Import ``iface`` under ``key`` after the interfaces it depends on (iterative post-order)."""
        if key in new_imports:
            return
        stack: list[tuple[m.WorldKey, int, str | None, Iterator[int]]] = [
            (key, iface, docs, iter(r.interface_direct_deps(iface)))]
        pending = {key}
        while stack:
            k, i, d, deps = stack[-1]
            for dep in deps:
                dep_key = m.InterfaceKey(dep)
                if dep_key not in new_imports and dep_key not in pending:
                    pending.add(dep_key)
                    stack.append((dep_key, dep, None, iter(r.interface_direct_deps(dep))))
                    break
            else:
                stack.pop()
                new_imports.setdefault(k, m.InterfaceItem(i, stab, d))

    for key, item in world.imports.items():
        if isinstance(item, m.InterfaceItem):
            add_import(key, item.id, item.stability, item.docs)
    for key, item in world.imports.items():
        if isinstance(item, m.InterfaceItem):
            continue
        if isinstance(item, m.TypeItem):
            dep = r.type_interface_dep(item.id)
            if dep is not None:
                add_import(m.InterfaceKey(dep), dep, r.types[item.id].stability)
            new_imports[key] = item
        else:
            new_imports[key] = item

    new_exports: dict[m.WorldKey, m.WorldItem] = {}
    export_ifaces: dict[int, tuple[m.WorldKey, m.InterfaceItem]] = {}
    for key, item in world.exports.items():
        if isinstance(item, m.InterfaceItem):
            export_ifaces[item.id] = (key, item)
        else:
            new_exports[key] = item
    required: set[int] = set()

    def enter(iface: int, key: m.WorldKey, as_export: bool) -> bool | None:
        if key in new_exports:
            return as_export
        if not as_export and iface in required:
            return True
        return None

    def add_export(iface: int, key: m.WorldKey, as_export: bool, stab: m.Stability | None,
                   docs: str | None) -> bool:
        """Export ``iface``; its dependencies are exported when they are exported
        explicitly and imported otherwise (iterative post-order).  False when
        an interface would have to be both."""
        first = enter(iface, key, as_export)
        if first is not None:
            return first
        stack: list[tuple[int, m.WorldKey, bool, str | None, Iterator[int]]] = [
            (iface, key, as_export, docs, iter(r.interface_direct_deps(iface)))]
        while stack:
            i, k, ex, d, deps = stack[-1]
            for dep in deps:
                dep_key = m.InterfaceKey(dep)
                dep_export = ex and dep in export_ifaces
                res = enter(dep, dep_key, dep_export)
                if res is None:
                    stack.append((dep, dep_key, dep_export, None, iter(r.interface_direct_deps(dep))))
                    break
                if not res:
                    return False
            else:
                stack.pop()
                if ex:
                    if i in required:
                        return False
                    new_exports[k] = m.InterfaceItem(i, stab, d)
                else:
                    required.add(i)
                    new_imports.setdefault(k, m.InterfaceItem(i, stab, d))
        return True

    for iface, (key, item) in export_ifaces.items():
        if not add_export(iface, key, True, item.stability, item.docs):
            name = key if isinstance(key, str) else r.interface_path(iface)
            raise span.error(f"interface `{name}` transitively depends on an interface in incompatible ways")
    world.imports = new_imports
    world.exports = new_exports
