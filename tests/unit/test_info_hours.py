"""Opening hours (services/info/hours.py): weekdays, holidays, night slots, duty days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from services.i18n import JAPAN_TZ
from services.info.hours import (
    CLOSED,
    closes_at,
    is_holiday,
    next_opening,
    open_at,
    weekly_table,
)
from services.info.models import DayCode, DutyDay, Slot, minutes_of, parse_duty, parse_slots

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
# A typical clinic: mornings Mon-Sat, afternoons except Thursday; closed Sunday and holidays.
CLINIC = parse_slots([
    {"days": WEEKDAYS + ["sat"], "open": "09:00", "close": "12:30"},
    {"days": ["mon", "tue", "wed", "fri"], "open": "14:30", "close": "18:00"},
])


def jst(day: str, hhmm: str) -> datetime:
    return datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=JAPAN_TZ)


def test_open_on_a_weekday_morning_and_afternoon_not_at_lunch() -> None:
    monday = "2026-11-30"
    assert open_at(CLINIC, (), jst(monday, "09:00"))
    assert open_at(CLINIC, (), jst(monday, "12:29"))
    assert not open_at(CLINIC, (), jst(monday, "12:30"))  # closing minute is exclusive
    assert not open_at(CLINIC, (), jst(monday, "13:00"))
    assert open_at(CLINIC, (), jst(monday, "15:00"))
    assert not open_at(CLINIC, (), jst(monday, "18:00"))
    # A moment in another zone is read in Japan time: 01:00 UTC is 10:00 in Toyama.
    assert open_at(CLINIC, (), datetime(2026, 11, 30, 1, 0, tzinfo=UTC))


def test_thursday_afternoon_closed_saturday_morning_only_sunday_closed() -> None:
    assert open_at(CLINIC, (), jst("2026-12-03", "10:00"))
    assert not open_at(CLINIC, (), jst("2026-12-03", "15:00"))
    assert open_at(CLINIC, (), jst("2026-12-05", "10:00"))
    assert not open_at(CLINIC, (), jst("2026-12-05", "15:00"))
    assert not open_at(CLINIC, (), jst("2026-12-06", "10:00"))
    assert next_opening(CLINIC, (), jst("2026-12-03", "13:00")) == jst("2026-12-04", "09:00")
    assert next_opening(CLINIC, (), jst("2026-12-05", "13:00")) == jst("2026-12-07", "09:00")
    assert next_opening(CLINIC, (), jst("2026-12-05", "10:00")) == jst("2026-12-05", "10:00")
    assert closes_at(CLINIC, (), jst("2026-12-05", "10:00")) == jst("2026-12-05", "12:30")
    assert closes_at(CLINIC, (), jst("2026-12-06", "10:00")) is None


def test_a_public_holiday_uses_only_hol_slots() -> None:
    holiday_clinic = CLINIC + parse_slots([{"days": ["hol"], "open": "10:00", "close": "12:00"}])
    for monday_holiday in ("2026-11-23", "2027-01-11"):  # 勤労感謝の日, 成人の日
        assert is_holiday(date.fromisoformat(monday_holiday))
        assert not open_at(CLINIC, (), jst(monday_holiday, "09:30"))
        assert not open_at(holiday_clinic, (), jst(monday_holiday, "09:30"))  # not Monday's
        assert open_at(holiday_clinic, (), jst(monday_holiday, "11:00"))
        assert not open_at(holiday_clinic, (), jst(monday_holiday, "15:00"))
    # the next day is an ordinary Tuesday; the holiday slot does not apply on it
    assert not open_at(holiday_clinic, (), jst("2026-11-24", "12:45"))
    assert next_opening(CLINIC, (), jst("2026-11-23", "08:00")) == jst("2026-11-24", "09:00")


def test_a_night_slot_counts_in_the_early_hours_of_the_next_day() -> None:
    night = parse_slots([{"days": ["fri"], "open": "19:00", "close": "02:00"}])
    assert night[0].past_midnight
    assert not open_at(night, (), jst("2026-12-04", "18:59"))
    assert open_at(night, (), jst("2026-12-04", "23:00"))
    assert open_at(night, (), jst("2026-12-05", "01:30"))  # Saturday, from Friday's slot
    assert not open_at(night, (), jst("2026-12-05", "02:00"))
    assert not open_at(night, (), jst("2026-12-04", "01:30"))  # Thursday had no night slot
    assert closes_at(night, (), jst("2026-12-05", "01:30")) == jst("2026-12-05", "02:00")


def test_a_duty_day_applies_on_a_sunday() -> None:
    duty = parse_duty([{"date": "2026-11-29", "open": "09:00", "close": "17:00",
                        "departments": ["内科", "小児科"]}])
    assert duty == (DutyDay(date(2026, 11, 29), 540, 1020, ("内科", "小児科")),)
    assert not open_at(CLINIC, (), jst("2026-11-29", "10:00"))
    assert open_at(CLINIC, duty, jst("2026-11-29", "10:00"))
    assert not open_at(CLINIC, duty, jst("2026-11-29", "17:00"))
    assert not open_at(CLINIC, duty, jst("2026-12-06", "10:00"))  # only that Sunday
    assert next_opening(CLINIC, duty, jst("2026-11-29", "07:00")) == jst("2026-11-29", "09:00")
    # a duty day on a public holiday applies too
    holiday_duty = parse_duty([{"date": "2026-11-23", "open": "09:00", "close": "12:00"}])
    assert open_at(CLINIC, holiday_duty, jst("2026-11-23", "09:30"))


def test_24_00_closes_at_midnight() -> None:
    evening = parse_slots([{"days": ["mon"], "open": "18:00", "close": "24:00"}])
    assert minutes_of("24:00") == 1440 and minutes_of("24:01") is None
    assert open_at(evening, (), jst("2026-11-30", "23:59"))
    assert not open_at(evening, (), jst("2026-12-01", "00:00"))
    always = parse_slots([{"days": [d.value for d in DayCode], "open": "00:00",
                           "close": "24:00"}])
    for day in ("2026-11-29", "2026-11-30", "2026-11-23", "2027-01-11"):
        for hhmm in ("00:00", "03:33", "23:59"):
            assert open_at(always, (), jst(day, hhmm))


def test_slots_that_cannot_be_read_are_left_out() -> None:
    slots = parse_slots([
        {"days": ["mon"], "open": "9:00", "close": "12:00"},
        {"days": ["mon"], "open": "25:00", "close": "26:00"},
        {"days": ["someday"], "open": "09:00", "close": "12:00"},
        {"days": "mon", "open": "09:00", "close": "12:00"},
        "09:00-12:00",
    ])
    assert slots == (Slot(frozenset({DayCode.mon}), 540, 720),)
    assert parse_slots(None) == ()


def test_the_weekly_table_lists_every_day_and_holidays() -> None:
    night = parse_slots([{"days": ["fri"], "open": "19:00", "close": "02:00"}])
    rows = weekly_table(CLINIC + night)
    assert [r.day for r in rows] == list(DayCode)
    table = {r.day: r.ranges for r in rows}
    assert table[DayCode.mon] == ("09:00–12:30", "14:30–18:00")
    assert table[DayCode.thu] == ("09:00–12:30",)
    assert table[DayCode.fri] == ("09:00–12:30", "14:30–18:00", "19:00–02:00")
    assert table[DayCode.sat] == ("09:00–12:30",)
    assert rows[6].closed and rows[7].closed and CLOSED == "Closed"
    assert rows[0].label == "Monday" and rows[7].label == "Public holidays"


# --- properties ----------------------------------------------------------------------------
times = st.integers(0, 23 * 60 + 59)
slot_strategy = st.builds(
    lambda days, opens, length: Slot(frozenset(days), opens, (opens + length) % 1440 or 1440),
    st.sets(st.sampled_from(list(DayCode)), min_size=1), times, st.integers(1, 1439))
moments = st.builds(
    lambda day, minute: datetime.combine(day, datetime.min.time(), tzinfo=JAPAN_TZ)
    + timedelta(minutes=minute),
    st.dates(date(2026, 1, 1), date(2027, 12, 31)), times)


@settings(max_examples=40, deadline=None)
@given(st.lists(slot_strategy, max_size=3), moments)
def test_next_opening_and_closing_agree_with_a_minute_walk(slots: list[Slot],
                                                           moment: datetime) -> None:
    found = next_opening(slots, (), moment, within_days=2)
    walk = moment
    horizon = datetime.combine(moment.date() + timedelta(days=3), datetime.min.time(),
                               tzinfo=JAPAN_TZ)
    while walk < horizon and not open_at(slots, (), walk):
        walk += timedelta(minutes=1)
    if found is None:
        assert walk >= horizon
    else:
        assert found == walk
        end = closes_at(slots, (), found)
        assert end is not None and end > found
        assert open_at(slots, (), end - timedelta(minutes=1))
        # closed at its end, unless open round the clock past closes_at's look-ahead
        assert not open_at(slots, (), end) or end.date() >= found.date() + timedelta(days=8)
