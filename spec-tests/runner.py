"""Executing spec-test scripts against an engine (spec ``interpreter/README.md`` "Scripts").

Every command of a wast2json script gets exactly one outcome — passed, failed or skipped — so the
number of outcomes equals the number of commands.  Semantics follow the reference interpreter's
script runner: ``module`` instantiates a module (imports resolved from the ``spectest`` host
module and from ``register``-ed instances) and makes it current; ``register`` makes an instance's
exports importable under a name; actions (``invoke`` / ``get``) run on the current or named
instance; ``assert_return`` compares results bit-exactly with arity; ``assert_trap`` /
``assert_exhaustion`` / ``assert_uninstantiable`` need the engine's ``Trap`` / ``Exhaustion`` with
the expected message as a prefix; ``assert_invalid`` / ``assert_malformed`` / ``assert_unlinkable``
need ``ValidationError`` / ``MalformedError`` / ``LinkError``.  Any other exception is a failure
reported with its type — never a pass.  Nothing is skipped: modules given as text (a ``.wat``
file of ``wast2json``, or a text/quoted module of a ``.wast`` script) go through the adapter's
text path (our text parser for ``pywasm_host``).
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from engines import EngineAdapter, Session
from script import Command, Script
from values import HostRefs, Value, ValueError_, describe_expected, describe_value, match_results, parse_arg

__all__ = ["Outcome", "FileResult", "CommandTimeout", "run_script", "PASSED", "FAILED", "SKIPPED"]

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of one command."""

    line: int
    kind: str
    status: str
    message: str = ""


@dataclass(slots=True)
class FileResult:
    """All outcomes of one script file."""

    name: str
    source: str
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def passed(self) -> int:
        return self.count(PASSED)

    @property
    def failed(self) -> int:
        return self.count(FAILED)

    @property
    def skipped(self) -> int:
        return self.count(SKIPPED)


class CommandTimeout(BaseException):
    """A command ran longer than the per-command time limit (BaseException: engines must not catch it)."""


class _Failure(Exception):
    """A check failed; the message says what differed."""


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    if not seconds or not hasattr(signal, "setitimer"):
        yield
        return
    try:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
    except ValueError:  # not the main thread
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _on_alarm(signum: int, frame: Any) -> None:
    raise CommandTimeout("command timed out")


