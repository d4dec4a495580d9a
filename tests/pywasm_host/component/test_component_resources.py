"""Resources in wit-bindgen's core-module form (CanonicalABI.md "Handle State",
``lift_own``/``lift_borrow``/``lower_own``/``lower_borrow``, ``canon resource.*``)
through the hand-written guest tests/fixtures/canon/res: a guest-implemented
``counter`` and a host-implemented ``blob``, over both engines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pywasm_host import Trap
from pywasm_host.component import ResourceHandle, load_core

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "canon" / "res" / "res.wasm"

try:
    import wasmtime  # noqa: F401

    ENGINES = [None, "wasmtime"]
except ImportError:  # pragma: no cover
    ENGINES = [None]


class Blob:
    def __init__(self, n: int) -> None:
        self.n = n
        self.dropped = False

    def size(self) -> int:
        return self.n

    def drop(self) -> None:
        self.dropped = True


@pytest.fixture(params=ENGINES, ids=lambda e: e or "ours")
def m(request: pytest.FixtureRequest) -> Any:
    return load_core(FIXTURE, {"test:res/host-res": {"blob": Blob}}, engine=request.param)


def test_guest_resource_own_and_borrow(m: Any) -> None:
    api = m.exports.api
    c = api.Counter(5)
    assert isinstance(c, ResourceHandle) and c.own
    assert c.get() == 5
    c.inc()
    assert c.get() == 6
    assert api.peek(c) == 6                # borrow<counter>: the guest receives the rep
    assert api.dtor_count() == 0
    assert api.take_counter(c) == 6        # own<counter> moves in; the guest drops it -> dtor
    assert api.dtor_count() == 1
    assert not c.alive
    with pytest.raises(ValueError, match="dropped or moved"):
        c.get()
    c2 = api.Counter(1)
    c2.drop()
    assert api.dtor_count() == 2
    with api.Counter(2) as c3:
        assert c3.get() == 2
    assert api.dtor_count() == 3
    assert m.state.table.live() == 0


def test_host_resource_own_and_borrow(m: Any) -> None:
    api = m.exports.api
    b = Blob(7)
    assert api.blob_size(b) == 7           # borrow lent for the call, dropped by the guest
    assert not b.dropped
    made = api.make_blob(9)                # the guest calls [constructor]blob, returns own<blob>
    assert isinstance(made, Blob) and made.n == 9
    b2 = Blob(3)
    api.drop_blob(b2)                      # the guest drops its own handle: host drop() runs
    assert b2.dropped
    b3 = Blob(4)
    assert api.keep_blob(b3) is b3
    assert m.state.table.live() == 0 and not m.state.host_objects


def test_bad_handle_traps(m: Any) -> None:
    with pytest.raises(Trap, match="unknown handle index 99"):
        m.exports.api.bad_rep()


def test_resource_errors(m: Any) -> None:
    api = m.exports.api
    with pytest.raises(TypeError, match=r"parameter `c` \(borrow<counter>\)"):
        api.peek(Blob(1))
    with pytest.raises(TypeError, match=r"parameter `b`"):
        api.blob_size(api.Counter(1))
    with pytest.raises(Trap, match="borrow handles still remain"):
        api.leak_borrow(Blob(2))
    assert m.state.table.live() == 0 and not m.state.host_objects
