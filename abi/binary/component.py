"""The type of a whole component (component-model ``design/mvp/Binary.md``, "Component Definitions").

A component that is not a WIT encoding still carries its WIT: the types of
its imports and exports.  :func:`component_world` decodes the component-level
index spaces (types, functions, instances, nested components) just far enough
to type every import and export: ``canon lift`` gives a function its type,
``instantiate`` gives an instance the exports of the nested component with
its imported types replaced by the ``with`` arguments, and inline instances
list their items.  Core modules, core instances and core types are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import WitError
from .reader import Reader
from .types import (
    ComponentType,
    Defined,
    FuncType,
    InstanceType,
    Scope,
    TypeRef,
    add_extern,
    decode_alias,
    decode_type,
    extern_desc,
    extern_name,
)

__all__ = ["component_world", "ComponentDef"]

_SORTS = {0x01: "func", 0x02: "value", 0x03: "type", 0x04: "component", 0x05: "instance"}
MAX_COMPONENT_DEPTH = 50


@dataclass(eq=False, slots=True)
class ComponentDef:
    """A defined component: its imports and exports as ``(name, sort, type, annotations)``."""

    imports: list[tuple[str, str, Any, Any]] = field(default_factory=list)
    exports: list[tuple[str, str, Any, Any]] = field(default_factory=list)


def _space(scope: Scope, sort: str, r: Reader) -> list[Any]:
    space = {"type": scope.types, "func": scope.funcs, "instance": scope.instances,
             "component": scope.components}.get(sort)
    if space is None:
        raise r.error(f"unsupported sort `{sort}`")
    return space


def _item(scope: Scope, r: Reader, sort: str, idx: int) -> Any:
    space = _space(scope, sort, r)
    if idx >= len(space):
        raise r.error(f"unknown {sort} {idx}")
    return space[idx]


def _sort(r: Reader) -> str | None:
    code = r.u8()
    if code == 0x00:
        r.u8()  # core sort
        return None
    sort = _SORTS.get(code)
    if sort is None:
        raise r.error(f"invalid sort 0x{code:x}")
    return sort


class _Substitution:
    """Replace a nested component's imported types by the instantiation's arguments."""

    def __init__(self, mapping: dict[int, Any]) -> None:
        self.mapping = mapping
        self.memo: dict[int, Any] = {}

    def __call__(self, obj: Any) -> Any:
        key = id(obj)
        if key in self.mapping:
            return self.mapping[key]
        if key in self.memo:
            return self.memo[key]
        out: Any = obj
        if isinstance(obj, TypeRef):
            target = self(obj.target)
            out = obj if target is obj.target else TypeRef(obj.name, target, obj.external_id)
        elif isinstance(obj, Defined):
            args = tuple(self._arg(a) for a in obj.args)
            out = obj if args == obj.args else Defined(obj.tag, args)
        elif isinstance(obj, FuncType):
            out = FuncType(tuple((n, self(t)) for n, t in obj.params),
                           None if obj.result is None else self(obj.result), obj.is_async)
        elif isinstance(obj, InstanceType):
            out = InstanceType([(n, s, self(o), a) for n, s, o, a in obj.exports])
        self.memo[key] = out
        return out

    def _arg(self, a: Any) -> Any:
        if isinstance(a, tuple):
            return tuple(self._arg(x) for x in a)
        if isinstance(a, (str, int)) or a is None:
            return a
        return self(a)


def _canon(r: Reader, scope: Scope) -> None:
    code = r.u8()
    if code == 0x00:  # lift: 0x00 core-func opts type
        if r.u8() != 0x00:
            raise r.error("invalid canon lift")
        r.u32()
        _opts(r)
        ft = _item(scope, r, "type", r.u32())
        if not isinstance(ft, FuncType):
            raise r.error("canon lift needs a function type")
        scope.funcs.append(ft)
    elif code == 0x01:  # lower: 0x00 func opts
        if r.u8() != 0x00:
            raise r.error("invalid canon lower")
        r.u32()
        _opts(r)
    elif code in (0x02, 0x03, 0x04, 0x07):  # resource.new / drop / rep / drop async
        r.u32()
    else:
        raise r.error(f"canon definition 0x{code:x} is not supported here")


def _opts(r: Reader) -> None:
    for _ in range(r.u32()):
        opt = r.u8()
        if opt in (0x03, 0x04, 0x05, 0x07):
            r.u32()
        elif opt not in (0x00, 0x01, 0x02, 0x06):
            raise r.error(f"invalid canon option 0x{opt:x}")


def _instance(r: Reader, scope: Scope) -> Any:
    kind = r.u8()
    if kind == 0x00:
        comp = _item(scope, r, "component", r.u32())
        args: dict[str, Any] = {}
        for _ in range(r.u32()):
            name = r.name()
            sort = _sort(r)
            idx = r.u32()
            if sort is not None:
                args[name] = _item(scope, r, sort, idx)
        imports = comp.imports if isinstance(comp, (ComponentDef, ComponentType)) else []
        mapping: dict[int, Any] = {}
        for name, sort, obj, _ann in imports:
            if name in args and sort == "type":
                mapping[id(obj)] = args[name]
            elif name in args and sort == "instance" and isinstance(obj, InstanceType) \
                    and isinstance(args[name], InstanceType):
                for (en, es, eo, _a) in obj.exports:
                    if es == "type":
                        found = args[name].export(en)
                        if found is not None:
                            mapping[id(eo)] = found
        subst = _Substitution(mapping)
        exports = comp.exports if isinstance(comp, (ComponentDef, ComponentType)) else []
        return InstanceType([(n, s, subst(o), a) for n, s, o, a in exports])
    if kind == 0x01:
        out = InstanceType()
        for _ in range(r.u32()):
            name, ann = extern_name(r)
            sort = _sort(r)
            idx = r.u32()
            if sort is not None:
                out.exports.append((name, sort, _item(scope, r, sort, idx), ann))
        return out
    raise r.error(f"invalid instance expression 0x{kind:x}")


def _component(r: Reader, parent: Scope | None, depth: int) -> ComponentDef:
    if depth > MAX_COMPONENT_DEPTH:
        raise r.error("components nest too deeply")
    if r.bytes(4) != b"\0asm":
        raise r.error("magic header not detected")
    if r.bytes(4) != b"\x0d\x00\x01\x00":
        raise r.error("not a component (unknown version or layer)")
    scope = Scope(parent=parent)
    out = ComponentDef()
    while not r.eof():
        section_id = r.u8()
        s = r.sub(r.u32())
        if section_id in (0, 1, 2, 3, 9):  # custom, core module/instance/type, start: no component types
            continue
        if section_id == 4:
            scope.components.append(_component(s, scope, depth + 1))
            continue
        for _ in range(s.u32()):
            if section_id == 5:
                scope.instances.append(_instance(s, scope))
            elif section_id == 6:
                decode_alias(s, scope)
            elif section_id == 7:
                scope.types.append(decode_type(s, scope))
            elif section_id == 8:
                _canon(s, scope)
            elif section_id == 10:
                name, ann = extern_name(s)
                sort, obj = extern_desc(s, scope, name, ann)
                add_extern(scope, sort, obj)
                out.imports.append((name, sort, obj, ann))
            elif section_id == 11:
                name, ann = extern_name(s)
                export_sort = _sort(s)
                idx = s.u32()
                ascribed = None
                if s.u8() == 0x01:
                    _asort, ascribed = extern_desc(s, scope, name, ann)
                if export_sort is None:
                    continue
                obj = ascribed if ascribed is not None else _item(scope, s, export_sort, idx)
                if export_sort == "type" and (not isinstance(obj, TypeRef) or obj.name != name):
                    obj = TypeRef(name, obj, ann.external_id)
                add_extern(scope, export_sort, obj)
                out.exports.append((name, export_sort, obj, ann))
            else:
                raise s.error(f"unknown section {section_id}")
        if not s.eof():
            raise s.error("section size mismatch")
    return out


def component_world(data: bytes) -> ComponentType:
    """The imports and exports of a component binary, typed, as a :class:`ComponentType`.

    Raises:
        WitError: for malformed or unsupported components.
    """
    r = Reader(data, what="component")
    try:
        comp = _component(r, None, 0)
    except RecursionError:
        raise WitError("malformed component: types nest too deeply") from None
    return ComponentType(list(comp.imports), list(comp.exports))

