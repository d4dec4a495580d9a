"""A narrow engine adapter for the spec-test runner (embedding interface, spec chapter 7 "Appendix: Embedding").

The runner needs only: decode+validate a module, instantiate it with resolved imports, invoke an
export with raw bit-pattern arguments and get raw results back, read an exported global, look up
an export, build the ``spectest`` host objects, and the error classes that stand for each
assertion kind (``MalformedError``, ``ValidationError``, ``LinkError``, ``Trap``, ``Exhaustion``).
Two implementations share one shape because both public APIs are shaped like wasmtime-py's:
``pywasm_host`` (this project; a fresh ``Store`` per module) and ``wasmtime`` (wasmtime-py, the
reference engine of the ``compare`` extra; its objects cannot cross stores, so it uses one store
per script file, and its compile errors do not say whether a module is malformed or invalid, so one
error class stands for both).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from values import REF_TYPES, Value
from wasm_scan import v128_exports

__all__ = ["ENGINES", "EngineAdapter", "Session", "EngineUnavailable", "make_engine"]

Resolver = Callable[[str, str, Any], Any]
"""``resolve(module_name, field_name, import_type) -> extern``; raises the adapter's LinkError."""

_MASK = {"i32": 0xFFFFFFFF, "i64": 0xFFFFFFFFFFFFFFFF, "v128": (1 << 128) - 1}


class EngineUnavailable(Exception):
    """The requested engine cannot be imported."""


