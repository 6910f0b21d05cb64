"""egovgraph: a sourced knowledge graph of the German Länder's digital government, and its toolkit."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """The public functions (query, view, to_html, write_html), imported on first use."""
    if name == "query":
        from .sparql import query

        return query
    if name == "view":
        from .project import view

        return view
    if name in ("to_html", "write_html"):
        from . import render

        return getattr(render, name)
    raise AttributeError(f"module 'egovgraph' has no attribute {name!r}")
