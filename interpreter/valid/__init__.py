"""Validation (spec chapter 3 "Validation" and the appendix "Validation Algorithm").

:func:`validate_module` checks a decoded :class:`~..syntax.module.Module` and
raises :class:`~..errors.ValidationError` when it is invalid.
"""

from . import simd as _simd  # noqa: F401  (registers the vector instructions)
from .module import validate_module

__all__ = ["validate_module"]
