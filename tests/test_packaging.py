"""Packaging: every source folder is listed in pyproject's explicit package
list under its installed name (interpreter/ and abi/ are mapped into
pywasm_host with setuptools ``package-dir``), so a non-editable ``pip install .``
ships all of the code."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INSTALLED_AS = {"pywasm_host": "pywasm_host", "interpreter": "pywasm_host.interpreter", "abi": "pywasm_host.abi"}


def source_packages() -> set[str]:
    found = set()
    for top, name in INSTALLED_AS.items():
        for folder in [ROOT / top, *(p for p in (ROOT / top).rglob("*") if p.is_dir())]:
            if "__pycache__" in folder.parts or not any(folder.glob("*.py")):
                continue
            rel = folder.relative_to(ROOT / top).parts
            found.add(".".join((name, *rel)))
    return found


@pytest.mark.skipif(sys.version_info < (3, 11), reason="tomllib is 3.11+")
def test_every_source_folder_is_a_listed_package() -> None:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    assert source_packages() == listed
    for name in listed:
        top = name.split(".")[1] if name.count(".") >= 1 and name.split(".")[1] in ("interpreter", "abi") else None
        folder = ROOT / (top or "pywasm_host")
        rest = name.split(".")[2:] if top else name.split(".")[1:]
        assert (folder.joinpath(*rest) / "__init__.py").is_file(), f"{name} has no __init__.py"
    assert config["package-dir"] == {"pywasm_host": "pywasm_host", "pywasm_host.interpreter": "interpreter",
                                     "pywasm_host.abi": "abi"}
