"""The layer order of DESIGN.md: ``pywasm_host -> abi -> interpreter``.

``interpreter/`` imports nothing from ``abi/`` or the public package;
``abi/`` imports nothing from the public package (only ``..interpreter``).
Checked on the import statements of every module (relative imports are
resolved against the installed package layout)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {"interpreter": "pywasm_host.interpreter", "abi": "pywasm_host.abi"}
ALLOWED = {"interpreter": ("pywasm_host.interpreter",), "abi": ("pywasm_host.abi", "pywasm_host.interpreter")}


def imported_modules(path: Path, package: str) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), str(path))
    parts = package.split(".")
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = parts[: len(parts) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            out.append((node.lineno, name))
    return out


def modules_of(layer: str) -> list[tuple[Path, str]]:
    out = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        rel = path.relative_to(ROOT / layer).with_suffix("").parts
        package_parts = rel[:-1] if rel[-1] != "__init__" else rel[:-1]
        # the package a module's relative imports are resolved in
        out.append((path, ".".join((LAYERS[layer], *package_parts))))
    return out


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_layer_imports_only_downward(layer: str) -> None:
    bad = []
    for path, package in modules_of(layer):
        for lineno, name in imported_modules(path, package):
            if name in ("interpreter", "abi") or name.startswith(("interpreter.", "abi.")):
                bad.append(f"{path.relative_to(ROOT)}:{lineno}: absolute import of {name}")
                continue
            if not name.startswith("pywasm_host"):
                continue
            if not name.startswith(ALLOWED[layer]):
                bad.append(f"{path.relative_to(ROOT)}:{lineno}: {layer}/ imports {name}")
    assert not bad, "\n".join(bad)
