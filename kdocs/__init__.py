"""kdocs: keep a Python project's CLI, API types, imports and dependencies consistent."""

__version__ = "0.1.0"
