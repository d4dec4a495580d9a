"""Semantic versions as used by WIT package names and ``@since`` gates (semver.org 2.0.0, precedence rules).

Only what WIT needs: validation and an ordering key.
"""

from __future__ import annotations

import re

from ..errors import WitError

__all__ = ["semver_key"]

_SEMVER = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?\Z"
)


def semver_key(text: str, span: object = None) -> tuple[object, ...]:
    """A key ordering versions by semver precedence (build metadata ignored).

    Raises:
        WitError: when ``text`` is not a valid semantic version.
    """
    match = _SEMVER.match(text)
    if match is None:
        if span is not None and hasattr(span, "error"):
            raise span.error(f"`{text}` is not a valid semantic version")
        raise WitError(f"`{text}` is not a valid semantic version")
    major, minor, patch, pre, _build = match.groups()
    if pre is None:
        pre_key: tuple[object, ...] = (1,)
    else:
        parts = []
        for p in pre.split("."):
            parts.append((0, int(p), "") if p.isdigit() else (1, 0, p))
        pre_key = (0, tuple(parts))
    return (int(major), int(minor), int(patch), pre_key)


def is_valid(text: str) -> bool:
    """Whether ``text`` is a semantic version."""
    return _SEMVER.match(text) is not None