def _describe_exception(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if len(text) > 300:
        text = text[:300] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class _Instance:
    __slots__ = ("store", "instance")

    def __init__(self, store: Any, instance: Any) -> None:
        self.store = store
        self.instance = instance


class ScriptRunner:
    """The state of one script run: session, current/named/registered instances, host refs."""

    def __init__(self, adapter: EngineAdapter, script: Script, timeout: float | None = None) -> None:
        self.adapter = adapter
        self.script = script
        self.timeout = timeout
        self.session: Session = adapter.session()
        self.refs = HostRefs()
        self.current: _Instance | None = None
        self.named: dict[str, _Instance] = {}
        self.definitions: dict[str, Any] = {}
        self.registered: dict[str, _Instance] = {}

    # -- helpers -----------------------------------------------------------------------------
    def _resolve(self, module_name: str, field_name: str, import_type: Any) -> Any:
        extern = None
        if module_name == "spectest":
            extern = self.session.spectest().get(field_name)
        elif module_name in self.registered:
            target = self.registered[module_name]
            extern = self.adapter.export(target.store, target.instance, field_name)
        if extern is None:
            raise self.adapter.LinkError(f"unknown import {module_name!r}.{field_name!r} (not provided by the runner)")
        return extern

    def _load(self, command: Command) -> Any:
        if command.module_source is not None:  # from a .wast file
            return self.adapter.load_script_module(command.module_source)
        if command.module_file is None:
            raise _Failure(f"{command.kind} command has no module file")
        if command.text_module:  # a .wat file of wast2json: our text parser
            try:
                text = command.module_file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise _Failure(f"cannot read {command.module_file.name}: {exc}") from exc
            return self.adapter.load_text(text, command.module_file.name)
        return self.adapter.load_module(command.module_file)

    def _instantiate(self, module: Any) -> _Instance:
        store = self.session.new_store()
        return _Instance(store, self.adapter.instantiate(store, module, self._resolve))

    def _target(self, name: Any) -> _Instance:
        if isinstance(name, str):
            target = self.named.get(name) or self.registered.get(name)
            if target is None:
                raise _Failure(f"no module named {name}")
            return target
        if self.current is None:
            raise _Failure("no current module (an earlier module command failed?)")
        return self.current

    def _perform(self, action: dict[str, Any] | None, hint: tuple[dict[str, Any], ...] | None) -> list[Value]:
        if action is None:
            raise _Failure("command has no action")
        target = self._target(action.get("module"))
        field_name = action.get("field")
        if not isinstance(field_name, str):
            raise _Failure(f"action without a field name: {action!r}")
        if action.get("type") == "invoke":
            args = [parse_arg(a, self.refs) for a in action.get("args", [])]
            return self.adapter.invoke(target.store, target.instance, field_name, args)
        if action.get("type") == "get":
            kind = hint[0].get("type") if hint else None
            return [self.adapter.get_global(target.store, target.instance, field_name, kind)]
        raise _Failure(f"unsupported action type {action.get('type')!r}")

    def _expect_error(self, exc: BaseException, wanted: type[BaseException], label: str, text: str | None) -> str:
        """Check a raised exception against the wanted class (and message prefix when ``text``)."""
        if not isinstance(exc, wanted):
            raise _Failure(f"expected {label}" + (f" {text!r}" if text else "") + f", got {_describe_exception(exc)}")
        if text is not None:
            messages = (str(exc), *getattr(exc, "alternatives", ()))
            if not any(m.startswith(text) for m in messages):
                raise _Failure(f"expected {label} message starting {text!r}, got {str(exc)!r}")
        return _describe_exception(exc)

    # -- commands ----------------------------------------------------------------------------
    def run(self) -> FileResult:
        result = FileResult(name=self.script.name, source=self.script.source)
        for command in self.script.commands:
            result.outcomes.append(self.run_command(command))
        return result

    def run_command(self, command: Command) -> Outcome:
        """Execute one command and classify it."""
        handler = getattr(self, "cmd_" + command.kind, None)
        if handler is None:
            return Outcome(command.line, command.kind, FAILED, f"unsupported command kind {command.kind!r}")
        try:
            with _time_limit(self.timeout):
                message = handler(command)
        except _Failure as failure:
            return Outcome(command.line, command.kind, FAILED, str(failure))
        except ValueError_ as exc:
            return Outcome(command.line, command.kind, FAILED, f"runner cannot decode value: {exc}")
        except CommandTimeout:
            return Outcome(command.line, command.kind, FAILED, f"timed out after {self.timeout} s")
        except Exception as exc:  # anything the command did not expect is a failure, with its type
            return Outcome(command.line, command.kind, FAILED, f"unexpected {_describe_exception(exc)}")
        return Outcome(command.line, command.kind, PASSED, message or "")

    def cmd_module(self, command: Command) -> str:
        module = self._load(command)
        if command.raw.get("definition"):
            if command.name:
                self.definitions[command.name] = module
            return "module defined"
        instance = self._instantiate(module)
        self.current = instance
        if command.name:
            self.named[command.name] = instance
        return ""

    def cmd_instance(self, command: Command) -> str:
        definition = self.definitions.get(command.raw.get("definition", ""))
        if definition is None:
            raise _Failure(f"no module definition {command.raw.get('definition')!r}")
        instance = self._instantiate(definition)
        self.current = instance
        name = command.raw.get("instance")
        if isinstance(name, str):
            self.named[name] = instance
        return ""

    def cmd_register(self, command: Command) -> str:
        if command.register_as is None:
            raise _Failure("register without an 'as' name")
        self.registered[command.register_as] = self._target(command.name)
        return ""

    def cmd_action(self, command: Command) -> str:
        self._perform(command.action, command.expected)
        return ""

    def cmd_assert_return(self, command: Command) -> str:
        actual = self._perform(command.action, command.expected)
        if command.either is not None:
            alternatives = [(e,) for e in command.either]
            if any(match_results(alt, actual, self.refs) for alt in alternatives):
                return ""
            wanted = " or ".join(describe_expected(alt) for alt in alternatives)
            raise _Failure(f"{self._field(command)}: expected {wanted}, got {describe_value(actual)}")
        expected = command.expected or ()
        if not match_results(expected, actual, self.refs):
            raise _Failure(
                f"{self._field(command)}: expected {describe_expected(expected)}, got {describe_value(actual)}"
            )
        return ""

    @staticmethod
    def _field(command: Command) -> str:
        action = command.action or {}
        return f"{action.get('type', '?')} {action.get('field', '?')!r}"

    def _assert_action_error(self, command: Command, wanted: type[BaseException], label: str) -> str:
        try:
            actual = self._perform(command.action, command.expected)
        except _Failure:
            raise
        except Exception as exc:
            return self._expect_error(exc, wanted, label, command.text)
        raise _Failure(f"{self._field(command)}: expected {label} {command.text!r}, returned {describe_value(actual)}")

    def cmd_assert_trap(self, command: Command) -> str:
        if command.module_file is not None or command.module_source is not None:  # (assert_trap (module ...))
            return self.cmd_assert_uninstantiable(command)
        return self._assert_action_error(command, self.adapter.Trap, "trap")

    def cmd_assert_exhaustion(self, command: Command) -> str:
        return self._assert_action_error(command, self.adapter.Exhaustion, "exhaustion")

    def _assert_load_error(self, command: Command, wanted: type[BaseException], label: str) -> str:
        try:
            self._load(command)
        except _Failure:
            raise
        except Exception as exc:
            return self._expect_error(exc, wanted, label, None)
        raise _Failure(f"expected {label} ({command.text!r}), but the module was accepted")

    def cmd_assert_invalid(self, command: Command) -> str:
        return self._assert_load_error(command, self.adapter.ValidationError, "ValidationError")

    def cmd_assert_malformed(self, command: Command) -> str:
        return self._assert_load_error(command, self.adapter.MalformedError, "MalformedError")

    def _assert_instantiation_error(
        self, command: Command, wanted: type[BaseException], label: str, text: str | None
    ) -> str:
        module = self._load(command)  # must decode and validate; errors here are failures
        try:
            instance = self._instantiate(module)
        except Exception as exc:
            return self._expect_error(exc, wanted, label, text)
        del instance
        raise _Failure(f"expected {label} ({command.text!r}), but instantiation succeeded")

    def cmd_assert_unlinkable(self, command: Command) -> str:
        return self._assert_instantiation_error(command, self.adapter.LinkError, "LinkError", None)

    def cmd_assert_uninstantiable(self, command: Command) -> str:
        return self._assert_instantiation_error(command, self.adapter.Trap, "trap", command.text)


def run_script(adapter: EngineAdapter, script: Script, timeout: float | None = None) -> FileResult:
    """Run every command of ``script`` on a fresh session of ``adapter``."""
    limit = sys.getrecursionlimit()
    try:
        return ScriptRunner(adapter, script, timeout).run()
    finally:
        sys.setrecursionlimit(limit)  # an engine may raise it; keep the process as we found it
