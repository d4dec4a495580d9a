"""Bindings generation (``pywasm_host.component.bindgen``, ``pywasm-host bindgen``):
generated modules for every fixture world pass ``mypy --strict`` (and a
mistyped use of them fails it), import, and call the guests with typed values:
the seed scenario, every value kind of the kitchen fixture, and resources in
both directions."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pywasm_host.abi.errors import WitError
from pywasm_host.abi.wit import model as m
from pywasm_host.interpreter.errors import LinkError

from pywasm_host.cli import main
from pywasm_host.component.bindgen import generate_from_path, snake

ROOT = Path(__file__).resolve().parents[3]
FIX = ROOT / "tests" / "fixtures" / "component"
sys.path.insert(0, str(FIX))

import cases  # noqa: E402

SOURCES = {  # module name -> (PATH, world)
    "machine_bindings": (FIX / "machine" / "machine.wasm", None),  # from the core module's own section
    "kitchen_bindings": (FIX / "kitchen" / "wit", "kitchen"),  # from the WIT package (with docs)
    "res_bindings": (FIX / "res" / "res.wasm", None),
    "edge_bindings": (FIX / "bindgen-edge" / "edge.wit", "xyz:edge/edge@1.0.0"),
    "calls_bindings": (FIX / "calls" / "wit", None),
    "compact_bindings": (FIX / "compact" / "wit", "compact"),
    "utf16_bindings": (FIX / "utf16" / "utf16.wasm", None),
    "dup_bindings": (FIX / "bindgen-dup", "w"),
    "toplevel_bindings": (FIX / "toplevel" / "wit", None),  # two interfaces named `run` from two packages
    "hostile_bindings": (FIX / "hostile" / "hostile.wasm", None),
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bindings")
    for name, (path, world) in SOURCES.items():
        (out / f"{name}.py").write_text(generate_from_path(str(path), world))
    return out


def _load(directory: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, directory / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses resolve string annotations through sys.modules
    spec.loader.exec_module(module)
    return module


GOOD_USE = """\
from machine_bindings import Machine, Point, RunResult
from kitchen_bindings import Kitchen, Shape, ShapeCircle, ShapeRect, Color, Eight, ErrorCode, Person, Some

def use(path: str) -> None:
    m = Machine(path)
    r: RunResult = m.machine_interface.run(1, Point(x=1, y=2), Point(x=3, y=4))
    n: int = r.machine_id + m.machine_interface.count_symbols(r.message)
    v: bytes = m.machine_interface.get_vec()
    k = Kitchen(path).types
    s: Shape = k.echo_shape(ShapeCircle(1.5))
    match s:
        case ShapeCircle(radius):
            f: float = radius
        case ShapeRect(p):
            i: int = p.x
    c: Color = k.next_color(Color.RED)
    e: Eight = k.invert_eight(Eight.B0 | Eight.B7)
    o: Some[int | None] | None = k.echo_nested_option(Some(None))
    old: Person | None = k.oldest([])
    t: tuple[int, str] = k.swap(("x", 1))
"""

BAD_USE = """\
from machine_bindings import Machine, Point

def use(path: str) -> None:
    m = Machine(path)
    m.machine_interface.run("1", Point(x=1, y=2), Point(x=3, y=4))
    s: str = m.machine_interface.get_u32()
