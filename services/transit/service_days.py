"""Which service_ids run on a date: calendar.txt weekdays/range, then calendar_dates.txt."""

from __future__ import annotations

from datetime import date

from .model import Feed


def active_services(feed: Feed, day: date) -> set[str]:
    running = {
        sid for sid, pat in feed.calendar.items()
        if pat.start <= day <= pat.end and pat.weekdays[day.weekday()]
    }
    for sid, exceptions in feed.calendar_dates.items():
        kind = exceptions.get(day)
        if kind == 1:
            running.add(sid)
        elif kind == 2:
            running.discard(sid)
    return running
