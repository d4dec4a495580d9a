"""Differential tests of the component host: every fixture call of ``cases.py`` gives the
same value through ``load_core`` on our interpreter, through our canonical ABI over
wasmtime-py's core engine, and through wasmtime-py's own component API on the
componentized fixture (the oracle); and each equals the hand-computed result.
Without wasmtime-py only the comparisons with the hand-computed results run."""

from __future__ import annotations

import os
import sys

import pytest

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "component")
sys.path.insert(0, os.path.abspath(FIXTURES))

import cases  # noqa: E402
import ours_host  # noqa: E402

ENGINES = [None, "wasmtime"]
_OURS: dict[tuple[str, str | None], ours_host.OursFixture] = {}
_THEIRS: dict[str, object] = {}


def teardown_module() -> None:
    _OURS.clear()
    _THEIRS.clear()  # release wasmtime objects before interpreter shutdown


def _ours(name: str, engine: str | None) -> ours_host.OursFixture:
    if engine == "wasmtime":
        pytest.importorskip("wasmtime", reason="wasmtime-py (the `compare` extra) is not installed")
    key = (name, engine)
    if key not in _OURS:
        _OURS[key] = ours_host.OursFixture(name, engine)
    return _OURS[key]


def _theirs(name: str) -> object:
    pytest.importorskip("wasmtime", reason="wasmtime-py (the `compare` extra) is not installed")
    import wasmtime_host

    if name not in _THEIRS:
        _THEIRS[name] = wasmtime_host.WasmtimeFixture(name)
    return _THEIRS[name]


@pytest.mark.parametrize("engine", ENGINES, ids=["ours", "abi-over-wasmtime-core"])
@pytest.mark.parametrize("case", cases.SEED_CASES, ids=lambda c: c.id)
def test_seed_scenario(case: cases.Case, engine: str | None) -> None:
    got = _ours(case.fixture, engine).call(case.interface, case.func, *case.args)
    assert cases.same(got, case.expected), f"{got!r} != {case.expected!r}"


@pytest.mark.parametrize("engine", ENGINES, ids=["ours", "abi-over-wasmtime-core"])
@pytest.mark.parametrize("case", cases.ALL_CASES, ids=lambda c: c.id)
def test_expected_result(case: cases.Case, engine: str | None) -> None:
    ours = _ours(case.fixture, engine).call(case.interface, case.func, *case.args)
    assert cases.same(ours, case.expected), f"{ours!r} != expected {case.expected!r}"


@pytest.mark.parametrize("engine", ENGINES, ids=["ours", "abi-over-wasmtime-core"])
@pytest.mark.parametrize("case", cases.ALL_CASES, ids=lambda c: c.id)
def test_same_as_wasmtime_component(case: cases.Case, engine: str | None) -> None:
    theirs = _theirs(case.fixture).call(case.interface, case.func, *case.args)  # type: ignore[attr-defined]
    ours = _ours(case.fixture, engine).call(case.interface, case.func, *case.args)
    assert cases.same(ours, theirs), f"ours {ours!r} != wasmtime.component {theirs!r}"


@pytest.mark.parametrize("engine", ENGINES, ids=["ours", "abi-over-wasmtime-core"])
def test_resource_scenario(engine: str | None) -> None:
    if engine == "wasmtime":
        pytest.importorskip("wasmtime", reason="wasmtime-py (the `compare` extra) is not installed")
    assert cases.run_res_script(ours_host.OursResHost(engine)) == []


def test_resource_scenario_oracle() -> None:
    pytest.importorskip("wasmtime", reason="wasmtime-py (the `compare` extra) is not installed")
    import wasmtime_host

    assert cases.run_res_script(wasmtime_host.WasmtimeResHost()) == []


