"""Fares from fare_attributes.txt / fare_rules.txt (GTFS "Fares v1").

Each ride is priced on its own (Japanese buses charge per boarding); a rule matches when
each of its filled fields (route, origin zone, destination zone, contains zones) matches;
the cheapest matching fare wins. No fare data, or no matching rule -> None ("fare unknown").
"""

from __future__ import annotations

from dataclasses import dataclass

from .journey import Journey, RideLeg
from .model import Feed
from .network import Network


@dataclass(frozen=True)
class Fare:
    amount: float
    currency: str

    @property
    def yen(self) -> int | None:
        return int(round(self.amount)) if self.currency == "JPY" else None


class FareTable:
    """Rules of one feed indexed by (route_id, origin, destination) with '' as wildcard."""

    def __init__(self, feed: Feed) -> None:
        self.feed = feed
        self.simple: dict[tuple[str, str, str], list[str]] = {}
        self.with_contains: dict[str, list[tuple[str, str, str, str]]] = {}
        for r in feed.fare_rules:
            if r.contains_id:
                self.with_contains.setdefault(r.fare_id, []).append(
                    (r.route_id, r.origin_id, r.destination_id, r.contains_id))
            else:
                self.simple.setdefault((r.route_id, r.origin_id, r.destination_id), []).append(
                    r.fare_id)
        ruled = {r.fare_id for r in feed.fare_rules}
        # a feed with fares but no rules at all: its single fare applies everywhere
        self.default = (
            next(iter(feed.fare_attributes)) if len(feed.fare_attributes) == 1 and not ruled
            else None
        )

    def ride_fare(
        self, route_id: str, origin: str, destination: str, zones: set[str]
    ) -> Fare | None:
        candidates: list[str] = []
        for route in (route_id, ""):
            for o in (origin, ""):
                for d in (destination, ""):
                    candidates += self.simple.get((route, o, d), [])
        for fare_id, rules in self.with_contains.items():
            for route, o, d, _ in rules:
                if (route, o, d) != _wild(route, route_id, o, origin, d, destination):
                    continue
                contains = {c for rr, oo, dd, c in rules if (rr, oo, dd) == (route, o, d)}
                if zones <= contains:
                    candidates.append(fare_id)
                    break
        if not candidates and self.default:
            candidates.append(self.default)
        if not candidates:
            return None
        attrs = [self.feed.fare_attributes[f] for f in candidates]
        cheapest = min(attrs, key=lambda a: a.price)
        return Fare(cheapest.price, cheapest.currency)


def _wild(*pairs: str) -> tuple[str, str, str]:
    """Each (rule value, actual value) pair: the rule value if it is blank or matches."""
    out = [rule if rule in ("", actual) else "\x00" for rule, actual in zip(
        pairs[::2], pairs[1::2], strict=True)]
    return out[0], out[1], out[2]


class FareCalculator:
    def __init__(self, network: Network) -> None:
        self.network = network
        self.tables = {
            ns: FareTable(feed) for ns, feed in network.feeds.items() if feed.fare_attributes
        }

    def leg_fare(self, leg: RideLeg) -> Fare | None:
        table = self.tables.get(leg.feed)
        if table is None:
            return None
        net = self.network
        zone = _zone_getter(net)
        calls = [leg.from_stop.id, *(c.stop.id for c in leg.intermediate), leg.to_stop.id]
        zones = {zone(sid) for sid in calls}
        return table.ride_fare(leg.route_id, zone(leg.from_stop.id), zone(leg.to_stop.id), zones)

    def journey_fare(self, journey: Journey) -> Fare | None:
        """Sum of ride fares; None if any ride's fare is unknown or currencies differ."""
        fares = [self.leg_fare(leg) for leg in journey.rides]
        if not fares or any(f is None for f in fares):
            return None if fares else Fare(0, "JPY")
        currencies = {f.currency for f in fares if f}
        if len(currencies) != 1:
            return None
        return Fare(sum(f.amount for f in fares if f), currencies.pop())

    def journey_yen(self, journey: Journey) -> int | None:
        fare = self.journey_fare(journey)
        return fare.yen if fare else None


def _zone_getter(net: Network):
    def zone(stop_id: str) -> str:
        return net.stops[net.stop_index[stop_id]].zone_id

    return zone
