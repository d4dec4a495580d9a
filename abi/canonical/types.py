"""Component value types for the canonical ABI (component-model ``design/mvp/CanonicalABI.md``,
"Supporting definitions" and "Despecialization"), built from the resolved WIT model.

The ABI works on its own small type objects rather than on the WIT arenas:
:func:`from_wit` turns a :data:`..wit.model.Type` into one of the classes
below (aliases followed, ``use``\\ d names resolved), keeping the WIT name of
named types (``name``) so that the runtime can map records, variants, enums
and flags to Python classes.  :func:`despecialize` maps the specialised
types (tuple, enum, option, result) to their record/variant form as the
spec does; the layout functions (:mod:`.layout`, :mod:`.flatten`) work on
the despecialised form, while lifting and lowering keep the specialised
form to choose the Python representation.

Type objects are plain (mutable) slotted objects so that the layout
functions can cache ``alignment``/``elem_size``/flattening on them.
"""

from __future__ import annotations

import keyword
import re
from typing import Any

from ..errors import AbiError
from ..wit import model as m

__all__ = [
    "ValType", "Prim", "ListType", "Field", "RecordType", "TupleType", "Case", "VariantType", "EnumType",
    "OptionType", "ResultType", "FlagsType", "ResourceType", "OwnType", "BorrowType", "FuncType",
    "PRIMS", "BOOL", "S8", "U8", "S16", "U16", "S32", "U32", "S64", "U64", "F32", "F64", "CHAR", "STRING",
    "despecialize", "from_wit", "func_from_wit", "snake", "camel", "TypeBuilder", "wit_type_name",
]


def snake(name: str) -> str:
    """The Python identifier for a WIT kebab-case name (``get-u32`` -> ``get_u32``; keywords get ``_``)."""
    out = name.replace("-", "_")
    if keyword.iskeyword(out) or not out.isidentifier():
        out += "_"
    return out


def camel(name: str) -> str:
    """The Python class name for a WIT kebab-case name (``run-result`` -> ``RunResult``)."""
    out = "".join(part[:1].upper() + part[1:] for part in re.split(r"[-_]", name) if part)
    return out if out.isidentifier() else "T" + out


class ValType:
    """Base of component value types; ``name`` is the WIT name of a named type (else ``None``),
    ``owner`` the path of the interface defining it (``ns:pkg/iface[@ver]``, or the world's name),
    ``wit_id`` the WIT type index it came from (else ``None``)."""

    @property
    def qualname(self) -> str | None:
        """``owner#name`` for named types (the key bindings register classes under)."""
        if self.name is None:
            return None
        return f"{self.owner}#{self.name}" if self.owner else self.name

    __slots__ = ("name", "owner", "wit_id", "_layout", "_flat", "_despec")

    def __init__(self) -> None:
        self.name: str | None = None
        self.owner: str | None = None
        self.wit_id: int | None = None
        self._layout: tuple[int, int] | None = None
        self._flat: tuple[str, ...] | None = None
        self._despec: ValType | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name or ''})"


class Prim(ValType):
    """A primitive type: ``bool``, ``s8``..``u64``, ``f32``, ``f64``, ``char``, ``string``."""

    __slots__ = ("kind",)

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def __repr__(self) -> str:
        return self.kind


