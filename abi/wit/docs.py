"""Documentation comments of WIT items (component-model ``design/mvp/WIT.md``, "Documentation").

wit-parser attaches every comment directly before an item to that item; this
module turns that run of raw comments into the ``docs`` text, by its rule:
strip ``/**``…``*/`` or leading ``/`` characters, trim trailing whitespace,
remove the common indentation, join with newlines, drop trailing newlines.
"""

from __future__ import annotations

__all__ = ["docs_text"]


def docs_text(comments: tuple[str, ...]) -> str | None:
    """The documentation text of a run of raw comments, or ``None`` when there is none."""
    if not comments:
        return None
    entries = []
    for c in comments:
        if c.startswith("/**") and c.endswith("*/") and len(c) >= 5:
            body = c[3:-2]
        elif c.startswith("/*") and not c.startswith("/**"):
            body = c.lstrip("/")
        else:
            body = c.lstrip("/")
        entries.append(body.rstrip())
    indents = [len(e) - len(e.lstrip()) for e in entries if e.strip()]
    cut = min(indents) if indents else 0
    text = "\n".join(e[cut:] if e.strip() else "" for e in entries)
    text = text.rstrip("\n")
    return text
