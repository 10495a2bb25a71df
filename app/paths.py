"""The app's URL paths (they survive a browser reload) and how to build and read them.

Views link to screens with these; which screen draws which path, its parent and its guard
are in the route registry (app/routes.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from urllib.parse import parse_qs, urlencode, urlsplit


class RoutePath(StrEnum):
    home = "/"
    settings = "/settings"
    notices = "/notices"
    notice = "/notices/{id}"
    procedures = "/procedures"
    medical = "/medical"
    medical_facility = "/medical/{facility:rid}"
    childcare = "/childcare"
    checkups = "/childcare/checkups"  # before childcare_facility: the first match wins
    childcare_facility = "/childcare/{facility:rid}"
    disaster = "/disaster"
    evacuation_plan = "/disaster/plan"
    aeds = "/disaster/aeds"
    aed = "/disaster/aeds/{aed:rid}"
    shelter = "/disaster/shelters/{shelter:rid}"
    trips = "/trips"
    trip_journey = "/trips/journeys/{index}"
    trip_saved = "/trips/saved/{index}"
    consultations = "/consultations"
    bookings = "/consultations/bookings"  # before consultation: the first match wins
    booking = "/consultations/bookings/{booking:hex}"
    consultation = "/consultations/{service:slug}"
    consultation_confirm = "/consultations/{service:slug}/confirm"
    tourism = "/tourism"
    phrases = "/tourism/phrases"  # before spot: the first match wins
    guides = "/tourism/guides"
    guide = "/tourism/guides/{guide:rid}"
    spot = "/tourism/{spot:rid}"
    relocation = "/relocation"
    compare = "/relocation/compare"
    budget = "/relocation/budget"
    relocation_plan = "/relocation/plan"
    programmes = "/relocation/programmes"
    programme = "/relocation/programmes/{programme:rid}"
    town_profile = "/relocation/towns/{town:rid}"
    login = "/login"
    about = "/about"
    devices = "/account/devices"
    procedure = "/procedures/{procedure:slug}"
    applications = "/applications"
    application = "/applications/{application:hex}"
    draft = "/applications/drafts/{draft:hex}"
    draft_confirm = "/applications/drafts/{draft:hex}/confirm"
    draft_pay = "/applications/drafts/{draft:hex}/pay"
    not_found = "/not-found"


@dataclass(frozen=True)
class Match:
    path: RoutePath
    url: str  # the normalised path that was matched, e.g. "/notices/3"
    params: dict[str, int] = field(default_factory=dict)  # {id} parts: numbers
    keys: dict[str, str] = field(default_factory=dict)  # {name:hex} and {name:slug} parts


# What a part of a path may hold: {id} a number, {x:hex} a client-made id (32 hex digits),
# {x:slug} a catalogue id such as a procedure's, {x:rid} a public record's id (a clinic's, a
# shelter's: letters, digits, "-" and "_", as the info datasets give them).
_PART = {None: "[0-9]{1,9}", "hex": "[0-9a-f]{32}", "slug": "[a-z][a-z0-9_]{0,39}",
         "rid": "[A-Za-z0-9][A-Za-z0-9_-]{0,79}"}
_PLACEHOLDER = re.compile(r"\{(\w+)(?::(hex|slug|rid))?\}")


@cache
def _pattern(template: str) -> re.Pattern[str]:
    return re.compile("^" + _PLACEHOLDER.sub(
        lambda m: f"(?P<{m.group(1)}>{_PART[m.group(2)]})", template) + "$")


@cache
def _key_names(template: str) -> frozenset[str]:
    return frozenset(m.group(1) for m in _PLACEHOLDER.finditer(template) if m.group(2))


def normalize(route: str | None) -> str:
    """Drop the query string and trailing slash: '/notices/?x=1' -> '/notices'."""
    path = (route or "/").split("?", 1)[0].split("#", 1)[0]
    if len(path) > 1:
        path = path.rstrip("/")
    return path or "/"


def match(route: str | None) -> Match:
    url = normalize(route)
    for path in RoutePath:
        found = _pattern(path.value).match(url)
        if found and path != RoutePath.not_found:
            keys = _key_names(path.value)
            parts = found.groupdict()
            return Match(path, url, {k: int(v) for k, v in parts.items() if k not in keys},
                         {k: v for k, v in parts.items() if k in keys})
    return Match(RoutePath.not_found, url)


def build(path: RoutePath, **params: int | str) -> str:
    return _PLACEHOLDER.sub(lambda m: str(params[m.group(1)]), path.value)


def parent_url(parent: RoutePath, child: Match) -> str:
    """A parent's URL with the child's parts: /applications/drafts/<id>/pay -> its form."""
    return build(parent, **child.params, **child.keys)


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
    return f"{RoutePath.trips.value}?{urlencode({'to_lat': lat, 'to_lon': lon, 'to_name': name})}"


def stop_trip(stop_name: str) -> str:
    """A trip to a stop named as in the timetables (a search hit, a walking route's stop)."""
    return f"{RoutePath.trips.value}?{urlencode({'to_stop': stop_name})}"


def stop_query(route: str | None) -> str | None:
    """The stop name of `/trips?to_stop=...`; None when absent or empty."""
    name = parse_qs(urlsplit(route or "").query).get("to_stop", [""])[0].strip()
    return name[:80] or None


def with_query(path: str, **query: str) -> str:
    return f"{path}?{urlencode(query)}"
