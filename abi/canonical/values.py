"""Python representation of component values (component-model ``design/mvp/Explainer.md``,
"Value types", and the canonical ABI's lifted values in ``CanonicalABI.md``).

==================  =========================================================
WIT type            Python value
==================  =========================================================
bool                ``bool``
s8 .. u64           ``int`` (lowering checks the range: ``OverflowError``)
f32, f64            ``float`` (NaNs canonicalised as the spec requires)
char                a 1-character ``str`` (no surrogates)
string              ``str``
list<u8>            ``bytes`` (``bytes``/``bytearray``/``memoryview`` accepted)
list<numeric>       ``list`` of numbers, or a numpy array with ``numpy_lists``
                    (a copy; read-only when the core offers no zero-copy view)
                    (arrays, ``array.array`` and buffers of the right item size
                    are accepted when lowering)
list<T>, list<T,N>  ``list``
record              an instance of the record's class (a dataclass with the
                    snake_case field names, see :class:`ValueClasses`); any
                    object with those attributes, or a ``dict`` keyed by
                    field name, is accepted when lowering
tuple<...>          ``tuple``
variant             an instance of the variant's class, a :class:`Variant`
                    subclass with ``.tag`` (the WIT case name) and ``.value``
                    (``None`` without payload): ``match v: case Shape("circle", r)``
enum                a member of the enum's ``enum.Enum`` class whose ``.value``
                    is the WIT case name (a case-name ``str`` is accepted)
flags               a member of the flags' ``enum.Flag`` class (bit *i* = label
                    *i*); a set/list of label names or an ``int`` is accepted
option<T>           ``None`` or the value; :class:`Some` wraps the value only
                    where ``T`` is itself an option (``Some(None)``); ``Some(x)``
                    is accepted for every option when lowering
result<T, E>        :class:`Ok` or :class:`Err` (``.value`` is ``None`` without payload)
own<R>, borrow<R>   a resource handle (see :mod:`.resources`)
==================  =========================================================

:class:`ValueClasses` supplies the record/variant/enum/flags classes: it
builds a default class per WIT type on first use, and a bindings module can
register its own under the type's qualified name (``ns:pkg/iface#name``) or
its bare WIT name.  A registered record class is called with the field
values in WIT order as positional arguments; a variant class with
``(tag, value)`` (or through a ``from_case(tag, value)`` classmethod when it
has one); an enum class with the case name; a flags class with the bit set.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any, Generic, TypeVar

from .types import EnumType, FlagsType, RecordType, ValType, VariantType, camel, snake

__all__ = ["Ok", "Err", "Some", "Variant", "ValueClasses"]

T = TypeVar("T")
E = TypeVar("E")


@dataclasses.dataclass(frozen=True, slots=True)
class Ok(Generic[T]):
    """The ``ok`` case of a ``result``."""

    value: T = None  # type: ignore[assignment]


@dataclasses.dataclass(frozen=True, slots=True)
class Err(Generic[E]):
    """The ``error`` case of a ``result``."""

    value: E = None  # type: ignore[assignment]


@dataclasses.dataclass(frozen=True, slots=True)
class Some(Generic[T]):
    """A present ``option`` value, used where ``None`` alone would be ambiguous (``option<option<T>>``)."""

    value: T


@dataclasses.dataclass(frozen=True, slots=True)
class Variant:
    """Base of variant values: ``tag`` is the WIT case name, ``value`` the payload or ``None``."""

    tag: str
    value: Any = None


class ValueClasses:
    """The Python classes of records, variants, enums and flags, by WIT type.

    ``register(name, cls)`` installs a class for the type with qualified name
    ``name`` (``"xyz:machine/machine-interface#run-result"``) or bare WIT name
    (``"run-result"``); unregistered types get a default class built from the
    WIT definition (dataclass / :class:`Variant` subclass / ``enum.Enum`` /
    ``enum.Flag``) named in CamelCase.
    """

    def __init__(self) -> None:
        self._registered: dict[str, type] = {}
        self._cache: dict[ValType, type] = {}

    def register(self, name: str, cls: type) -> None:
        """Use ``cls`` for the WIT type called ``name`` (qualified or bare)."""
        self._registered[name] = cls
        self._cache.clear()

    def get(self, t: ValType) -> type:
        """The class for record/variant/enum/flags type ``t``."""
        cls = self._cache.get(t)
        if cls is not None:
            return cls
        cls = None
        if t.qualname is not None:
            cls = self._registered.get(t.qualname)
        if cls is None and t.name is not None:
            cls = self._registered.get(t.name)
        if cls is None:
            cls = default_class(t)
        self._cache[t] = cls
        return cls


def default_class(t: ValType) -> type:
    """Build the default Python class of a record, variant, enum or flags type."""
    name = camel(t.name or type(t).__name__.removesuffix("Type"))
    if isinstance(t, RecordType):
        cls = dataclasses.make_dataclass(name, [(f.pyname, Any) for f in t.fields], slots=True)
        cls.__doc__ = f"WIT record `{t.name}`."
        return cls
    if isinstance(t, VariantType):
        return type(name, (Variant,), {"__slots__": (), "__doc__": f"WIT variant `{t.name}`."})
    if isinstance(t, EnumType):
        return enum.Enum(name, [(snake(label).upper(), label) for label in t.labels])  # type: ignore[return-value]
    if isinstance(t, FlagsType):
        return enum.Flag(name, [(snake(label).upper(), 1 << i) for i, label in enumerate(t.labels)])  # type: ignore[return-value]
    raise TypeError(f"no value class for {t!r}")
