"""``Config``, ``Engine`` and ``Store`` (wasmtime-py's names and roles; the
embedding model of spec 4.2.3 "Store").

A store owns the embedder's ``data``, its fuel and the limits applied to
what is created in it. Objects made in one store may be used from another
here (a pure interpreter has no per-store native state), unlike wasmtime-py.

The machine keeps the running store's fuel in one place
(``machine.STATE.fuel``); :meth:`Store._enter`/:meth:`Store._exit` move it
in and out around every call into wasm, so nested calls (a host function
calling back into wasm, even through another store) account correctly.
"""

from __future__ import annotations

from typing import Any

from .interpreter.errors import WasmError
from .interpreter.exec.instantiate import InstanceLimits
from .interpreter.exec.machine import DEFAULT_CALL_DEPTH, STATE, set_call_depth_limit

__all__ = ["Config", "Engine", "Store", "WASM_STACK_BYTES_PER_CALL", "MAX_CALL_DEPTH"]

WASM_STACK_BYTES_PER_CALL = 64
"""How ``Config.max_wasm_stack`` (bytes, wasmtime's unit) maps to our bound on
nested wasm calls: ``max_call_depth = max_wasm_stack // 64``. wasmtime's
default of 512 KiB is thus 8192 levels (our default is 10,000)."""

MAX_CALL_DEPTH = 100_000
"""Upper bound for ``max_call_depth`` (deeper Python recursion risks the C stack)."""

# Settings that change how a native JIT compiles or lays out memory: accepted
# and ignored (documented no-ops; an interpreter has nothing to tune there).
_NO_OP_SETTINGS = frozenset({
    "debug_info", "strategy", "cranelift_debug_verifier", "cranelift_opt_level", "profiler", "cache",
    "parallel_compilation", "cranelift_nan_canonicalization", "memory_may_move", "memory_reservation",
    "memory_guard_size", "memory_reservation_for_growth", "native_unwind_info", "target",
    "cranelift_flag_enable", "cranelift_flag_set", "macos_use_mach_ports", "signals_based_traps",
    "memory_init_cow", "gc_support",
})

# WebAssembly features: ours are always on (enabling is accepted, disabling
# is accepted and ignored — validation stays at the full 2.0 feature set).
_SUPPORTED_FEATURES = frozenset({
    "wasm_reference_types", "wasm_simd", "wasm_bulk_memory", "wasm_multi_value",
})

# Proposals this engine does not implement: enabling one raises, disabling is fine.
_UNSUPPORTED_FEATURES = frozenset({
    "wasm_threads", "wasm_tail_call", "wasm_multi_memory", "wasm_memory64", "wasm_relaxed_simd",
    "wasm_relaxed_simd_deterministic", "wasm_component_model", "wasm_component_model_map",
    "wasm_component_model_implements", "wasm_exceptions", "wasm_function_references", "wasm_gc",
    "wasm_wide_arithmetic", "wasm_custom_page_sizes", "wasm_stack_switching", "shared_memory",
    "epoch_interruption",
})


