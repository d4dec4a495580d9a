"""Loading WIT from files and directories (wit-parser's ``Resolve::push_path`` layout, as described in WIT.md
"Package declarations" and the conformance README).

* a ``.wit`` file is one package (plus its nested ``package … { }`` blocks);
* a directory is one package made of its ``*.wit`` files, with optional
  dependencies in ``deps/`` (sub-directories, ``.wit`` files, or ``.wasm`` /
  ``.wat`` WIT packages encoded as components), loaded before the root;
* a ``.wasm`` file carries WIT in binary form (decoded by :mod:`..binary`): a WIT
  package encoded as a component, a core module with ``component-type`` custom
  sections, or a whole component (its world).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from ..errors import WitError
from . import ast
from . import model as m
from .parser import parse_file
from .resolve import DEFAULT_FEATURES, UnresolvedPackage, resolve_packages

__all__ = ["load_path", "parse_source", "packages_of_files"]

WatToWasm = Callable[[str], bytes]


def _read(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise WitError(f"failed to read file {path!r}: {exc.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WitError(f"file {path!r} is not valid UTF-8 (byte offset {exc.start})") from None


def packages_of_files(files: list[ast.File]) -> list[UnresolvedPackage]:
    """Group parsed files into packages: the files' top-level items form one package (the
    root, returned last) and each nested ``package … { }`` block is another.

    Raises:
        WitError: for conflicting or missing ``package`` headers.
    """
    root: UnresolvedPackage | None = None
    nested: list[UnresolvedPackage] = []
    for f in files:
        if f.package is None:
            continue
        if root is None:
            root = UnresolvedPackage(f.package, f.package_attrs)
        elif str(root.name) != str(f.package):
            raise f.package.span.error(
                f"package identifier `{f.package}` does not match previous package name of `{root.name}`")
        elif f.package_attrs.docs and not root.attrs.docs:
            root.attrs = f.package_attrs
    for f in files:
        for block in f.nested:
            pkg = UnresolvedPackage(block.name, block.attrs)
            pkg.files.append((block.name.span, block.items))
            nested.append(pkg)
        if f.items or (f.package is not None):
            if root is None:
                raise WitError("no `package` header was found in any WIT file for this package")
            root.files.append((None, f.items))
    if root is None:
        if not nested:
            raise WitError("no `package` header was found in any WIT file for this package")
        return nested
    return [*nested, root]


def parse_source(path: str, text: str, resolve: m.Resolve | None = None,
                 features: Iterable[str] = DEFAULT_FEATURES) -> tuple[m.Resolve, int]:
    """Parse and resolve one WIT file's text; return the resolve and the main package id.

    Raises:
        WitError: for any syntax or resolution error.
    """
    pkgs = packages_of_files([parse_file(path, text)])
    resolve, ids = resolve_packages(pkgs, resolve, features)
    resolve.main = ids[-1]
    return resolve, ids[-1]


def _dir_packages(path: str) -> list[UnresolvedPackage]:
    try:
        names = sorted(os.listdir(path))
    except OSError as exc:
        raise WitError(f"failed to read directory {path!r}: {exc.strerror}") from None
    files = [parse_file(os.path.join(path, n), _read(os.path.join(path, n)))
             for n in names if n.endswith(".wit") and os.path.isfile(os.path.join(path, n))]
    return packages_of_files(files)


def _binary(path: str, resolve: m.Resolve, features: Iterable[str], wat_to_wasm: WatToWasm | None) -> int:
    from ..binary.wit import decode_wasm

    if path.endswith(".wat"):
        if wat_to_wasm is None:
            raise WitError(f"{path}: the component text format is not supported; convert it with `wasm-tools parse`")
        data = wat_to_wasm(path)
    else:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise WitError(f"failed to read file {path!r}: {exc.strerror}") from None
    return decode_wasm(data, resolve, path)[1]


def load_path(path: str, features: Iterable[str] = DEFAULT_FEATURES,
              wat_to_wasm: WatToWasm | None = None) -> tuple[m.Resolve, int]:
    """Load a ``.wit`` file, a package directory (with ``deps/``) or a ``.wasm``/``.wat`` WIT package.

    Returns the resolve holding every loaded package and the id of the main one.
    ``wat_to_wasm`` converts a component text file to binary (the text format
    is not parsed here).

    Raises:
        WitError: for unreadable files and every WIT error.
    """
    resolve = m.Resolve()
    if os.path.isdir(path):
        deps_dir = os.path.join(path, "deps")
        if os.path.isdir(deps_dir):
            pending: list[UnresolvedPackage] = []
            for name in sorted(os.listdir(deps_dir)):
                full = os.path.join(deps_dir, name)
                if os.path.isdir(full):
                    pending += _dir_packages(full)
                elif name.endswith(".wit"):
                    pending += packages_of_files([parse_file(full, _read(full))])
                elif name.endswith((".wasm", ".wat")):
                    # binary packages resolve on their own; text packages may refer to them
                    _binary(full, resolve, features, wat_to_wasm)
            if pending:
                resolve_packages(pending, resolve, features)
        pkgs = _dir_packages(path)
        resolve, ids = resolve_packages(pkgs, resolve, features)
        resolve.main = ids[-1]
        return resolve, ids[-1]
    if path.endswith((".wasm", ".wat")):
        main = _binary(path, resolve, features, wat_to_wasm)
        resolve.main = main
        return resolve, main
    return parse_source(path, _read(path), resolve, features)
