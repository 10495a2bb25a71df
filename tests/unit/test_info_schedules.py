"""Check-ups and routine vaccinations from a birth date (services/info/schedules.py)."""

from __future__ import annotations

from datetime import date

from services.info.schedules import (
    ItemKind,
    ItemStatus,
    add_months,
    checkups,
    school_entry_year,
    timetable,
    vaccinations,
)

BIRTH = date(2026, 1, 15)


def by_key(items):
    return {i.key: i for i in items}


def test_checkups_for_a_known_birth_date() -> None:
    items = by_key(checkups(BIRTH))
    assert (items["checkup-1m"].recommended_from, items["checkup-1m"].deadline) == (
        date(2026, 2, 15), date(2026, 3, 14))
    assert items["checkup-4m"].recommended_from == date(2026, 5, 15)
    assert items["checkup-10m"].recommended_from == date(2026, 11, 15)
    assert (items["checkup-18m"].recommended_from, items["checkup-18m"].deadline) == (
        date(2027, 7, 15), date(2028, 1, 14))
    assert (items["checkup-36m"].recommended_from, items["checkup-36m"].deadline) == (
        date(2029, 1, 15), date(2030, 1, 14))
    assert all(i.kind == ItemKind.checkup and i.dose is None for i in items.values())


def test_vaccinations_for_a_known_birth_date() -> None:
    items = by_key(vaccinations(BIRTH))
    rota = items["rota-1"]
    assert (rota.recommended_from, rota.recommended_until) == (date(2026, 3, 15),
                                                               date(2026, 4, 29))  # 14w6d
    assert items["rota-2"].deadline == date(2026, 7, 1)  # the day before 24 weeks
    assert items["rota-3"].deadline == date(2026, 8, 26)  # the day before 32 weeks
    assert items["hepb-3"].deadline == date(2027, 1, 14)  # until the first birthday
    assert items["dpt-ipv-hib-1"].recommended_from == date(2026, 3, 15)
    assert items["dpt-ipv-hib-4"].deadline == date(2033, 7, 14)  # until 7 years 6 months
    assert items["bcg-1"].recommended_from == date(2026, 6, 15)
    assert items["mr-1"].recommended_from == date(2027, 1, 15)
    assert (items["mr-2"].recommended_from, items["mr-2"].deadline) == (date(2031, 4, 1),
                                                                         date(2032, 3, 31))
    assert items["je-1"].recommended_from == date(2029, 1, 15)
    assert items["je-4"].recommended_from == date(2035, 1, 15)
    assert (items["dt-1"].recommended_from, items["dt-1"].deadline) == (date(2037, 1, 15),
                                                                         date(2039, 1, 14))
    assert not any(k.startswith("hpv") for k in items)
    hpv = by_key(vaccinations(BIRTH, include_hpv=True))["hpv-1"]
    assert (hpv.recommended_from, hpv.recommended_until, hpv.deadline) == (
        date(2038, 4, 1), date(2039, 3, 31), date(2042, 3, 31))
    assert [i.dose for i in vaccinations(BIRTH) if i.name == items["pcv-1"].name] == [1, 2, 3, 4]


def test_status_past_due_upcoming() -> None:
    items = by_key(timetable(BIRTH))
    today = date(2026, 6, 20)
    assert items["bcg-1"].status(today) == ItemStatus.due
    assert items["rota-1"].status(today) == ItemStatus.past
    assert items["mr-1"].status(today) == ItemStatus.upcoming
    assert items["hepb-1"].status(today) == ItemStatus.due and items["hepb-1"].late(today)
    assert not items["bcg-1"].late(today)
    dates = [i.recommended_from for i in timetable(BIRTH)]
    assert dates == sorted(dates)


def test_month_ends_and_the_april_1_school_rule() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert school_entry_year(date(2020, 4, 1)) == 2026
    assert school_entry_year(date(2020, 4, 2)) == 2027
    assert school_entry_year(date(2020, 1, 1)) == 2026
