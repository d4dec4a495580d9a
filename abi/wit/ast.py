"""Syntax tree of WIT documents (component-model ``design/mvp/WIT.md``, "Lexical structure" to "Gates").

The parser builds these frozen nodes; the resolver turns them into the
resolved model of :mod:`.model`.  Every node that can be the subject of an
error keeps a :class:`Span` (its file and byte range).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .lexer import Source

__all__ = [
    "Span", "Id", "PackageName", "Gate", "Attributes", "TypeExpr", "Prim", "Named", "ListType", "FixedList",
    "MapType", "Handle", "TupleType", "OptionType", "ResultType", "FutureType", "StreamType", "Param", "Func",
    "Field", "Case", "Record", "Flags", "Variant", "Enum", "Alias", "ResourceFunc", "Resource", "TypeDecl",
    "UsePath", "UseName", "Use", "NamedFunc", "Interface", "ExternInterface", "ExternFunc", "ExternPath",
    "WorldExtern", "Include", "World", "TopUse", "PackageBlock", "File",
]


@dataclass(frozen=True, slots=True)
class Span:
    """A byte range of one source file."""

    source: Source
    start: int
    end: int

    def error(self, message: str) -> Exception:
        return self.source.error(message, self.start, self.end)


@dataclass(frozen=True, slots=True)
class Id:
    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class PackageName:
    """``namespace:name[@version]``."""

    namespace: str
    name: str
    version: str | None
    span: Span

    def __str__(self) -> str:
        base = f"{self.namespace}:{self.name}"
        return base if self.version is None else f"{base}@{self.version}"


@dataclass(frozen=True, slots=True)
class Gate:
    """One attribute: ``kind`` is ``since``, ``unstable`` or ``deprecated``; ``value`` the version or feature."""

    kind: str
    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class Attributes:
    docs: tuple[str, ...] = ()
    gates: tuple[Gate, ...] = ()


# ---- types -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Prim:
    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class Named:
    id: Id


@dataclass(frozen=True, slots=True)
class ListType:
    elem: TypeExpr
    span: Span


@dataclass(frozen=True, slots=True)
class FixedList:
    elem: TypeExpr
    size: int
    span: Span


@dataclass(frozen=True, slots=True)
class MapType:
    key: TypeExpr
    value: TypeExpr
    span: Span


@dataclass(frozen=True, slots=True)
class Handle:
    own: bool
    resource: Id
    span: Span


@dataclass(frozen=True, slots=True)
class TupleType:
    types: tuple[TypeExpr, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class OptionType:
    elem: TypeExpr
    span: Span


@dataclass(frozen=True, slots=True)
class ResultType:
    ok: TypeExpr | None
    err: TypeExpr | None
    span: Span


@dataclass(frozen=True, slots=True)
class FutureType:
    elem: TypeExpr | None
    span: Span


@dataclass(frozen=True, slots=True)
class StreamType:
    elem: TypeExpr | None
    span: Span


TypeExpr = (
    Prim
    | Named
    | ListType
    | FixedList
    | MapType
    | Handle
    | TupleType
    | OptionType
    | ResultType
    | FutureType
    | StreamType
)


def type_span(t: TypeExpr) -> Span:
    """The span of a type expression."""
    return t.id.span if isinstance(t, Named) else t.span


# ---- functions and type declarations ---------------------------------------


@dataclass(frozen=True, slots=True)
class Param:
    name: Id
    type: TypeExpr


@dataclass(frozen=True, slots=True)
class Func:
    is_async: bool
    params: tuple[Param, ...]
    result: TypeExpr | None
    span: Span


@dataclass(frozen=True, slots=True)
class Field:
    attrs: Attributes
    name: Id
    type: TypeExpr


@dataclass(frozen=True, slots=True)
class Case:
    attrs: Attributes
    name: Id
    type: TypeExpr | None = None


@dataclass(frozen=True, slots=True)
class Record:
    fields: tuple[Field, ...]


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
class Alias:
    type: TypeExpr


@dataclass(frozen=True, slots=True)
class ResourceFunc:
    """``kind`` is ``method``, ``static`` or ``constructor`` (``name`` is then the ``constructor`` keyword)."""

    attrs: Attributes
    kind: str
    name: Id
    func: Func


@dataclass(frozen=True, slots=True)
class Resource:
    funcs: tuple[ResourceFunc, ...]


@dataclass(frozen=True, slots=True)
class TypeDecl:
    attrs: Attributes
    name: Id
    body: Record | Flags | Variant | Enum | Alias | Resource


# ---- interfaces and worlds -------------------------------------------------


@dataclass(frozen=True, slots=True)
class UsePath:
    """A local name (``package`` is ``None``) or ``ns:pkg/name[@ver]``."""

    package: PackageName | None
    name: Id


@dataclass(frozen=True, slots=True)
class UseName:
    name: Id
    as_: Id | None


@dataclass(frozen=True, slots=True)
class Use:
    attrs: Attributes
    path: UsePath
    names: tuple[UseName, ...]


@dataclass(frozen=True, slots=True)
class NamedFunc:
    attrs: Attributes
    name: Id
    func: Func


@dataclass(frozen=True, slots=True)
class Interface:
    attrs: Attributes
    name: Id
    items: tuple[TypeDecl | Use | NamedFunc, ...]


@dataclass(frozen=True, slots=True)
class ExternInterface:
    """``import name: interface { ... }``."""

    name: Id
    items: tuple[TypeDecl | Use | NamedFunc, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class ExternFunc:
    name: Id
    func: Func


@dataclass(frozen=True, slots=True)
class ExternPath:
    """``import path;`` or, with ``label``, ``import label: path;``."""

    label: Id | None
    path: UsePath


@dataclass(frozen=True, slots=True)
class WorldExtern:
    attrs: Attributes
    is_import: bool
    item: ExternInterface | ExternFunc | ExternPath
    span: Span


@dataclass(frozen=True, slots=True)
class Include:
    attrs: Attributes
    path: UsePath
    with_: tuple[UseName, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class World:
    attrs: Attributes
    name: Id
    items: tuple[WorldExtern | Include | Use | TypeDecl, ...]


@dataclass(frozen=True, slots=True)
class TopUse:
    """``use ns:pkg/iface[@ver] [as name];`` (or a local path)."""

    attrs: Attributes
    path: UsePath
    as_: Id | None


@dataclass(frozen=True, slots=True)
class PackageBlock:
    """``package ns:name { ... }`` inside a file."""

    attrs: Attributes
    name: PackageName
    items: tuple[Interface | World | TopUse, ...]


@dataclass(frozen=True, slots=True)
class File:
    """One parsed file: its optional package header and top-level items."""

    source: Source
    package: PackageName | None
    package_attrs: Attributes
    items: tuple[Interface | World | TopUse, ...]
    nested: tuple[PackageBlock, ...] = field(default=())