@pytest.mark.parametrize("engine", ENGINES, ids=["ours", "abi-over-wasmtime-core"])
@pytest.mark.parametrize("func", cases.HOSTILE_TRAPS)
def test_hostile_results_trap(func: str, engine: str | None) -> None:
    from pywasm_host.interpreter.errors import Trap

    if engine == "wasmtime":
        pytest.importorskip("wasmtime", reason="wasmtime-py (the `compare` extra) is not installed")
    ours = ours_host.OursFixture("hostile", engine)  # fresh instances: a trap poisons the instance
    with pytest.raises(Trap):
        ours.call(cases.HB, func)


@pytest.mark.parametrize("func", cases.HOSTILE_TRAPS)
def test_hostile_results_trap_in_wasmtime_too(func: str) -> None:
    pytest.importorskip("wasmtime", reason="wasmtime-py (the `compare` extra) is not installed")
    import wasmtime
    import wasmtime_host

    theirs = wasmtime_host.WasmtimeFixture("hostile")
    with pytest.raises((wasmtime.WasmtimeError, wasmtime.Trap)):
        theirs.call(cases.HB, func)


@pytest.mark.parametrize("engine", ENGINES, ids=["ours", "abi-over-wasmtime-core"])
def test_hostile_fixture_sane_call(engine: str | None) -> None:
    case = cases.HOSTILE_FINE
    assert _ours(case.fixture, engine).call(case.interface, case.func) == 42


@pytest.mark.parametrize("name", ["utf16", "compact"])
def test_string_encoding_given_explicitly(name: str) -> None:
    ours = ours_host.OursFixture(name, explicit_encoding=True)
    for case in cases.STRING_CASES:
        if case.fixture == name and case.func == "units":
            assert cases.same(ours.call(case.interface, case.func, *case.args), case.expected), case.id


@pytest.mark.parametrize("engine", ENGINES, ids=["ours", "abi-over-wasmtime-core"])
def test_guest_calls_host_like_wasmtime(engine: str | None) -> None:
    if engine == "wasmtime":
        pytest.importorskip("wasmtime", reason="wasmtime-py (the `compare` extra) is not installed")
    ours = ours_host.OursFixture("calls", engine, ours_host.calls_imports())
    assert ours.call("xyz:calls/run", "run-all") == cases.CALLS_RUN_ALL


def test_guest_calls_host_oracle() -> None:
    pytest.importorskip("wasmtime", reason="wasmtime-py (the `compare` extra) is not installed")
    import wasmtime_host

    theirs = wasmtime_host.WasmtimeFixture("calls", wasmtime_host.define_calls_host)
    assert theirs.call("xyz:calls/run", "run-all") == cases.CALLS_RUN_ALL


@pytest.mark.parametrize("step", cases.TOPLEVEL_SCRIPT, ids=lambda s: f"{s[1]}{s[2]!r}")
def test_world_level_functions_oracle(step: tuple) -> None:  # type: ignore[type-arg]
    pytest.importorskip("wasmtime", reason="wasmtime-py (the `compare` extra) is not installed")
    import wasmtime_host

    env, func, args, expected, expected_log = step
    log: list[str] = []
    fixture = wasmtime_host.toplevel_fixture(env, log)
    assert fixture.call_raw_root(func, *args) == expected
    assert log == expected_log


@pytest.mark.parametrize("engine", ENGINES, ids=["ours", "abi-over-wasmtime-core"])
@pytest.mark.parametrize("step", cases.TOPLEVEL_SCRIPT, ids=lambda s: f"{s[1]}{s[2]!r}")
def test_world_level_functions(step: tuple, engine: str | None) -> None:  # type: ignore[type-arg]
    if engine == "wasmtime":
        pytest.importorskip("wasmtime", reason="wasmtime-py (the `compare` extra) is not installed")
    env, func, args, expected, expected_log = step
    log: list[str] = []
    ours = ours_host.OursFixture("toplevel", engine, ours_host.toplevel_imports(env, log))
    assert ours.component.call(func, *args) == expected
    assert log == expected_log
