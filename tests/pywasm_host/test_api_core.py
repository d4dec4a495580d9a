"""The core embedding API (wasmtime-py shaped): modules, instances, externs,
host functions, value conversion and errors. Expected values are worked out
by hand from the fixture sources in tests/fixtures/*.wat."""

from __future__ import annotations

from pathlib import Path

import pytest

from pywasm_host import (
    Engine,
    Exhaustion,
    Func,
    FuncType,
    Global,
    GlobalType,
    Instance,
    Limits,
    LinkError,
    MalformedError,
    Memory,
    MemoryType,
    Module,
    Store,
    Table,
    TableType,
    Trap,
    TrapCode,
    ValidationError,
    ValType,
    WasmError,
)

FIXTURES = Path(__file__).parent.parent / "fixtures"


def instantiate_api(store: Store, g_value: int = 42) -> Instance:
    module = Module.from_file(store.engine, FIXTURES / "api.wasm")
    add = Func(store, FuncType([ValType.i32(), ValType.i32()], [ValType.i32()]), lambda a, b: a + b)
    g = Global(store, GlobalType(ValType.i32(), False), g_value)
    return Instance(store, module, [add, g])


def test_module_imports_and_exports_are_typed() -> None:
    module = Module.from_file(Engine(), FIXTURES / "api.wasm")
    imports = [(i.module, i.name, i.type) for i in module.imports]
    assert imports == [
        ("host", "add", FuncType([ValType.i32(), ValType.i32()], [ValType.i32()])),
        ("host", "g", GlobalType(ValType.i32(), False)),
    ]
    exports = {e.name: e.type for e in module.exports}
    assert exports["memory"] == MemoryType(Limits(1, 4))
    assert exports["counter"] == GlobalType(ValType.i64(), True)
    assert exports["table"] == TableType(ValType.funcref(), Limits(2, 10))
    assert exports["swap"] == FuncType([ValType.f64(), ValType.f32()], [ValType.f32(), ValType.f64()])


def test_calls_host_functions_globals_and_results() -> None:
    store = Store(Engine())
    ex = instantiate_api(store).exports(store)
    assert ex["call_add"](store, 2, 40) == 42
    assert ex["get_g"](store) == 42
    assert ex["twice"](store, 21) == 42
    assert ex["swap"](store, 1.5, 2.25) == [2.25, 1.5]
    # i32/i64 results come back signed, as in wasmtime-py
    assert ex["neg1"](store) == [-1, -1]
    # unsigned spellings of arguments are accepted and wrapped
    assert ex["twice"](store, 0xFFFFFFFF) == -2


def test_memory_read_write_grow_and_data_segment() -> None:
    store = Store(Engine())
    ex = instantiate_api(store).exports(store)
    mem = ex["memory"]
    assert isinstance(mem, Memory)
    assert mem.read(store, 16, 21) == bytearray(b"hello")
    assert mem.size(store) == 1 and mem.data_len(store) == 65536
    mem.write(store, b"\x7f", 100)
    assert ex["load8"](store, 100) == 127
    assert mem.grow(store, 1) == 1 and mem.size(store) == 2
    with pytest.raises(WasmError):
        mem.grow(store, 3)  # max is 4 pages
    with pytest.raises(Trap) as info:
        ex["load8"](store, 2 * 65536)
    assert info.value.code is TrapCode.OUT_OF_BOUNDS_MEMORY_ACCESS


def test_global_and_table_exports() -> None:
    store = Store(Engine())
    ex = instantiate_api(store).exports(store)
    counter = ex["counter"]
    assert isinstance(counter, Global)
    assert counter.value(store) == 7
    ex["bump"](store)
    assert counter.value(store) == 8
    counter.set_value(store, -5)
    ex["bump"](store)
    assert counter.value(store) == -4
    table = ex["table"]
    assert isinstance(table, Table)
    assert table.size(store) == 2
    twice = table.get(store, 0)
    assert isinstance(twice, Func) and twice(store, 5) == 10
    assert table.get(store, 1) is None
    assert table.grow(store, 3, None) == 2 and table.size(store) == 5


def test_traps_carry_the_spec_message() -> None:
    store = Store(Engine())
    ex = instantiate_api(store).exports(store)
    with pytest.raises(Trap) as info:
        ex["div"](store, 1, 0)
    assert info.value.code is TrapCode.INTEGER_DIVIDE_BY_ZERO
    assert str(info.value).startswith("integer divide by zero")
    with pytest.raises(Trap, match="^integer overflow"):
        ex["div"](store, -(2**31), -1)


def test_wrong_arguments_raise_type_errors() -> None:
    store = Store(Engine())
    ex = instantiate_api(store).exports(store)
    with pytest.raises(TypeError):
        ex["twice"](store)
    with pytest.raises(TypeError):
        ex["twice"](store, "1")
    with pytest.raises(OverflowError):
        ex["twice"](store, 2**32)
    with pytest.raises(KeyError):
        ex["nope"]


def test_link_errors() -> None:
    store = Store(Engine())
    module = Module.from_file(store.engine, FIXTURES / "api.wasm")
    wrong = Func(store, FuncType([ValType.i32()], [ValType.i32()]), lambda a: a)
    g = Global(store, GlobalType(ValType.i32(), False), 1)
    with pytest.raises(LinkError):
        Instance(store, module, [wrong, g])
    with pytest.raises(LinkError):
        Instance(store, module, [g, g])
    with pytest.raises(LinkError):
        Instance(store, module, [])


def test_bad_modules() -> None:
    engine = Engine()
    with pytest.raises(MalformedError):
        Module(engine, b"\0asm\x02\0\0\0")
    # a function returning i32 with an empty body: (func (result i32))
    invalid = bytes.fromhex("0061736d01000000010501600001 7f030201000a040102000b".replace(" ", ""))
    with pytest.raises(ValidationError):
        Module(engine, invalid)
    with pytest.raises(ValidationError):
        Module.validate(engine, invalid)


def test_deep_recursion_raises_exhaustion_and_store_stays_usable() -> None:
    store = Store(Engine())
    module = Module.from_file(store.engine, FIXTURES / "recurse.wasm")
    ex = Instance(store, module, []).exports(store)
    with pytest.raises(Exhaustion) as info:
        ex["down"](store, 100_000)
    assert str(info.value).startswith("call stack exhausted")
    assert ex["down"](store, 100) == 100
    assert ex["down"](store, 5_000) == 5_000  # deep but within the default bound
    with pytest.raises(Exhaustion):
        ex["spin"](store)
    assert ex["down"](store, 3) == 3


def test_oversized_tables_and_memories_are_refused_not_allocated() -> None:
    # (module (table 4294967295 funcref)): valid, but would be a 4-billion-element list
    huge_table = bytes.fromhex("0061736d010000000408017000ffffffff0f")
    store = Store(Engine())
    module = Module(store.engine, huge_table)
    with pytest.raises(WasmError, match="table minimum size"):
        Instance(store, module, [])
    # (module (memory 3)) under a store limit of 2 pages
    small = Store(Engine())
    small.set_limits(memory_size=2 * 65536)
    with pytest.raises(WasmError, match="memory minimum size"):
        Instance(small, Module(small.engine, bytes.fromhex("0061736d010000000503010003")), [])
