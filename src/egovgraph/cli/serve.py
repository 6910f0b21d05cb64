"""CLI command for publishing: serve."""

from __future__ import annotations
