"""Canonical ABI options and the lift/lower context (component-model
``design/mvp/CanonicalABI.md``, "Canonical ABI Options" and "Context").

:class:`CanonicalOptions` holds what ``canon lift``/``canon lower`` take as
immediates: the ``string-encoding`` (``"utf8"``, ``"utf16"`` or
``"latin1+utf16"``), the name of the ``realloc`` export and of the
``post-return`` export; plus one host-side choice, ``numpy_lists``, which
lifts numeric lists as numpy arrays.  :class:`LiftLowerContext` bundles the
options with the core instance (:class:`.core.CoreInstance`), the resource
state (:class:`.resources.ResourceState`), the Python value classes
(:class:`.values.ValueClasses`) and the borrow scope of the current call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...interpreter.errors import Trap, TrapCode
from .values import ValueClasses

if TYPE_CHECKING:
    from .core import CoreInstance
    from .resources import CallScope, ResourceState

__all__ = ["CanonicalOptions", "LiftLowerContext", "STRING_ENCODINGS", "AbiTrap", "trap", "trap_oob"]

STRING_ENCODINGS = ("utf8", "utf16", "latin1+utf16")


class AbiTrap(Trap):
    """A trap raised by a canonical ABI check (CanonicalABI.md ``trap()``/``trap_if()``);
    ``str()`` is ``"canonical ABI: <what failed>"``.  Out-of-bounds guest pointers raise a
    plain :class:`Trap` with ``TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS`` instead."""

    def __init__(self, detail: str) -> None:
        super().__init__(TrapCode.HOST, detail)
        self.args = (f"canonical ABI: {detail}",)


def trap(detail: str) -> AbiTrap:
    """The trap for a failed canonical ABI check (raise it)."""
    return AbiTrap(detail)


def trap_oob(detail: str) -> Trap:
    """The trap for a guest pointer/length outside linear memory (raise it)."""
    return Trap(TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS, f"(canonical ABI: {detail})")


class CanonicalOptions:
    """``string_encoding``, ``realloc`` (export name or ``None``), ``post_return`` (export name or ``None``),
    ``numpy_lists`` (lift numeric lists to numpy arrays).

    Raises:
        ValueError: unknown string encoding.
    """

    __slots__ = ("string_encoding", "realloc", "post_return", "numpy_lists")

    def __init__(self, string_encoding: str = "utf8", realloc: str | None = "cabi_realloc",
                 post_return: str | None = None, numpy_lists: bool = False) -> None:
        if string_encoding not in STRING_ENCODINGS:
            raise ValueError(f"unknown string encoding {string_encoding!r}; expected one of {STRING_ENCODINGS}")
        self.string_encoding = string_encoding
        self.realloc = realloc
        self.post_return = post_return
        self.numpy_lists = numpy_lists


class LiftLowerContext:
    """The state one lift or lower operation works in."""

    __slots__ = ("opts", "core", "inst", "classes", "scope", "_realloc")

    def __init__(self, opts: CanonicalOptions, core: CoreInstance, inst: ResourceState | None = None,
                 classes: ValueClasses | None = None, scope: CallScope | None = None) -> None:
        self.opts = opts
        self.core = core
        self.inst = inst
        self.classes = classes if classes is not None else ValueClasses()
        self.scope = scope
        self._realloc: Any = None

    def realloc(self, original_ptr: int, original_size: int, alignment: int, new_size: int) -> int:
        """Call the guest's ``realloc`` (CanonicalABI.md: ``cabi_realloc(old, old_size, align, new_size)``).

        Raises:
            Trap: the options name no realloc function, or it traps.
        """
        name = self.opts.realloc
        if name is None or not self.core.has_export(name):
            raise trap(f"the guest has no realloc export {name!r}")
        return int(self.core.call(name, [original_ptr, original_size, alignment, new_size])[0]) & 0xFFFF_FFFF

    def allocate(self, alignment: int, byte_length: int) -> int:
        """A fresh block from ``realloc(0, 0, alignment, byte_length)``, checked as the spec's
        ``store_string_into_range``/``store_list_into_range`` check it.

        Raises:
            Trap: no realloc, it trapped, or it returned a misaligned or out-of-bounds pointer.
        """
        ptr = self.realloc(0, 0, alignment, byte_length)
        if ptr % alignment:
            raise trap(f"realloc returned misaligned pointer {ptr:#x} (alignment {alignment})")
        if ptr + byte_length > self.core.memory_size():
            raise trap_oob(f"realloc returned [{ptr:#x}, +{byte_length}) outside memory")
        return ptr
