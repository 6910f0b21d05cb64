"""egovgraph: a sourced knowledge graph of the German Länder's digital government, and its toolkit."""

from __future__ import annotations

__version__ = "0.1.0"
