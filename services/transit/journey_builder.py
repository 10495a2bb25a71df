"""Rebuild journeys from RAPTOR round labels (walking back from the target)."""

from __future__ import annotations

from .journey import Journey, Leg, RideLeg, StopCall, StopInfo, WalkLeg
from .network import Network
from .raptor import INF, SearchResult
from .timetable import Timetable


def stop_info(net: Network, idx: int) -> StopInfo:
    s = net.stops[idx]
    return StopInfo(
        id=s.id, name=s.name, platform_code=s.platform_code,
        name_en=net.stop_translation(idx, "en"), name_kana=net.stop_translation(idx, "ja-Hrkt"),
        lat=s.lat, lon=s.lon,
    )


def _ride_leg(net: Network, tt: Timetable, pid: int, t: int, bi: int, ai: int) -> RideLeg:
    stops, cols, row = tt.stops[pid], tt.dep_cols[pid], tt.arr_rows[pid][t]
    ti, shift = tt.trip_refs[pid][t]
    trip = net.trips[ti]
    feed = net.feeds[trip.feed]
    route = feed.routes[trip.route_id]
    return RideLeg(
        trip_id=trip.id, route_id=trip.route_id, route_name=route.display_name,
        headsign=trip.headsign, agency=feed.agency_names.get(route.agency_id, ""),
        from_stop=stop_info(net, stops[bi]), to_stop=stop_info(net, stops[ai]),
        departure=cols[bi][t], arrival=row[ai],
        intermediate=tuple(
            StopCall(stop_info(net, stops[i]), row[i], cols[i][t]) for i in range(bi + 1, ai)
        ),
        from_sequence=trip.sequences[bi], to_sequence=trip.sequences[ai], feed=trip.feed,
        previous_service_day=shift < -43_200,
    )


def _label_before(res: SearchResult, stop: int, rounds: int, time: int) -> tuple[str, int] | None:
    """A label at `stop` from a round < `rounds` that lets one board at `time`
    (fewest rides first)."""
    for k in range(rounds):
        walk = res.walks[k].get(stop)
        if walk is not None and walk[0] <= time:
            return "walk", k
        ride = res.rides[k].get(stop)
        if ride is not None and stop not in res.no_change_at and ride[0] + res.min_change <= time:
            return "ride", k
    return None


def rebuild(net: Network, tt: Timetable, res: SearchResult, max_rides: int) -> Journey | None:
    """The journey reaching the target at `target_arrival[max_rides]` with fewest rides."""
    best = res.target_arrival[max_rides]
    if best >= INF:
        return None
    k = min(j for j in range(max_rides + 1) if res.target_arrival[j] == best)
    state: tuple[str, int, int] | None = None
    for s in res.targets:
        walk, ride = res.walks[k].get(s), res.rides[k].get(s)
        if ride is not None and ride[0] == best:
            state = ("ride", k, s)
            break
        if walk is not None and walk[0] == best:
            state = ("walk", k, s)
    if state is None:
        return None
    legs: list[Leg] = []
    while True:
        kind, k, s = state
        if kind == "walk":
            arr, frm, secs = res.walks[k][s]
            if frm < 0:
                break
            legs.append(WalkLeg(stop_info(net, frm), stop_info(net, s), arr - secs, arr))
            state = ("walk", 0, frm) if k == 0 else ("ride", k, frm)  # round 0: from a source
            continue
        _, pid, t, bi, ai = res.rides[k][s]
        leg = _ride_leg(net, tt, pid, t, bi, ai)
        legs.append(leg)
        prev = _label_before(res, tt.stops[pid][bi], k, leg.departure)
        if prev is None:  # cannot happen for a consistent search result
            return None
        state = (prev[0], prev[1], tt.stops[pid][bi])
    legs.reverse()
    origin_time = min(res.sources.values())
    for s, t in res.sources.items():
        if (legs and legs[0].from_stop.id == net.stops[s].id) or (not legs and s in res.targets):
            origin_time = t
    return Journey(tuple(legs), origin_time, best)
