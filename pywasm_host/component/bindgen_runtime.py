"""Runtime glue of generated bindings (see :mod:`.bindgen`): loads the core module
through the component host (component-model ``design/mvp/CanonicalABI.md``
``canon lift``/``canon lower`` as implemented in :mod:`..abi.canonical`),
registers the generated classes so that lifted records, variants, enums,
flags and resource handles come back as them, and adapts host
implementations of imported resources.

Generated modules import only this module's names, so the runtime API they
rely on is the small surface below.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, Protocol

from ..abi.canonical.resources import ResourceHandle
from ..abi.canonical.values import Err, Ok, Some, ValueClasses
from ..interpreter.errors import LinkError
from .runtime import CoreComponent, load_core

__all__ = ["Caller", "instantiate", "method", "Ok", "Err", "Some", "ResourceHandle"]


class Caller(Protocol):
    """A loaded guest as the bindings see it."""

    def call(self, name: str, args: tuple[Any, ...]) -> Any:
        """Call the WIT function ``name`` (``ns:pkg/iface#func`` or a world-level name)."""
        ...


def method(name: str) -> Callable[..., Any]:
    """The import implementation of a host resource method: calls ``self.<name>(...)``."""

    def call(self: Any, *args: Any) -> Any:
        return getattr(self, name)(*args)

    call.__name__ = name
    return call


class _Caller:
    """:class:`Caller` over a :class:`~.runtime.CoreComponent`."""

    __slots__ = ("component",)

    def __init__(self, component: CoreComponent) -> None:
        self.component = component

    def call(self, name: str, args: tuple[Any, ...]) -> Any:
        return self.component.call(name, *args)


def _world_name(component: CoreComponent) -> str:
    world = component.world
    pkg = component.resolve.packages[world.package].name if world.package is not None else ""
    base, at, version = pkg.partition("@")
    return f"{base}/{world.name}{at}{version}" if pkg else world.name


def instantiate(module: str | bytes | os.PathLike[str], world: str, imports: dict[str, dict[str, Any]],
                classes: dict[str, type], handles: dict[str, type[ResourceHandle]],
                engine: Any = None, wasi: Any = None) -> Caller:
    """Load and instantiate the wit-bindgen core module ``module`` for WIT world ``world``.

    ``imports`` maps interface paths (``"$root"`` for the world's own functions)
    to implementations keyed by WIT function name; ``classes`` and ``handles``
    map qualified WIT type names (``ns:pkg/iface#name``) to the generated
    classes.  ``engine`` and ``wasi`` are passed to :func:`~.runtime.load_core`.

    Raises:
        LinkError: the module was built for another world, or an import is missing.
        WasmError: the module is malformed, invalid or traps while starting.
        WitError: the module carries no usable WIT world.
    """
    value_classes = ValueClasses()
    for name, cls in classes.items():
        value_classes.register(name, cls)
    component = load_core(module, imports, classes=value_classes, engine=engine, wasi=wasi)
    built_for = _world_name(component)
    if built_for != world:
        raise LinkError(f"the module was built for world `{built_for}`, these bindings are for `{world}`")
    caller = _Caller(component)
    table = component.state.handle_classes
    for rt in list(table):
        cls = handles.get(f"{rt.interface}#{rt.name}" if rt.interface else rt.name)
        if cls is not None:
            # a per-instance subclass, so that handle methods know which instance to call
            table[rt] = type(cls.__name__, (cls,), {"__slots__": (), "_caller": caller,
                                                    "__module__": cls.__module__, "__qualname__": cls.__qualname__})
    return caller
