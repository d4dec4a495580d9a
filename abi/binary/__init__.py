"""Component Model binary decoding (component-model ``design/mvp/Binary.md``): component type
sections and the binary encoding of WIT packages and worlds."""