def _f64_from_bits(bits: int) -> float:
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def _f64_to_bits(value: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", value))[0]


def _f32_from_bits_struct(bits: int) -> float:
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def _f32_to_bits_struct(value: float) -> int:
    return struct.unpack("<I", struct.pack("<f", value))[0]


def _to_signed(value: int, bits: int) -> int:
    return value - (1 << bits) if value >> (bits - 1) else value


def type_name(valtype: Any) -> str:
    """The wasm name (``i32``, ``funcref``, ...) of an engine's value type object."""
    text = str(valtype).lower()
    for name in ("i32", "i64", "f32", "f64", "v128", "funcref", "externref"):
        if name in text:
            return name
    return text


class Session:
    """The engine state for one script file: the store(s) and the ``spectest`` host objects."""

    def __init__(self, adapter: EngineAdapter) -> None:
        self.adapter = adapter
        self._shared_store: Any = None
        self._spectest: dict[str, Any] | None = None

    def new_store(self) -> Any:
        """A store for the next module: fresh per module unless the engine cannot share objects."""
        if self.adapter.store_per_module:
            return self.adapter.api.Store(self.adapter.engine)
        if self._shared_store is None:
            self._shared_store = self.adapter.api.Store(self.adapter.engine)
        return self._shared_store

    def spectest(self) -> dict[str, Any]:
        """The ``spectest`` host module's exports, built once per script file."""
        if self._spectest is None:
            from spectest_host import build_spectest

            self._spectest = build_spectest(self.adapter, self.new_store())
        return self._spectest


class EngineAdapter:
    """Operations of one engine over its wasmtime-shaped public API ``api``."""

    name = "abstract"
    store_per_module = True
    MalformedError: type[BaseException] = Exception
    ValidationError: type[BaseException] = Exception
    LinkError: type[BaseException] = Exception
    Trap: type[BaseException] = Exception
    Exhaustion: type[BaseException] = Exception

    def __init__(self, api: ModuleType, engine: Any = None) -> None:
        self.api = api
        self.engine = api.Engine() if engine is None else engine

    # -- values ------------------------------------------------------------------------------
    def f32_from_bits(self, bits: int) -> float:
        return _f32_from_bits_struct(bits)

    def f32_to_bits(self, value: float) -> int:
        return _f32_to_bits_struct(value)

    def to_host(self, value: Value) -> Any:
        """A raw :class:`Value` as this engine's Python argument."""
        kind = value.type
        if kind in ("i32", "i64", "v128"):
            return value.raw
        if kind == "f32":
            return self.f32_from_bits(value.raw)
        if kind == "f64":
            return _f64_from_bits(value.raw)
        return value.raw  # references: the object itself or None

    def from_host(self, kind: str, value: Any) -> Value:
        """An engine result of wasm type ``kind`` as a raw :class:`Value`."""
        if kind in _MASK and isinstance(value, int) and not isinstance(value, bool):
            return Value(kind, value & _MASK[kind])
        if kind == "f32" and isinstance(value, float):
            return Value(kind, self.f32_to_bits(value))
        if kind == "f64" and isinstance(value, float):
            return Value(kind, _f64_to_bits(value))
        if kind in REF_TYPES:
            return Value(kind, value)
        return Value(kind, value)  # an unexpected Python type: kept, so matching fails visibly

    # -- operations --------------------------------------------------------------------------
    def session(self) -> Session:
        return Session(self)

    def load_module(self, path: Path) -> Any:
        """Decode and validate a binary module (raises MalformedError / ValidationError)."""
        return self.load_bytes(path.read_bytes())

    def load_bytes(self, data: bytes) -> Any:
        """Decode and validate a binary module given as bytes."""
        return self.api.Module(self.engine, data)

    def load_text(self, text: str, filename: str) -> Any:
        """Parse and validate a module in the text format (a ``.wat`` file or a quoted module)."""
        return self.api.Module(self.engine, text)

    def load_script_module(self, module: Any) -> Any:
        """Load a module of a ``.wast`` script (``interpreter.text.wast.ScriptModule``): ``binary``
        ones as bytes, ``text`` and ``quote`` ones as text."""
        if module.kind == "binary":
            return self.load_bytes(bytes(module.source))
        return self.load_text(module.text or "", f"{module.filename}:{module.line}")

    def instantiate(self, store: Any, module: Any, resolve: Resolver) -> Any:
        """Instantiate with imports from ``resolve`` (raises LinkError or Trap)."""
        externs = [resolve(imp.module, imp.name, imp.type) for imp in module.imports]
        return self.api.Instance(store, module, externs)

    def export(self, store: Any, instance: Any, name: str) -> Any:
        """The export called ``name`` or ``None``."""
        return instance.exports(store).get(name)

    def invoke(self, store: Any, instance: Any, name: str, args: list[Value]) -> list[Value]:
        """Call an exported function with raw arguments; raw results in order.

        Raises:
            KeyError: no such exported function.
        """
        func = self.export(store, instance, name)
        if func is None or not isinstance(func, self.api.Func):
            raise KeyError(f"no exported function {name!r}")
        result_types = [type_name(t) for t in func.type(store).results]
        result = func(store, *[self.to_host(a) for a in args])
        if len(result_types) == 0:
            values: list[Any] = [] if result is None else [result]
        elif len(result_types) == 1:
            values = [result]
        else:
            values = list(result) if isinstance(result, (list, tuple)) else [result]
        if len(values) != len(result_types):
            return [self.from_host("?", v) for v in values]
        return [self.from_host(t, v) for t, v in zip(result_types, values)]

    def get_global(self, store: Any, instance: Any, name: str, hint: str | None) -> Value:
        """Read an exported global as a raw value.

        Raises:
            KeyError: no such exported global.
        """
        glob = self.export(store, instance, name)
        if glob is None or not isinstance(glob, self.api.Global):
            raise KeyError(f"no exported global {name!r}")
        kind = hint or "?"
        type_method = getattr(glob, "type", None)
        if callable(type_method):
            kind = type_name(type_method(store).content)
        return self.from_host(kind, glob.value(store))


class PywasmHostAdapter(EngineAdapter):
    """This project's engine through its public API (``pywasm_host``)."""

    name = "pywasm_host"
    store_per_module = True

    def __init__(self, version: str = "2.0") -> None:
        try:
            import pywasm_host as api

            for needed in ("Engine", "Store", "Module", "Instance", "Func", "Global"):
                getattr(api, needed)
        except (ImportError, AttributeError) as exc:
            raise EngineUnavailable(f"pywasm_host public API not available yet: {exc}") from exc
        super().__init__(api)
        self.MalformedError = api.MalformedError
        self.ValidationError = api.ValidationError
        self.LinkError = api.LinkError
        self.Trap = api.Trap
        self.Exhaustion = api.Exhaustion
        try:
            from pywasm_host.interpreter.runtime import values as rt_values

            self._f32_from_bits = rt_values.f32_from_bits
            self._f32_to_bits = rt_values.f32_to_bits
        except (ImportError, AttributeError):
            self._f32_from_bits = _f32_from_bits_struct
            self._f32_to_bits = _f32_to_bits_struct

    def f32_from_bits(self, bits: int) -> float:
        return self._f32_from_bits(bits)

    def f32_to_bits(self, value: float) -> int:
        return self._f32_to_bits(value)

    def load_bytes(self, data: bytes) -> Any:
        # The public API reads bytes not starting with "\0" as text; a binary module of the suite
        # must be judged as binary (it can only be malformed then: no magic number).
        if data[:1] not in (b"", b"\0"):
            from pywasm_host.interpreter.binary.decode import decode_module

            decode_module(data)  # raises MalformedError("magic header not detected")
        return self.api.Module(self.engine, data)

    # Text goes through our own parser and binary encoder, then the public API's binary path,
    # so that every text module of the suite also checks the encoder against the decoder.
    def load_text(self, text: str, filename: str) -> Any:
        from pywasm_host.interpreter.binary.encode import encode_module
        from pywasm_host.interpreter.text.parser import parse_module

        return self.load_bytes(encode_module(parse_module(text, filename)))

    def load_script_module(self, module: Any) -> Any:
        if module.kind == "binary":
            return self.load_bytes(bytes(module.source))
        from pywasm_host.interpreter.binary.encode import encode_module

        return self.load_bytes(encode_module(module.load()))  # text: parsed already; quote: parsed now


# ---------------------------------------------------------------------------------------------
# wasmtime-py
# ---------------------------------------------------------------------------------------------


class ReferenceCompileError(Exception):
    """wasmtime rejected a module (it does not tell malformed from invalid)."""


class ReferenceLinkError(Exception):
    """wasmtime could not link an instance."""


class ReferenceTrap(Exception):
    """wasmtime trapped; ``alternatives`` are the spec messages its trap code may stand for."""

    def __init__(self, message: str, alternatives: tuple[str, ...]) -> None:
        super().__init__(message)
        self.alternatives = alternatives


class ReferenceExhaustion(ReferenceTrap):
    """wasmtime's stack overflow."""


_WASMTIME_TRAP_MESSAGES = {
    "STACK_OVERFLOW": ("call stack exhausted",),
    "MEMORY_OUT_OF_BOUNDS": ("out of bounds memory access",),
    "HEAP_MISALIGNED": ("misaligned memory access",),
    # wasmtime uses one code for call_indirect past the table end and for table.get/set/... bounds
    "TABLE_OUT_OF_BOUNDS": ("out of bounds table access", "undefined element"),
    "INDIRECT_CALL_TO_NULL": ("uninitialized element",),
    "BAD_SIGNATURE": ("indirect call type mismatch",),
    "INTEGER_OVERFLOW": ("integer overflow",),
    "INTEGER_DIVISION_BY_ZERO": ("integer divide by zero",),
    "BAD_CONVERSION_TO_INTEGER": ("invalid conversion to integer",),
    "UNREACHABLE": ("unreachable",),
}


_WASMTIME_POST_2_0_FEATURES = (
    "wasm_multi_memory", "wasm_memory64", "wasm_gc", "wasm_function_references", "wasm_exceptions",
    "wasm_tail_call", "wasm_threads", "wasm_relaxed_simd", "wasm_custom_page_sizes", "wasm_wide_arithmetic",
    "wasm_stack_switching",
)  # fmt: skip


class WasmtimeAdapter(EngineAdapter):
    """wasmtime-py as a reference engine; its errors are translated into the Reference* classes."""

    name = "wasmtime"
    store_per_module = False
    MalformedError = ReferenceCompileError
    ValidationError = ReferenceCompileError
    LinkError = ReferenceLinkError
    Trap = ReferenceTrap
    Exhaustion = ReferenceExhaustion

    def __init__(self, version: str = "2.0") -> None:
        try:
            import wasmtime as api
        except ImportError as exc:
            raise EngineUnavailable(f"wasmtime-py is not installed (pip install -e '.[compare]'): {exc}") from exc
        config = api.Config()
        if version == "2.0":  # wasmtime enables several 3.0 proposals by default
            for feature in _WASMTIME_POST_2_0_FEATURES:
                try:
                    setattr(config, feature, False)  # write-only properties: hasattr() is False
                except AttributeError:
                    pass
        super().__init__(api, api.Engine(config))

    def _trap(self, exc: Any) -> ReferenceTrap:
        code = getattr(exc, "trap_code", None)
        code_name = getattr(code, "name", "")
        alternatives = _WASMTIME_TRAP_MESSAGES.get(code_name, (str(code_name or exc).lower(),))
        cls = ReferenceExhaustion if code_name == "STACK_OVERFLOW" else ReferenceTrap
        return cls(f"{alternatives[0]} (wasmtime {code_name})", alternatives)

    def to_host(self, value: Value) -> Any:
        if value.type == "i32":
            return _to_signed(value.raw, 32)
        if value.type == "i64":
            return _to_signed(value.raw, 64)
        if value.type == "externref":
            return self.api.Val.externref(value.raw)
        if value.type == "funcref":
            return self.api.Val.funcref(value.raw)
        return super().to_host(value)

    def from_host(self, kind: str, value: Any) -> Value:
        return super().from_host("externref" if kind == "anyref" else kind, value)

    def load_bytes(self, data: bytes) -> Any:
        try:
            module = self.api.Module(self.engine, data)
        except self.api.WasmtimeError as exc:
            raise ReferenceCompileError(str(exc).splitlines()[-1].strip() or str(exc)) from exc
        return _ScannedModule(module, v128_exports(data))

    def load_text(self, text: str, filename: str) -> Any:
        # wasmtime's own text parser (wat crate): an independent reading of the text modules
        try:
            data = self.api.wat2wasm(text)
        except self.api.WasmtimeError as exc:
            raise ReferenceCompileError(str(exc).splitlines()[0].strip() or str(exc)) from exc
        return self.load_bytes(bytes(data))

    def instantiate(self, store: Any, module: Any, resolve: Resolver) -> Any:
        try:
            instance = super().instantiate(store, module.module, resolve)
        except self.api.Trap as exc:
            raise self._trap(exc) from exc
        except self.api.WasmtimeError as exc:
            raise ReferenceLinkError(" ".join(str(exc).split())) from exc
        return _ScannedInstance(instance, module.v128_exports)

    def export(self, store: Any, instance: Any, name: str) -> Any:
        return super().export(store, instance.instance, name)

    def _refuse_v128(self, store: Any, instance: Any, name: str) -> None:
        if instance.v128_exports is None:
            extern = self.export(store, instance, name)
            if isinstance(extern, (self.api.Func, self.api.Global)):
                raise NotImplementedError(f"wasmtime-py cannot be trusted with {name!r}: module not scannable for v128")
        elif name in instance.v128_exports:
            raise NotImplementedError(f"wasmtime-py cannot pass v128 values ({name!r}); it aborts the process")

    def invoke(self, store: Any, instance: Any, name: str, args: list[Value]) -> list[Value]:
        self._refuse_v128(store, instance, name)
        try:
            return super().invoke(store, instance, name, args)
        except self.api.Trap as exc:
            raise self._trap(exc) from exc

    def get_global(self, store: Any, instance: Any, name: str, hint: str | None) -> Value:
        self._refuse_v128(store, instance, name)
        return super().get_global(store, instance, name, hint)


class _ScannedModule:
    __slots__ = ("module", "v128_exports")

    def __init__(self, module: Any, v128: set[str] | None) -> None:
        self.module = module
        self.v128_exports = v128

    @property
    def imports(self) -> Any:
        return self.module.imports


class _ScannedInstance:
    __slots__ = ("instance", "v128_exports")

    def __init__(self, instance: Any, v128: set[str] | None) -> None:
        self.instance = instance
        self.v128_exports = v128


ENGINES: dict[str, Callable[[str], EngineAdapter]] = {
    "pywasm_host": PywasmHostAdapter,
    "wasmtime": WasmtimeAdapter,
}


def make_engine(name: str, version: str = "2.0") -> EngineAdapter:
    """Build the adapter called ``name`` for the spec ``version`` (``2.0`` or ``3.0``) feature set.

    Raises:
        EngineUnavailable: unknown name or the engine cannot be imported.
    """
    factory = ENGINES.get(name)
    if factory is None:
        raise EngineUnavailable(f"unknown engine {name!r}; expected one of {', '.join(ENGINES)}")
    return factory(version)
