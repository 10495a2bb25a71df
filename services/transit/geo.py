"""Straight-line distances and a tiny grid index for finding nearby stops."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator

EARTH_RADIUS_M = 6_371_000.0


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in metres (plenty accurate at walking range)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def pairs_within(
    points: Iterable[tuple[int, float, float]], radius_m: float
) -> Iterator[tuple[int, int, float]]:
    """Yield (a, b, metres) for every pair of points closer than radius (a < b by order seen)."""
    cell = radius_m / 111_000.0  # degrees of latitude; longitude cells are narrower: still safe
    grid: dict[tuple[int, int], list[tuple[int, float, float]]] = {}
    for key, lat, lon in points:
        cx, cy = int(math.floor(lat / cell)), int(math.floor(lon / cell))
        lon_span = max(1, math.ceil(1 / max(math.cos(math.radians(lat)), 0.1)))
        for dx in (-1, 0, 1):
            for dy in range(-lon_span, lon_span + 1):
                for other, olat, olon in grid.get((cx + dx, cy + dy), ()):
                    d = distance_m(lat, lon, olat, olon)
                    if d <= radius_m:
                        yield other, key, d
        grid.setdefault((cx, cy), []).append((key, lat, lon))
