"""``Config``, ``Engine`` and ``Store`` (wasmtime-py's names and roles).

A store owns the embedder's ``data`` and the limits applied to what is
created in it. Objects made in one store may be used from another here (a
pure interpreter has no per-store native state), unlike wasmtime-py.
"""

from __future__ import annotations

from typing import Any

from .interpreter.exec.instantiate import InstanceLimits
from .interpreter.exec.machine import DEFAULT_CALL_DEPTH, STATE, set_call_depth_limit

__all__ = ["Config", "Engine", "Store"]


class Config:
    """Engine settings.

    ``max_call_depth`` bounds nested wasm calls; deeper calls raise
    :class:`~pywasm_host.Exhaustion` ("call stack exhausted").
    """

    def __init__(self) -> None:
        self.max_call_depth: int = DEFAULT_CALL_DEPTH


class Engine:
    """Shared configuration for stores and modules: ``Engine(config=None)``."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config if config is not None else Config()
        set_call_depth_limit(self.config.max_call_depth)


class Store:
    """``Store(engine, data=None)``: where instances, memories, tables and
    globals live, with the embedder's ``data``."""

    def __init__(self, engine: Engine | None = None, data: Any = None) -> None:
        self.engine = engine if engine is not None else Engine()
        self.data = data
        self._limits = InstanceLimits()

    def set_limits(self, memory_size: int = -1, table_elements: int = -1) -> None:
        """Cap linear memory size (bytes) and table elements for memories and
        tables created after this call; -1 means no cap."""
        self._limits = InstanceLimits(
            None if memory_size < 0 else memory_size // 65536,
            None if table_elements < 0 else table_elements,
        )

    def _enter(self) -> None:
        """Apply this store's engine settings before running wasm."""
        limit = self.engine.config.max_call_depth
        if STATE.limit != limit:
            set_call_depth_limit(limit)
