"""The resolved WIT model (component-model ``design/mvp/WIT.md``; shape of wit-parser's ``Resolve``).

A :class:`Resolve` holds every package loaded together, in dependency order,
and four arenas that refer to each other by index: ``types``, ``interfaces``,
``worlds`` and ``packages``.  A :data:`Type` is either a primitive type name
(``"u32"``, ``"string"``, ``"error-context"``...) or an index into
``Resolve.types``.  Named types record their owner (an interface or a world);
anonymous structural types (``list<u8>``, handles, ...) have no name and no
owner and are interned.  ``use`` creates a new named alias entry.  Worlds are
stored *elaborated*: includes are merged in and every interface that an
import or export depends on is listed as an import.  This model is the source
of type truth for the canonical ABI and for bindings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Type", "Stability", "Owner", "Alias", "Record", "Field", "Flags", "Variant", "Case", "Enum", "Tuple",
    "Option", "Result", "List", "FixedList", "Map", "Future", "Stream", "Resource", "Handle", "TypeKind",
    "TypeDef", "Param", "Function", "Interface", "InterfaceKey", "WorldKey", "InterfaceItem", "FunctionItem",
    "TypeItem", "WorldItem", "World", "Package", "Resolve",
]

Type = str | int
"""A primitive type name or an index into :attr:`Resolve.types`."""


@dataclass(frozen=True, slots=True)
class Stability:
    """A feature gate: ``kind`` is ``"stable"`` (``value`` = the ``@since`` version)
    or ``"unstable"`` (``value`` = the feature name); ``deprecated`` is a version or ``None``."""

    kind: str
    value: str
    deprecated: str | None = None


@dataclass(frozen=True, slots=True)
class Owner:
    """The interface (``kind="interface"``) or world (``kind="world"``) defining a named type."""

    kind: str
    id: int


# ---- type kinds ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Alias:
    """``type a = T;`` and every name brought in by ``use``."""

    type: Type


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: Type
    docs: str | None = None


@dataclass(frozen=True, slots=True)
class Record:
    fields: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class Case:
    """A flag, an enum case or a variant case (``type`` only for variants)."""

    name: str
    type: Type | None = None
    docs: str | None = None


@dataclass(frozen=True, slots=True)
class Flags:
    flags: tuple[Case, ...]


@dataclass(frozen=True, slots=True)
class Variant:
    cases: tuple[Case, ...]


@dataclass(frozen=True, slots=True)
class Enum:
    cases: tuple[Case, ...]


@dataclass(frozen=True, slots=True)
class Tuple:
    types: tuple[Type, ...]


@dataclass(frozen=True, slots=True)
class Option:
    type: Type


@dataclass(frozen=True, slots=True)
class Result:
    ok: Type | None
    err: Type | None


@dataclass(frozen=True, slots=True)
class List:
    type: Type


@dataclass(frozen=True, slots=True)
class FixedList:
    type: Type
    size: int


@dataclass(frozen=True, slots=True)
class Map:
    key: Type
    value: Type


@dataclass(frozen=True, slots=True)
class Future:
    type: Type | None


@dataclass(frozen=True, slots=True)
class Stream:
    type: Type | None


@dataclass(frozen=True, slots=True)
class Resource:
    """A resource type; its functions live in the owner's function map."""


@dataclass(frozen=True, slots=True)
class Handle:
    """``own<R>`` (``own=True``) or ``borrow<R>``; ``resource`` is the type index the name resolved to."""

    own: bool
    resource: int


TypeKind = (
    Alias
    | Record
    | Flags
    | Variant
    | Enum
    | Tuple
    | Option
    | Result
    | List
    | FixedList
    | Map
    | Future
    | Stream
    | Resource
    | Handle
)


@dataclass(slots=True)
class TypeDef:
    """One entry of :attr:`Resolve.types`; ``name`` and ``owner`` are ``None`` for anonymous types."""

    name: str | None
    kind: TypeKind
    owner: Owner | None = None
    docs: str | None = None
    stability: Stability | None = None
    external_id: str | None = None


# ---- functions, interfaces, worlds, packages --------------------------------


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: Type


@dataclass(slots=True)
class Function:
    """A function.  ``kind`` is one of ``freestanding``, ``async-freestanding``,
    ``method``, ``async-method``, ``static``, ``async-static``, ``constructor``;
    ``resource`` is the resource type index for the last five.  Methods carry
    their implicit ``self: borrow<R>`` as first parameter."""

    name: str
    kind: str
    params: tuple[Param, ...]
    result: Type | None
    resource: int | None = None
    docs: str | None = None
    stability: Stability | None = None
    external_id: str | None = None


@dataclass(slots=True)
class Interface:
    """An interface; ``name`` is ``None`` for an inline ``import x: interface {...}``."""

    name: str | None
    types: dict[str, int] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)
    docs: str | None = None
    stability: Stability | None = None
    package: int | None = None
    clone_of: int | None = None
    """For an inline interface copied into a world by ``include``: the interface it copies."""


