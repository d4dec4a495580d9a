"""Typed Python bindings for a WIT world (component-model ``design/mvp/WIT.md`` for the
types and names, ``CanonicalABI.md`` for the values the runtime lifts and lowers).

:func:`generate` turns a world of a resolved WIT model into the source of a
Python module that passes ``mypy --strict``:

* records become ``@dataclass(slots=True)`` classes with snake_case fields;
  variants a base class plus one frozen dataclass per case (``tag`` class
  attribute, ``value`` payload) usable with ``match``; enums ``enum.Enum``
  (value = WIT case name); flags ``enum.Flag`` (bit *i* = flag *i*);
  options ``T | None`` (``Some[T] | None`` when ``T`` is itself an option);
  results :class:`~pywasm_host.abi.canonical.values.Ok` /
  :class:`~pywasm_host.abi.canonical.values.Err`; tuples ``tuple[...]``;
  ``list<u8>`` ``bytes``;
* a resource exported by the guest becomes a
  :class:`~pywasm_host.abi.canonical.resources.ResourceHandle` subclass with
  one method per WIT method; its constructor and static functions are
  methods ``<resource>_new`` / ``<resource>_<name>`` of the interface object;
* every imported interface becomes a ``Protocol`` the host implements (a
  resource it implements becomes a ``Protocol`` of its methods; constructor
  and static functions are ``<resource>_new`` / ``<resource>_<name>`` on the
  interface's protocol); ``<World>Imports`` is a dataclass holding one
  implementation per imported interface (and the world's own imported
  functions);
* ``<World>(module, imports=...)`` loads the wit-bindgen core module and
  exposes one attribute per exported interface (and the world's exported
  functions as methods).

The generated code calls the runtime glue in :mod:`.bindgen_runtime`, which
registers the generated classes so that lifted values come back as them.
WIT docs become docstrings.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from ..abi.canonical.types import camel, snake
from ..abi.errors import WitError
from ..abi.wit import model as m

__all__ = ["generate", "generate_from_path", "load_world", "snake", "camel"]

_PRIMS = {
    "bool": "bool", "s8": "int", "u8": "int", "s16": "int", "u16": "int", "s32": "int", "u32": "int",
    "s64": "int", "u64": "int", "f32": "float", "f64": "float", "char": "str", "string": "str",
}

#: Attributes of ResourceHandle that a generated method must not shadow (they get a trailing ``_``).
_HANDLE_ATTRS = {"drop", "alive", "own", "rep", "rt"}

#: Attributes of the generated world class that an exported interface must not take.
_WORLD_ATTRS = {"_caller", "_WORLD", "_CLASSES", "_HANDLES"}

_RESERVED = {"Any", "ClassVar", "Protocol", "Ok", "Err", "Some", "ResourceHandle", "dataclasses", "enum", "os"}


def load_world(path: str, world: str | None = None) -> tuple[m.Resolve, int]:
    """Load the world ``world`` from a WIT file/directory or a ``.wasm``
    (a core module with a ``component-type`` section, a WIT package or a component).

    Raises:
        WitError: unreadable input, WIT errors, no such world.
    """
    from ..abi.binary.wit import decode_core_module_world
    from ..abi.wit.load import load_path

    if path.endswith(".wasm") and os.path.isfile(path):
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise WitError(f"failed to read file {path!r}: {exc.strerror}") from None
        if data[4:8] == b"\x01\x00\x00\x00":
            resolve, world_id = decode_core_module_world(data)
            if world is None or world in (resolve.worlds[world_id].name,):
                return resolve, world_id
            return resolve, resolve.select_world(resolve.worlds[world_id].package, world)
    resolve, main = load_path(path)
    return resolve, resolve.select_world(main, world)


def _doc(text: str | None, indent: str) -> list[str]:
    if not text:
        return []
    body = text.strip().replace("\\", "\\\\").replace('"', '\\"')
    lines = body.splitlines()
    if len(lines) == 1:
        return [f'{indent}"""{lines[0]}"""']
    return [f'{indent}"""{lines[0]}', *[f"{indent}{ln}" if ln else "" for ln in lines[1:]], f'{indent}"""']


@dataclass
class _Iface:
    """An interface (or the world's own items) as the generator sees it."""

    key: str  # full path "ns:pkg/name" or the world-level pseudo key ""
    attr: str  # attribute / protocol name base (snake)
    cls: str  # class name
    docs: str | None
    functions: list[m.Function] = field(default_factory=list)
    iface_id: int | None = None


class _Generator:
    def __init__(self, resolve: m.Resolve, world_id: int) -> None:
        self.r = resolve
        self.world_id = world_id
        self.world = resolve.worlds[world_id]
        self.names: dict[int, str] = {}  # type id -> Python class name
        self.taken: set[str] = set(_RESERVED)
        self.out: list[str] = []
        self.imported_resources: set[int] = set()
        self.exported_resources: set[int] = set()
        self.registrations: list[tuple[str, str]] = []  # (qualified WIT name, class name)
        self.handle_regs: list[tuple[str, str]] = []  # (qualified resource name, class name)
        self.type_ids: list[int] = []
        self.public: list[str] = []  # names for __all__

    # ---- names ---------------------------------------------------------------
    def _claim(self, base: str, prefix: str) -> str:
        name = base
        if name in self.taken:
            name = prefix + base
        n = 2
        while name in self.taken:
            name = f"{prefix}{base}{n}"
            n += 1
        self.taken.add(name)
        self.public.append(name)
        return name

    def _owner_path(self, td: m.TypeDef) -> str:
        if td.owner is None:
            return ""
        if td.owner.kind == "interface":
            path = self.r.interface_path(td.owner.id)
            return path if path is not None else ""
        return self.r.worlds[td.owner.id].name

    def _owner_prefix(self, td: m.TypeDef) -> str:
        if td.owner is not None and td.owner.kind == "interface":
            name = self.r.interfaces[td.owner.id].name
            return camel(name) if name else "Iface"
        return camel(self.world.name)

    # ---- type annotations ----------------------------------------------------
    def ann(self, t: m.Type | None) -> str:
        if t is None:
            return "None"
        t = self.r.unalias(t)
        if isinstance(t, str):
            if t not in _PRIMS:
                raise WitError(f"bindgen: unsupported type `{t}`")
            return _PRIMS[t]
        td = self.r.types[t]
        k = td.kind
        if isinstance(k, (m.Record, m.Variant, m.Enum, m.Flags, m.Resource)):
            return self.names[t]
        if isinstance(k, m.List):
            if self.r.unalias(k.type) == "u8":
                return "bytes"
            return f"list[{self.ann(k.type)}]"
        if isinstance(k, m.FixedList):
            return f"list[{self.ann(k.type)}]"
        if isinstance(k, m.Option):
            inner = self.r.unalias(k.type)
            if isinstance(inner, int) and isinstance(self.r.types[inner].kind, m.Option):
                return f"Some[{self.ann(k.type)}] | None"
            return f"{self.ann(k.type)} | None"
        if isinstance(k, m.Result):
            return f"Ok[{self.ann(k.ok)}] | Err[{self.ann(k.err)}]"
        if isinstance(k, m.Tuple):
            if not k.types:
                return "tuple[()]"
            return "tuple[" + ", ".join(self.ann(x) for x in k.types) + "]"
        if isinstance(k, m.Handle):
            return self.ann(k.resource)
        raise WitError(f"bindgen: unsupported type {type(k).__name__.lower()} in `{td.name or '?'}`")

    # ---- collecting ------------------------------------------------------------
    def _interfaces(self, items: dict[m.WorldKey, m.WorldItem]) -> tuple[list[_Iface], _Iface]:
        ifaces: list[_Iface] = []
        world_items = _Iface("", snake(self.world.name), camel(self.world.name), self.world.docs)
        for key, item in items.items():
            if isinstance(item, m.InterfaceItem):
                iface = self.r.interfaces[item.id]
                path = self.r.interface_path(item.id)
                if isinstance(key, str):
                    full, short = key, key
                else:
                    full = path or f"interface-{item.id}"
                    short = iface.name or full
                ifaces.append(_Iface(full, snake(short), camel(short), iface.docs or item.docs,
                                     list(iface.functions.values()), item.id))
            elif isinstance(item, m.FunctionItem):
                world_items.functions.append(item.func)
        return ifaces, world_items

    def _collect_types(self) -> None:
        seen: set[int] = set()
        for tid in self.r.world_type_ids(self.world_id):
            real = self.r.unalias(tid)
            if not isinstance(real, int) or real in seen:
                continue
            td = self.r.types[real]
            if not isinstance(td.kind, (m.Record, m.Variant, m.Enum, m.Flags, m.Resource)) or td.name is None:
                continue
            seen.add(real)
            self.type_ids.append(real)
            self.names[real] = self._claim(camel(td.name), self._owner_prefix(td))
        for item in self.world.exports.values():
            if isinstance(item, m.InterfaceItem):
                for tid in self.r.interfaces[item.id].types.values():
                    if isinstance(self.r.types[tid].kind, m.Resource):
                        self.exported_resources.add(tid)
        for tid in self.type_ids:
            if isinstance(self.r.types[tid].kind, m.Resource) and tid not in self.exported_resources:
                self.imported_resources.add(tid)

    # ---- emitting types ---------------------------------------------------------
    def emit_types(self) -> None:
        for tid in self.type_ids:
            td = self.r.types[tid]
            name = self.names[tid]
            qual = f"{self._owner_path(td)}#{td.name}" if self._owner_path(td) else str(td.name)
            k = td.kind
            o = self.out
            o.append("")
            o.append("")
            if isinstance(k, m.Record):
                o.append("@dataclasses.dataclass(slots=True)")
                o.append(f"class {name}:")
                o.extend(_doc(td.docs or f"WIT record `{td.name}`.", "    "))
                for f in k.fields:
                    o.extend(f"    #: {ln.strip()}" for ln in (f.docs or "").strip().splitlines())
                    o.append(f"    {snake(f.name)}: {self.ann(f.type)}")
                self.registrations.append((qual, name))
            elif isinstance(k, m.Enum):
                o.append(f"class {name}(enum.Enum):")
                o.extend(_doc(td.docs or f"WIT enum `{td.name}`.", "    "))
                for c in k.cases:
                    o.append(f"    {snake(c.name).upper()} = {c.name!r}")
                self.registrations.append((qual, name))
            elif isinstance(k, m.Flags):
                o.append(f"class {name}(enum.Flag):")
                o.extend(_doc(td.docs or f"WIT flags `{td.name}`.", "    "))
                if not k.flags:
                    o.append("    pass")
                for i, c in enumerate(k.flags):
                    o.append(f"    {snake(c.name).upper()} = 1 << {i}")
                self.registrations.append((qual, name))
            elif isinstance(k, m.Variant):
                self._emit_variant(name, td, k)
                self.registrations.append((qual, name))
            elif isinstance(k, m.Resource):
                if tid in self.exported_resources:
                    self._emit_guest_resource(name, tid, td)
                    self.handle_regs.append((qual, name))
                else:
                    self._emit_host_resource(name, tid, td)

    def _emit_variant(self, name: str, td: m.TypeDef, k: m.Variant) -> None:
        o = self.out
        cases = [(c, self._claim(name + camel(c.name), name)) for c in k.cases]
        o.append(f"class {name}:")
        o.extend(_doc((td.docs or f"WIT variant `{td.name}`.") + "\n\nCases: " +
                      ", ".join(f"``{cn}``" for _, cn in cases) + ".", "    "))
        o.append("    __slots__ = ()")
        o.append("    tag: ClassVar[str]")
        o.append("")
        o.append("    @classmethod")
        o.append(f"    def from_case(cls, tag: str, value: Any) -> {name}:")
        o.append('        """The case object for WIT case ``tag`` (used by the runtime when lifting)."""')
        o.append(f"        case: {name} = _{name.upper()}_CASES[tag](value)")
        o.append("        return case")
        for c, cname in cases:
            o.append("")
            o.append("")
            o.append("@dataclasses.dataclass(frozen=True, slots=True)")
            o.append(f"class {cname}({name}):")
            o.extend(_doc(c.docs or f"Case `{c.name}` of `{td.name}`.", "    "))
            if c.type is None:
                o.append("    value: None = None")
            else:
                o.append(f"    value: {self.ann(c.type)}")
            o.append(f"    tag: ClassVar[str] = {c.name!r}")
        o.append("")
        o.append("")
        o.append(f"_{name.upper()}_CASES: dict[str, Any] = {{")
        for c, cname in cases:
            if c.type is None:
                o.append(f"    {c.name!r}: lambda _value: {cname}(),")
            else:
                o.append(f"    {c.name!r}: {cname},")
        o.append("}")

    def _resource_functions(self, tid: int) -> list[m.Function]:
        td = self.r.types[tid]
        if td.owner is None:
            return []
        funcs: list[m.Function]
        if td.owner.kind == "interface":
            funcs = list(self.r.interfaces[td.owner.id].functions.values())
        else:
            items = [*self.world.imports.values(), *self.world.exports.values()]
            funcs = [i.func for i in items if isinstance(i, m.FunctionItem)]
        return [f for f in funcs if f.resource == tid]

    def _sig(self, f: m.Function, skip_self: bool) -> tuple[str, str, list[str]]:
        params = list(f.params[1:] if skip_self else f.params)
        names = [snake(p.name) for p in params]
        text = ", ".join(f"{n}: {self.ann(p.type)}" for n, p in zip(names, params))
        result = self.ann(f.result)
        if f.kind == "constructor" and f.resource is not None:
            result = self.ann(f.resource)
        return text, result, names

    def _emit_guest_resource(self, name: str, tid: int, td: m.TypeDef) -> None:
        o = self.out
        iface = self._owner_path(td)
        prefix = f"{iface}#" if iface else ""
        o.append(f"class {name}(ResourceHandle):")
        o.extend(_doc((td.docs or f"WIT resource `{td.name}`, implemented by the guest.") +
                      "\n\nDrop it with ``drop()`` or a ``with`` block.", "    "))
        o.append("    __slots__ = ()")
        o.append("    _caller: ClassVar[_rt.Caller]")
        for f in self._resource_functions(tid):
            if f.kind not in ("method",):
                continue
            params, result, names = self._sig(f, skip_self=True)
            meth = snake(f.name.split(".", 1)[1])
            if meth in _HANDLE_ATTRS:
                meth += "_"
            o.append("")
            o.append(f"    def {meth}(self{', ' if params else ''}{params}) -> {result}:")
            o.extend(_doc(f.docs, "        "))
            args = ", ".join(["self", *names])
            o.append(f"        result: {result} = self._caller.call({prefix + f.name!r}, ({args},))")
            o.append("        return result")

    def _emit_host_resource(self, name: str, tid: int, td: m.TypeDef) -> None:
        o = self.out
        o.append(f"class {name}(Protocol):")
        o.extend(_doc((td.docs or f"WIT resource `{td.name}`.") +
                      "\n\nImplemented by the host: any object with these methods; its ``drop()`` method,"
                      " if any, runs when the guest drops its last owned handle.", "    "))
        methods = [f for f in self._resource_functions(tid) if f.kind == "method"]
        if not methods:
            o.append("    pass")
        for f in methods:
            params, result, _ = self._sig(f, skip_self=True)
            o.append("")
            o.append(f"    def {snake(f.name.split('.', 1)[1])}(self{', ' if params else ''}{params}) -> {result}:")
            o.extend(_doc(f.docs, "        "))
            o.append("        ...")

    # ---- functions ---------------------------------------------------------------
    def _fdoc(self, f: m.Function) -> str | None:
        """The function's WIT docs, or a line saying what a resource function is."""
        if f.docs or f.resource is None:
            return f.docs
        res = self.r.types[f.resource].name
        if f.kind == "constructor":
            return f"Constructor of resource `{res}`."
        if f.kind == "static":
            return f"Static function `{f.name.partition('.')[2]}` of resource `{res}`."
        return None

    @staticmethod
    def _pyname(f: m.Function) -> str:
        if f.kind == "constructor":
            return snake(f.name.removeprefix("[constructor]")) + "_new"
        if "." in f.name:
            res, _, rest = f.name.partition(".")
            return snake(res.split("]", 1)[-1]) + "_" + snake(rest)
        return snake(f.name)

    def emit_export_iface(self, it: _Iface) -> None:
        o = self.out
        o.append("")
        o.append("")
        o.append(f"class {it.cls}:")
        o.extend(_doc(it.docs or f"Exports of `{it.key}`.", "    "))
        o.append("    __slots__ = ('_caller',)")
        o.append("")
        o.append("    def __init__(self, caller: _rt.Caller) -> None:")
        o.append("        self._caller = caller")
        self.emit_export_methods(it)

    def emit_export_methods(self, it: _Iface) -> None:
        o = self.out
        prefix = f"{it.key}#" if it.key else ""
        for f in it.functions:
            if f.kind.startswith("async"):
                raise WitError(f"bindgen: async function `{f.name}` is not supported")
            if f.kind == "method":
                continue  # a method of the resource's handle class
            params, result, names = self._sig(f, skip_self=False)
            o.append("")
            o.append(f"    def {self._pyname(f)}(self{', ' if params else ''}{params}) -> {result}:")
            o.extend(_doc(self._fdoc(f), "        "))
            args = "(" + "".join(f"{n}, " for n in names) + ")"
            o.append(f"        result: {result} = self._caller.call({prefix + f.name!r}, {args})")
            o.append("        return result")

    def emit_import_protocol(self, it: _Iface, name: str) -> None:
        o = self.out
        o.append("")
        o.append("")
        o.append(f"class {name}(Protocol):")
        o.extend(_doc(it.docs or (f"What the host implements for `{it.key}`." if it.key
                                  else "The world's own imported functions."), "    "))
        funcs = [f for f in it.functions if f.kind != "method"]
        if not funcs:
            o.append("    pass")
        for f in funcs:
            if f.kind.startswith("async"):
                raise WitError(f"bindgen: async function `{f.name}` is not supported")
            params, result, _ = self._sig(f, skip_self=False)
            o.append("")
            o.append(f"    def {self._pyname(f)}(self{', ' if params else ''}{params}) -> {result}:")
            o.extend(_doc(self._fdoc(f), "        "))
            o.append("        ...")

    # ---- whole module --------------------------------------------------------------
    def generate(self, source: str) -> str:
        self._collect_types()
        imports, world_imports = self._interfaces(self.world.imports)
        exports, world_exports = self._interfaces(self.world.exports)
        wname = camel(self.world.name)
        self.taken.update({wname, f"{wname}Imports"})
        for it in imports:
            it.cls = self._claim(it.cls, "Import")
        for it in exports:
            it.cls = self._claim(it.cls, "Export")
        for group, taken in ((imports, {"functions"}), (exports, set(_WORLD_ATTRS))):
            taken.update(self._pyname(f) for f in (world_imports if group is imports else world_exports).functions)
            for it in group:  # two interfaces of the same name from different packages
                if it.attr in taken:
                    it.attr = snake(re.sub(r"[^0-9a-zA-Z]+", "_", it.key).strip("_").lower())
                taken.add(it.attr)

        pkg = self.r.packages[self.world.package].name if self.world.package is not None else ""
        base, at, version = pkg.partition("@")
        world_full = f"{base}/{self.world.name}{at}{version}" if pkg else self.world.name
        o = self.out
        o.append(f'"""Bindings for the WIT world `{world_full}` (generated by ``pywasm-host bindgen`` from')
        o.append(f"{os.path.basename(source)}; do not edit).")
        if self.world.docs:
            o.append("")
            o.extend(self.world.docs.strip().replace('"""', "'''").splitlines())
        o.append('"""')
        o.append("")
        o.append("# ruff: noqa")
        o.append("from __future__ import annotations")
        o.append("")
        o.append("import dataclasses")
        o.append("import enum")
        o.append("import os")
        o.append("from typing import Any, ClassVar, Protocol")
        o.append("")
        o.append("from pywasm_host.component import bindgen_runtime as _rt")
        o.append("from pywasm_host.component.bindgen_runtime import Err as Err, Ok as Ok, Some as Some")
        o.append("from pywasm_host.component.bindgen_runtime import ResourceHandle as ResourceHandle")
        all_at = len(o)
        self.emit_types()

        import_specs: list[tuple[str, str, str, list[m.Function]]] = []  # (key, attr, protocol, functions)
        for it in imports:
            self.emit_import_protocol(it, it.cls)
            import_specs.append((it.key, it.attr, it.cls, it.functions))
        if world_imports.functions:
            proto = self._claim(f"{wname}Functions", "_")
            self.emit_import_protocol(world_imports, proto)
            import_specs.append(("$root", "functions", proto, world_imports.functions))
        for it in exports:
            self.emit_export_iface(it)

        # the imports holder
        if import_specs:
            o.extend(["", "", "@dataclasses.dataclass(slots=True)", f"class {wname}Imports:"])
            o.append(f'    """The host implementations of what world `{self.world.name}` imports."""')
            for _, attr, proto, _ in import_specs:
                o.append(f"    {attr}: {proto}")

        # the world class
        o.extend(["", "", f"class {wname}:"])
        o.extend(_doc(self.world.docs or f"An instance of a guest built for world `{world_full}`.", "    "))
        o.append("")
        o.append("    _WORLD = " + repr(world_full))
        o.append("    __slots__ = ('_caller', " + "".join(f"{it.attr!r}, " for it in exports) + ")")
        o.append("    _CLASSES: dict[str, type] = {")
        for qual, cls in self.registrations:
            o.append(f"        {qual!r}: {cls},")
        o.append("    }")
        o.append("    _HANDLES: dict[str, type[ResourceHandle]] = {")
        for qual, cls in self.handle_regs:
            o.append(f"        {qual!r}: {cls},")
        o.append("    }")
        o.append("")
        imports_param = f", imports: {wname}Imports" if import_specs else ""
        o.append(f"    def __init__(self, module: str | bytes | os.PathLike[str]{imports_param}, *,")
        o.append("                 engine: Any = None, wasi: Any = None) -> None:")
        o.append('        """Load the wit-bindgen core module ``module`` (path or bytes) and instantiate it')
        o.append("        (``engine``: ``None`` for our interpreter or ``\"wasmtime\"``; ``wasi``: a WASI host).")
        o.append('        """')
        o.append("        host: dict[str, dict[str, Any]] = {}")
        for key, attr, _, funcs in import_specs:
            o.append(f"        impl_{attr} = imports.{attr}")
            o.append(f"        host[{key!r}] = {{")
            for f in funcs:
                if f.kind == "method":
                    meth = snake(f.name.split(".", 1)[1])
                    o.append(f"            {f.name!r}: _rt.method({meth!r}),")
                else:
                    o.append(f"            {f.name!r}: impl_{attr}.{self._pyname(f)},")
            o.append("        }")
        o.append("        self._caller = _rt.instantiate(module, self._WORLD, host, self._CLASSES, self._HANDLES,")
        o.append("                                       engine=engine, wasi=wasi)")
        for it in exports:
            o.append(f"        self.{it.attr} = {it.cls}(self._caller)")
        self.emit_export_methods(world_exports)
        o.append("")
        names = [*self.public, *([f"{wname}Imports"] if import_specs else []), wname, "Ok", "Err", "Some"]
        o[all_at:all_at] = ["", "__all__ = [", *(f"    {n!r}," for n in names), "]"]
        return "\n".join(o)


def generate(resolve: m.Resolve, world_id: int, source: str = "<wit>") -> str:
    """The source of a typed Python module for world ``world_id`` of ``resolve``.

    Raises:
        WitError: the world uses something the bindings do not support (async, streams, futures).
    """
    return _Generator(resolve, world_id).generate(source)


def generate_from_path(path: str, world: str | None = None) -> str:
    """:func:`load_world` then :func:`generate`.

    Raises:
        WitError: see :func:`load_world` and :func:`generate`.
    """
    resolve, world_id = load_world(path, world)
    return generate(resolve, world_id, path)
