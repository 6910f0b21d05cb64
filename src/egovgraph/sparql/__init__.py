"""SPARQL: query-text checks, the named-query library (queries/*.rq), running under a deadline, result formats."""

from __future__ import annotations

import importlib
import warnings

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


#: The subpackage's modules: never answered from run (``from egovgraph.sparql import deadline`` imports it).
_MODULES = frozenset({"deadline", "library", "pool", "results", "run", "text"})


def __getattr__(name: str) -> Any:
    """``egovgraph.sparql.<name>`` of the flat layout (the module is now egovgraph.sparql.run), deprecated."""
    if name.startswith("__") or name in _MODULES:
        raise AttributeError(f"module 'egovgraph.sparql' has no attribute {name!r}")
    run = importlib.import_module(f"{__name__}.run")
    if not hasattr(run, name):
        raise AttributeError(f"module 'egovgraph.sparql' has no attribute {name!r}")
    warnings.warn(
        f"egovgraph.sparql.{name} moved to egovgraph.sparql.run.{name}; the old name goes in 0.3",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(run, name)
