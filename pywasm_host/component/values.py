"""Python values of Component Model types (component-model ``design/mvp/Explainer.md``,
"Value types"): ``Ok``/``Err`` results, ``Some`` for nested options, the
``Variant`` base class, resource handles, and the pluggable class registry
``ValueClasses``.  The table of WIT types and Python values is in
:mod:`pywasm_host.abi.canonical.values`.
"""

from __future__ import annotations

from ..abi.canonical.resources import ResourceHandle
from ..abi.canonical.values import Err, Ok, Some, ValueClasses, Variant

__all__ = ["Ok", "Err", "Some", "Variant", "ValueClasses", "ResourceHandle"]
