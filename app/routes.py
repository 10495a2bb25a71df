"""Route table: real URL paths (they survive a browser reload) and the back stack of each."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

HOME = "/"
SETTINGS = "/settings"
NOTICES = "/notices"
NOTICE = "/notices/{id}"
PROCEDURES = "/procedures"
MEDICAL = "/medical"
CHILDCARE = "/childcare"
DISASTER = "/disaster"
TRIPS = "/trips"
TRIP_JOURNEY = "/trips/journeys/{index}"
TRIP_SAVED = "/trips/saved/{index}"
CONSULTATIONS = "/consultations"
TOURISM = "/tourism"
RELOCATION = "/relocation"
LOGIN = "/login"
NOT_FOUND = "/not-found"

KNOWN = (
    HOME, SETTINGS, NOTICES, NOTICE, PROCEDURES, MEDICAL, CHILDCARE, DISASTER, TRIPS,
    TRIP_JOURNEY, TRIP_SAVED,
    CONSULTATIONS, TOURISM, RELOCATION, LOGIN,
)


@dataclass(frozen=True)
class Match:
    template: str
    path: str
    params: dict[str, str] = field(default_factory=dict)


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[0-9]+)", template) + "$")


_PATTERNS = [(template, _pattern(template)) for template in KNOWN]


def normalize(route: str | None) -> str:
    """Drop the query string and trailing slash: '/notices/?x=1' -> '/notices'."""
    path = (route or "/").split("?", 1)[0].split("#", 1)[0]
    if len(path) > 1:
        path = path.rstrip("/")
    return path or "/"


def match(route: str | None) -> Match:
    path = normalize(route)
    for template, pattern in _PATTERNS:
        found = pattern.match(path)
        if found:
            return Match(template, path, found.groupdict())
    return Match(NOT_FOUND, path)


def place_query(route: str | None) -> tuple[float, float, str] | None:
    """`/trips?to_lat=36.70&to_lon=137.21&to_name=県庁`: how another screen (a clinic, a
    shelter, a tourist spot) asks for a trip to a place. None when absent or malformed."""
    query = parse_qs(urlsplit(route or "").query)
    try:
        lat, lon = float(query["to_lat"][0]), float(query["to_lon"][0])
    except (KeyError, ValueError, IndexError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon, query.get("to_name", [""])[0][:80]


def trip_to(lat: float, lon: float, name: str) -> str:
    return f"{TRIPS}?{urlencode({'to_lat': lat, 'to_lon': lon, 'to_name': name})}"


def build(template: str, **params: object) -> str:
    return template.format(**params)


def stack(route: str | None) -> list[Match]:
    """The views under a route, for back navigation: '/notices/3' -> '/', '/notices', itself."""
    top = match(route)
    if top.template == HOME:
        return [top]
    chain = [match(HOME)]
    if top.template == NOTICE:
        chain.append(match(NOTICES))
    if top.template in (TRIP_JOURNEY, TRIP_SAVED):
        chain.append(match(TRIPS))
    chain.append(top)
    return chain
