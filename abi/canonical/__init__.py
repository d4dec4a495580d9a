"""The Component Model's canonical ABI (design/mvp/CanonicalABI.md): layout,
flattening, loading and storing of component values in linear memory, and
lifting/lowering across the core-wasm boundary.

Modules, in the order of the spec's sections:

* ``types``      component value types built from the WIT model, ``despecialize``
* ``layout``     ``alignment``, ``elem_size``
* ``flatten``    ``flatten_type``, ``flatten_functype`` (MAX_FLAT_PARAMS 16, MAX_FLAT_RESULTS 1)
* ``loading``    ``load`` (and ``lift_own``/``lift_borrow``)
* ``storing``    ``store`` (and ``lower_own``/``lower_borrow``, Python value checks)
* ``strings``    utf8 / utf16 / latin1+utf16 strings
* ``flat``       ``lift_flat``, ``lower_flat``, ``lift_flat_values``, ``lower_flat_values``
* ``resources``  handle tables and ``canon resource.new/rep/drop``
* ``canon``      ``canon_lift``, ``canon_lower``, precompiled export callers
* ``options``    ``CanonicalOptions``, ``LiftLowerContext``, ``AbiTrap``
* ``values``     Python values (``Ok``/``Err``/``Some``/``Variant``, ``ValueClasses``)
* ``core``       the narrow core-instance interface and its implementation over our interpreter
"""
