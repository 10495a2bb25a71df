"""Turn a feed's files into a `Feed`, collecting bad rows as issues instead of failing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from .clock import parse_time
from .csvfile import FeedIssue, decode_text, iter_rows
from .model import (
    FareAttribute,
    FareRule,
    Feed,
    Frequency,
    Route,
    ServicePattern,
    Stop,
    StopTime,
    Transfer,
    Trip,
)
from .source import read_feed_files

Row = dict[str, str]


def parse_date(text: str) -> date:
    text = text.strip()
    if len(text) != 8 or not text.isdigit():
        raise ValueError(f"bad date {text!r} (want YYYYMMDD)")
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def _int(text: str, default: int = 0) -> int:
    return int(text) if text.strip() else default


def _float_or_none(text: str) -> float | None:
    return float(text) if text.strip() else None


class _Reader:
    """Iterates one file's rows; a row whose handler raises becomes an issue."""

    def __init__(self, files: dict[str, bytes], issues: list[FeedIssue]) -> None:
        self.files = files
        self.issues = issues

    def rows(self, name: str) -> Iterator[tuple[int, Row]]:
        data = self.files.get(name)
        if data is None:
            return iter(())
        return iter_rows(decode_text(data))

    def each(
        self, name: str, handle: Callable[[int, Row], None], required: tuple[str, ...]
    ) -> None:
        for line, row in self.rows(name):
            missing = [k for k in required if not row.get(k)]
            if missing:
                self.issues.append(FeedIssue(name, line, f"missing {', '.join(missing)}"))
                continue
            try:
                handle(line, row)
            except (ValueError, KeyError) as exc:
                self.issues.append(FeedIssue(name, line, str(exc)))


def load_feed(path: str | Path, name: str | None = None) -> Feed:
    """Load a GTFS / GTFS-JP feed from a directory or zip. Bad rows end up in `feed.issues`."""
    files, content_hash = read_feed_files(path)
    feed = Feed(name=name or Path(path).stem, content_hash=content_hash)
    rd = _Reader(files, feed.issues)
    _load_agencies(rd, feed)
    _load_stops(rd, feed)
    _load_routes(rd, feed)
    _load_trips(rd, feed)
    _load_stop_times(rd, feed)
    _load_calendar(rd, feed)
    _load_frequencies(rd, feed)
    _load_transfers(rd, feed)
    _load_fares(rd, feed)
    _load_translations(rd, feed)
    _load_feed_info(rd, feed)
    return feed


def _load_agencies(rd: _Reader, feed: Feed) -> None:
    def agency(_: int, r: Row) -> None:
        feed.agency_names[r.get("agency_id", "")] = r.get("agency_name", "")
        feed.timezone = feed.timezone or r.get("agency_timezone", "")

    def agency_jp(_: int, r: Row) -> None:
        feed.agency_official_names[r["agency_id"]] = r.get("agency_official_name", "")

    rd.each("agency.txt", agency, ())
    rd.each("agency_jp.txt", agency_jp, ("agency_id",))


def _load_stops(rd: _Reader, feed: Feed) -> None:
    def stop(_: int, r: Row) -> None:
        sid = r["stop_id"]
        if sid in feed.stops:
            raise ValueError(f"duplicate stop_id {sid!r}")
        feed.stops[sid] = Stop(
            stop_id=sid,
            name=r.get("stop_name", ""),
            lat=_float_or_none(r.get("stop_lat", "")),
            lon=_float_or_none(r.get("stop_lon", "")),
            location_type=_int(r.get("location_type", "")),
            parent_station=r.get("parent_station", ""),
            platform_code=r.get("platform_code", ""),
            zone_id=r.get("zone_id", ""),
        )

    rd.each("stops.txt", stop, ("stop_id",))


