"""The version of egovgraph (one copy; the package, the CLI and the generated files read it here)."""

__version__ = "0.1.0"
