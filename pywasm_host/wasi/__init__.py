"""WASI hosts: ``wasi_snapshot_preview1`` served to core modules."""
