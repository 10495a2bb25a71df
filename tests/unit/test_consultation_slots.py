"""Slots from opening rules (server.consultations.slots): weekdays, a Saturday rule, public
holidays, the year-end closure, exceptions that close or open a date, and the booking window
at both ends. Japan time throughout."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from server.consultations.slots import (
    JST,
    DateException,
    Day,
    ExceptionKind,
    Rule,
    Window,
    bookable,
    day_slots,
    iso,
    slots_between,
)

WEEKDAYS = [Rule(Day(d), time(9), time(11), 30) for d in ("mon", "tue", "wed", "thu", "fri")]
SATURDAY = Rule(Day.sat, time(10), time(11), 20)
HOLIDAY = Rule(Day.holiday, time(13), time(14), 30)


def starts(day: date, rules=(*WEEKDAYS, SATURDAY), exceptions=()) -> list[str]:
    return [iso(s.start)[11:16] for s in day_slots(day, rules, exceptions)]


def test_a_weekday_is_cut_into_slots_of_its_rule() -> None:
    slots = day_slots(date(2026, 12, 7), WEEKDAYS, ())  # a Monday
    assert [iso(s.start) for s in slots] == [
        "2026-12-07T09:00:00+09:00", "2026-12-07T09:30:00+09:00",
        "2026-12-07T10:00:00+09:00", "2026-12-07T10:30:00+09:00"]
    assert iso(slots[-1].end) == "2026-12-07T11:00:00+09:00"


def test_a_saturday_rule_and_a_sunday_without_one() -> None:
    assert starts(date(2026, 12, 5)) == ["10:00", "10:20", "10:40"]
    assert starts(date(2026, 12, 6)) == []


def test_a_slot_that_would_run_past_the_end_is_not_made() -> None:
    assert starts(date(2026, 12, 7), [Rule(Day.mon, time(9), time(10, 10), 30)]) == [
        "09:00", "09:30"]


def test_public_holidays_close_the_weekday_rules() -> None:
    assert starts(date(2026, 11, 23)) == []  # 勤労感謝の日, a Monday
    assert starts(date(2027, 1, 11)) == []  # 成人の日, a Monday
    assert starts(date(2026, 11, 24)) == ["09:00", "09:30", "10:00", "10:30"]


def test_a_holiday_rule_opens_holidays_and_only_them() -> None:
    rules = (*WEEKDAYS, HOLIDAY)
    assert starts(date(2026, 11, 23), rules) == ["13:00", "13:30"]
    assert starts(date(2027, 1, 11), rules) == ["13:00", "13:30"]
    assert starts(date(2026, 11, 24), rules) == ["09:00", "09:30", "10:00", "10:30"]


def test_the_year_end_closure_closes_12_29_to_1_3() -> None:
    days = [date(2026, 12, 28), date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31),
            date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3), date(2027, 1, 4)]
    open_days = {iso(s.start)[:10] for s in slots_between(days[0], days[-1],
                                                          (*WEEKDAYS, SATURDAY), ())}
    assert open_days == {"2026-12-28", "2027-01-04"}  # 12/29-12/31 are Tue-Thu: closed
    with_holidays = {iso(s.start)[:10] for s in slots_between(
        days[0], days[-1], (*WEEKDAYS, HOLIDAY), ())}
    assert with_holidays == {d.isoformat() for d in days}


def test_an_exception_closes_a_date_and_another_opens_a_holiday() -> None:
    closing = DateException(date(2026, 12, 8), ExceptionKind.closed)
    opening = DateException(date(2026, 11, 23), ExceptionKind.open, time(10), time(11), 30)
    exceptions = (closing, opening)
    assert starts(date(2026, 12, 8), exceptions=exceptions) == []
    assert starts(date(2026, 11, 23), exceptions=exceptions) == ["10:00", "10:30"]
    assert starts(date(2026, 12, 9), exceptions=exceptions) == [
        "09:00", "09:30", "10:00", "10:30"]
    # An extra opening on a working day adds to its rules, each start once.
    extra = DateException(date(2026, 12, 9), ExceptionKind.open, time(10), time(12), 30)
    assert starts(date(2026, 12, 9), exceptions=(extra,)) == [
        "09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]


def test_the_booking_window_at_both_ends() -> None:
    # Monday 2026-12-07 09:20 JST; bookable from 1 hour before the start, 2 days ahead.
    now = datetime(2026, 12, 7, 0, 20, tzinfo=UTC)
    window = Window.at(now, book_from_days=2, book_until_hours=1)
    slots = [iso(s.start) for s in bookable(window, WEEKDAYS, ())]
    # 10:00 starts 40 minutes from now: too late; 10:30 is 70 minutes away.
    assert slots[0] == "2026-12-07T10:30:00+09:00"
    assert slots[-1] == "2026-12-09T10:30:00+09:00"  # the last day counts whole
    assert len(slots) == 1 + 4 + 4
    assert window.too_late(datetime(2026, 12, 7, 10, 19, tzinfo=JST))
    assert window.holds(datetime(2026, 12, 7, 10, 20, tzinfo=JST))  # exactly 1 hour ahead
    assert window.holds(datetime(2026, 12, 9, 23, 59, tzinfo=JST))
    assert window.too_early(datetime(2026, 12, 10, 0, 0, tzinfo=JST))
    # The window is Japan's day, not UTC's: at 23:30 UTC on 12/07 it is already 12/08 in Toyama.
    late = Window.at(datetime(2026, 12, 7, 23, 30, tzinfo=UTC), book_from_days=2,
                     book_until_hours=1)
    assert late.last_day == date(2026, 12, 10)