"""

MYPY_CONFIG = """\
[mypy]
strict = True
python_version = 3.10
[mypy-pywasm_host.*]
follow_imports = silent
"""


@pytest.mark.skipif(shutil.which("mypy") is None and importlib.util.find_spec("mypy") is None,
                    reason="mypy is not installed (the `test` extra)")
def test_generated_bindings_pass_mypy_strict(generated: Path, tmp_path: Path) -> None:
    # mypy cannot see the editable install's package-dir mapping: mirror the installed layout
    pkg = tmp_path / "pywasm_host"
    pkg.mkdir()
    for item in (ROOT / "pywasm_host").iterdir():
        if item.name != "__pycache__":
            (pkg / item.name).symlink_to(item)
    (pkg / "interpreter").symlink_to(ROOT / "interpreter")
    (pkg / "abi").symlink_to(ROOT / "abi")
    for name in SOURCES:
        shutil.copy(generated / f"{name}.py", tmp_path / f"{name}.py")
    (tmp_path / "good_use.py").write_text(GOOD_USE)
    (tmp_path / "bad_use.py").write_text(BAD_USE)
    (tmp_path / "mypy.ini").write_text(MYPY_CONFIG)
    files = [f"{name}.py" for name in SOURCES] + ["good_use.py", "bad_use.py"]
    result = subprocess.run([sys.executable, "-m", "mypy", "--config-file", "mypy.ini", "--no-incremental", *files],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    errors = [ln for ln in result.stdout.splitlines() if ": error:" in ln]
    assert all(ln.startswith("bad_use.py:") for ln in errors), result.stdout
    bad_lines = sorted({int(ln.split(":")[1]) for ln in errors})
    assert bad_lines == [5, 6], result.stdout  # the str argument for a u32, an int assigned to str


def test_seed_scenario_via_bindings(generated: Path) -> None:
    mb = _load(generated, "machine_bindings")
    machine = mb.Machine(str(FIX / "machine" / "machine.wasm"))
    mi = machine.machine_interface
    assert mi.get_u32() == 123
    assert mi.get_str() == "simple string to return"
    assert mi.get_vec() == bytes([5, 4, 3, 2, 1, 10])
    result = mi.run(1, mb.Point(x=1, y=2), mb.Point(x=3, y=4))
    assert type(result) is mb.RunResult
    assert result == mb.RunResult(machine_id=1, message="machine 1 moved from (1, 2) to (3, 4): distance^2 = 8")
    assert mi.count_symbols("string with symbols (~25)") == 25


def test_bindings_over_wasmtime_core(generated: Path) -> None:
    pytest.importorskip("wasmtime", reason="wasmtime-py (the `compare` extra) is not installed")
    mb = _load(generated, "machine_bindings")
    machine = mb.Machine((FIX / "machine" / "machine.wasm").read_bytes(), engine="wasmtime")
    result = machine.machine_interface.run(7, mb.Point(x=-1, y=0), mb.Point(x=2, y=4))
    assert result == mb.RunResult(machine_id=7, message="machine 7 moved from (-1, 0) to (2, 4): distance^2 = 25")


def test_every_value_kind_via_bindings(generated: Path) -> None:
    kb = _load(generated, "kitchen_bindings")
    k = kb.Kitchen(str(FIX / "kitchen" / "kitchen.wasm")).types

    shapes = k.make_shapes()
    assert shapes == [kb.ShapeCircle(1.5), kb.ShapeRect(kb.Point(x=2, y=-3)), kb.ShapeNothing()]
    areas = []
    for s in shapes:
        match s:
            case kb.ShapeCircle(r):
                areas.append(("circle", r))
            case kb.ShapeRect(kb.Point(x=x, y=y)):
                areas.append(("rect", x * y))
            case kb.ShapeNothing():
                areas.append(("nothing", None))
    assert areas == [("circle", 1.5), ("rect", -6), ("nothing", None)]
    assert k.shape_area(kb.ShapeRect(kb.Point(x=3, y=-4))) == 12.0
    assert k.echo_shape(kb.ShapeNothing()) == kb.ShapeNothing()

    assert k.next_color(kb.Color.BLUE) is kb.Color.RED
    assert k.invert_one(kb.One(0)) is kb.One.A
    assert k.invert_eight(kb.Eight.B0 | kb.Eight.B7) == kb.Eight(0b01111110)
    assert k.invert_sixteen(kb.Sixteen.E3) == kb.Sixteen(0xFFFF & ~(1 << 3))
    assert k.invert_thirty_two(kb.ThirtyTwo(0)) == kb.ThirtyTwo(0xFFFFFFFF)

    person = k.make_person("Zoë", 30)
    assert person == kb.Person(name="Zoë", age=30, tags=["new", "person"], home=kb.Point(x=30, y=-30))
    assert k.oldest([]) is None
    kid = kb.Person(name="kid", age=3, tags=[], home=None)
    assert k.oldest([kid, person]) == person
    assert k.echo_people([kid, person]) == [kid, person]

    assert k.lookup("kéy") == kb.Ok("kéy!")
    assert k.lookup("missing") == kb.Ok(None)
    assert k.lookup("") == kb.Err(kb.ErrorCode.NOT_FOUND)
    assert k.lookup("denied") == kb.Err(kb.ErrorCode.DENIED)
    assert k.divide(7, -2) == kb.Ok(-3)
    assert k.divide(1, 0) == kb.Err("division by zero")
    assert k.check_nonnegative(-1) == kb.Err(None)
    assert k.maybe_double(7) == 14
    assert k.maybe_double(None) is None
    assert k.echo_nested_option(kb.Some(None)) == kb.Some(None)
    assert k.echo_nested_option(kb.Some(5)) == kb.Some(5)
    assert k.echo_nested_option(None) is None

    row = (True, -128, 255, -32768, 65535, -(2**31), 2**32 - 1, -(2**63), 2**64 - 1, 1.5, -0.25, "\U0010ffff")
    assert k.scalars(*row) == row
    assert k.many_params(*range(1, 17), "n") == f"n={sum(i * i for i in range(1, 17))}"
    assert k.swap(("😀", 2**64 - 1)) == (2**64 - 1, "😀")
    assert k.join_strings([["a", "b"], [], ["c"]]) == "a,b;;c"
    assert k.echo_bytes(b"\x00\xff") == b"\x00\xff"
    assert k.sum_s64s([2**63 - 1, 1]) == -(2**63)


def test_docstrings_come_from_wit(generated: Path) -> None:
    kb = _load(generated, "kitchen_bindings")
    assert kb.Kitchen.__doc__  # the world's class
    assert kb.Types.__doc__ == "Every kind of WIT value, passed both ways."
    assert kb.Types.reverse_string.__doc__ == "The string with its Unicode scalar values in reverse order."
    assert kb.Person.__doc__ == "Somebody with a name."
    assert kb.Shape.__doc__ is not None and kb.Shape.__doc__.startswith("A shape; `nothing` has no payload.")


def test_resources_via_bindings(generated: Path) -> None:
    rb = _load(generated, "res_bindings")
    live: set[int] = set()
    logs: list[str] = []

    class Blob:  # implements the generated Protocol rb.Blob
        def __init__(self, data: bytes) -> None:
            self.data = bytearray(data)
            live.add(id(self))

        def size(self) -> int:
            return len(self.data)

        def append(self, more: bytes) -> None:
            self.data += more

        def drop(self) -> None:
            live.discard(id(self))

    class HostApi:  # implements the generated Protocol rb.HostApi
        def blob_new(self, init: bytes) -> Blob:
            return Blob(init)

        def blob_concat(self, a: Blob, b: Blob) -> Blob:
            return Blob(bytes(a.data + b.data))

        def log(self, msg: str) -> None:
            logs.append(msg)

    res = rb.Res(str(FIX / "res" / "res.wasm"), imports=rb.ResImports(host_api=HostApi()))
    c = res.counters
    a = c.counter_new(5)
    assert isinstance(a, rb.Counter) and a.own
    assert a.increment(10) == 15 and a.get() == 15
    with c.counter_new(7) as b:
        merged = c.counter_merge(a, b)
        assert isinstance(merged, rb.Counter) and merged.get() == 22
        assert c.total([a, b, merged]) == 44
        assert c.live_counters() == 3
    assert c.live_counters() == 2  # leaving the with block dropped b: the guest's destructor ran
    assert c.consume(merged) == 22
    assert not merged.alive
    assert c.live_counters() == 1
    a.drop()
    assert c.live_counters() == 0

    assert c.blob_roundtrip(b"abc") == 6
    lent = Blob(b"12345")
    assert c.blob_size(lent) == 5
    made = c.make_blob(b"xyz")
    assert isinstance(made, Blob) and bytes(made.data) == b"xyz"
    c.eat_blob(made)
    assert logs == ["ate 3 bytes"]
    assert c.concat_size(Blob(b"hi"), Blob(b"there")) == 7
    assert len(live) == 3  # lent, hi, there: every blob the guest made or owned was dropped


def test_host_imports_via_bindings(generated: Path) -> None:
    cb = _load(generated, "calls_bindings")

    class Host:  # implements the generated Protocol cb.Host
        def greet(self, name: str) -> str:
            return "hello, " + name

        def split(self, s: str, sep: str) -> list[str]:
            return s.split(sep)

        def make_pair(self, a: str, n: int) -> object:
            return cb.Pair(a=a + "!", b=list(range(n)))

        def sum17(self, *a: int) -> int:
            return sum((i + 1) * x for i, x in enumerate(a))

        def ask(self, q: int) -> object:
            return cb.AnswerNum(-5) if q == 0 else cb.AnswerText("forty-two") if q == 1 else cb.AnswerNone()

        def maybe(self, x: str | None) -> object:
            return cb.Err("nothing") if x is None else cb.Ok(len(x.encode()))

    calls = cb.Calls(str(FIX / "calls" / "calls.wasm"), imports=cb.CallsImports(host=Host()))
    assert calls.run.run_all() == cases.CALLS_RUN_ALL


def test_string_encodings_via_bindings(generated: Path) -> None:
    sb = _load(generated, "compact_bindings")
    text = sb.Compact(str(FIX / "compact" / "compact.wasm")).text
    assert text.units("ÿ") == (1, False) and text.units("€") == (1, True)
    assert text.concat("héllo", "😀") == "héllo😀"
    assert text.greeting(True) == "h€llo 😀"


def test_hostile_results_trap_via_bindings(generated: Path) -> None:
    from pywasm_host.interpreter.errors import Trap

    hb = _load(generated, "hostile_bindings")
    for name in cases.HOSTILE_TRAPS:
        bad = hb.Hostile(str(FIX / "hostile" / "hostile.wasm")).bad
        with pytest.raises(Trap):
            getattr(bad, name.replace("-", "_"))()


def test_bindings_refuse_a_module_of_another_world(generated: Path) -> None:
    mb = _load(generated, "machine_bindings")
    with pytest.raises(LinkError, match="xyz:kitchen/kitchen"):
        mb.Machine(str(FIX / "kitchen" / "kitchen.wasm"))


def test_edge_names(generated: Path) -> None:
    eb = _load(generated, "edge_bindings")
    assert eb.Thing(id=1) != eb.BThing(name="x")  # same WIT name in two interfaces
    assert [m.value for m in eb.From] == ["import", "class", "pass"]
    assert eb.From.IMPORT_.value == "import"
    assert eb.VType(3).tag == "type" and eb.VNone().value is None
    assert hasattr(eb.Edge, "class_") and hasattr(eb.Edge, "run")
    assert eb.V.from_case("some", eb.Thing(id=2)) == eb.VSome(eb.Thing(id=2))
    assert set(eb.EdgeImports.__dataclass_fields__) == {"a", "b", "host_res", "functions"}
    # guest resource methods never shadow the handle API (drop/rep/alive/own/rt)
    assert eb.Handle.drop is eb.ResourceHandle.drop and callable(eb.Handle.drop_) and callable(eb.Handle.rep_)
    assert callable(eb.C.handle_alive) and callable(eb.C.handle_new)


def test_world_level_functions_via_bindings(generated: Path) -> None:
    tb = _load(generated, "toplevel_bindings")
    log: list[str] = []

    class Env:
        def get(self, key: str) -> str | None:
            return cases.TOPLEVEL_ENV.get(key)

    class Functions:
        def log(self, msg: str) -> None:
            log.append(msg)

        def add(self, a: int, b: int) -> int:
            return a + b

    top = tb.Toplevel(str(FIX / "toplevel" / "toplevel.wasm"), imports=tb.ToplevelImports(env=Env(), functions=Functions()))
    assert top.hello("you") == "hello, you wörld" and top.answer() == 42
    assert log == ["hello, you wörld"]


def test_same_interface_name_from_two_packages(generated: Path) -> None:
    db = _load(generated, "dup_bindings")
    assert set(db.WImports.__dataclass_fields__) == {"run", "xyz_other_run"}
    assert set(db.W.__slots__) >= {"run", "xyz_other_run"}
    assert db.ExportRun.go is not db.ExportRun2.go


def test_cli_bindgen(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "machine_cli.py"
    assert main(["bindgen", str(FIX / "machine" / "wit"), "--world", "machine", "-o", str(out)]) == 0
    text = out.read_text()
    compile(text, str(out), "exec")
    assert "class Machine:" in text and "class RunResult:" in text
    assert main(["bindgen", str(FIX / "machine" / "wit"), "--world", "nope", "-o", str(out)]) == 1
    assert "no world named `nope`" in capsys.readouterr().err
    assert main(["bindgen", str(tmp_path / "missing.wit")]) == 1
    assert main(["bindgen", str(FIX / "machine" / "machine.wasm")]) == 0
    assert "class MachineInterface:" in capsys.readouterr().out


@pytest.mark.parametrize("wit, message", [
    ("package a:b;\ninterface i { f: async func(); }\nworld w { export i; }", "async"),
    ("package a:b;\ninterface i { f: func(s: stream<u8>); }\nworld w { export i; }", "stream"),
    ("package a:b;\ninterface i { f: func() -> future; }\nworld w { export i; }", "future"),
])
def test_unsupported_wit_is_a_wit_error(tmp_path: Path, wit: str, message: str) -> None:
    path = tmp_path / "x.wit"
    path.write_text(wit)
    with pytest.raises(WitError, match=message):
        generate_from_path(str(path))



@pytest.mark.parametrize("name", sorted(SOURCES))
def test_generated_module_exports(generated: Path, name: str) -> None:
    module = _load(generated, name)
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert missing == []
    world_classes = [n for n in module.__all__ if isinstance(getattr(module, n), type) and hasattr(getattr(module, n), "_WORLD")]
    assert len(world_classes) == 1


@pytest.mark.parametrize("content", [b"", b"\x00asm\x01\x00\x00\x00", b"\x00asm\x0d\x00\x01\x00\xff", b"garbage!",
                                     "truncated", "cut-tail"])
def test_cli_bindgen_hostile_input(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | str) -> None:
    data = (FIX / "machine" / "machine.wasm").read_bytes()
    if content == "truncated":
        content = data[:2000]
    elif content == "cut-tail":
        content = data[:-50]
    assert isinstance(content, bytes)
    path = tmp_path / "bad.wasm"
    path.write_bytes(content)
    assert main(["bindgen", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err


# ---- every case of cases.py through the generated bindings ----------------------

_WORLDS = {"machine": "Machine", "kitchen": "Kitchen", "utf16": "Utf16", "compact": "Compact"}
_BOUND: dict[str, Any] = {}


def _to_generated(world: Any, r: m.Resolve, t: m.Type, v: Any) -> Any:
    """Neutral value -> the generated classes' representation."""
    t = r.unalias(t)
    if isinstance(t, str):
        return v
    td = r.types[t]
    k = td.kind
    qual = f"{r.interface_path(td.owner.id)}#{td.name}" if td.owner is not None else None
    if isinstance(k, m.Record):
        return world._CLASSES[qual](**{snake(f.name): _to_generated(world, r, f.type, v[f.name]) for f in k.fields})
    if isinstance(k, m.Variant):
        tag, payload = v
        case = next(c for c in k.cases if c.name == tag)
        return world._CLASSES[qual].from_case(tag, None if case.type is None else
                                              _to_generated(world, r, case.type, payload))
    if isinstance(k, m.Enum):
        return world._CLASSES[qual](v)
    if isinstance(k, m.Flags):
        cls = world._CLASSES[qual]
        out = cls(0)
        for name in v:
            out |= cls[snake(name).upper()]
        return out
    if isinstance(k, m.List):
        return v if isinstance(v, bytes) else [_to_generated(world, r, k.type, x) for x in v]
    if isinstance(k, m.Tuple):
        return tuple(_to_generated(world, r, et, x) for et, x in zip(k.types, v))
    if isinstance(k, m.Option):
        if v is None:
            return None
        inner = _to_generated(world, r, k.type, v.value)
        nested = isinstance(r.unalias(k.type), int) and isinstance(r.types[r.unalias(k.type)].kind, m.Option)
        return _gen_some(inner) if nested else inner
    if isinstance(k, m.Result):
        from pywasm_host.component import Err, Ok

        payload_type = k.ok if isinstance(v, cases.Ok) else k.err
        payload = None if payload_type is None else _to_generated(world, r, payload_type, v.value)
        return Ok(payload) if isinstance(v, cases.Ok) else Err(payload)
    return v


