"""Strings in linear memory (component-model ``design/mvp/CanonicalABI.md``,
"Loading" -> ``load_string``/``load_string_from_range`` and "Storing" ->
``store_string``, with the ``utf8``, ``utf16`` and ``latin1+utf16``
encodings).

A string is a ``(ptr, tagged_code_units)`` pair.  For ``utf8`` the code
units are bytes (alignment 1); for ``utf16`` 16-bit units (alignment 2);
for ``latin1+utf16`` bytes of Latin-1, or, with bit 31 (``UTF16_TAG``) set,
16-bit UTF-16 units (alignment 2).  Lowering encodes the host string
directly into the target encoding (the spec's transcoding steps reach the
same bytes) and allocates exactly once through ``realloc``.  Decoding
errors, misaligned pointers and ranges outside memory trap.
"""

from __future__ import annotations

from .options import LiftLowerContext, trap, trap_oob

__all__ = ["UTF16_TAG", "MAX_STRING_BYTE_LENGTH", "load_string", "load_string_from_range", "store_string",
           "lower_string"]

UTF16_TAG = 1 << 31
MAX_STRING_BYTE_LENGTH = (1 << 31) - 1


def load_string(cx: LiftLowerContext, ptr: int) -> str:
    begin = cx.core.load_int(ptr, 4)
    tagged_code_units = cx.core.load_int(ptr + 4, 4)
    return load_string_from_range(cx, begin, tagged_code_units)


def load_string_from_range(cx: LiftLowerContext, ptr: int, tagged_code_units: int) -> str:
    """Decode the string at ``ptr`` (CanonicalABI.md ``load_string_from_range``).

    Raises:
        Trap: misaligned pointer, range outside memory, or invalid code units.
    """
    encoding = cx.opts.string_encoding
    if encoding == "utf8":
        alignment, byte_length, codec = 1, tagged_code_units, "utf-8"
    elif encoding == "utf16":
        alignment, byte_length, codec = 2, 2 * tagged_code_units, "utf-16-le"
    elif tagged_code_units & UTF16_TAG:
        alignment, byte_length, codec = 2, 2 * (tagged_code_units ^ UTF16_TAG), "utf-16-le"
    else:
        alignment, byte_length, codec = 2, tagged_code_units, "latin-1"
    if ptr % alignment:
        raise trap(f"misaligned string pointer {ptr:#x} (alignment {alignment})")
    if ptr + byte_length > cx.core.memory_size():
        raise trap_oob(f"string [{ptr:#x}, +{byte_length}) outside memory")
    view = getattr(cx.core, "view", None)  # optional zero-copy access (EngineCore)
    data = view(ptr, byte_length) if view is not None else cx.core.read(ptr, byte_length)
    try:
        return str(data, codec)
    except UnicodeDecodeError as e:
        raise trap(f"invalid {encoding} string: {e.reason} at byte {e.start}") from None


def lower_string(cx: LiftLowerContext, v: str) -> tuple[int, int]:
    """Copy ``v`` into guest memory in the options' encoding; returns ``(ptr, tagged_code_units)``.

    Raises:
        TypeError: ``v`` is not a ``str``.
        ValueError: ``v`` contains lone surrogates (not a valid WIT string).
        Trap: ``realloc`` returned a misaligned or out-of-bounds pointer.
    """
    if not isinstance(v, str):
        raise TypeError(f"expected str, got {type(v).__name__}")
    encoding = cx.opts.string_encoding
    try:
        if encoding == "utf8":
            data, alignment = v.encode("utf-8"), 1
            tagged = len(data)
        elif encoding == "utf16":
            data, alignment = v.encode("utf-16-le"), 2
            tagged = len(data) // 2
        else:
            alignment = 2
            try:
                data = v.encode("latin-1")
                tagged = len(data)
            except UnicodeEncodeError:
                data = v.encode("utf-16-le")
                tagged = (len(data) // 2) | UTF16_TAG
    except UnicodeEncodeError as e:
        raise ValueError(f"string contains a lone surrogate at index {e.start}") from None
    byte_length = len(data)
    if byte_length > MAX_STRING_BYTE_LENGTH:
        raise trap("string too long")
    ptr = cx.allocate(alignment, byte_length)
    if byte_length:
        cx.core.write(ptr, data)
    return ptr, tagged


def store_string(cx: LiftLowerContext, v: str, ptr: int) -> None:
    begin, tagged_code_units = lower_string(cx, v)
    cx.core.store_int(ptr, 4, begin)
    cx.core.store_int(ptr + 4, 4, tagged_code_units)