def _load_routes(rd: _Reader, feed: Feed) -> None:
    def route(_: int, r: Row) -> None:
        feed.routes[r["route_id"]] = Route(
            route_id=r["route_id"],
            agency_id=r.get("agency_id", ""),
            short_name=r.get("route_short_name", ""),
            long_name=r.get("route_long_name", ""),
            route_type=_int(r.get("route_type", ""), 3),
        )

    def route_jp(_: int, r: Row) -> None:
        feed.route_origin_dest[r["route_id"]] = (
            r.get("origin_stop", ""),
            r.get("destination_stop", ""),
        )

    rd.each("routes.txt", route, ("route_id",))
    rd.each("routes_jp.txt", route_jp, ("route_id",))


def _load_trips(rd: _Reader, feed: Feed) -> None:
    def trip(_: int, r: Row) -> None:
        if r["route_id"] not in feed.routes:
            raise ValueError(f"trip {r['trip_id']!r}: unknown route_id {r['route_id']!r}")
        feed.trips[r["trip_id"]] = Trip(
            trip_id=r["trip_id"],
            route_id=r["route_id"],
            service_id=r["service_id"],
            headsign=r.get("trip_headsign", ""),
        )

    rd.each("trips.txt", trip, ("trip_id", "route_id", "service_id"))


# (sequence, arrival or None, departure or None, stop_id, pickup, drop_off, line)
_RawCall = tuple[int, int | None, int | None, str, int, int, int]


def _load_stop_times(rd: _Reader, feed: Feed) -> None:
    raw: dict[str, list[_RawCall]] = {}
    name = "stop_times.txt"

    def call(line: int, r: Row) -> None:
        tid, sid = r["trip_id"], r["stop_id"]
        if tid not in feed.trips:
            raise ValueError(f"unknown trip_id {tid!r}")
        if sid not in feed.stops:
            raise ValueError(f"unknown stop_id {sid!r}")
        arr_t, dep_t = r.get("arrival_time", ""), r.get("departure_time", "")
        arr = parse_time(arr_t) if arr_t else None
        dep = parse_time(dep_t) if dep_t else None
        raw.setdefault(tid, []).append((
            int(r["stop_sequence"]), arr if arr is not None else dep,
            dep if dep is not None else arr, sid,
            _int(r.get("pickup_type", "")), _int(r.get("drop_off_type", "")), line,
        ))

    rd.each(name, call, ("trip_id", "stop_id", "stop_sequence"))
    for tid, calls in raw.items():
        calls.sort()
        problem = _interpolate(calls)
        if problem:
            feed.issues.append(FeedIssue(name, problem[0], f"trip {tid!r}: {problem[1]}"))
            continue
        feed.stop_times[tid] = [
            StopTime(sid, seq, arr, dep, pick, drop)  # type: ignore[arg-type]
            for seq, arr, dep, sid, pick, drop, _ in calls
        ]


def _interpolate(calls: list[_RawCall]) -> tuple[int, str] | None:
    """Fill blank times linearly by stop count between timed stops; check order. In place."""
    for i in range(1, len(calls)):
        if calls[i][0] == calls[i - 1][0]:
            return calls[i][6], f"stop_sequence {calls[i][0]} repeated"
    if calls[0][1] is None or calls[-1][1] is None:
        bad = calls[0] if calls[0][1] is None else calls[-1]
        return bad[6], "first and last stop need arrival/departure times"
    prev = 0
    for i in range(1, len(calls)):
        if calls[i][1] is None:
            continue
        gap = i - prev
        if gap > 1:
            t0, t1 = calls[prev][2], calls[i][1]
            for j in range(prev + 1, i):
                t = t0 + (t1 - t0) * (j - prev) // gap  # type: ignore[operator]
                seq, _, _, sid, pick, drop, line = calls[j]
                calls[j] = (seq, t, t, sid, pick, drop, line)
        prev = i
    last = -1
    for seq, arr, dep, _, _, _, line in calls:
        if arr < last or dep < arr:  # type: ignore[operator]
            return line, f"times go backwards at stop_sequence {seq}"
        last = dep  # type: ignore[assignment]
    return None


