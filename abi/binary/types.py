"""Decoding component type definitions (component-model ``design/mvp/Binary.md``, "Type Definitions").

The decoder keeps, per component or type scope, the type / instance / func /
component index spaces, and turns definitions into plain Python objects:
:class:`Prim`, :class:`Defined` (record, variant, list, handles, ...),
:class:`FuncType`, :class:`ResourceType`, :class:`TypeRef` (a type imported
or exported by name, with its bound), :class:`InstanceType` and
:class:`ComponentType`.  Object identity stands for type identity: an alias
to an instance's type export yields that export's :class:`TypeRef`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .reader import Reader

__all__ = [
    "Prim", "Defined", "FuncType", "ResourceType", "TypeRef", "InstanceType", "ComponentType", "Scope",
    "decode_type", "decode_valtype",
]

PRIMS = {
    0x7F: "bool", 0x7E: "s8", 0x7D: "u8", 0x7C: "s16", 0x7B: "u16", 0x7A: "s32", 0x79: "u32", 0x78: "s64",
    0x77: "u64", 0x76: "f32", 0x75: "f64", 0x74: "char", 0x73: "string", 0x64: "error-context",
}
MAX_DEPTH = 100


@dataclass(eq=False, slots=True)
class Prim:
    name: str


@dataclass(eq=False, slots=True)
class Defined:
    """A structural type: ``tag`` is record, variant, list, fixed-list, tuple, flags, enum, option,
    result, own, borrow, stream, future or map; ``args`` its payload."""

    tag: str
    args: tuple[Any, ...]


@dataclass(eq=False, slots=True)
class FuncType:
    params: tuple[tuple[str, Any], ...]
    result: Any
    is_async: bool = False


@dataclass(eq=False, slots=True)
class ResourceType:
    """A fresh resource type (``sub resource`` bound or a resource definition)."""


@dataclass(eq=False, slots=True)
class TypeRef:
    """A type imported or exported by ``name``; ``target`` is the type it equals, or a
    :class:`ResourceType` for ``sub resource``."""

    name: str
    target: Any
    external_id: str | None = None


@dataclass(eq=False, slots=True)
class InstanceType:
    """``exports`` holds ``(name, sort, type, annotations)``."""

    exports: list[tuple[str, str, Any, Annotations]] = field(default_factory=list)

    def export(self, name: str) -> Any:
        for n, _sort, obj, _ext in self.exports:
            if n == name:
                return obj
        return None


@dataclass(eq=False, slots=True)
class ComponentType:
    """``imports`` and ``exports`` hold ``(name, sort, type, annotations)``."""

    imports: list[tuple[str, str, Any, Annotations]] = field(default_factory=list)
    exports: list[tuple[str, str, Any, Annotations]] = field(default_factory=list)


@dataclass(slots=True)
class Scope:
    """The index spaces of one component or component/instance type being decoded."""

    parent: Scope | None = None
    types: list[Any] = field(default_factory=list)
    instances: list[Any] = field(default_factory=list)
    funcs: list[Any] = field(default_factory=list)
    components: list[Any] = field(default_factory=list)
    core_types: list[Any] = field(default_factory=list)
    depth: int = 0

    def type_at(self, r: Reader, idx: int) -> Any:
        if idx >= len(self.types):
            raise r.error(f"unknown type {idx}: type index out of bounds")
        return self.types[idx]

    def outer(self, r: Reader, count: int) -> Scope:
        s: Scope | None = self
        for _ in range(count):
            s = s.parent if s is not None else None
        if s is None:
            raise r.error("invalid outer alias count")
        return s


def decode_valtype(r: Reader, scope: Scope) -> Any:
    start = r.pos
    v = r.s33()
    if v >= 0:
        t = scope.type_at(r, v)
        if isinstance(t, (FuncType, InstanceType, ComponentType)):
            raise r.error("type index is not a value type", start)
        return t
    code = v & 0x7F
    name = PRIMS.get(code)
    if name is None:
        raise r.error(f"invalid value type 0x{code:x}", start)
    return Prim(name)


def _opt_valtype(r: Reader, scope: Scope) -> Any:
    flag = r.u8()
    if flag == 0:
        return None
    if flag != 1:
        raise r.error("invalid optional type flag")
    return decode_valtype(r, scope)


def _names(r: Reader) -> tuple[str, ...]:
    return tuple(r.name() for _ in range(r.u32()))


def decode_defvaltype(r: Reader, scope: Scope, code: int) -> Any:
    if code in PRIMS:
        return Prim(PRIMS[code])
    if code == 0x72:
        return Defined("record", tuple((r.name(), decode_valtype(r, scope)) for _ in range(r.u32())))
    if code == 0x71:
        cases = []
        for _ in range(r.u32()):
            name = r.name()
            ty = _opt_valtype(r, scope)
            if r.u8() != 0:
                raise r.error("variant case refinements are not supported")
            cases.append((name, ty))
        return Defined("variant", tuple(cases))
    if code == 0x70:
        return Defined("list", (decode_valtype(r, scope),))
    if code == 0x67:
        elem = decode_valtype(r, scope)
        return Defined("fixed-list", (elem, r.u32()))
    if code == 0x6F:
        return Defined("tuple", tuple(decode_valtype(r, scope) for _ in range(r.u32())))
    if code == 0x6E:
        return Defined("flags", _names(r))
    if code == 0x6D:
        return Defined("enum", _names(r))
    if code == 0x6B:
        return Defined("option", (decode_valtype(r, scope),))
    if code == 0x6A:
        return Defined("result", (_opt_valtype(r, scope), _opt_valtype(r, scope)))
    if code in (0x69, 0x68):
        idx = r.u32()
        return Defined("own" if code == 0x69 else "borrow", (scope.type_at(r, idx),))
    if code == 0x66:
        return Defined("stream", (_opt_valtype(r, scope),))
    if code == 0x65:
        return Defined("future", (_opt_valtype(r, scope),))
    if code == 0x63:
        key = decode_valtype(r, scope)
        return Defined("map", (key, decode_valtype(r, scope)))
    raise r.error(f"invalid type opcode 0x{code:x}")


def _functype(r: Reader, scope: Scope, is_async: bool) -> FuncType:
    params = tuple((r.name(), decode_valtype(r, scope)) for _ in range(r.u32()))
    kind = r.u8()
    if kind == 0x00:
        result = decode_valtype(r, scope)
    elif kind == 0x01:
        n = r.u32()
        if n != 0:
            raise r.error("named results are not supported")
        result = None
    else:
        raise r.error("invalid function result encoding")
    return FuncType(params, result, is_async)


@dataclass(frozen=True, slots=True)
class Annotations:
    """What a name of kind ``0x02`` carries besides the name: ``implements`` (tag 0x00, the
    interface id a plain-named instance implements) and ``external_id`` (tag 0x02)."""

    external_id: str | None = None
    implements: str | None = None


NO_ANNOTATIONS = Annotations()


def extern_name(r: Reader) -> tuple[str, Annotations]:
    """An import/export name and its annotations."""
    kind = r.u8()
    if kind in (0x00, 0x01):  # 0x01: older encoders mark interface ids this way
        return r.name(), NO_ANNOTATIONS
    if kind == 0x02:  # a name followed by vec((tag, string))
        name = r.name()
        found: dict[int, str] = {}
        for _ in range(r.u32()):
            tag = r.u8()
            found[tag] = r.name()
        return name, Annotations(found.get(0x02), found.get(0x00))
    raise r.error(f"invalid name kind 0x{kind:x}")


def extern_desc(r: Reader, scope: Scope, name: str, ann: Annotations = NO_ANNOTATIONS) -> tuple[str, Any]:
    kind = r.u8()
    if kind == 0x00:
        if r.u8() != 0x11:
            raise r.error("invalid core sort in extern description")
        idx = r.u32()
        return "module", idx
    if kind == 0x01:
        t = scope.type_at(r, r.u32())
        if not isinstance(t, FuncType):
            raise r.error("func import/export of a non-function type")
        return "func", t
    if kind == 0x02:
        flag = r.u8()
        return "value", decode_valtype(r, scope) if flag == 0x01 else r.u32()
    if kind == 0x03:
        bound = r.u8()
        if bound == 0x00:
            return "type", TypeRef(name, scope.type_at(r, r.u32()), ann.external_id)
        if bound == 0x01:
            return "type", TypeRef(name, ResourceType(), ann.external_id)
        raise r.error("invalid type bound")
    if kind in (0x04, 0x05):
        t = scope.type_at(r, r.u32())
        want = ComponentType if kind == 0x04 else InstanceType
        if not isinstance(t, want):
            raise r.error("extern type mismatch")
        return ("component" if kind == 0x04 else "instance"), t
    raise r.error(f"invalid extern kind 0x{kind:x}")


def add_extern(scope: Scope, sort: str, obj: Any) -> None:
    """Add an imported/exported item to its index space."""
    if sort == "type":
        scope.types.append(obj)
    elif sort == "func":
        scope.funcs.append(obj)
    elif sort == "instance":
        scope.instances.append(obj)
    elif sort == "component":
        scope.components.append(obj)


def decode_alias(r: Reader, scope: Scope) -> None:
    sort = r.u8()
    if sort == 0x00:
        r.u8()  # core sort
        core = True
    else:
        core = False
    target = r.u8()
    if target == 0x00:
        idx = r.u32()
        name = r.name()
        if idx >= len(scope.instances):
            raise r.error(f"unknown instance {idx}")
        inst = scope.instances[idx]
        obj = inst.export(name) if isinstance(inst, InstanceType) else None
        if obj is None:
            raise r.error(f"instance {idx} has no export named `{name}`")
    elif target == 0x01:
        r.u32()
        r.name()
        return
    elif target == 0x02:
        count = r.u32()
        idx = r.u32()
        outer = scope.outer(r, count)
        if core:
            return
        space = {0x03: outer.types, 0x04: outer.components}.get(sort)
        if space is None:
            raise r.error("invalid outer alias sort")
        if idx >= len(space):
            raise r.error(f"outer alias index {idx} out of bounds")
        obj = space[idx]
    else:
        raise r.error(f"invalid alias target 0x{target:x}")
    if core:
        return
    sort_name = {0x01: "func", 0x02: "value", 0x03: "type", 0x04: "component", 0x05: "instance"}.get(sort)
    if sort_name is None:
        raise r.error(f"invalid sort 0x{sort:x}")
    add_extern(scope, sort_name, obj)


def _decls(r: Reader, scope: Scope, component: bool) -> InstanceType | ComponentType:
    out: InstanceType | ComponentType = ComponentType() if component else InstanceType()
    for _ in range(r.u32()):
        kind = r.u8()
        if kind == 0x00:
            _skip_core_type(r)
            scope.core_types.append(None)
        elif kind == 0x01:
            scope.types.append(decode_type(r, scope))
        elif kind == 0x02:
            decode_alias(r, scope)
        elif kind == 0x03 and component:
            name, ext = extern_name(r)
            sort, obj = extern_desc(r, scope, name, ext)
            out.imports.append((name, sort, obj, ext))  # type: ignore[union-attr]
            add_extern(scope, sort, obj)
        elif kind == 0x04:
            name, ext = extern_name(r)
            sort, obj = extern_desc(r, scope, name, ext)
            out.exports.append((name, sort, obj, ext))
            add_extern(scope, sort, obj)
        else:
            raise r.error(f"invalid declaration kind 0x{kind:x}")
    return out


def _skip_core_type(r: Reader) -> None:
    code = r.u8()
    if code == 0x60:
        for _ in range(2):
            for _ in range(r.u32()):
                r.u8()
        return
    raise r.error("core types other than function types are not supported in WIT encodings")


def decode_type(r: Reader, scope: Scope) -> Any:
    """Decode one ``deftype`` in ``scope``.

    Raises:
        WitError: for malformed or unsupported encodings (nesting over 100 levels included).
    """
    code = r.u8()
    if code in (0x40, 0x43):
        return _functype(r, scope, code == 0x43)
    if code in (0x41, 0x42):
        if scope.depth >= MAX_DEPTH:
            raise r.error("type nesting too deep")
        inner = Scope(parent=scope, depth=scope.depth + 1)
        return _decls(r, inner, code == 0x41)
    if code == 0x3F:
        if r.u8() != 0x7F:
            raise r.error("resource representation must be i32")
        if r.u8() == 0x01:
            r.u32()
        return ResourceType()
    return decode_defvaltype(r, scope, code)
