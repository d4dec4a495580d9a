"""Checks of the spec runner itself: value matching (spec 4.3.3 NaN patterns) and assertion semantics.

Expected bit patterns come from the spec (canonical NaN = quiet bit only, spec 4.3.3
"Floating-Point"); the assertion semantics are exercised with a scripted fake engine so that a
wrong exception type or message can be shown to fail, never pass.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from runner import FAILED, PASSED, run_script  # noqa: E402
from script import Command, Script, find_suite, load_script, load_wast_script  # noqa: E402
from values import HostRefs, Value, ValueError_, match_result, match_results, parse_arg  # noqa: E402

# ---------------------------------------------------------------------------------------------
# values
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "bits", "canonical", "arithmetic"),
    [
        ("f32", 0x7FC00000, True, True),
        ("f32", 0xFFC00000, True, True),
        ("f32", 0x7FC00001, False, True),
        ("f32", 0x7FA00000, False, False),  # signalling NaN
        ("f32", 0x7F800000, False, False),  # +inf
        ("f64", 0x7FF8000000000000, True, True),
        ("f64", 0xFFF8000000000000, True, True),
        ("f64", 0x7FF8000000000001, False, True),
        ("f64", 0x7FF4000000000000, False, False),
        ("f64", 0x7FF0000000000000, False, False),
    ],
)
def test_nan_patterns(kind: str, bits: int, canonical: bool, arithmetic: bool) -> None:
    refs = HostRefs()
    assert match_result({"type": kind, "value": "nan:canonical"}, Value(kind, bits), refs) is canonical
    assert match_result({"type": kind, "value": "nan:arithmetic"}, Value(kind, bits), refs) is arithmetic


def test_numbers_are_bit_patterns() -> None:
    refs = HostRefs()
    assert parse_arg({"type": "i32", "value": "4294967295"}, refs) == Value("i32", 0xFFFFFFFF)
    assert parse_arg({"type": "i64", "value": "-1"}, refs) == Value("i64", 0xFFFFFFFFFFFFFFFF)
    assert parse_arg({"type": "f32", "value": "2141192192"}, refs) == Value("f32", 0x7FA00000)
    # -0.0 and +0.0 differ bit-wise
    assert not match_result({"type": "f64", "value": "0"}, Value("f64", 0x8000000000000000), refs)
    # the type must match, not just the bits
    assert not match_result({"type": "i32", "value": "1"}, Value("f32", 1), refs)
    with pytest.raises(ValueError_):
        parse_arg({"type": "i32", "value": "4294967296"}, refs)


def test_v128_lanes_little_endian() -> None:
    refs = HostRefs()
    value = parse_arg({"type": "v128", "lane_type": "i32", "value": ["1", "2", "3", "4"]}, refs)
    assert value.raw == 1 | 2 << 32 | 3 << 64 | 4 << 96
    expected = {"type": "v128", "lane_type": "f32", "value": ["nan:canonical", "0", "0", "1065353216"]}
    assert match_result(expected, Value("v128", 0x3F800000 << 96 | 0x7FC00000), refs)
    assert not match_result(expected, Value("v128", 0x3F800000 << 96 | 0x7FA00000), refs)


def test_references_and_arity() -> None:
    refs = HostRefs()
    one = parse_arg({"type": "externref", "value": "1"}, refs).raw
    assert one is refs.get(1) and one is not refs.get(2)
    assert match_result({"type": "externref", "value": "1"}, Value("externref", one), refs)
    assert not match_result({"type": "externref", "value": "2"}, Value("externref", one), refs)
    assert not match_result({"type": "externref", "value": "null"}, Value("externref", one), refs)
    assert match_result({"type": "funcref", "value": "null"}, Value("funcref", None), refs)
    assert match_result({"type": "funcref"}, Value("funcref", object()), refs)
    assert not match_results(({"type": "i32", "value": "1"},), [], refs)
    assert not match_results((), [Value("i32", 1)], refs)


# ---------------------------------------------------------------------------------------------
# assertion semantics over a scripted fake engine
# ---------------------------------------------------------------------------------------------


class FakeMalformed(Exception):
    pass


class FakeInvalid(Exception):
    pass


class FakeLink(Exception):
    pass


class FakeTrap(Exception):
    pass


class FakeExhaustion(FakeTrap):
    pass


class FakeSession:
    def new_store(self) -> object:
        return object()

    def spectest(self) -> dict[str, Any]:
        return {"print_i32": "host print_i32"}


class FakeAdapter:
    """Modules are named by file: ``ok.wasm``, ``malformed.wasm``, ``invalid.wasm``, ``imports.wasm``,
    ``starttrap.wasm``, ``bug.wasm`` (IndexError on load).  Exports behave as their names say."""

    name = "fake"
    MalformedError = FakeMalformed
    ValidationError = FakeInvalid
    LinkError = FakeLink
    Trap = FakeTrap
    Exhaustion = FakeExhaustion

    def session(self) -> FakeSession:
        return FakeSession()

    def load_module(self, path: Path) -> str:
        behaviour = {"malformed.wasm": FakeMalformed("bad"), "invalid.wasm": FakeInvalid("bad"), "bug.wasm": IndexError}
        exc = behaviour.get(path.name)
        if exc is not None:
            raise exc
        return path.name

    def load_text(self, text: str, filename: str) -> str:
        if "bad" in text:
            raise FakeMalformed("unexpected token")
        if "invalid" in text:
            raise FakeInvalid("type mismatch")
        return "ok.wasm"

    def load_script_module(self, module: Any) -> str:
        return (
            self.load_text(module.text, "fake.wast")
            if module.kind != "binary"
            else self.load_module(Path(module.source))
        )

    def instantiate(self, store: object, module: str, resolve: Any) -> dict[str, Any]:
        if module == "imports.wasm":
            resolve("spectest", "print_i32", None)
            resolve("M", "f", None)
        if module == "starttrap.wasm":
            raise FakeTrap("unreachable executed")
        return {"f": "func", "g": Value("i32", 7)}

    def export(self, store: object, instance: dict[str, Any], name: str) -> Any:
        return instance.get(name)

    def invoke(self, store: object, instance: dict[str, Any], name: str, args: list[Value]) -> list[Value]:
        if name == "div0":
            raise FakeTrap("integer divide by zero: detail")
        if name == "deep":
            raise FakeExhaustion("call stack exhausted")
        if name == "bug":
            raise TypeError("internal bug")
        if name == "id":
            return list(args)
        return [Value("i32", 0xFFFFFFFF)]

    def get_global(self, store: object, instance: dict[str, Any], name: str, hint: str | None) -> Value:
        return instance[name]  # type: ignore[no-any-return]


def _run(*commands: Command) -> list[tuple[str, str]]:
    script = Script(source="wast/fake.wast", json_path=Path("fake.json"), commands=commands)
    result = run_script(FakeAdapter(), script)  # type: ignore[arg-type]
    return [(o.status, o.message) for o in result.outcomes]


def _module(file: str, **kw: Any) -> Command:
    return Command(kind="module", line=1, module_file=Path(file), **kw)


def _invoke(kind: str, field: str, expected: list[dict[str, Any]] | None = None, text: str | None = None) -> Command:
    action = {"type": "invoke", "field": field, "args": [{"type": "externref", "value": "3"}] if field == "id" else []}
    return Command(kind=kind, line=2, action=action, expected=tuple(expected or ()), text=text)


def test_assert_return_checks_values_and_refs() -> None:
    statuses = _run(
        _module("ok.wasm"),
        _invoke("assert_return", "other", [{"type": "i32", "value": "4294967295"}]),
        _invoke("assert_return", "other", [{"type": "i32", "value": "-1"}]),
        _invoke("assert_return", "other", [{"type": "i32", "value": "1"}]),
        _invoke("assert_return", "other", []),  # arity
        _invoke("assert_return", "id", [{"type": "externref", "value": "3"}]),
        _invoke("assert_return", "id", [{"type": "externref", "value": "4"}]),
    )
    assert [s for s, _ in statuses] == [PASSED, PASSED, PASSED, FAILED, FAILED, PASSED, FAILED]


def test_trap_needs_trap_class_and_message_prefix() -> None:
    statuses = _run(
        _module("ok.wasm"),
        _invoke("assert_trap", "div0", text="integer divide by zero"),
        _invoke("assert_trap", "div0", text="integer overflow"),
        _invoke("assert_trap", "bug", text="integer divide by zero"),  # TypeError is no trap
        _invoke("assert_trap", "other", text="unreachable"),  # returned normally
        _invoke("assert_exhaustion", "deep", text="call stack exhausted"),
        _invoke("assert_exhaustion", "div0", text="call stack exhausted"),
        _invoke("action", "bug"),
        _invoke("action", "other"),
    )
    assert [s for s, _ in statuses] == [PASSED, PASSED, FAILED, FAILED, FAILED, PASSED, FAILED, FAILED, PASSED]
    assert "TypeError: internal bug" in statuses[3][1]


def test_module_assertions_need_their_error_class() -> None:
    statuses = _run(
        Command(kind="assert_malformed", line=3, module_file=Path("malformed.wasm"), text="x"),
        Command(kind="assert_malformed", line=4, module_file=Path("invalid.wasm"), text="x"),
        Command(kind="assert_invalid", line=5, module_file=Path("invalid.wasm"), text="x"),
        Command(kind="assert_invalid", line=6, module_file=Path("ok.wasm"), text="x"),
        Command(kind="assert_invalid", line=7, module_file=Path("bug.wasm"), text="x"),
        Command(kind="assert_unlinkable", line=8, module_file=Path("imports.wasm"), text="unknown import"),
        Command(kind="assert_uninstantiable", line=9, module_file=Path("starttrap.wasm"), text="unreachable"),
        Command(kind="assert_uninstantiable", line=9, module_file=Path("ok.wasm"), text="unreachable"),
        Command(kind="assert_exception", line=11),
    )
    assert [s for s, _ in statuses] == [PASSED, FAILED, PASSED, FAILED, FAILED, PASSED, PASSED, FAILED, FAILED]


def test_text_modules_go_through_the_text_path(tmp_path: Path) -> None:
    """No skips: .wat files (JSON form) and script modules (.wast form) are loaded as text."""
    bad = tmp_path / "bad.wat"
    bad.write_text("(module bad)")
    good = tmp_path / "good.wat"
    good.write_text("(module)")
    statuses = _run(
        Command(kind="assert_malformed", line=1, module_file=bad, text_module=True, text="unexpected token"),
        Command(kind="assert_malformed", line=2, module_file=good, text_module=True, text="x"),
        Command(kind="assert_malformed", line=3, module_file=tmp_path / "missing.wat", text_module=True),
    )
    assert [s for s, _ in statuses] == [PASSED, FAILED, FAILED]
    assert "cannot read missing.wat" in statuses[2][1]


class _ScriptModule:
    def __init__(self, kind: str, text: str) -> None:
        self.kind = kind
        self.text = text
        self.source = text


def test_wast_commands_carry_their_modules() -> None:
    statuses = _run(
        Command(kind="module", line=1, module_source=_ScriptModule("text", "(module)")),
        Command(kind="assert_malformed", line=2, module_source=_ScriptModule("quote", "(module bad)"), text="x"),
        Command(kind="assert_invalid", line=3, module_source=_ScriptModule("quote", "(module invalid)"), text="x"),
        Command(kind="assert_invalid", line=4, module_source=_ScriptModule("binary", "invalid.wasm"), text="x"),
        Command(kind="assert_malformed", line=5, module_source=_ScriptModule("text", "(module)"), text="x"),
        Command(kind="assert_trap", line=6, module_source=_ScriptModule("binary", "starttrap.wasm"), text="unreach"),
    )
    assert [s for s, _ in statuses] == [PASSED, PASSED, PASSED, PASSED, FAILED, PASSED]


def test_wast_script_reading(tmp_path: Path) -> None:
    wast = tmp_path / "t.wast"
    wast.write_text(
        '(module $M (func (export "f") (result i32) (i32.const 7)))\n'
        '(register "m" $M)\n'
        '(assert_return (invoke "f") (i32.const 7))\n'
        '(assert_malformed (module quote "(func") "unexpected end")\n'
        '(module quote "(func)")\n'
    )
    script = load_wast_script(wast, "wast/t.wast")
    assert [c.kind for c in script.commands] == ["module", "register", "assert_return", "assert_malformed", "module"]
    assert [c.line for c in script.commands] == [1, 2, 3, 4, 5]
    assert script.wat_file_count == 1  # wast2json writes .wat only for quoted modules of assertions
    assert script.commands[2].expected == ({"type": "i32", "value": "7"},)


def test_register_and_named_modules() -> None:
    statuses = _run(
        _module("ok.wasm", name="$A"),
        Command(kind="register", line=3, name="$A", register_as="M"),
        _module("imports.wasm"),
        Command(kind="assert_return", line=5, action={"type": "get", "module": "$A", "field": "g"},
                expected=({"type": "i32", "value": "7"},)),
        Command(kind="assert_return", line=6, action={"type": "get", "module": "$B", "field": "g"},
                expected=({"type": "i32", "value": "7"},)),
    )  # fmt: skip
    assert [s for s, _ in statuses] == [PASSED, PASSED, PASSED, PASSED, FAILED]
    # without the register, the import of M.f is unknown to the runner: LinkError from the runner
    assert _run(Command(kind="assert_unlinkable", line=1, module_file=Path("imports.wasm")))[0][0] == PASSED


def test_wasmtime_reference_run_of_i32() -> None:
    """The runner over a real file on the reference engine: every command passes (its two text
    modules go through wasmtime's own text parser)."""
    suite = find_suite()
    if suite is None:
        pytest.skip("spec suite not found")
    pytest.importorskip("wasmtime")
    from engines import make_engine

    script = load_script(suite / "json" / "2.0" / "i32" / "i32.json")
    result = run_script(make_engine("wasmtime", "2.0"), script)
    assert (result.passed, result.failed, result.skipped) == (len(script.commands), 0, 0)


def test_cli_without_suite_says_where_to_get_it(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("spec_tests_run_cli", Path(__file__).parent / "run.py")
    assert spec is not None and spec.loader is not None
    cli = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cli)
    monkeypatch.setattr(cli, "find_suite", lambda: None)
    assert cli.main(["--suite", "2.0-core"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "https://github.com/WebAssembly/testsuite" in out[0]
    assert out[-1] == "spec: 0 passed, 0 failed, 0 skipped"
