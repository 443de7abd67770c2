"""The package's version, in a module of its own so that spec.py can stamp every result with it
without importing the package it is part of."""

__version__ = "0.1.0"