PRIMS: dict[str, Prim] = {k: Prim(k) for k in (
    "bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "f32", "f64", "char", "string")}
BOOL, S8, U8, S16, U16, S32, U32 = (PRIMS[k] for k in ("bool", "s8", "u8", "s16", "u16", "s32", "u32"))
S64, U64, F32, F64, CHAR, STRING = (PRIMS[k] for k in ("s64", "u64", "f32", "f64", "char", "string"))


class ListType(ValType):
    """``list<T>``, or the fixed-length ``list<T, N>`` when ``length`` is set."""

    __slots__ = ("elem", "length")

    def __init__(self, elem: ValType, length: int | None = None) -> None:
        super().__init__()
        self.elem = elem
        self.length = length


class Field:
    """A record field: WIT ``label``, Python attribute ``pyname``, type ``t``."""

    __slots__ = ("label", "t", "pyname")

    def __init__(self, label: str, t: ValType) -> None:
        self.label = label
        self.t = t
        self.pyname = snake(label)


class RecordType(ValType):
    __slots__ = ("fields",)

    def __init__(self, fields: list[Field]) -> None:
        super().__init__()
        self.fields = tuple(fields)


class TupleType(ValType):
    __slots__ = ("types",)

    def __init__(self, types: list[ValType]) -> None:
        super().__init__()
        self.types = tuple(types)


class Case:
    """A variant case: ``label`` and payload type ``t`` (``None`` without payload)."""

    __slots__ = ("label", "t")

    def __init__(self, label: str, t: ValType | None) -> None:
        self.label = label
        self.t = t


class VariantType(ValType):
    __slots__ = ("cases", "index")

    def __init__(self, cases: list[Case]) -> None:
        super().__init__()
        self.cases = tuple(cases)
        self.index = {c.label: i for i, c in enumerate(self.cases)}


class EnumType(ValType):
    __slots__ = ("labels", "index")

    def __init__(self, labels: list[str]) -> None:
        super().__init__()
        self.labels = tuple(labels)
        self.index = {label: i for i, label in enumerate(self.labels)}


class OptionType(ValType):
    __slots__ = ("t",)

    def __init__(self, t: ValType) -> None:
        super().__init__()
        self.t = t


class ResultType(ValType):
    __slots__ = ("ok", "error")

    def __init__(self, ok: ValType | None, error: ValType | None) -> None:
        super().__init__()
        self.ok = ok
        self.error = error


class FlagsType(ValType):
    __slots__ = ("labels", "index")

    def __init__(self, labels: list[str]) -> None:
        super().__init__()
        self.labels = tuple(labels)
        self.index = {label: i for i, label in enumerate(self.labels)}


class ResourceType:
    """A resource type's identity: its WIT ``name``, the interface path (or ``None`` for a
    world-level resource) and ``wit_id``.  ``impl`` is filled in by the runtime (the object
    implementing it: the guest instance for exported resources, the host for imported ones)."""

    __slots__ = ("name", "interface", "wit_id", "impl", "dtor", "__weakref__")

    def __init__(self, name: str, interface: str | None, wit_id: int | None = None) -> None:
        self.name = name
        self.interface = interface
        self.wit_id = wit_id
        self.impl: Any = None
        self.dtor: Any = None

    def __repr__(self) -> str:
        return f"ResourceType({self.interface or '$root'}/{self.name})"


class OwnType(ValType):
    __slots__ = ("rt",)

    def __init__(self, rt: ResourceType) -> None:
        super().__init__()
        self.rt = rt


class BorrowType(ValType):
    __slots__ = ("rt",)

    def __init__(self, rt: ResourceType) -> None:
        super().__init__()
        self.rt = rt


class FuncType:
    """A component function type: named ``params`` and an optional single ``result``."""

    __slots__ = ("params", "result", "_flat")

    def __init__(self, params: list[tuple[str, ValType]], result: ValType | None) -> None:
        self.params = tuple(params)
        self.result = result
        self._flat: dict[str, Any] = {}

    @property
    def param_types(self) -> list[ValType]:
        return [t for _, t in self.params]

    @property
    def result_types(self) -> list[ValType]:
        return [] if self.result is None else [self.result]


def despecialize(t: ValType) -> ValType:
    """CanonicalABI.md "Despecialization": tuple -> record, enum/option/result -> variant."""
    if t._despec is not None:
        return t._despec
    out: ValType
    if isinstance(t, TupleType):
        out = RecordType([Field(str(i), ti) for i, ti in enumerate(t.types)])
    elif isinstance(t, EnumType):
        out = VariantType([Case(label, None) for label in t.labels])
    elif isinstance(t, OptionType):
        out = VariantType([Case("none", None), Case("some", t.t)])
    elif isinstance(t, ResultType):
        out = VariantType([Case("ok", t.ok), Case("error", t.error)])
    else:
        out = t
    t._despec = out
    return out


class TypeBuilder:
    """Converts WIT types of one :class:`~..wit.model.Resolve` to ABI types, memoised per WIT index,
    so that every use of a named WIT type yields the same object (and one resource type object
    per WIT resource)."""

    def __init__(self, resolve: m.Resolve) -> None:
        self.resolve = resolve
        self._cache: dict[int, ValType] = {}
        self.resources: dict[int, ResourceType] = {}

    def resource(self, type_id: int) -> ResourceType:
        r = self.resolve
        tid = r.unalias(type_id)
        if not isinstance(tid, int):
            raise AbiError(f"type {type_id} is not a resource")
        rt = self.resources.get(tid)
        if rt is None:
            td = r.types[tid]
            rt = ResourceType(td.name or f"resource{tid}", self._interface_of(td), tid)
            self.resources[tid] = rt
        return rt

    def _interface_of(self, td: m.TypeDef) -> str | None:
        """The path (or, for an inline interface, the name) of the interface defining ``td``."""
        if td.owner is None or td.owner.kind != "interface":
            return None
        return self.resolve.interface_path(td.owner.id) or self.resolve.interfaces[td.owner.id].name

    def opt(self, t: m.Type | None) -> ValType | None:
        return None if t is None else self.valtype(t)

    def valtype(self, t: m.Type) -> ValType:
        """The ABI type of WIT type ``t``.

        Raises:
            AbiError: the type has no canonical ABI support here (map, future, stream, error-context).
        """
        r = self.resolve
        t = r.unalias(t)
        if isinstance(t, str):
            prim = PRIMS.get(t)
            if prim is None:
                raise AbiError(f"WIT type `{t}` is not supported by the canonical ABI here")
            return prim
        cached = self._cache.get(t)
        if cached is not None:
            return cached
        td = r.types[t]
        kind = td.kind
        out: ValType
        match kind:
            case m.Record(fields):
                out = RecordType([Field(f.name, self.valtype(f.type)) for f in fields])
            case m.Tuple(types):
                out = TupleType([self.valtype(x) for x in types])
            case m.Flags(flags):
                out = FlagsType([f.name for f in flags])
            case m.Enum(cases):
                out = EnumType([c.name for c in cases])
            case m.Variant(cases):
                out = VariantType([Case(c.name, self.opt(c.type)) for c in cases])
            case m.Option(inner):
                out = OptionType(self.valtype(inner))
            case m.Result(ok, err):
                out = ResultType(self.opt(ok), self.opt(err))
            case m.List(elem):
                out = ListType(self.valtype(elem))
            case m.FixedList(elem, size):
                out = ListType(self.valtype(elem), size)
            case m.Handle(own, resource):
                rt = self.resource(resource)
                out = OwnType(rt) if own else BorrowType(rt)
            case m.Resource():
                out = OwnType(self.resource(t))
            case _:
                raise AbiError(f"WIT type kind {type(kind).__name__} is not supported by the canonical ABI here")
        out.name = td.name
        if td.owner is not None:
            out.owner = self._interface_of(td) if td.owner.kind == "interface" else r.worlds[td.owner.id].name
        out.wit_id = t
        self._cache[t] = out
        return out

    def func(self, f: m.Function) -> FuncType:
        """The ABI function type of WIT function ``f``."""
        return FuncType([(p.name, self.valtype(p.type)) for p in f.params], self.opt(f.result))


def from_wit(resolve: m.Resolve, t: m.Type) -> ValType:
    """The ABI type of WIT type ``t`` (a fresh :class:`TypeBuilder`; use one builder per world)."""
    return TypeBuilder(resolve).valtype(t)


def func_from_wit(resolve: m.Resolve, f: m.Function) -> FuncType:
    """The ABI type of WIT function ``f`` (a fresh :class:`TypeBuilder`)."""
    return TypeBuilder(resolve).func(f)


def wit_type_name(t: ValType | None) -> str:
    """The WIT spelling of ``t`` for messages (``list<u8>``, ``option<string>``, a named type's name)."""
    if t is None:
        return "_"
    if t.name is not None:
        return t.name
    if isinstance(t, Prim):
        return t.kind
    if isinstance(t, ListType):
        inner = wit_type_name(t.elem)
        return f"list<{inner}>" if t.length is None else f"list<{inner}, {t.length}>"
    if isinstance(t, TupleType):
        return f"tuple<{', '.join(wit_type_name(x) for x in t.types)}>"
    if isinstance(t, OptionType):
        return f"option<{wit_type_name(t.t)}>"
    if isinstance(t, ResultType):
        if t.ok is None and t.error is None:
            return "result"
        return f"result<{wit_type_name(t.ok)}, {wit_type_name(t.error)}>"
    if isinstance(t, OwnType):
        return f"own<{t.rt.name}>"
    if isinstance(t, BorrowType):
        return f"borrow<{t.rt.name}>"
    if isinstance(t, RecordType):
        return "record"
    if isinstance(t, VariantType):
        return "variant"
    if isinstance(t, EnumType):
        return "enum"
    if isinstance(t, FlagsType):
        return "flags"
    return type(t).__name__
