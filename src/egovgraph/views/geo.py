"""Fixed positions for the Länder from their WGS84 coordinates, projected for Germany's latitude.

An equirectangular projection centred on 51° N (longitudes shrunk by cos 51°, so distances keep their
proportions across Germany), north up; then nodes closer than their labels need (Berlin and
Brandenburg, Bremen and Niedersachsen) are pushed apart, a few pixels at a time, deterministically.
"""

from __future__ import annotations

import math
from typing import Any

#: Latitude of the projection's centre (Germany spans about 47° to 55° N).
CENTRE_LAT = 51.0
#: vis-network pixels per degree of latitude.
SCALE = 110.0
#: How far apart two node centres must be so their labels do not overlap.
MIN_DISTANCE = 62.0
ROUNDS = 60


def project(lat: float, lon: float, *, scale: float = SCALE) -> tuple[float, float]:
    """Canvas (x, y) of a WGS84 point: east is +x, north is -y (the canvas' y grows downwards)."""
    return (lon * math.cos(math.radians(CENTRE_LAT)) * scale, -lat * scale)


def geo_positions(coordinates: dict[Any, tuple[float, float]]) -> dict[Any, tuple[float, float]]:
    """Projected positions, centred on their mean, with close nodes pushed apart to ``MIN_DISTANCE``."""
    if not coordinates:
        return {}
    keys = sorted(coordinates, key=str)
    points = {k: list(project(*coordinates[k])) for k in keys}
    cx = sum(p[0] for p in points.values()) / len(points)
    cy = sum(p[1] for p in points.values()) / len(points)
    for p in points.values():
        p[0] -= cx
        p[1] -= cy
    for _ in range(ROUNDS):
        moved = False
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                pa, pb = points[a], points[b]
                dx, dy = pb[0] - pa[0], pb[1] - pa[1]
                dist = math.hypot(dx, dy)
                if dist >= MIN_DISTANCE:
                    continue
                if dist == 0:
                    dx, dy, dist = 1.0, 0.0, 1.0
                push = (MIN_DISTANCE - dist) / 2 + 0.5
                ux, uy = dx / dist, dy / dist
                pa[0] -= ux * push
                pa[1] -= uy * push
                pb[0] += ux * push
                pb[1] += uy * push
                moved = True
        if not moved:
            break
    return {k: (round(points[k][0], 1), round(points[k][1], 1)) for k in keys}


__all__ = ["CENTRE_LAT", "MIN_DISTANCE", "SCALE", "geo_positions", "project"]
