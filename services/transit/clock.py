"""GTFS service-time strings <-> seconds after the service day's noon-minus-12h."""

from __future__ import annotations


def parse_time(text: str) -> int:
    """'H:MM:SS' or 'HH:MM:SS' (hours may exceed 23) -> seconds. Raises ValueError."""
    parts = text.strip().split(":")
    if len(parts) != 3 or not all(p.isdigit() for p in parts) or len(parts[1]) != 2 or len(
        parts[2]) != 2:
        raise ValueError(f"bad time {text!r} (want H:MM:SS)")
    h, m, s = (int(p) for p in parts)
    if m > 59 or s > 59:
        raise ValueError(f"bad time {text!r} (minutes/seconds over 59)")
    return h * 3600 + m * 60 + s


def format_time(seconds: int) -> str:
    """Seconds -> 'HH:MM:SS'; values past midnight stay as 24:xx so the day is unambiguous."""
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    return f"{sign}{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