def _load_calendar(rd: _Reader, feed: Feed) -> None:
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

    def cal(_: int, r: Row) -> None:
        flags = tuple(r.get(d, "0") == "1" for d in days)
        feed.calendar[r["service_id"]] = ServicePattern(
            flags, parse_date(r["start_date"]), parse_date(r["end_date"])
        )

    def cal_date(_: int, r: Row) -> None:
        kind = int(r["exception_type"])
        if kind not in (1, 2):
            raise ValueError(f"exception_type must be 1 or 2, got {kind}")
        feed.calendar_dates.setdefault(r["service_id"], {})[parse_date(r["date"])] = kind

    rd.each("calendar.txt", cal, ("service_id", "start_date", "end_date"))
    rd.each("calendar_dates.txt", cal_date, ("service_id", "date", "exception_type"))


def _load_frequencies(rd: _Reader, feed: Feed) -> None:
    def freq(_: int, r: Row) -> None:
        if r["trip_id"] not in feed.trips:
            raise ValueError(f"unknown trip_id {r['trip_id']!r}")
        headway = int(r["headway_secs"])
        if headway <= 0:
            raise ValueError("headway_secs must be positive")
        feed.frequencies.setdefault(r["trip_id"], []).append(
            Frequency(r["trip_id"], parse_time(r["start_time"]), parse_time(r["end_time"]),
                      headway)
        )

    rd.each("frequencies.txt", freq, ("trip_id", "start_time", "end_time", "headway_secs"))


def _load_transfers(rd: _Reader, feed: Feed) -> None:
    def transfer(_: int, r: Row) -> None:
        for key in ("from_stop_id", "to_stop_id"):
            if r[key] not in feed.stops:
                raise ValueError(f"unknown {key} {r[key]!r}")
        min_time = r.get("min_transfer_time", "")
        feed.transfers.append(Transfer(
            r["from_stop_id"], r["to_stop_id"], _int(r.get("transfer_type", "")),
            int(float(min_time)) if min_time else None,
        ))

    rd.each("transfers.txt", transfer, ("from_stop_id", "to_stop_id"))


def _load_fares(rd: _Reader, feed: Feed) -> None:
    def attribute(_: int, r: Row) -> None:
        transfers = r.get("transfers", "")
        feed.fare_attributes[r["fare_id"]] = FareAttribute(
            r["fare_id"], float(r["price"]), r.get("currency_type", "") or "JPY",
            int(transfers) if transfers else None,
        )

    def rule(_: int, r: Row) -> None:
        if r["fare_id"] not in feed.fare_attributes:
            raise ValueError(f"unknown fare_id {r['fare_id']!r}")
        feed.fare_rules.append(FareRule(
            r["fare_id"], r.get("route_id", ""), r.get("origin_id", ""),
            r.get("destination_id", ""), r.get("contains_id", ""),
        ))

    rd.each("fare_attributes.txt", attribute, ("fare_id", "price"))
    rd.each("fare_rules.txt", rule, ("fare_id",))


def _load_translations(rd: _Reader, feed: Feed) -> None:
    """Both the GTFS-JP v2 layout (trans_id = Japanese text) and the GTFS layout."""

    def translation(_: int, r: Row) -> None:
        lang = r.get("lang") or r.get("language", "")
        text = r.get("translation", "")
        if not lang or not text:
            raise ValueError("missing language or translation")
        if "trans_id" in r:
            keys = [r["trans_id"]]
        else:
            keys = [k for k in (r.get("field_value", ""),) if k]
            if r.get("record_id"):
                keys.append(f"{r.get('table_name', '')}#{r['record_id']}")
        for key in keys:
            feed.translations.setdefault(key, {})[lang] = text

    rd.each("translations.txt", translation, ())


def _load_feed_info(rd: _Reader, feed: Feed) -> None:
    def info(_: int, r: Row) -> None:
        feed.feed_version = r.get("feed_version", "")
        if r.get("feed_start_date"):
            feed.valid_from = parse_date(r["feed_start_date"])
        if r.get("feed_end_date"):
            feed.valid_to = parse_date(r["feed_end_date"])

    rd.each("feed_info.txt", info, ())
    if feed.valid_from is None and feed.calendar:
        feed.valid_from = min(p.start for p in feed.calendar.values())
    if feed.valid_to is None and feed.calendar:
        feed.valid_to = max(p.end for p in feed.calendar.values())