class Config:
    """Engine settings, set as attributes like wasmtime-py's write-only
    properties (``config.consume_fuel = True``).

    Honoured: ``consume_fuel`` (bool), ``max_wasm_stack`` (bytes, mapped to
    ``max_call_depth = max_wasm_stack // 64``), ``max_call_depth`` (ours:
    nested wasm calls before ``Exhaustion``). WebAssembly 2.0 features
    (``wasm_simd``, ``wasm_bulk_memory``, ...) are always on; setting them is
    accepted. Enabling a proposal we do not implement (``wasm_threads``,
    ``wasm_memory64``, ``wasm_gc``, ``epoch_interruption``, ...) raises
    :class:`WasmError`. JIT and memory-layout settings (``strategy``,
    ``cranelift_*``, ``cache``, ``memory_reservation``, ...) are accepted and
    ignored.
    """

    max_call_depth: int

    def __init__(self) -> None:
        object.__setattr__(self, "max_call_depth", DEFAULT_CALL_DEPTH)
        object.__setattr__(self, "_consume_fuel", False)

    @property
    def consume_fuel(self) -> bool:
        """Whether wasm code consumes fuel (stores then start with 0 fuel)."""
        return bool(object.__getattribute__(self, "_consume_fuel"))

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "consume_fuel":
            if not isinstance(value, bool):
                raise TypeError("expected a bool")
            object.__setattr__(self, "_consume_fuel", value)
            return
        if name == "max_wasm_stack":
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError("expected an int")
            if value <= 0:
                raise WasmError("max_wasm_stack must be positive")
            object.__setattr__(self, "max_call_depth", min(MAX_CALL_DEPTH,
                                                           max(1, value // WASM_STACK_BYTES_PER_CALL)))
            return
        if name == "max_call_depth":
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError("expected an int")
            if not 1 <= value <= MAX_CALL_DEPTH:
                raise WasmError(f"max_call_depth must be between 1 and {MAX_CALL_DEPTH}")
            object.__setattr__(self, "max_call_depth", value)
            return
        if name in _SUPPORTED_FEATURES:
            if not isinstance(value, bool):
                raise TypeError("expected a bool")
            return
        if name in _UNSUPPORTED_FEATURES:
            if not isinstance(value, bool):
                raise TypeError("expected a bool")
            if value:
                raise WasmError(f"{name} is not supported by pywasm-host")
            return
        if name in _NO_OP_SETTINGS:
            return
        raise AttributeError(f"unknown configuration setting {name!r}")


class Engine:
    """Shared configuration for stores and modules: ``Engine(config=None)``."""

    def __init__(self, config: Config | None = None) -> None:
        if config is not None and not isinstance(config, Config):
            raise TypeError("expected Config")
        self.config = config if config is not None else Config()
        self._fuel = self.config.consume_fuel
        self._depth = self.config.max_call_depth
        set_call_depth_limit(self._depth)

    def increment_epoch(self) -> None:
        """Accepted for compatibility; epoch interruption is not supported."""

    def is_pulley(self) -> bool:
        return False


class Store:
    """``Store(engine=None, data=None)``: where instances, memories, tables and
    globals live, with the embedder's ``data`` (``store.data()``, as
    wasmtime-py), its fuel and its limits."""

    def __init__(self, engine: Engine | None = None, data: Any = None) -> None:
        if engine is None:
            engine = Engine()
        elif not isinstance(engine, Engine):
            raise TypeError("expected an Engine")
        self.engine = engine
        self._data = data
        self._limits = InstanceLimits()
        self._max_instances: int | None = None
        self._max_tables: int | None = None
        self._max_memories: int | None = None
        self._instances = 0
        self._tables = 0
        self._memories = 0
        self._fuel = 0
        self._wasi: Any = None
        self._wasi_funcs: Any = None  # built from _wasi by the Linker on first use

    def data(self) -> Any:
        """The embedder's data given to the constructor."""
        return self._data

    # -- fuel ----------------------------------------------------------------
    def set_fuel(self, fuel: int) -> None:
        """Set the fuel left in this store to ``fuel``.

        Raises:
            WasmError: the engine's config does not have ``consume_fuel``.
            TypeError, ValueError: ``fuel`` is not a non-negative int.
        """
        self._require_fuel()
        if isinstance(fuel, bool) or not isinstance(fuel, int):
            raise TypeError("expected an int")
        if fuel < 0:
            raise ValueError("fuel must be non-negative")
        fuel = min(fuel, (1 << 63) - 1)
        if STATE.fuel_owner is self:
            STATE.fuel = fuel
        else:
            self._fuel = fuel

    def get_fuel(self) -> int:
        """The fuel left in this store.

        Raises:
            WasmError: the engine's config does not have ``consume_fuel``.
        """
        self._require_fuel()
        fuel = STATE.fuel if STATE.fuel_owner is self else self._fuel
        return max(0, fuel)

    def _require_fuel(self) -> None:
        if not self.engine._fuel:
            raise WasmError("fuel is not configured in this store")

    # -- limits --------------------------------------------------------------
    def set_limits(self, memory_size: int = -1, table_elements: int = -1, instances: int = -1, tables: int = -1,
                   memories: int = -1) -> None:
        """Cap what is created in this store from now on; a negative value
        leaves that limit unset (as wasmtime-py).

        ``memory_size``: bytes per linear memory (instantiation fails when a
        memory's minimum exceeds it; ``memory.grow`` beyond it returns -1).
        ``table_elements``: elements per table (likewise).
        ``instances``, ``tables``, ``memories``: how many may be created in
        this store (instantiation raises :class:`WasmError` beyond).
        """
        for v in (memory_size, table_elements, instances, tables, memories):
            if isinstance(v, bool) or not isinstance(v, int):
                raise TypeError("expected an int")
        pages = self._limits.memory_pages if memory_size < 0 else memory_size // 65536
        elements = self._limits.table_elements if table_elements < 0 else table_elements
        self._limits = InstanceLimits(pages, elements)
        if instances >= 0:
            self._max_instances = instances
        if tables >= 0:
            self._max_tables = tables
        if memories >= 0:
            self._max_memories = memories

    def _reserve(self, instances: int, tables: int, memories: int) -> None:
        """Count objects about to be created against the limits.

        Raises:
            WasmError: a count limit would be exceeded.
        """
        for what, have, add, cap in (("instance", self._instances, instances, self._max_instances),
                                     ("table", self._tables, tables, self._max_tables),
                                     ("memory", self._memories, memories, self._max_memories)):
            if cap is not None and add and have + add > cap:
                raise WasmError(f"{what} count limit exceeded: the store allows {cap}")
        self._instances += instances
        self._tables += tables
        self._memories += memories

    # -- WASI ----------------------------------------------------------------
    def set_wasi(self, wasi: Any) -> None:
        """Use ``wasi`` for the WASI functions a :class:`Linker` defines with
        ``define_wasi()`` when instantiating in this store."""
        if wasi is not self._wasi:
            self._wasi_funcs = None
        self._wasi = wasi

    def set_epoch_deadline(self, ticks_after_current: int) -> None:
        """Accepted for compatibility; epoch interruption is not supported."""

    def gc(self) -> None:
        """Nothing to collect explicitly: Python's collector owns everything."""

    # -- entering wasm -------------------------------------------------------
    def _enter(self) -> Any:
        """Make this store's settings and fuel current; returns what
        :meth:`_exit` needs to restore the previous state."""
        engine = self.engine
        s = STATE
        if s.limit != engine._depth:
            set_call_depth_limit(engine._depth)
        s.fuel_mode = engine._fuel
        prev = s.fuel_owner
        if prev is self:
            return self
        if prev is not None:
            prev._fuel = s.fuel
        s.fuel = self._fuel
        s.fuel_owner = self
        return prev

    def _exit(self, prev: Any) -> None:
        if prev is self:
            return
        s = STATE
        self._fuel = s.fuel
        s.fuel_owner = prev
        if prev is not None:
            s.fuel = prev._fuel
            s.fuel_mode = prev.engine._fuel
