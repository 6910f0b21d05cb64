"""CLI commands for stores: load and publish."""

from __future__ import annotations
