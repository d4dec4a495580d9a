"""Loading wit-bindgen core modules and calling their WIT functions with Python values
(component-model ``design/mvp/CanonicalABI.md`` over the core-module conventions of
wit-component, ``BuildTargets.md``).

A wit-bindgen guest is a core module that carries its WIT world in a
``component-type:*`` custom section and follows these naming rules:

* an exported interface function ``f`` of ``ns:pkg/iface`` is the core
  export ``ns:pkg/iface#f`` (world-level functions: ``f``), its
  post-return function ``cabi_post_<export>``; memory is ``memory``, the
  allocator ``cabi_realloc``; resource functions are named
  ``[constructor]r``, ``[method]r.m``, ``[static]r.f``, a resource's
  destructor is exported as ``ns:pkg/iface#[dtor]r``;
* an imported interface function is the core import ``f`` of module
  ``ns:pkg/iface`` (world-level: module ``$root``), including
  ``[resource-drop]r`` for imported resources;
* exported resources use the intrinsics ``[resource-new]r``,
  ``[resource-rep]r`` and ``[resource-drop]r`` of module ``[export]ns:pkg/iface``.

:func:`load_core` instantiates such a module (on our interpreter, or on
wasmtime with ``engine="wasmtime"``) and returns a :class:`CoreComponent`::

    m = load_core("guest.wasm", imports={"xyz:machine/host": {"log": print}})
    m.exports.machine_interface.run(1, m.types.Point(x=1, y=2), m.types.Point(x=3, y=4))
    m.call("xyz:machine/machine-interface#run", 1, p, q)

Imports are keyed by the interface path (``ns:pkg/iface``, with or without
``@version``, or the bare interface name); the value is a mapping of
function names (WIT kebab-case or Python snake_case) to callables, or an
object with snake_case methods.  World-level imported functions are keyed
by their own name (or under ``"$root"``).  An imported resource ``r`` is
implemented by ``impl["r"]`` (a class or factory: the constructor; its
``[static]`` functions are looked up as attributes); its methods are called
on the Python object the guest holds a handle to.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import Any

from ..abi.binary.reader import Reader
from ..abi.binary.wit import decode_core_module_world
from ..abi.canonical.canon import (
    POISONED,
    canon_lower,
    canon_resource_drop,
    canon_resource_new,
    canon_resource_rep,
    lift_export,
)
from ..abi.canonical.core import CoreInstance, instantiate_engine_core
from ..abi.canonical.flatten import flatten_functype
from ..abi.canonical.options import CanonicalOptions, LiftLowerContext
from ..abi.canonical.resources import ResourceHandle, ResourceState
from ..abi.canonical.types import (
    EnumType,
    FlagsType,
    FuncType,
    RecordType,
    ResourceType,
    TypeBuilder,
    VariantType,
    camel,
    snake,
)
from ..abi.canonical.values import ValueClasses
from ..abi.errors import AbiError, WitError
from ..abi.wit import model as m
from ..interpreter.errors import LinkError

__all__ = ["load_core", "CoreComponent", "Exports", "module_string_encoding"]


class Exports(SimpleNamespace):
    """Attribute namespace of exported functions: ``exports.<iface_snake>.<func_snake>``."""


def _read(path_or_bytes: str | os.PathLike[str] | bytes | bytearray | memoryview) -> bytes:
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        return bytes(path_or_bytes)
    if isinstance(path_or_bytes, (str, os.PathLike)):
        with open(path_or_bytes, "rb") as f:
            return f.read()
    raise TypeError(f"load_core() expects a path or bytes, got {type(path_or_bytes).__name__}")


_ENCODINGS = {0: "utf8", 1: "utf16", 2: "latin1+utf16"}


def module_string_encoding(wasm: bytes) -> str | None:
    """The string encoding recorded by ``wasm-tools component embed --encoding`` in the
    ``component-type`` section (its nested ``wit-component-encoding`` custom section:
    a version byte, then 0 utf8, 1 utf16, 2 latin1+utf16), or ``None`` when absent."""
    from ..abi.binary.wit import component_type_sections

    try:
        sections = component_type_sections(wasm)
    except Exception:  # noqa: BLE001 - decode_core_module_world reports malformed modules
        return None
    for name, payload in sections:
        r = Reader(payload, 8, what=name)  # after the component preamble
        try:
            while not r.eof():
                section_id = r.u8()
                s = r.sub(r.u32())
                if section_id == 0 and s.bytes(s.u32()) == b"wit-component-encoding":
                    body = s.bytes(s.end - s.pos)
                    if body:
                        return _ENCODINGS.get(body[-1])
        except WitError:
            continue
    return None


def _sig(sig: tuple[tuple[str, ...], tuple[str, ...]]) -> str:
    return f"({', '.join(sig[0])}) -> ({', '.join(sig[1])})"


def _strip_version(path: str) -> str:
    return path.partition("@")[0]


class CoreComponent:
    """A loaded wit-bindgen core module: ``exports``, ``call(name, *args)``, ``types``, ``core``."""

    def __init__(self, wasm: bytes, imports: Mapping[str, Any] | None, wasi: Any, engine: Any,
                 classes: ValueClasses | None, string_encoding: str | None, numpy_lists: bool) -> None:
        self.resolve, self.world_id = decode_core_module_world(wasm)
        if string_encoding is None:
            string_encoding = module_string_encoding(wasm) or "utf8"
        CanonicalOptions(string_encoding)  # ValueError on an unknown encoding
        self.world = self.resolve.worlds[self.world_id]
        self.classes = classes if classes is not None else ValueClasses()
        self.builder = TypeBuilder(self.resolve)
        self.state = ResourceState()
        self.string_encoding = string_encoding
        self.numpy_lists = numpy_lists
        self._imports = dict(imports or {})
        self._wasi = wasi
        self._core: CoreInstance | None = None
        self._export_funcs: dict[str, tuple[FuncType, str]] = {}   # core name -> (type, display name)
        self._callers: dict[str, Callable[..., Any]] = {}
        self._exported_resources: dict[tuple[str, str], ResourceType] = {}
        self._imported_resources: dict[tuple[str, str], ResourceType] = {}
        self._import_ifaces: dict[str, int] = {}
        self._unsupported: dict[str, str] = {}   # core name -> why it cannot be called
        self._wasi_funcs: dict[str, Any] | None = None
        self._wasi_state: Any = None
        self._scan_world()
        if engine in (None, "pywasm", "ours", "pywasm_host"):
            self._engine_kind = "ours"
            core = instantiate_engine_core(wasm, self._resolve_import)
            self._core = core
            if self._wasi_state is not None:
                memory = core.instance.exports.get("memory")
                if memory is not None:
                    self._wasi_state.bind_memory(memory)
        elif engine == "wasmtime" or type(engine).__module__.startswith("wasmtime"):
            from .wasmtime_core import instantiate_wasmtime_core

            self._engine_kind = "wasmtime"
            self._core = instantiate_wasmtime_core(wasm, self._resolve_import,
                                                   None if engine == "wasmtime" else engine)
        else:
            raise ValueError(f"unknown engine {engine!r}; use None (ours) or 'wasmtime'")
        self._bind_resources()
        self.exports = self._build_exports()
        self.types = self._build_types()
        if self._core.has_export("_initialize"):
            self._core.call("_initialize", [])

    # ---- world scan ---------------------------------------------------------------
    def _iface_path(self, iid: int) -> str:
        return self.resolve.interface_path(iid) or (self.resolve.interfaces[iid].name or f"interface{iid}")

    def _key_path(self, key: m.WorldKey, iid: int) -> str:
        """The core-module name of a world import/export: the interface path, or the plain
        name of an inline interface (``import foo: interface {...}``)."""
        return key if isinstance(key, str) else self._iface_path(iid)

    def _resources_of(self, iid: int) -> list[tuple[str, int]]:
        out = []
        for name, tid in self.resolve.interfaces[iid].types.items():
            if isinstance(self.resolve.types[tid].kind, m.Resource):
                out.append((name, tid))
        return out

    def _scan_world(self) -> None:
        for key, item in self.world.imports.items():
            if isinstance(item, m.InterfaceItem):
                path = self._key_path(key, item.id)
                self._import_ifaces[path] = item.id
                for name, tid in self._resources_of(item.id):
                    rt = self.builder.resource(tid)
                    rt.impl = "host"
                    self._imported_resources[(path, name)] = rt
            elif isinstance(item, m.TypeItem) and isinstance(self.resolve.types[item.id].kind, m.Resource):
                rt = self.builder.resource(item.id)
                rt.impl = "host"
                self._imported_resources[("$root", self.resolve.types[item.id].name or "")] = rt
        for key, item in self.world.exports.items():
            if isinstance(item, m.InterfaceItem):
                path = self._key_path(key, item.id)
                for name, tid in self._resources_of(item.id):
                    rt = self.builder.resource(tid)
                    rt.impl = "guest"
                    self._exported_resources[(path, name)] = rt
                for fname, f in self.resolve.interfaces[item.id].functions.items():
                    self._add_export(f"{path}#{fname}", f)
            elif isinstance(item, m.FunctionItem):
                self._add_export(item.func.name, item.func)

    def _add_export(self, core_name: str, f: m.Function) -> None:
        if f.kind.startswith("async"):
            self._unsupported[core_name] = "async functions are not supported (synchronous canonical ABI only)"
            return
        try:
            self._export_funcs[core_name] = (self.builder.func(f), f.name)
        except AbiError as e:
            self._unsupported[core_name] = str(e)

    def _bind_resources(self) -> None:
        core = self._core
        assert core is not None
        for (path, name), rt in self._exported_resources.items():
            dtor = f"{path}#[dtor]{name}"
            if core.has_export(dtor):
                rt.dtor = self._dtor(dtor)

    def _dtor(self, export: str) -> Callable[[int], None]:
        def dtor(rep: int) -> None:
            if self.state.poisoned:
                raise POISONED()
            try:
                self.core.call(export, [rep])
            except BaseException:
                self.state.poisoned = True
                raise
        return dtor

    # ---- options and contexts ---------------------------------------------------------
    def options(self, post_return: str | None = None) -> CanonicalOptions:
        realloc = "cabi_realloc" if self._core is None or self._core.has_export("cabi_realloc") else None
        return CanonicalOptions(self.string_encoding, realloc, post_return, self.numpy_lists)

    @property
    def core(self) -> CoreInstance:
        """The core instance (``CoreInstance`` interface)."""
        if self._core is None:
            raise LinkError("the module is still being instantiated")
        return self._core

    # ---- imports -------------------------------------------------------------------------
    def _lookup_impl(self, module: str) -> Any:
        if module == "$root":
            return self._imports.get("$root", self._imports)
        for key in (module, _strip_version(module), module.rpartition("/")[2], _strip_version(module.rpartition("/")[2])):
            if key in self._imports:
                return self._imports[key]
        for key, value in self._imports.items():
            if _strip_version(key) == _strip_version(module):
                return value
        return None

    @staticmethod
    def _member(impl: Any, name: str) -> Any:
        for key in (name, snake(name), name.replace("-", "_")):
            if isinstance(impl, Mapping):
                if key in impl:
                    return impl[key]
            elif impl is not None and hasattr(impl, key):
                return getattr(impl, key)
        return None

    def _host_callable(self, module: str, fname: str, f: m.Function) -> Callable[..., Any] | None:
        impl = self._lookup_impl(module)
        direct = self._member(impl, fname)
        if direct is not None:
            return direct  # type: ignore[no-any-return]
        if fname.startswith("[method]"):
            method = fname[len("[method]"):].partition(".")[2]

            def call_method(self_obj: Any, *args: Any, _m: str = snake(method)) -> Any:
                return getattr(self_obj, _m)(*args)
            return call_method
        if fname.startswith("[constructor]"):
            return self._member(impl, fname[len("[constructor]"):])  # type: ignore[no-any-return]
        if fname.startswith("[static]"):
            res, _, static = fname[len("[static]"):].partition(".")
            owner = self._member(impl, res)
            return None if owner is None else self._member(owner, static)
        return None

    def _resolve_import(self, module: str, name: str, params: tuple[str, ...], results: tuple[str, ...]) -> Any:
        if module == "wasi_snapshot_preview1":
            return self._wasi_import(name, params, results)
        if module.startswith("[export]"):
            path = module[len("[export]"):]
            for prefix, make in (("[resource-new]", canon_resource_new), ("[resource-rep]", canon_resource_rep),
                                 ("[resource-drop]", canon_resource_drop)):
                if name.startswith(prefix):
                    rt = self._exported_resources.get((path, name[len(prefix):]))
                    if rt is not None:
                        intrinsic: tuple[tuple[str, ...], tuple[str, ...]] = (
                            ("i32",), () if prefix == "[resource-drop]" else ("i32",))
                        if (params, results) != intrinsic:
                            raise LinkError(f"import {module}::{name} has type {_sig((params, results))}, "
                                            f"expected {_sig(intrinsic)}")
                        return make(self.state, rt)
            return None
        if name.startswith("[resource-drop]"):
            rt = self._imported_resources.get((module, name[len("[resource-drop]"):]))
            if rt is not None and (params, results) != (("i32",), ()):
                raise LinkError(f"import {module}::{name} has type {_sig((params, results))}, expected (i32) -> ()")
            return None if rt is None else canon_resource_drop(self.state, rt)
        func: m.Function | None = None
        if module == "$root":
            item = self.world.imports.get(name)
            if isinstance(item, m.FunctionItem):
                func = item.func
        else:
            iid = self._import_ifaces.get(module)
            if iid is not None:
                func = self.resolve.interfaces[iid].functions.get(name)
        if func is None:
            return None
        callee = self._host_callable(module, name, func)
        if callee is None:
            raise LinkError(f"import {module}::{name}: no Python implementation given (imports[{module!r}]"
                            f"[{snake(name)!r}] or a method {snake(name)!r})")
        if func.kind.startswith("async"):
            raise LinkError(f"import {module}::{name}: async functions are not supported")
        try:
            ft = self.builder.func(func)
        except AbiError as e:
            raise LinkError(f"import {module}::{name}: {e}") from None
        expected = flatten_functype(ft, "lower")
        if (params, results) != expected:
            raise LinkError(f"import {module}::{name} has type {_sig((params, results))}, but its WIT type "
                            f"needs {_sig(expected)}")
        return canon_lower(self.options(), lambda: self.core, self.state, self.classes, ft, callee,
                           f"{module}#{name}")

    def _wasi_import(self, name: str, params: tuple[str, ...], results: tuple[str, ...]) -> Any:
        wasi = self._wasi
        if wasi is None:
            raise LinkError(f"the module imports wasi_snapshot_preview1::{name}: pass wasi=WasiConfig() to load_core")
        resolve = getattr(wasi, "resolve_import", None)
        if callable(resolve):
            return resolve(name, params, results, lambda: self.core)
        if isinstance(wasi, Mapping):
            return wasi.get(name)
        if self._wasi_funcs is None:
            from ..wasi import Preview1, WasiConfig

            if self._engine_kind != "ours":
                raise LinkError("wasi= is served by our WASI host, which needs engine=None")
            if isinstance(wasi, WasiConfig):
                wasi = Preview1(wasi)
            if not isinstance(wasi, Preview1):
                raise TypeError(f"wasi= expects a WasiConfig or Preview1, got {type(wasi).__name__}")
            self._wasi_state = wasi
            self._wasi_funcs = wasi.host_functions()
        return self._wasi_funcs.get(name)

    # ---- exports -------------------------------------------------------------------------
    def _context(self, post_return: str | None) -> Callable[[], LiftLowerContext]:
        opts = self.options(post_return)
        return lambda: LiftLowerContext(opts, self.core, self.state, self.classes)

    def _caller(self, core_name: str) -> Callable[..., Any]:
        caller = self._callers.get(core_name)
        if caller is None:
            if core_name in self._unsupported:
                raise NotImplementedError(f"{core_name}: {self._unsupported[core_name]}")
            try:
                ft, display = self._export_funcs[core_name]
            except KeyError:
                raise KeyError(f"the world exports no function {core_name!r}; exports are "
                               f"{sorted(self._export_funcs)}") from None
            if not self.core.has_export(core_name):
                raise LinkError(f"the core module does not export {core_name!r}")
            expected = flatten_functype(ft, "lift")
            actual = self.core.func_type(core_name)
            if actual != expected:
                raise LinkError(f"core export {core_name!r} has type {_sig(actual)}, but its WIT type "
                                f"needs {_sig(expected)}")
            post = f"cabi_post_{core_name}"
            post_return = post if self.core.has_export(post) else None
            caller = lift_export(self._context(post_return), self.core, core_name, ft, post_return, display,
                                 self.state)
            self._callers[core_name] = caller
        return caller

    def call(self, name: str, *args: Any) -> Any:
        """Call the exported WIT function whose core export name is ``name``
        (``"ns:pkg/iface#func"``, or ``"func"`` for a world-level function).

        Raises:
            KeyError: no such exported function.
            TypeError, OverflowError, ValueError: an argument does not match its WIT type.
            Trap: the guest trapped or a canonical ABI check failed.
        """
        return self._caller(name)(*args)

    def _build_exports(self) -> Exports:
        root = Exports()
        namespaces: dict[str, Exports] = {}
        for key, item in self.world.exports.items():
            if isinstance(item, m.InterfaceItem):
                path = self._key_path(key, item.id)
                iface = self.resolve.interfaces[item.id]
                ns = Exports()
                namespaces[path] = ns
                setattr(root, snake(iface.name or str(key)), ns)
                for (rpath, rname), rt in self._exported_resources.items():
                    if rpath == path:
                        cls = self._resource_class(path, rname, rt, iface)
                        setattr(ns, camel(rname), cls)
                for fname in iface.functions:
                    if fname.startswith("[") or f"{path}#{fname}" in self._unsupported:
                        continue
                    setattr(ns, snake(fname), self._caller(f"{path}#{fname}"))
            elif isinstance(item, m.FunctionItem) and item.func.name not in self._unsupported:
                setattr(root, snake(item.func.name), self._caller(item.func.name))
        return root

    def _resource_class(self, path: str, rname: str, rt: ResourceType, iface: m.Interface) -> type:
        comp = self
        attrs: dict[str, Any] = {"__slots__": (), "__doc__": f"Handle of the guest resource `{rname}` ({path})."}
        ctor = f"{path}#[constructor]{rname}"
        for fname in iface.functions:
            if fname.startswith(f"[method]{rname}."):
                core_name = f"{path}#{fname}"

                def method(self: ResourceHandle, *args: Any, _n: str = core_name) -> Any:
                    return comp.call(_n, self, *args)
                method.__name__ = snake(fname.partition(".")[2])
                attrs[method.__name__] = method
            elif fname.startswith(f"[static]{rname}."):
                core_name = f"{path}#{fname}"

                def static(*args: Any, _n: str = core_name) -> Any:
                    return comp.call(_n, *args)
                attrs[snake(fname.partition(".")[2])] = staticmethod(static)
        if ctor in self._export_funcs:
            def __new__(cls: type, *args: Any) -> Any:
                return comp.call(ctor, *args)
            attrs["__new__"] = __new__
        cls = type(camel(rname), (ResourceHandle,), attrs)
        self.state.handle_classes[rt] = cls
        return cls

    def _build_types(self) -> SimpleNamespace:
        """The record/variant/enum/flags classes of the world's interfaces, by CamelCase and WIT name."""
        ns = SimpleNamespace()
        by_name: dict[str, type] = {}
        for tid in self.resolve.world_type_ids(self.world_id):
            try:
                t = self.builder.valtype(tid)
            except Exception:  # noqa: BLE001 - types the ABI does not support are simply not listed
                continue
            if isinstance(t, (RecordType, VariantType, EnumType, FlagsType)) and t.name is not None:
                cls = self.classes.get(t)
                by_name[t.name] = cls
                setattr(ns, camel(t.name), cls)
        ns.by_name = by_name
        return ns


