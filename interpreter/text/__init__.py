"""The WebAssembly text format (spec chapter 6 "Text Format"): lexing, parsing
WAT into the module model, the WAST script format, and printing modules back
to WAT."""
