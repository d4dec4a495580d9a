"""Calling Component Model guests with Python values: wit-bindgen core modules
loaded with their embedded WIT world, typed values and bindings generation."""
