"""pywasm-host: a WebAssembly runtime and Component Model host in pure Python."""