def load_core(path_or_bytes: str | os.PathLike[str] | bytes | bytearray | memoryview,
              imports: Mapping[str, Any] | None = None, *, wasi: Any = None, engine: Any = None,
              classes: ValueClasses | None = None, string_encoding: str | None = None,
              numpy_lists: bool = False) -> CoreComponent:
    """Load a wit-bindgen core module (with its ``component-type`` section) and instantiate it.

    Args:
        path_or_bytes: the ``.wasm`` file or its bytes.
        imports: Python implementations of the world's imports (see the module docstring).
        wasi: serves ``wasi_snapshot_preview1`` imports (our engine): a
            :class:`pywasm_host.wasi.WasiConfig` (or ``Preview1``), bound to the module's memory;
            or an object with ``resolve_import(name, params, results, core)`` returning a flat
            function, or a mapping of flat functions.
        engine: ``None`` for our interpreter, ``"wasmtime"`` (or a ``wasmtime.Engine``) for wasmtime-py.
        classes: the Python classes for records/variants/enums/flags (bindings register theirs).
        string_encoding: ``"utf8"``, ``"utf16"`` or ``"latin1+utf16"``; by default the encoding the
            module's ``component-type`` section records (``embed --encoding``), else ``"utf8"``.
        numpy_lists: lift numeric lists as (read-only) numpy arrays.

    Raises:
        WitError: no or malformed ``component-type`` section.
        MalformedError, ValidationError: the module is not valid.
        LinkError: an import has no implementation.
        Trap: instantiation trapped.
    """
    return CoreComponent(_read(path_or_bytes), imports, wasi, engine, classes, string_encoding, numpy_lists)
