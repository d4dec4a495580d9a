"""The seed scenario (issue #6 acceptance): the clang-built ``xyz:machine`` guest
(tests/fixtures/component/machine, H8's fixture) called with no manual marshalling,
over our interpreter and over wasmtime-py's core engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from pywasm_host.component import load_core

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "component" / "machine" / "machine.wasm"

try:
    import wasmtime  # noqa: F401

    ENGINES = [None, "wasmtime"]
except ImportError:  # pragma: no cover
    ENGINES = [None]


@pytest.mark.skipif(not FIXTURE.exists(), reason="machine fixture not built")
@pytest.mark.parametrize("engine", ENGINES, ids=lambda e: e or "ours")
def test_seed_scenario(engine: str | None) -> None:
    m = load_core(FIXTURE, engine=engine)
    mi = m.exports.machine_interface
    assert mi.get_u32() == 123
    assert mi.get_str() == "simple string to return"
    assert mi.get_vec() == bytes([5, 4, 3, 2, 1, 10])
    Point = m.types.Point
    result = mi.run(1, Point(x=1, y=2), Point(x=3, y=4))
    assert isinstance(result, m.types.RunResult)
    assert result.machine_id == 1
    # the guest's message, as written in machine.c: distance^2 = (3-1)^2 + (4-2)^2
    assert result.message == "machine 1 moved from (1, 2) to (3, 4): distance^2 = 8"
    assert mi.count_symbols("string with symbols (~25)") == 25
    assert mi.count_symbols("\U0001F600\u00e9") == 2
    # the dynamic form
    assert m.call("xyz:machine/machine-interface#get-u32") == 123
    assert m.call("xyz:machine/machine-interface#run", 2, {"x": 0, "y": 0}, Point(0, 1)).machine_id == 2
