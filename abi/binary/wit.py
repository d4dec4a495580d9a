"""The binary encoding of WIT (wit-component's format; types per component-model ``design/mvp/Binary.md``).

A WIT package encoded as a component (``wasm-tools component wit --wasm``)
is a component whose top-level type exports are component types: one per
interface (exporting an instance named ``ns:pkg/iface[@ver]``) and one per
world (exporting a component named ``ns:pkg/world[@ver]`` whose imports and
exports are the world's, already elaborated).  The ``component-type:*``
custom section that wit-bindgen and ``wasm-tools component embed`` put in
core modules has the same shape with a single world.  Docs and gates live in
a ``package-docs`` custom section (a version byte, then JSON).

:func:`decode_wit_package` and :func:`decode_core_module_world` turn these
into the model of :mod:`..wit.model`.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import WitError
from ..wit import model as m
from .reader import Reader
from .types import (
    NO_ANNOTATIONS,
    ComponentType,
    Defined,
    FuncType,
    InstanceType,
    Prim,
    ResourceType,
    Scope,
    TypeRef,
    add_extern,
    decode_alias,
    decode_type,
    extern_desc,
    extern_name,
)

__all__ = ["decode_wit_package", "decode_core_module_world", "component_type_sections"]

MAGIC = b"\0asm"
COMPONENT_VERSION = b"\x0d\x00\x01\x00"


# ---- reading the outer component ---------------------------------------------------------------------------


def _read_component(data: bytes, what: str) -> tuple[list[Any], list[Any], dict[str, bytes]]:
    """The top-level type exports, imports and custom sections of a type-only component."""
    r = Reader(data, what=what)
    if r.bytes(4) != MAGIC:
        raise r.error("magic header not detected", 0)
    if r.bytes(4) != COMPONENT_VERSION:
        raise r.error("not a component (unknown version or layer)", 4)
    scope = Scope()
    exports: list[Any] = []
    imports: list[Any] = []
    customs: dict[str, bytes] = {}
    while not r.eof():
        section_id = r.u8()
        size = r.u32()
        s = r.sub(size)
        if section_id == 0:
            name = s.name()
            customs[name] = s.bytes(s.end - s.pos)
            continue
        count = s.u32()
        for _ in range(count):
            if section_id == 7:
                scope.types.append(decode_type(s, scope))
            elif section_id == 6:
                decode_alias(s, scope)
            elif section_id == 10:
                name, ext = extern_name(s)
                sort, obj = extern_desc(s, scope, name, ext)
                add_extern(scope, sort, obj)
                imports.append((name, sort, obj, ext))
            elif section_id == 11:
                name, _ext = extern_name(s)
                sort_code = s.u8()
                if sort_code == 0x00:
                    s.u8()
                idx = s.u32()
                if s.u8() == 0x01:  # optional ascribed type
                    extern_desc(s, scope, name)
                if sort_code != 0x03:
                    raise s.error("only type exports are expected in a WIT encoding")
                if idx >= len(scope.types):
                    raise s.error(f"unknown type {idx}")
                exports.append((name, "type", scope.types[idx], NO_ANNOTATIONS))
                scope.types.append(scope.types[idx])
            else:
                raise s.error(f"section {section_id} is not expected in a WIT encoding")
        if not s.eof():
            raise s.error("section size mismatch")
    return exports, imports, customs


# ---- conversion into the model -----------------------------------------------------------------------------


def _split_id(full: str) -> tuple[str, str]:
    """``ns:pkg/name@ver`` -> (``ns:pkg@ver``, ``name``)."""
    base, at, version = full.partition("@")
    pkg, slash, name = base.partition("/")
    if not slash or ":" not in pkg or not name:
        raise WitError(f"malformed WIT encoding: `{full}` is not an interface or world id")
    return pkg + (f"@{version}" if at else ""), name


class _Decoder:
    def __init__(self, resolve: m.Resolve) -> None:
        self.r = resolve
        self.bound: dict[int, int] = {}  # id(TypeRef) -> type index
        self.keep: list[Any] = []  # keeps decoded objects alive so ids stay unique

    def package(self, name: str) -> int:
        pid = self.r.package_ids.get(name)
        if pid is None:
            pid = len(self.r.packages)
            self.r.packages.append(m.Package(name))
            self.r.package_ids[name] = pid
        return pid

    def interface(self, full: str) -> int:
        pkg_name, name = _split_id(full)
        pid = self.package(pkg_name)
        pkg = self.r.packages[pid]
        iid = pkg.interfaces.get(name)
        if iid is None:
            iid = len(self.r.interfaces)
            self.r.interfaces.append(m.Interface(name, package=pid))
            pkg.interfaces[name] = iid
        return iid

    # types

    def ref(self, t: TypeRef) -> int:
        found = self.bound.get(id(t))
        if found is None:
            raise WitError(f"malformed WIT encoding: type `{t.name}` is used before it is named")
        return found

    def valtype(self, t: Any) -> m.Type:
        if isinstance(t, Prim):
            return t.name
        if isinstance(t, TypeRef):
            return self.ref(t)
        if isinstance(t, Defined):
            return self.r.anon(self.kind(t))
        raise WitError("malformed WIT encoding: not a value type")

    def opt(self, t: Any) -> m.Type | None:
        return None if t is None else self.valtype(t)

    def kind(self, d: Any) -> m.TypeKind:
        if isinstance(d, Prim):
            return m.Alias(d.name)
        if isinstance(d, TypeRef):
            return m.Alias(self.ref(d))
        if isinstance(d, ResourceType):
            return m.Resource()
        if not isinstance(d, Defined):
            raise WitError("malformed WIT encoding: not a value type")
        tag, a = d.tag, d.args
        if tag == "record":
            return m.Record(tuple(m.Field(n, self.valtype(t)) for n, t in a))
        if tag == "variant":
            return m.Variant(tuple(m.Case(n, self.opt(t)) for n, t in a))
        if tag == "flags":
            return m.Flags(tuple(m.Case(n) for n in a))
        if tag == "enum":
            return m.Enum(tuple(m.Case(n) for n in a))
        if tag == "list":
            return m.List(self.valtype(a[0]))
        if tag == "fixed-list":
            return m.FixedList(self.valtype(a[0]), a[1])
        if tag == "tuple":
            return m.Tuple(tuple(self.valtype(t) for t in a))
        if tag == "option":
            return m.Option(self.valtype(a[0]))
        if tag == "result":
            return m.Result(self.opt(a[0]), self.opt(a[1]))
        if tag in ("own", "borrow"):
            if not isinstance(a[0], TypeRef):
                raise WitError("malformed WIT encoding: handle to an unnamed resource")
            return m.Handle(tag == "own", self.ref(a[0]))
        if tag == "stream":
            return m.Stream(self.opt(a[0]))
        if tag == "future":
            return m.Future(self.opt(a[0]))
        if tag == "map":
            return m.Map(self.valtype(a[0]), self.valtype(a[1]))
        raise WitError(f"malformed WIT encoding: unknown type {tag}")

    def named_type(self, t: TypeRef, owner: m.Owner, existing: dict[str, int] | None) -> int:
        if existing is not None and t.name in existing:
            self.bound[id(t)] = existing[t.name]
            self.keep.append(t)
            return existing[t.name]
        type_id = self.r.add_type(m.TypeDef(t.name, self.kind(t.target), owner, external_id=t.external_id))
        self.bound[id(t)] = type_id
        self.keep.append(t)
        return type_id

    def function(self, name: str, f: FuncType, types: dict[str, int], external_id: str | None = None
                 ) -> m.Function:
        params = tuple(m.Param(n, self.valtype(t)) for n, t in f.params)
        result = self.opt(f.result)
        resource = None
        kind = "async-freestanding" if f.is_async else "freestanding"
        for prefix, k in (("[constructor]", "constructor"), ("[method]", "method"), ("[static]", "static"),
                          ("[async method]", "async-method"), ("[async static]", "async-static")):
            if name.startswith(prefix):
                rest = name[len(prefix):]
                rname = rest.split(".", 1)[0]
                if rname not in types:
                    raise WitError(f"malformed WIT encoding: function `{name}` refers to unknown resource")
                resource = types[rname]
                kind = k
                if f.is_async and k in ("method", "static"):
                    kind = "async-" + k
                break
        return m.Function(name, kind, params, result, resource, external_id=external_id)

    def realize(self, iid: int, inst: InstanceType) -> None:
        iface = self.r.interfaces[iid]
        owner = m.Owner("interface", iid)
        for name, sort, obj, _ext in inst.exports:
            if sort == "type":
                type_id = self.named_type(obj, owner, iface.types)
                iface.types.setdefault(name, type_id)
        for name, sort, obj, ext in inst.exports:
            if sort == "func" and name not in iface.functions:
                iface.functions[name] = self.function(name, obj, iface.types, ext.external_id)

    def world(self, full: str, comp: ComponentType) -> int:
        pkg_name, name = _split_id(full)
        pid = self.package(pkg_name)
        world_id = len(self.r.worlds)
        world = m.World(name, package=pid)
        self.r.worlds.append(world)
        self.r.packages[pid].worlds[name] = world_id
        owner = m.Owner("world", world_id)
        local_types: dict[str, int] = {}
        for direction, items in (("import", comp.imports), ("export", comp.exports)):
            target = world.imports if direction == "import" else world.exports
            for iname, sort, obj, ext in items:
                if sort == "instance":
                    if ext.implements is not None:  # `import label: iface;`
                        iid = self.interface(ext.implements)
                        self.realize(iid, obj)
                        target[iname] = m.InterfaceItem(iid)
                    elif ":" in iname:
                        iid = self.interface(iname)
                        self.realize(iid, obj)
                        target[m.InterfaceKey(iid)] = m.InterfaceItem(iid)
                    else:
                        iid = len(self.r.interfaces)
                        self.r.interfaces.append(m.Interface(None, package=pid))
                        self.realize(iid, obj)
                        target[iname] = m.InterfaceItem(iid)
                elif sort == "type":
                    type_id = self.named_type(obj, owner, None)
                    local_types[iname] = type_id
                    target[iname] = m.TypeItem(type_id)
                elif sort == "func":
                    target[iname] = m.FunctionItem(self.function(iname, obj, local_types, ext.external_id))
                else:
                    raise WitError(f"malformed WIT encoding: unexpected {sort} `{iname}` in a world")
        return world_id

    def definitions(self, exports: list[Any]) -> int | None:
        """Decode every top-level definition; return the id of their package."""
        main: int | None = None
        for _kebab, _sort, comp, _ext in exports:
            if not isinstance(comp, ComponentType) or len(comp.exports) != 1:
                raise WitError("malformed WIT encoding: a definition must be a component type with one export")
            for iname, sort, obj, _ext in comp.imports:
                if sort == "instance" and ":" in iname:
                    self.realize(self.interface(iname), obj)
            full, sort, obj, _ext = comp.exports[0]
            if sort == "instance":
                iid = self.interface(full)
                self.realize(iid, obj)
                main = self.r.interfaces[iid].package
            elif sort == "component":
                main = self.r.worlds[self.world(full, obj)].package
            else:
                raise WitError(f"malformed WIT encoding: unexpected {sort} definition `{full}`")
        return main


# ---- docs and gates ----------------------------------------------------------------------------------------


def _stab(v: Any) -> m.Stability | None:
    if not isinstance(v, dict):
        return None
    if "stable" in v and isinstance(v["stable"], dict):
        return m.Stability("stable", str(v["stable"].get("since")), v["stable"].get("deprecated"))
    if "unstable" in v and isinstance(v["unstable"], dict):
        return m.Stability("unstable", str(v["unstable"].get("feature")), v["unstable"].get("deprecated"))
    return None


def _apply_item_meta(r: m.Resolve, types: dict[str, int], functions: dict[str, m.Function], meta: dict[str, Any]
                     ) -> None:
    for fname, fmeta in (meta.get("funcs") or {}).items():
        f = functions.get(fname)
        if f is not None and isinstance(fmeta, dict):
            f.docs = fmeta.get("docs", f.docs)
            f.stability = _stab(fmeta.get("stability")) or f.stability
    for tname, tmeta in (meta.get("types") or {}).items():
        tid = types.get(tname)
        if tid is None or not isinstance(tmeta, dict):
            continue
        td = r.types[tid]
        td.docs = tmeta.get("docs", td.docs)
        td.stability = _stab(tmeta.get("stability")) or td.stability
        items = tmeta.get("items") or {}
        k = td.kind
        if items and isinstance(k, m.Record):
            td.kind = m.Record(tuple(m.Field(f.name, f.type, items.get(f.name, f.docs)) for f in k.fields))
        elif items and isinstance(k, (m.Variant, m.Enum)):
            cases = tuple(m.Case(c.name, c.type, items.get(c.name, c.docs)) for c in k.cases)
            td.kind = m.Variant(cases) if isinstance(k, m.Variant) else m.Enum(cases)
        elif items and isinstance(k, m.Flags):
            td.kind = m.Flags(tuple(m.Case(c.name, None, items.get(c.name, c.docs)) for c in k.flags))


def _apply_docs(r: m.Resolve, pkg_id: int, raw: bytes) -> None:
    if not raw or raw[0] not in (0, 1):
        return
    try:
        meta = json.loads(raw[1:].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise WitError("malformed WIT encoding: invalid package-docs section") from None
    if not isinstance(meta, dict):
        return
    pkg = r.packages[pkg_id]
    pkg.docs = meta.get("docs", pkg.docs)
    for name, imeta in (meta.get("interfaces") or {}).items():
        iid = pkg.interfaces.get(name)
        if iid is None or not isinstance(imeta, dict):
            continue
        iface = r.interfaces[iid]
        iface.docs = imeta.get("docs", iface.docs)
        iface.stability = _stab(imeta.get("stability")) or iface.stability
        _apply_item_meta(r, iface.types, iface.functions, imeta)
    for name, wmeta in (meta.get("worlds") or {}).items():
        wid = pkg.worlds.get(name)
        if wid is None or not isinstance(wmeta, dict):
            continue
        world = r.worlds[wid]
        world.docs = wmeta.get("docs", world.docs)
        world.stability = _stab(wmeta.get("stability")) or world.stability
        types = {k: v.id for k, v in world.imports.items() if isinstance(k, str) and isinstance(v, m.TypeItem)}
        for direction, items in (("import", world.imports), ("export", world.exports)):
            funcs = {k: v.func for k, v in items.items() if isinstance(k, str) and isinstance(v, m.FunctionItem)}
            _apply_item_meta(r, types if direction == "import" else {}, funcs,
                             {"funcs": wmeta.get("funcs" if direction == "import" else "func_exports"),
                              "types": wmeta.get("types") if direction == "import" else None})
            inline = wmeta.get("interfaces" if direction == "import" else "interface_exports") or {}
            for k, v in list(items.items()):
                imeta = inline.get(k) if isinstance(k, str) else None
                if not isinstance(v, m.InterfaceItem) or not isinstance(imeta, dict):
                    continue
                iface = r.interfaces[v.id]
                stab = _stab(imeta.get("stability"))
                iface.docs = imeta.get("docs", iface.docs)
                iface.stability = stab or iface.stability
                _apply_item_meta(r, iface.types, iface.functions, imeta)
                items[k] = m.InterfaceItem(v.id, stab or v.stability, imeta.get("docs", v.docs))
            stabs = wmeta.get(f"interface_{direction}_stability") or {}
            docs = wmeta.get(f"interface_{direction}_docs") or {}
            for k, v in list(items.items()):
                if not isinstance(v, m.InterfaceItem):
                    continue
                key = k if isinstance(k, str) else r.interface_path(v.id)
                if key in stabs or key in docs:
                    items[k] = m.InterfaceItem(v.id, _stab(stabs.get(key)) or v.stability, docs.get(key, v.docs))


# ---- entry points ------------------------------------------------------------------------------------------


def _is_wit_encoding(data: bytes) -> bool:
    """Whether a component holds only types, imports, exports, aliases and custom sections."""
    r = Reader(data, 8)
    while not r.eof():
        section_id = r.u8()
        r.sub(r.u32())
        if section_id not in (0, 6, 7, 10, 11):
            return False
    return True


def decode_component_world(data: bytes, resolve: m.Resolve | None = None, path: str = "<wasm>") -> int:
    """Decode the world of a real component (its typed imports and exports) into ``resolve``
    as the world ``root`` of package ``root:component``; return the package id.

    Raises:
        WitError: for malformed or unsupported components.
    """
    from .component import component_world

    resolve = resolve if resolve is not None else m.Resolve()
    try:
        comp = component_world(data)
        world = _Decoder(resolve).world("root:component/root", comp)
    except WitError as err:
        raise WitError(f"{path}: {err.message}") from None
    except RecursionError:
        raise WitError(f"{path}: types nest too deeply") from None
    pkg = resolve.worlds[world].package
    assert pkg is not None
    return pkg


def decode_wit_package(data: bytes, resolve: m.Resolve | None = None, path: str = "<wasm>") -> int:
    """Decode a WIT package encoded as a component into ``resolve``; return its package id.
    A component that is not a WIT encoding gives its own world (:func:`decode_component_world`).

    Raises:
        WitError: when ``data`` is not a well-formed WIT encoding.
    """
    resolve = resolve if resolve is not None else m.Resolve()
    if data[:8] == MAGIC + COMPONENT_VERSION and not _is_wit_encoding(data):
        return decode_component_world(data, resolve, path)
    try:
        exports, imports, customs = _read_component(data, "WIT package")
    except WitError as err:
        raise WitError(f"{path}: {err.message}") from None
    decoder = _Decoder(resolve)
    try:
        main = decoder.definitions(exports)
    except RecursionError:  # value types chained through thousands of type indices
        raise WitError(f"{path}: types nest too deeply") from None
    if main is None:
        # no WIT definitions: the component itself is typed by a world (imports only here)
        main = resolve.worlds[decoder.world("root:component/root", ComponentType(imports))].package
        assert main is not None
    if "package-docs" in customs:
        _apply_docs(resolve, main, customs["package-docs"])
    return main


def component_type_sections(module: bytes) -> list[tuple[str, bytes]]:
    """The ``component-type*`` custom sections of a core module, by a minimal section walk
    (core spec "Binary Format / Modules / Sections").

    Raises:
        WitError: when ``module`` is not a well-formed core module at the section level.
    """
    r = Reader(module, what="module")
    if r.bytes(4) != MAGIC:
        raise r.error("magic header not detected", 0)
    if r.bytes(4) != b"\x01\x00\x00\x00":
        raise r.error("not a core module (unknown version)", 4)
    out = []
    while not r.eof():
        section_id = r.u8()
        s = r.sub(r.u32())
        if section_id == 0:
            name = s.name()
            if name.startswith("component-type"):
                out.append((name, s.bytes(s.end - s.pos)))
    return out


def decode_core_module_world(module: bytes, resolve: m.Resolve | None = None) -> tuple[m.Resolve, int]:
    """Decode the world a core module was built for from its ``component-type`` custom section(s).

    Returns the resolve and the world id (the last section's world).

    Raises:
        WitError: when the module has no such section or it is malformed.
    """
    resolve = resolve if resolve is not None else m.Resolve()
    sections = component_type_sections(module)
    if not sections:
        raise WitError("the module has no `component-type` custom section")
    world_id = -1
    for name, payload in sections:
        before = len(resolve.worlds)
        decode_wit_package(payload, resolve, name)
        if len(resolve.worlds) == before:
            raise WitError(f"{name}: the section holds no world")
        world_id = len(resolve.worlds) - 1
    return resolve, world_id


def decode_wasm(data: bytes, resolve: m.Resolve | None = None, path: str = "<wasm>") -> tuple[m.Resolve, int]:
    """A ``.wasm`` carrying WIT: a WIT package component, a core module with a
    ``component-type`` section, or a whole component.  Returns the resolve and the main package id.

    Raises:
        WitError: for anything else or any malformed input.
    """
    resolve = resolve if resolve is not None else m.Resolve()
    if data[4:8] == b"\x01\x00\x00\x00":
        resolve, world_id = decode_core_module_world(data, resolve)
        pkg = resolve.worlds[world_id].package
        return resolve, pkg if pkg is not None else 0
    return resolve, decode_wit_package(data, resolve, path)
