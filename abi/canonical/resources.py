"""Resource handles and handle tables (component-model ``design/mvp/CanonicalABI.md``,
"Handle State", "Table State", ``lift_own``/``lift_borrow``/``lower_own``/``lower_borrow``
and the ``canon resource.new``/``resource.rep``/``resource.drop`` built-ins).

A :class:`ResourceState` is the per-instance state: one :class:`HandleTable`
of :class:`HandleElem` entries (index 0 is never used) shared by every
resource type, as in the spec, and the host-side objects of host-implemented
resources.  The representation (``rep``) of a guest-implemented resource is
the guest's ``i32``; for a host-implemented resource it is a small integer
naming the Python object in :attr:`ResourceState.host_objects`.

Python values of resources:

* a guest-implemented resource reaches Python as a :class:`ResourceHandle`
  (or a registered subclass): ``drop()`` (also ``with handle: ...``) runs
  the guest's ``[dtor]`` export for an owned handle; passing it as ``own<R>``
  to the guest moves it (the Python handle becomes unusable), as
  ``borrow<R>`` lends it for the call (wit-bindgen receives the ``rep``).
* a host-implemented resource is any Python object: lowering it as
  ``own<R>`` hands it to the guest, as ``borrow<R>`` lends it for the call;
  when the guest drops its owned handle, the object's ``drop()`` method is
  called if it has one.

Borrowed handles lent to a guest for one call must be dropped by the guest
before it returns (as the spec's ``Task.exit`` and wasmtime require: the
call traps with "borrow handles still remain at the end of the call"); they
are released in any case (``CallScope.release``), so the table stays
consistent after a trap.  Handles the host lifted as borrows from the guest
are lent (``lend_count``) for the duration of the host call and cannot be
dropped meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .options import trap
from .types import ResourceType

__all__ = ["HandleElem", "HandleTable", "ResourceState", "ResourceHandle", "CallScope", "MAX_TABLE_LENGTH"]

MAX_TABLE_LENGTH = 1 << 28


class HandleElem:
    """One handle table entry: resource type ``rt``, ``rep``, ``own`` flag, ``lend_count``,
    and for a borrow the :class:`CallScope` it belongs to."""

    __slots__ = ("rt", "rep", "own", "lend_count", "scope")

    def __init__(self, rt: ResourceType, rep: int, own: bool, scope: CallScope | None = None) -> None:
        self.rt = rt
        self.rep = rep
        self.own = own
        self.lend_count = 0
        self.scope = scope


class HandleTable:
    """CanonicalABI.md "Table State": a growable array with a free list; index 0 is reserved."""

    __slots__ = ("array", "free")

    def __init__(self) -> None:
        self.array: list[HandleElem | None] = [None]
        self.free: list[int] = []

    def add(self, elem: HandleElem) -> int:
        """Insert ``elem``; returns its index.

        Raises:
            Trap: the table is full.
        """
        if self.free:
            i = self.free.pop()
            self.array[i] = elem
            return i
        i = len(self.array)
        if i >= MAX_TABLE_LENGTH:
            raise trap("handle table is full")
        self.array.append(elem)
        return i

    def get(self, i: int) -> HandleElem:
        """The entry at ``i``.

        Raises:
            Trap: ``i`` is not a live handle.
        """
        if not 0 < i < len(self.array):
            raise trap(f"unknown handle index {i}")
        e = self.array[i]
        if e is None:
            raise trap(f"unknown handle index {i}")
        return e

    def remove(self, i: int) -> HandleElem:
        """Remove and return the entry at ``i``.

        Raises:
            Trap: ``i`` is not a live handle, or the handle is currently lent out.
        """
        e = self.get(i)
        if e.lend_count:
            raise trap(f"cannot remove handle {i} while it is borrowed")
        self.array[i] = None
        self.free.append(i)
        return e

    def live(self) -> int:
        """The number of live handles."""
        return sum(1 for e in self.array if e is not None)


class CallScope:
    """The borrow scope of one call: borrow handles lent to the callee (released at the end)
    and handles whose ``lend_count`` was raised while lifting borrows from the guest."""

    __slots__ = ("lent", "lenders")

    def __init__(self) -> None:
        self.lent: list[int] = []
        self.lenders: list[HandleElem] = []

    def _held(self, table: HandleTable) -> Iterator[tuple[int, HandleElem]]:
        """``(index, entry)`` of each borrow handle lent to the callee that it still holds."""
        for i in self.lent:
            if 0 < i < len(table.array):
                e = table.array[i]
                if e is not None and not e.own and e.scope is self:
                    yield i, e

    def remaining(self, state: ResourceState | None) -> int:
        """The number of borrow handles lent to the callee that it has not dropped."""
        if state is None:
            return 0
        return sum(1 for _ in self._held(state.table))

    def release(self, state: ResourceState | None) -> None:
        """End of call: drop the borrow handles the callee still holds (after a trap, or after
        :meth:`remaining` was checked), unlend the lenders."""
        if state is not None:
            table = state.table
            for i, e in self._held(table):
                table.array[i] = None
                table.free.append(i)
                if e.rt.impl == "host":
                    state.host_objects.pop(e.rep, None)
        for e in self.lenders:
            e.lend_count -= 1
        self.lent.clear()
        self.lenders.clear()


class ResourceHandle:
    """A guest-implemented resource held by Python (owned, or borrowed for the current call).

    Use ``drop()`` or a ``with`` block to release an owned handle; that runs the guest's
    destructor (``[dtor]<name>`` export).  Bindings may subclass it (add methods); the runtime
    creates instances without calling ``__init__``.
    """

    __slots__ = ("rt", "rep", "own", "_state", "_alive")

    rt: ResourceType
    rep: int
    own: bool

    def _bind(self, rt: ResourceType, rep: int, own: bool, state: ResourceState) -> None:
        self.rt = rt
        self.rep = rep
        self.own = own
        self._state = state
        self._alive = True

    @property
    def alive(self) -> bool:
        return self._alive

    def _take(self, what: str) -> int:
        if not self._alive:
            raise ValueError(f"{what}: the handle of {self.rt.name} was already dropped or moved")
        return self.rep

    def drop(self) -> None:
        """Release the handle; an owned handle's destructor runs in the guest.

        Raises:
            Trap: the destructor trapped.
        """
        if not self._alive:
            return
        self._alive = False
        if self.own and self.rt.dtor is not None:
            self.rt.dtor(self.rep)

    def __enter__(self) -> ResourceHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.drop()

    def __repr__(self) -> str:
        state = "own" if self.own else "borrow"
        return f"<{self.rt.name} {state} rep={self.rep}{'' if self._alive else ' dropped'}>"


class ResourceState:
    """Per-instance state: the handle table, the host objects of host-implemented resources, and
    ``poisoned`` (a call trapped or raised inside the guest: the instance may not be entered again,
    as in the spec and wasmtime).

    ``handle_classes`` maps a :class:`ResourceType` to the :class:`ResourceHandle` subclass used
    for its handles (default :class:`ResourceHandle`).
    """

    __slots__ = ("table", "host_objects", "_next_rep", "handle_classes", "poisoned")

    def __init__(self) -> None:
        self.poisoned = False
        """Set when a call into the instance trapped: the instance cannot be entered again."""
        self.table = HandleTable()
        self.host_objects: dict[int, Any] = {}
        self._next_rep = 1
        self.handle_classes: dict[ResourceType, type[ResourceHandle]] = {}

    # ---- host-implemented resources: Python objects <-> reps ------------------
    def host_rep(self, obj: Any) -> int:
        rep = self._next_rep
        self._next_rep = rep + 1
        self.host_objects[rep] = obj
        return rep

    def host_object(self, rep: int) -> Any:
        try:
            return self.host_objects[rep]
        except KeyError:
            raise trap(f"unknown host resource rep {rep}") from None

    # ---- Python handles of guest-implemented resources --------------------------
    def handle(self, rt: ResourceType, rep: int, own: bool) -> ResourceHandle:
        cls = self.handle_classes.get(rt, ResourceHandle)
        h = object.__new__(cls)
        h._bind(rt, rep, own, self)
        return h

    # ---- canon resource.new / resource.rep / resource.drop ----------------------
    def _get(self, rt: ResourceType, i: int) -> HandleElem:
        e = self.table.get(i)
        if e.rt is not rt:
            raise trap(f"handle {i} is not a {rt.name}")
        return e

    def resource_new(self, rt: ResourceType, rep: int) -> int:
        """``canon resource.new``: a new owned handle for ``rep``."""
        return self.table.add(HandleElem(rt, rep, True))

    def resource_rep(self, rt: ResourceType, i: int) -> int:
        """``canon resource.rep``.

        Raises:
            Trap: ``i`` is not a handle of ``rt``.
        """
        return self._get(rt, i).rep

    def resource_drop(self, rt: ResourceType, i: int) -> None:
        """``canon resource.drop``: remove handle ``i``; dropping an owned handle destroys the
        resource (the guest's destructor, or the host object's ``drop()``).

        Raises:
            Trap: ``i`` is not a handle of ``rt``, or it is lent out.
        """
        e = self._get(rt, i)
        self.table.remove(i)
        if not e.own:
            if rt.impl == "host":
                self.host_objects.pop(e.rep, None)
            return
        if rt.impl == "host":
            obj = self.host_objects.pop(e.rep, None)
            drop = getattr(obj, "drop", None)
            if callable(drop):
                drop()
        elif rt.dtor is not None:
            rt.dtor(e.rep)
