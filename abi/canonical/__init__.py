"""The Component Model's canonical ABI (design/mvp/CanonicalABI.md): layout,
flattening, loading and storing of component values in linear memory, and
lifting/lowering across the core-wasm boundary."""
