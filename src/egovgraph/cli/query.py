"""CLI commands for SPARQL: query, queries, prefixes."""

from __future__ import annotations