@dataclass(frozen=True, slots=True)
class InterfaceKey:
    """World key of an interface imported or exported by path (JSON ``interface-N``)."""

    id: int


WorldKey = str | InterfaceKey


@dataclass(frozen=True, slots=True)
class InterfaceItem:
    id: int
    stability: Stability | None = None
    docs: str | None = None


@dataclass(frozen=True, slots=True)
class FunctionItem:
    func: Function


@dataclass(frozen=True, slots=True)
class TypeItem:
    id: int


WorldItem = InterfaceItem | FunctionItem | TypeItem


@dataclass(slots=True)
class World:
    """A world with elaborated ``imports`` and ``exports`` (includes flattened)."""

    name: str
    imports: dict[WorldKey, WorldItem] = field(default_factory=dict)
    exports: dict[WorldKey, WorldItem] = field(default_factory=dict)
    package: int | None = None
    docs: str | None = None
    stability: Stability | None = None


@dataclass(slots=True)
class Package:
    """``name`` is ``ns:name`` or ``ns:name@version``."""

    name: str
    docs: str | None = None
    interfaces: dict[str, int] = field(default_factory=dict)
    worlds: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class Resolve:
    """Every package loaded together, dependencies first; ``main`` is the root package index."""

    types: list[TypeDef] = field(default_factory=list)
    interfaces: list[Interface] = field(default_factory=list)
    worlds: list[World] = field(default_factory=list)
    packages: list[Package] = field(default_factory=list)
    package_ids: dict[str, int] = field(default_factory=dict)
    main: int | None = None
    _anon: dict[TypeKind, int] = field(default_factory=dict)

    def add_type(self, typedef: TypeDef) -> int:
        self.types.append(typedef)
        return len(self.types) - 1

    def anon(self, kind: TypeKind) -> int:
        """The interned index of the anonymous type ``kind``."""
        found = self._anon.get(kind)
        if found is None:
            found = self.add_type(TypeDef(None, kind))
            self._anon[kind] = found
        return found

    def unalias(self, ty: Type) -> Type:
        """Follow ``Alias`` entries to the type they finally name."""
        seen = 0
        while isinstance(ty, int) and seen <= len(self.types):
            kind = self.types[ty].kind
            if not isinstance(kind, Alias):
                break
            ty = kind.type
            seen += 1
        return ty

    def type_interface_dep(self, type_id: int) -> int | None:
        """The interface a ``use``-alias ``type_id`` refers into, if it is another owner's."""
        typedef = self.types[type_id]
        if not isinstance(typedef.kind, Alias) or not isinstance(typedef.kind.type, int):
            return None
        other = self.types[typedef.kind.type]
        if other.owner == typedef.owner or other.owner is None or other.owner.kind != "interface":
            return None
        return other.owner.id

    def interface_direct_deps(self, iface: int) -> list[int]:
        """Interfaces whose types ``iface`` uses, in declaration order, without repeats."""
        out: list[int] = []
        for type_id in self.interfaces[iface].types.values():
            dep = self.type_interface_dep(type_id)
            if dep is not None and dep not in out:
                out.append(dep)
        return out

    def select_world(self, package: int | None = None, world: str | None = None) -> int:
        """The id of a world: ``world`` is a name in ``package`` (default: the main package) or a
        full ``ns:pkg/name[@ver]`` id; without a name, the package's only world.

        Raises:
            WitError: when no world (or more than one, without a name) matches.
        """
        from ..errors import WitError

        if world is not None and ":" in world:
            base, at, version = world.partition("@")
            pkg_name, _, name = base.partition("/")
            key = pkg_name + (f"@{version}" if at else "")
            if key not in self.package_ids:
                raise WitError(f"no package named `{key}`")
            package, world = self.package_ids[key], name
        if package is None:
            package = self.main if self.main is not None else len(self.packages) - 1
        if not 0 <= package < len(self.packages):
            raise WitError("no package to select a world from")
        pkg = self.packages[package]
        if world is not None:
            if world not in pkg.worlds:
                raise WitError(f"no world named `{world}` in package `{pkg.name}`")
            return pkg.worlds[world]
        if len(pkg.worlds) != 1:
            raise WitError(f"package `{pkg.name}` has {len(pkg.worlds)} worlds; name the one to use")
        return next(iter(pkg.worlds.values()))

    def world_type_ids(self, world: int) -> list[int]:
        """The ids of the types ``world`` brings in, imports then exports: every type of each
        interface it imports or exports and its own type items (repeats are possible)."""
        w = self.worlds[world]
        ids: list[int] = []
        for items in (w.imports, w.exports):
            for item in items.values():
                if isinstance(item, InterfaceItem):
                    ids.extend(self.interfaces[item.id].types.values())
                elif isinstance(item, TypeItem):
                    ids.append(item.id)
        return ids

    def interface_path(self, iface: int) -> str | None:
        """``ns:pkg/name[@ver]`` of a named interface."""
        i = self.interfaces[iface]
        if i.name is None or i.package is None:
            return None
        name = self.packages[i.package].name
        base, _, version = name.partition("@")
        return f"{base}/{i.name}" + (f"@{version}" if version else "")