def _gen_some(v: Any) -> Any:
    from pywasm_host.component import Some

    return Some(v)


def _check_generated_types(world: Any, r: m.Resolve, t: m.Type, v: Any) -> None:
    """Records, variants, enums and flags come back as the generated classes."""
    t = r.unalias(t)
    if isinstance(t, str) or v is None:
        return
    td = r.types[t]
    k = td.kind
    if isinstance(k, (m.Record, m.Variant, m.Enum, m.Flags)):
        cls = world._CLASSES[f"{r.interface_path(td.owner.id)}#{td.name}"]
        assert isinstance(v, cls), f"{v!r} is not a {cls.__name__}"
    if isinstance(k, m.Record):
        for f in k.fields:
            _check_generated_types(world, r, f.type, getattr(v, snake(f.name)))
    elif isinstance(k, m.List) and not isinstance(v, bytes):
        for x in v:
            _check_generated_types(world, r, k.type, x)


@pytest.mark.parametrize("case", [c for c in cases.ALL_CASES if c.fixture in _WORLDS], ids=lambda c: c.id)
def test_all_cases_via_bindings(generated: Path, case: cases.Case) -> None:
    import ours_host

    if case.fixture not in _BOUND:
        module = _load(generated, f"{case.fixture}_bindings")
        world_cls = getattr(module, _WORLDS[case.fixture])
        _BOUND[case.fixture] = world_cls, world_cls(str(FIX / case.fixture / f"{case.fixture}.wasm"))
    world_cls, world = _BOUND[case.fixture]
    component = world._caller.component
    r = component.resolve
    iface = next(i for i in range(len(r.interfaces)) if r.interface_path(i) == case.interface)
    f = r.interfaces[iface].functions[case.func]
    args = [_to_generated(world_cls, r, p.type, a) for p, a in zip(f.params, case.args)]
    target = getattr(world, snake(r.interfaces[iface].name or ""))
    got = getattr(target, snake(case.func))(*args)
    _check_generated_types(world_cls, r, f.result, got)
    neutral = ours_host.from_ours(r, f.result, got)
    assert cases.same(neutral, case.expected), f"{neutral!r} != {case.expected!r}"


