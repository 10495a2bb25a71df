"""Check a planned journey against the raw feed, independently of how it was found."""

from __future__ import annotations

from services.transit import Journey, RideLeg, WalkLeg
from services.transit.model import Feed


def check_journey(
    feed: Feed, journey: Journey, origins: set[str], targets: set[str], depart: int,
    min_change: int, walks: dict[str, dict[str, int]],
) -> None:
    assert journey.departure >= depart
    legs = journey.legs
    if not legs:
        assert origins & targets
        return
    assert legs[0].from_stop.id in origins, "journey starts elsewhere"
    assert legs[-1].to_stop.id in targets, "journey ends elsewhere"
    assert legs[0].departure >= depart
    for prev, leg in zip(legs, legs[1:], strict=False):
        assert prev.to_stop.id == leg.from_stop.id, "legs do not connect"
        gap = min_change if isinstance(prev, RideLeg) and isinstance(leg, RideLeg) else 0
        assert leg.departure >= prev.arrival + gap, "change too short"
        assert not (isinstance(prev, WalkLeg) and isinstance(leg, WalkLeg)), "two walks in a row"
    for leg in legs:
        if isinstance(leg, WalkLeg):
            assert walks[leg.from_stop.id][leg.to_stop.id] == leg.arrival - leg.departure
            continue
        calls = {c.sequence: c for c in feed.stop_times[leg.trip_id]}
        board, alight = calls[leg.from_sequence], calls[leg.to_sequence]
        assert board.stop_id == leg.from_stop.id and alight.stop_id == leg.to_stop.id
        assert leg.from_sequence < leg.to_sequence
        assert board.pickup != 1 and alight.drop_off != 1
        shift = leg.departure - board.departure
        assert leg.arrival - alight.arrival == shift, "ride times do not match the trip"
        freqs = feed.frequencies.get(leg.trip_id)
        first = feed.stop_times[leg.trip_id][0].departure
        for base in (0, -86400):
            if freqs:
                ok = any(
                    (first + shift - base - f.start) % f.headway == 0
                    and f.start <= first + shift - base < f.end
                    for f in freqs
                )
            else:
                ok = shift == base
            if ok:
                break
        else:
            raise AssertionError(f"no run of {leg.trip_id} with shift {shift}")
    assert journey.arrival == legs[-1].arrival
