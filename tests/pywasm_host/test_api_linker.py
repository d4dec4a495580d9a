"""``Linker``: definitions by name, shadowing, missing and mismatched
imports, instances as modules, default exports and WASI. Expected values come
from the fixtures' sources (tests/fixtures/api/linking.wat, provider.wat,
hello_wasi.wat) and, for error behaviour, from wasmtime-py where installed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from pywasm_host import (
    Engine,
    Func,
    FuncType,
    Global,
    GlobalType,
    Limits,
    Linker,
    LinkError,
    Memory,
    MemoryType,
    Module,
    Store,
    Table,
    TableType,
    Trap,
    ValType,
    WasiConfig,
    WasmError,
    WasmtimeError,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "api"
HAVE_WASMTIME = importlib.util.find_spec("wasmtime") is not None
I32_TO_I32 = FuncType([ValType.i32()], [ValType.i32()])


def linking_module(engine: Engine) -> Module:
    return Module.from_file(engine, FIXTURES / "linking.wasm")


def define_all(linker: Linker, store: Store, f_offset: int = 1) -> None:
    linker.define_func("env", "f", I32_TO_I32, lambda x: x + f_offset)
    mem = Memory(store, MemoryType(Limits(1)))
    mem.write(store, (1234).to_bytes(4, "little"), 0)
    linker.define(store, "env", "mem", mem)
    linker.define(store, "env", "g", Global(store, GlobalType(ValType.i32(), False), 99))
    linker.define(store, "env", "t", Table(store, TableType(ValType.funcref(), Limits(3)), None))


def test_instantiate_resolves_imports_by_name() -> None:
    engine = Engine()
    store = Store(engine)
    linker = Linker(engine)
    define_all(linker, store)
    ex = linker.instantiate(store, linking_module(engine)).exports(store)
    assert ex["call_f"](store, 41) == 42
    assert ex["read_g"](store) == 99
    assert ex["load"](store, 0) == 1234
    assert ex["table_size"](store) == 3


def test_redefinition_needs_shadowing() -> None:
    engine = Engine()
    store = Store(engine)
    linker = Linker(engine)
    define_all(linker, store)
    with pytest.raises(LinkError, match="defined twice"):
        linker.define_func("env", "f", I32_TO_I32, lambda x: x)
    with pytest.raises(WasmtimeError):  # the wasmtime-py name catches it too
        linker.define(store, "env", "g", Global(store, GlobalType(ValType.i32(), False), 1))
    linker.allow_shadowing = True
    assert linker.allow_shadowing is True
    linker.define_func("env", "f", I32_TO_I32, lambda x: x * 2)  # the later definition wins
    ex = linker.instantiate(store, linking_module(engine)).exports(store)
    assert ex["call_f"](store, 21) == 42


def test_missing_import_names_it() -> None:
    engine = Engine()
    store = Store(engine)
    linker = Linker(engine)
    linker.define_func("env", "f", I32_TO_I32, lambda x: x)
    with pytest.raises(LinkError, match="unknown import: `env::mem` has not been defined"):
        linker.instantiate(store, linking_module(engine))


def test_mismatched_import_type_is_a_link_error() -> None:
    engine = Engine()
    store = Store(engine)
    linker = Linker(engine)
    define_all(linker, store)
    linker.allow_shadowing = True
    linker.define_func("env", "f", FuncType([ValType.i64()], [ValType.i32()]), lambda x: 0)
    with pytest.raises(LinkError):
        linker.instantiate(store, linking_module(engine))


def test_define_instance_get_and_default() -> None:
    engine = Engine()
    store = Store(engine)
    linker = Linker(engine)
    provider = linker.instantiate(store, Module.from_file(engine, FIXTURES / "provider.wasm"))
    linker.define_instance(store, "env", provider)
    ex = linker.instantiate(store, linking_module(engine)).exports(store)
    assert ex["call_f"](store, 1) == 101
    assert ex["read_g"](store) == 7
    assert ex["load"](store, 0) == 42
    assert ex["table_size"](store) == 2
    g = linker.get(store, "env", "g")
    assert isinstance(g, Global) and g.value(store) == 7
    assert linker.get_default(store, "env")(store) == 11
    noop = linker.get_default(store, "nothing-here")
    assert noop(store) is None
    with pytest.raises(WasmError, match="item not defined in linker"):
        linker.get(store, "env", "missing")


def test_define_module_instantiates_and_defines_its_exports() -> None:
    engine = Engine()
    store = Store(engine)
    linker = Linker(engine)
    linker.define_module(store, "env", Module.from_file(engine, FIXTURES / "provider.wasm"))
    ex = linker.instantiate(store, linking_module(engine)).exports(store)
    assert ex["call_f"](store, 5) == 105


def test_unknown_imports_as_traps_and_default_values() -> None:
    engine = Engine()
    store = Store(engine)
    module = linking_module(engine)
    traps = Linker(engine)
    define_all(traps, store)
    traps.allow_shadowing = True
    # only functions can be trap stubs: leave env::f undefined in a fresh linker
    only_data = Linker(engine)
    mem = Memory(store, MemoryType(Limits(1)))
    only_data.define(store, "env", "mem", mem)
    only_data.define(store, "env", "g", Global(store, GlobalType(ValType.i32(), False), 0))
    only_data.define(store, "env", "t", Table(store, TableType(ValType.funcref(), Limits(1)), None))
    only_data.define_unknown_imports_as_traps(module)
    ex = only_data.instantiate(store, module).exports(store)
    with pytest.raises(Trap):
        ex["call_f"](store, 1)
    defaults = Linker(engine)
    defaults.define_unknown_imports_as_default_values(store, module)
    ex = defaults.instantiate(store, module).exports(store)
    assert (ex["call_f"](store, 1), ex["read_g"](store), ex["load"](store, 0), ex["table_size"](store)) == (0, 0, 0, 1)
    with pytest.raises(LinkError):
        Linker(engine).define_unknown_imports_as_traps(module)  # a memory cannot be a trap


def test_define_rejects_non_externs() -> None:
    linker = Linker(Engine())
    with pytest.raises(TypeError):
        linker.define(Store(), "env", "x", 42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        linker.define_func("env", "x", "not a type", lambda: None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Linker("engine")  # type: ignore[arg-type]


def test_host_func_from_define_func_works_in_any_store() -> None:
    engine = Engine()
    linker = Linker(engine)
    calls: list[int] = []
    linker.define_func("env", "f", I32_TO_I32, lambda x: calls.append(x) or x)
    for store in (Store(engine), Store(engine)):
        mem = Memory(store, MemoryType(Limits(1)))
        linker.allow_shadowing = True
        linker.define(store, "env", "mem", mem)
        linker.define(store, "env", "g", Global(store, GlobalType(ValType.i32(), False), 0))
        linker.define(store, "env", "t", Table(store, TableType(ValType.funcref(), Limits(1)), None))
        assert linker.instantiate(store, linking_module(engine)).exports(store)["call_f"](store, 3) == 3
    assert calls == [3, 3]


def _wasi_store(engine: Engine) -> tuple[Store, Linker]:
    """A store whose WASI context writes to this process's stdout, and a
    linker with WASI defined."""
    store = Store(engine)
    config = WasiConfig()
    config.inherit_stdout()
    store.set_wasi(config)
    linker = Linker(engine)
    linker.define_wasi()
    return store, linker


def test_define_wasi_runs_a_command(capfd: pytest.CaptureFixture[str]) -> None:
    engine = Engine()
    store, linker = _wasi_store(engine)
    instance = linker.instantiate(store, Module.from_file(engine, FIXTURES / "hello_wasi.wasm"))
    instance.exports(store)["_start"](store)
    assert capfd.readouterr().out == "hi\n"


def test_define_wasi_without_store_config_is_an_error() -> None:
    engine = Engine()
    linker = Linker(engine)
    linker.define_wasi()
    with pytest.raises(WasmError, match="WASI"):
        linker.instantiate(Store(engine), Module.from_file(engine, FIXTURES / "hello_wasi.wasm"))


def test_define_wasi_conflicts_with_earlier_definitions() -> None:
    linker = Linker(Engine())
    linker.define_func("wasi_snapshot_preview1", "fd_write", I32_TO_I32, lambda x: x)
    with pytest.raises(LinkError):
        linker.define_wasi()


@pytest.mark.skipif(not HAVE_WASMTIME, reason="wasmtime-py is not installed (the `compare` extra)")
def test_link_errors_happen_where_wasmtime_has_them() -> None:
    import wasmtime

    outcomes = []
    for w in (wasmtime, importlib.import_module("pywasm_host")):
        engine = w.Engine()
        store = w.Store(engine)
        linker = w.Linker(engine)
        ty = w.FuncType([w.ValType.i32()], [w.ValType.i32()])
        linker.define_func("env", "f", ty, lambda x: x)
        row = []
        try:
            linker.define_func("env", "f", ty, lambda x: x)
            row.append("ok")
        except w.WasmtimeError:
            row.append("error")
        try:
            linker.instantiate(store, w.Module.from_file(engine, str(FIXTURES / "linking.wasm")))
            row.append("ok")
        except w.WasmtimeError as e:
            row.append("error: " + str(e).split("\n")[0][:50])
        outcomes.append(row)
    assert outcomes[0] == outcomes[1]


def test_func_in_linker_is_a_func() -> None:
    engine = Engine()
    store = Store(engine)
    linker = Linker(engine)
    linker.define_func("m", "id", I32_TO_I32, lambda x: x)
    f = linker.get(store, "m", "id")
    assert isinstance(f, Func) and f(store, -5) == -5 and f.type(store) == I32_TO_I32


def test_instantiate_pre_checks_now_and_instantiates_later() -> None:
    engine = Engine()
    linker = Linker(engine)
    provider_store = Store(engine)
    provider = linker.instantiate(provider_store, Module.from_file(engine, FIXTURES / "provider.wasm"))
    module = linking_module(engine)
    with pytest.raises(LinkError, match="env::f"):
        linker.instantiate_pre(module)
    linker.define_instance(provider_store, "env", provider)
    pre = linker.instantiate_pre(module)
    assert pre.module() is module
    store = Store(engine)
    assert pre.instantiate(store).exports(store)["call_f"](store, 2) == 102


def test_two_wasi_instances_in_one_store_use_their_own_memory(capfd: pytest.CaptureFixture[str]) -> None:
    engine = Engine()
    store, linker = _wasi_store(engine)
    module = Module.from_file(engine, FIXTURES / "hello_wasi.wasm")
    first = linker.instantiate(store, module).exports(store)
    second = linker.instantiate(store, module).exports(store)
    memory = second["memory"]
    assert isinstance(memory, Memory)
    memory.write(store, b"yo\n", 16)
    first["_start"](store)
    second["_start"](store)
    assert capfd.readouterr().out == "hi\nyo\n"
