"""Calling Component Model guests with Python values: wit-bindgen core modules
loaded with their embedded WIT world (:func:`load_core`), typed values
(:class:`Ok`, :class:`Err`, :class:`Some`, :class:`Variant`, resource handles)
and bindings generation (``bindgen``).

    from pywasm_host.component import load_core
    m = load_core("machine.wasm")
    m.exports.machine_interface.get_u32()        # 123
"""

from .runtime import CoreComponent, load_core
from .values import Err, Ok, ResourceHandle, Some, ValueClasses, Variant

__all__ = ["load_core", "CoreComponent", "Ok", "Err", "Some", "Variant", "ValueClasses", "ResourceHandle"]
