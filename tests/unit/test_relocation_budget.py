"""The relocation budget check (services/relocation/budget.py): a family of four with two cars
in snowy Nanto and in Toyama City, from the constants the module documents."""

from __future__ import annotations

import pytest

from services.relocation.budget import Basis, Household, Line, LineKind, check
from services.relocation.models import UNITS, Figure, FigureKey, Programme, ProgrammeKind
from services.relocation.models import TownProfile as Profile

TOYAMA, NANTO = "162019", "162108"


def figure(key: FigureKey, value: float, *, sample: bool = False) -> Figure:
    return Figure(key, value, UNITS[key], 2024, "サンプル" if sample else "source", "", sample, {})


def profile(code: str, *, rent: float | None, snow: float | None, medical: float = 18,
            grant: float | None = 1_000_000) -> Profile:
    figures = [figure(FigureKey.child_medical_free_until_age, medical)]
    if rent is not None:
        figures.append(figure(FigureKey.rent_2ldk_yen, rent, sample=True))
    if snow is not None:
        figures.append(figure(FigureKey.snow_cm, snow))
    if grant is not None:
        figures.append(figure(FigureKey.relocation_grant_yen, grant))
    return Profile(code, code, code, {}, tuple(figures), True)


def programme(ident: str, kind: ProgrammeKind, municipality: str | None,
              amount: int | None) -> Programme:
    return Programme(ident, kind, municipality, {"en": ident}, {}, {}, amount, "", "", None,
                     None, "source", 2025, False)


PROGRAMMES = (
    programme("pref-grant", ProgrammeKind.relocation_grant, None, 1_000_000),
    programme("nanto-akiya", ProgrammeKind.housing, NANTO, None),
    programme("toyama-akiya", ProgrammeKind.housing, TOYAMA, None),
    programme("pref-childcare", ProgrammeKind.childcare, None, 20_000),
    programme("nanto-workation", ProgrammeKind.workation, NANTO, None),
)


def family(town: str, **changes: object) -> Household:
    values: dict[str, object] = {"adults": 2, "children": (4, 9), "cars": 2, "rent_yen": None,
                                 "income_yen": None, "town": town}
    values.update(changes)
    return Household(**values)  # type: ignore[arg-type]


# The documented assumptions, worked out by hand (yen a month).
REGULAR = (36_000 + 17_650 / 2 + 60_000 + 100_000 / 2 + 80_000 / 4 + 4_000) / 12 \
    + 800 / 14 * 175
KEI = (10_800 + 17_540 / 2 + 45_000 + 70_000 / 2 + 50_000 / 4 + 4_000) / 12 + 800 / 20 * 175
UTILITIES_4 = 9_000 + 4 * 5_000
HEATING_MONTH_4 = 6_000 + 4 * 2_000


def yen(line: Line) -> int:
    assert line.amount_yen is not None, line.kind
    return line.amount_yen


def test_a_family_of_four_in_snowy_nanto_and_in_toyama_city() -> None:
    nanto = check(family(NANTO), profile(NANTO, rent=48_000, snow=374), PROGRAMMES)
    toyama = check(family(TOYAMA), profile(TOYAMA, rent=62_000, snow=253), PROGRAMMES)
    n = {line.kind: line for line in nanto.monthly}
    t = {line.kind: line for line in toyama.monthly}
    assert list(n) == [LineKind.rent, LineKind.car, LineKind.utilities, LineKind.heating,
                       LineKind.childcare, LineKind.school_lunch]
    # Four people: a 3LDK at 1.2 times the town's 2LDK rent, a sample figure (said so).
    assert (n[LineKind.rent].amount_yen, t[LineKind.rent].amount_yen) == (57_600, 74_400)
    assert n[LineKind.rent].basis == Basis.town_figure and n[LineKind.rent].sample
    # One regular car and one kei car; Toyama City charges for parking two cars.
    assert abs(yen(n[LineKind.car]) - (REGULAR + KEI)) <= 1
    assert yen(t[LineKind.car]) - yen(n[LineKind.car]) == 2 * 3_000
    assert n[LineKind.utilities].amount_yen == t[LineKind.utilities].amount_yen == UTILITIES_4
    # Winter heating: 374 cm of snow a year (factor 1.3) costs more than 253 cm (1.15).
    assert n[LineKind.heating].amount_yen == round(HEATING_MONTH_4 * 1.3 * 4 / 12)
    assert t[LineKind.heating].amount_yen == round(HEATING_MONTH_4 * 1.15 * 4 / 12)
    assert n[LineKind.heating].params == {"snow": 374}
    # The 4-year-old: nursery is free, meals are not; the 9-year-old: school lunches.
    assert n[LineKind.childcare].amount_yen == 4_500
    assert n[LineKind.school_lunch].amount_yen == 5_000
    expected = 57_600 + REGULAR + KEI + UTILITIES_4 + HEATING_MONTH_4 * 1.3 * 4 / 12 + 9_500
    assert abs(nanto.monthly_total - expected) <= 1
    heating_more = yen(t[LineKind.heating]) - yen(n[LineKind.heating])
    assert heating_more < 0  # Toyama City heats less...
    assert toyama.monthly_total - nanto.monthly_total == (
        74_400 - 57_600 + 2 * 3_000 + heating_more)  # ...but pays more rent and parking
    assert all(line.basis == Basis.assumption and line.assumption
               for line in nanto.monthly if line.kind != LineKind.rent)