def test_host_misuse_through_bindings(generated: Path) -> None:
    mb = _load(generated, "machine_bindings")
    kb = _load(generated, "kitchen_bindings")
    mi = mb.Machine(str(FIX / "machine" / "machine.wasm")).machine_interface
    k = kb.Kitchen(str(FIX / "kitchen" / "kitchen.wasm")).types
    p = mb.Point(x=1, y=2)
    with pytest.raises(OverflowError, match="machine-id"):
        mi.run(-1, p, p)
    with pytest.raises(OverflowError, match="machine-id"):
        mi.run(2**32, p, p)
    with pytest.raises(OverflowError, match="s32"):
        mi.run(1, mb.Point(x=2**31, y=0), p)
    with pytest.raises(TypeError, match="machine-id"):
        mi.run("1", p, p)
    with pytest.raises(TypeError, match="count-symbols"):
        mi.count_symbols(5)
    with pytest.raises(OverflowError, match="s8"):
        k.scalars(True, 128, 0, 0, 0, 0, 0, 0, 0, 0.0, 0.0, "a")
    with pytest.raises(TypeError, match="bool"):
        k.scalars(1, 0, 0, 0, 0, 0, 0, 0, 0, 0.0, 0.0, "a")
    with pytest.raises(OverflowError, match="u16"):
        k.echo_u16s([1, 70000])
    with pytest.raises(TypeError, match="echo-shape"):
        k.echo_shape(kb.ShapeRect(5))
    # nothing was left half-done: both instances still answer
    assert mi.run(1, p, p).machine_id == 1
    assert k.echo_u16s([1, 2]) == [1, 2]
