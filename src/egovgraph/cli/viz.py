"""CLI commands for views: viz and export."""

from __future__ import annotations
