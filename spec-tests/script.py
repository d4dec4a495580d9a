"""The spec-test script model: locating the official suite and reading wast2json output.

The WebAssembly spec tests are ``.wast`` scripts (spec repository, ``interpreter/README.md``
"Scripts"); wabt's ``wast2json`` turns each into a JSON list of commands plus one ``.wasm``
(binary module) or ``.wat`` (``module quote``, text module) file per module.  This module
finds the suite (``$WASM_TESTSUITE`` or ``<repo>/../shared/wasm-testsuite``), maps
``wast/...`` paths to their JSON through ``MANIFEST.tsv``, and reads either form into the
same immutable command objects the runner executes: a JSON file (:func:`load_script`), or the
``.wast`` file itself through our text-format script parser (:func:`load_wast_script`, whose
commands carry the script's module objects instead of file names).  It knows nothing of any
engine.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "SUITE_URL",
    "SUITE_MISSING_MESSAGE",
    "ScriptError",
    "ManifestRow",
    "Command",
    "Script",
    "find_suite",
    "read_manifest",
    "suite_files",
    "resolve_paths",
    "load_script",
    "load_wast_script",
    "FORMATS",
]

SUITE_URL = "https://github.com/WebAssembly/testsuite"
SUITE_MISSING_MESSAGE = (
    "WebAssembly spec test suite not found: set $WASM_TESTSUITE or place it at <repo>/../shared/wasm-testsuite. "
    f"Get the .wast files from {SUITE_URL}; the runner expects the layout described in that folder's README "
    "(suite-2.0.txt, suite-3.0.txt, MANIFEST.tsv, wast/..., and json/... holding wabt wast2json output: "
    "<name>.json + <name>.N.wasm/.wat)."
)
FORMATS = ("wast", "json")

REPO_ROOT = Path(__file__).resolve().parent.parent


class ScriptError(Exception):
    """The suite folder or a script file is not in the expected shape."""


def find_suite() -> Path | None:
    """Return the suite folder (``$WASM_TESTSUITE`` or ``<repo>/../shared/wasm-testsuite``) or ``None``."""
    env = os.environ.get("WASM_TESTSUITE")
    candidates = [Path(env)] if env else []
    candidates.append(REPO_ROOT.parent / "shared" / "wasm-testsuite")
    for candidate in candidates:
        if (candidate / "MANIFEST.tsv").is_file() and (candidate / "json").is_dir():
            return candidate
    return None


# ---------------------------------------------------------------------------------------------
# MANIFEST.tsv and the suite lists
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ManifestRow:
    """One row of ``MANIFEST.tsv``: a ``.wast`` file, its JSON and its command counts."""

    path: str
    feature_set: str
    commands: int
    wat_modules: int
    json: str
    status: str

    @property
    def name(self) -> str:
        """The bare file name without ``.wast`` (``i32``, ``simd_lane``)."""
        return Path(self.path).stem


def _int_or_zero(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0


def read_manifest(suite: Path) -> dict[str, ManifestRow]:
    """Read ``MANIFEST.tsv`` into rows keyed by ``wast/...`` path.

    Raises:
        ScriptError: the file is missing or lacks a required column.
    """
    try:
        lines = (suite / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ScriptError(f"cannot read MANIFEST.tsv: {exc}") from exc
    if not lines:
        raise ScriptError("MANIFEST.tsv is empty")
    header = lines[0].split("\t")
    try:
        col = {
            name: header.index(name) for name in ("path", "feature_set", "commands", "wat_modules", "json", "status")
        }
    except ValueError as exc:
        raise ScriptError(f"MANIFEST.tsv lacks a column: {exc}") from exc
    rows: dict[str, ManifestRow] = {}
    for line in lines[1:]:
        cells = line.split("\t")
        if len(cells) < len(header):
            cells += [""] * (len(header) - len(cells))
        row = ManifestRow(
            path=cells[col["path"]],
            feature_set=cells[col["feature_set"]],
            commands=_int_or_zero(cells[col["commands"]]),
            wat_modules=_int_or_zero(cells[col["wat_modules"]]),
            json=cells[col["json"]],
            status=cells[col["status"]],
        )
        rows[row.path] = row
    return rows


SUITES = ("2.0-core", "2.0-simd", "2.0", "3.0")


def suite_files(suite: Path, which: str) -> list[str]:
    """The ``wast/...`` paths of a named suite, in list order.

    ``2.0-core`` = the non-SIMD files of ``suite-2.0.txt``, ``2.0-simd`` = its ``simd/`` files,
    ``2.0`` = both, ``3.0`` = ``suite-3.0.txt`` (which already names ``wast/3.0/revised/...``).

    Raises:
        ScriptError: unknown suite name or missing list file.
    """
    if which not in SUITES:
        raise ScriptError(f"unknown suite {which!r}; expected one of {', '.join(SUITES)}")
    list_name = "suite-3.0.txt" if which == "3.0" else "suite-2.0.txt"
    try:
        paths = [p.strip() for p in (suite / list_name).read_text(encoding="utf-8").splitlines() if p.strip()]
    except OSError as exc:
        raise ScriptError(f"cannot read {list_name}: {exc}") from exc
    if which == "2.0-core":
        return [p for p in paths if "/simd/" not in p]
    if which == "2.0-simd":
        return [p for p in paths if "/simd/" in p]
    return paths


def resolve_paths(suite: Path, manifest: dict[str, ManifestRow], names: list[str], which: str) -> list[Path]:
    """Turn command-line PATHS (``.wast``/``.json`` paths or bare names like ``i32``) into JSON paths.

    Bare names are looked up in the chosen suite's list first, then anywhere in the manifest.

    Raises:
        ScriptError: a name matches nothing.
    """
    in_suite = suite_files(suite, which)
    result: list[Path] = []
    for name in names:
        path = Path(name)
        if path.suffix == ".json" and path.is_file():
            result.append(path.resolve())
            continue
        key: str | None = None
        if path.suffix == ".wast":
            # a path to the .wast, absolute or relative to cwd or to the suite
            for candidate in (path, suite / path):
                try:
                    rel = candidate.resolve().relative_to(suite.resolve()).as_posix()
                except ValueError:
                    continue
                if rel in manifest:
                    key = rel
                    break
            if key is None and name in manifest:
                key = name
        else:
            stem = path.name.removesuffix(".json")
            matches = [p for p in in_suite if Path(p).stem == stem] or [p for p in manifest if Path(p).stem == stem]
            if matches:
                key = matches[0]
        if key is None:
            raise ScriptError(f"no spec test named {name!r}")
        result.append(suite / manifest[key].json)
    return result


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Command:
    """One script command as wast2json wrote it.

    ``kind`` is the JSON ``type`` (``module``, ``assert_return``, ...).  ``module_file`` is the
    binary (or text) module file for module-carrying commands, ``text_module`` says it is a
    ``.wat`` file with no binary beside it (``wat_file``: a ``.wat`` file, with or without a
    binary; for a ``.wast`` script, a quoted module outside a ``module`` command, which is what
    ``wast2json`` writes as ``.wat``).  ``module_source`` is the script's module object
    (``interpreter.text.wast.ScriptModule``) when the command comes from a ``.wast`` file.
    ``action`` is the raw JSON action (``invoke`` / ``get``) and ``expected`` the raw expected
    values; ``either`` holds alternative result lists.
    """

    kind: str
    line: int
    name: str | None = None
    module_file: Path | None = None
    text_module: bool = False
    wat_file: bool = False
    register_as: str | None = None
    action: dict[str, Any] | None = None
    expected: tuple[dict[str, Any], ...] | None = None
    either: tuple[dict[str, Any], ...] | None = None
    text: str | None = None
    module_source: Any = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Script:
    """A whole converted ``.wast`` file."""

    source: str
    json_path: Path
    commands: tuple[Command, ...]

    @property
    def name(self) -> str:
        """The bare script name (``i32``)."""
        return Path(self.source).stem

    @property
    def text_module_count(self) -> int:
        """How many commands carry a text-only (``.wat``) module."""
        return sum(1 for c in self.commands if c.text_module)

    @property
    def wat_file_count(self) -> int:
        """How many commands name a ``.wat`` module file (MANIFEST.tsv's ``wat_modules``)."""
        return sum(1 for c in self.commands if c.wat_file)


def _command(raw: dict[str, Any], base: Path) -> Command:
    kind = raw.get("type")
    line = raw.get("line")
    if not isinstance(kind, str) or not isinstance(line, int):
        raise ScriptError(f"command without type/line: {raw!r}")
    module_file: Path | None = None
    text_module = False
    filename = raw.get("filename")
    wat_file = isinstance(filename, str) and filename.endswith(".wat")
    if isinstance(filename, str):
        binary = raw.get("binary_filename")
        if filename.endswith(".wat") and isinstance(binary, str):
            module_file = base / binary  # wasm-tools also wrote the binary of this text module
        else:
            module_file = base / filename
            text_module = filename.endswith(".wat")
    expected = raw.get("expected")
    either = raw.get("either")
    return Command(
        kind=kind,
        line=line,
        name=raw.get("name") if isinstance(raw.get("name"), str) else None,
        module_file=module_file,
        text_module=text_module,
        wat_file=wat_file,
        register_as=raw.get("as") if isinstance(raw.get("as"), str) else None,
        action=raw.get("action") if isinstance(raw.get("action"), dict) else None,
        expected=tuple(expected) if isinstance(expected, list) else None,
        either=tuple(either) if isinstance(either, list) else None,
        text=raw.get("text") if isinstance(raw.get("text"), str) else None,
        raw=raw,
    )


def load_script(json_path: Path) -> Script:
    """Read one wast2json JSON file.

    Raises:
        ScriptError: unreadable file or not a wast2json command list.
    """
    try:
        data = json.loads(json_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ScriptError(f"cannot read {json_path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("commands"), list):
        raise ScriptError(f"{json_path}: not a wast2json script (no 'commands' list)")
    source = data.get("source_filename")
    if not isinstance(source, str):
        source = json_path.with_suffix(".wast").name
    base = json_path.parent
    commands = tuple(_command(c, base) for c in data["commands"] if isinstance(c, dict))
    if len(commands) != len(data["commands"]):
        raise ScriptError(f"{json_path}: a command is not a JSON object")
    return Script(source=source, json_path=json_path, commands=commands)


# ---------------------------------------------------------------------------------------------
# .wast files, through our text-format script parser
# ---------------------------------------------------------------------------------------------


def load_wast_script(wast: Path, source: str | None = None) -> Script:
    """Read one ``.wast`` file with ``pywasm_host.interpreter.text.wast.parse_script``.

    The commands have the shape of :func:`load_script`'s (the parser mirrors ``wast2json``),
    with ``module_source`` set instead of ``module_file``.  A text module (``(module ...)``) is
    parsed here; quoted and binary ones when the runner loads them.

    Raises:
        ScriptError: unreadable file, or the script (not a quoted module) is malformed.
    """
    from pywasm_host.interpreter.errors import WasmError
    from pywasm_host.interpreter.text.wast import parse_script

    try:
        data = wast.read_bytes()
    except OSError as exc:
        raise ScriptError(f"cannot read {wast}: {exc}") from exc
    name = source or wast.name
    try:
        parsed = parse_script(data, name)
    except WasmError as exc:
        raise ScriptError(f"{wast}: {exc}") from exc
    commands = []
    for c in parsed:
        module = c.module
        quoted_file = module is not None and module.kind == "quote" and c.kind != "module"
        commands.append(
            Command(
                kind=c.kind,
                line=c.line,
                name=c.name,
                wat_file=quoted_file,
                register_as=c.register_as,
                action=c.action,
                expected=c.expected,
                either=c.either,
                text=c.text,
                module_source=module,
            )
        )
    return Script(source=name, json_path=wast, commands=tuple(commands))