def test_the_grant_is_once_with_the_children_addition_and_medical_care_is_noted() -> None:
    budget = check(family(NANTO), profile(NANTO, rent=48_000, snow=374), PROGRAMMES)
    grant, children = budget.one_off
    assert (grant.kind, grant.amount_yen, grant.basis) == (
        LineKind.relocation_grant, 1_000_000, Basis.programme)
    assert (children.amount_yen, children.assumption) == (2 * 1_000_000, True)
    assert budget.one_off_total == 3_000_000
    assert budget.monthly_total < budget.one_off_total  # never mixed into the monthly total
    [medical] = budget.notes
    assert medical.amount_yen is None and medical.params == {"age": 18, "covered": 2,
                                                             "children": 2}
    assert {p.id for p in budget.support} == {"pref-childcare", "nanto-akiya"}  # not workation


def test_the_towns_own_grant_programme_wins_over_the_prefectures() -> None:
    own = (*PROGRAMMES, programme("nanto-grant", ProgrammeKind.relocation_grant, NANTO, 800_000))
    budget = check(family(NANTO), profile(NANTO, rent=48_000, snow=374), own)
    assert budget.one_off[0].amount_yen == 800_000
    # No programme at all: the town's own figure, said so.
    alone = check(family(NANTO), profile(NANTO, rent=48_000, snow=374, grant=900_000))
    assert (alone.one_off[0].amount_yen, alone.one_off[0].basis) == (900_000, Basis.town_figure)
    assert check(family(NANTO), profile(NANTO, rent=1, snow=1, grant=None)).one_off == ()


def test_one_person_without_a_car_gets_the_single_grant() -> None:
    budget = check(family(TOYAMA, adults=1, children=(), cars=0),
                   profile(TOYAMA, rent=62_000, snow=253), PROGRAMMES)
    kinds = [line.kind for line in budget.monthly]
    assert LineKind.car not in kinds and LineKind.childcare not in kinds
    assert budget.monthly[0].amount_yen == 62_000  # a 2LDK for one person: no 3LDK factor
    assert [line.amount_yen for line in budget.one_off] == [600_000]
    assert budget.notes == () and [p.id for p in budget.support] == ["toyama-akiya"]


def test_a_rent_entered_wins_and_a_missing_rent_is_missing_not_zero() -> None:
    given = check(family(TOYAMA, rent_yen=80_000, income_yen=400_000),
                  profile(TOYAMA, rent=62_000, snow=253))
    rent = given.monthly[0]
    assert (rent.amount_yen, rent.basis, rent.assumption, rent.sample) == (
        80_000, Basis.given, False, False)
    assert given.left_yen == 400_000 - given.monthly_total
    unknown = check(family(TOYAMA, income_yen=400_000), profile(TOYAMA, rent=None, snow=253))
    assert unknown.monthly[0].amount_yen is None and unknown.missing == (LineKind.rent,)
    assert unknown.monthly_total == given.monthly_total - 80_000
    assert unknown.left_yen is None  # not a surplus computed on a rent of 0


def test_a_town_without_a_snow_figure_gets_the_middle_heating_estimate() -> None:
    budget = check(family(TOYAMA), profile(TOYAMA, rent=62_000, snow=None))
    heating = next(line for line in budget.monthly if line.kind == LineKind.heating)
    assert heating.amount_yen == round(HEATING_MONTH_4 * 1.15 * 4 / 12)
    assert heating.params == {} and "no snow figure" in heating.detail


@pytest.mark.parametrize("changes", [
    {"adults": 0}, {"adults": 11}, {"children": (18,)}, {"children": (-1,)}, {"cars": -1},
    {"cars": 6}, {"rent_yen": -5}, {"children": tuple(range(11))}])
def test_an_impossible_household_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        family(TOYAMA, **changes)


def test_the_profile_must_be_the_households_town() -> None:
    with pytest.raises(ValueError, match="162108"):
        check(family(NANTO), profile(TOYAMA, rent=1, snow=1))
