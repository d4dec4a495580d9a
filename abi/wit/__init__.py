"""WIT: lexer, parser and resolver (component-model design/mvp/WIT.md)."""
