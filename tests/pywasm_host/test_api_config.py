"""``Config``, ``Engine`` and ``Store``: settings, call-depth mapping of
``max_wasm_stack``, store data and limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from pywasm_host import (
    Config,
    Engine,
    Exhaustion,
    Instance,
    Limits,
    Memory,
    MemoryType,
    Module,
    Store,
    Table,
    TableType,
    ValType,
    WasmError,
)
from pywasm_host._store import WASM_STACK_BYTES_PER_CALL

FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_config_settings() -> None:
    config = Config()
    config.consume_fuel = True
    config.wasm_simd = True
    config.wasm_bulk_memory = False  # accepted, ignored: 2.0 features are always on
    config.cranelift_opt_level = "speed"  # JIT settings: accepted, ignored
    config.cache = True
    config.wasm_threads = False  # disabling an unsupported proposal is fine
    with pytest.raises(WasmError, match="not supported"):
        config.wasm_threads = True
    with pytest.raises(WasmError, match="not supported"):
        config.wasm_memory64 = True
    with pytest.raises(AttributeError):
        config.no_such_setting = 1
    with pytest.raises(TypeError):
        config.max_wasm_stack = "big"
    with pytest.raises(TypeError):
        Engine("config")  # type: ignore[arg-type]


def test_max_wasm_stack_maps_to_call_depth() -> None:
    config = Config()
    config.max_wasm_stack = 100 * WASM_STACK_BYTES_PER_CALL
    assert config.max_call_depth == 100
    engine = Engine(config)
    store = Store(engine)
    # recurse.wat: down(n) nests n calls
    module = Module.from_file(engine, FIXTURES / "recurse.wasm")
    ex = Instance(store, module, []).exports(store)
    with pytest.raises(Exhaustion):
        ex["down"](store, 1000)
    # another engine with the default bound is unaffected once its store runs
    default_store = Store(Engine())
    ex2 = Instance(default_store, Module.from_file(default_store.engine, FIXTURES / "recurse.wasm"),
                   []).exports(default_store)
    assert ex2["down"](default_store, 1000) == 1000
    assert ex["down"](store, 50) == 50


def test_store_data_is_a_method_like_wasmtime() -> None:
    assert Store(Engine(), data=[1, 2]).data() == [1, 2]
    assert Store().data() is None
    with pytest.raises(TypeError):
        Store("engine")  # type: ignore[arg-type]


def test_store_count_limits() -> None:
    store = Store(Engine())
    store.set_limits(memories=1, tables=1)
    Memory(store, MemoryType(Limits(1)))
    with pytest.raises(WasmError, match="memory count limit"):
        Memory(store, MemoryType(Limits(1)))
    Table(store, TableType(ValType.funcref(), Limits(1)), None)
    with pytest.raises(WasmError, match="table count limit"):
        Table(store, TableType(ValType.funcref(), Limits(1)), None)
    store2 = Store(Engine())
    store2.set_limits(instances=1)
    module = Module.from_file(store2.engine, FIXTURES / "recurse.wasm")
    Instance(store2, module, [])
    with pytest.raises(WasmError, match="instance count limit"):
        Instance(store2, module, [])


def test_store_memory_size_limit() -> None:
    store = Store(Engine())
    store.set_limits(memory_size=2 * 65536)
    mem = Memory(store, MemoryType(Limits(1)))
    assert mem.grow(store, 1) == 1
    with pytest.raises(WasmError):
        mem.grow(store, 1)
    with pytest.raises(WasmError):
        Memory(store, MemoryType(Limits(3)))
