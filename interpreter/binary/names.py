"""Decoding of the ``name`` custom section (spec 7.4 "Custom Sections",
7.4.1 "Name Section").

The section holds subsections ``id:u8 size:u32 content``: the module name
(id 0), function names (id 1, a name map) and local names (id 2, an
indirect name map). Subsections must come in increasing id order, at most
once each; subsections with other ids (from the extended name section
proposal: labels, types, tables, ...) are skipped.

Custom sections are not validated by the spec, so a malformed name section
never makes the module malformed: :func:`decode_name_section` then returns
``None`` and the caller keeps the raw :class:`CustomSection` only.
"""

from __future__ import annotations

from ..errors import MalformedError
from ..syntax.module import NameMap
from .reader import Reader

__all__ = ["decode_name_section"]

_MODULE, _FUNCTIONS, _LOCALS = 0, 1, 2


def _name_map(r: Reader) -> dict[int, str]:
    out: dict[int, str] = {}
    for _ in range(r.len32()):
        index = r.u32()
        out[index] = r.name()
    return out


def decode_name_section(data: bytes) -> NameMap | None:
    """Decode the contents of a ``name`` custom section (after its name).

    Returns ``None`` when the contents are malformed (see the module
    docstring); never raises for any input.
    """
    names = NameMap()
    r = Reader(bytes(data))
    last = -1
    try:
        while not r.at_end():
            sub_id = r.u8()
            size = r.len32()
            start = r.pos
            end = start + size
            if sub_id <= last:
                return None
            last = sub_id
            if sub_id == _MODULE:
                names.module = r.name()
            elif sub_id == _FUNCTIONS:
                names.functions = _name_map(r)
            elif sub_id == _LOCALS:
                for _ in range(r.len32()):
                    func = r.u32()
                    names.locals[func] = _name_map(r)
            else:
                r.pos = end
            if r.pos != end:
                return None
    except (MalformedError, IndexError):
        return None
    return names
