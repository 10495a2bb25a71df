"""A relocation budget check: what a household the resident describes would spend a month in
one town, and what it could receive once. An estimate to compare towns, not advice.

Every line says its basis — what the resident typed, the town's figure (a sample figure says
so), a programme, or our own assumption below — and whether it rests on an assumption. A line
whose basis is missing (no rent typed, the town has no rent figure) has no amount and is listed
in `Budget.missing`; it is never counted as 0.

Assumptions (yen, at the 2024–2025 price level; where a rule sets a number it is named):

Cars — the first car is a regular car (普通車, 1.5–2.0 L), every further car a kei car
(軽自動車), as many Toyama households have; costs per car, a year unless said otherwise:
- tax: 自動車税（種別割） 36,000 for 1.5–2.0 L (cars first registered from October 2019);
  軽自動車税（種別割） 10,800 (from April 2015) — 地方税法.
- compulsory insurance (自賠責保険): 17,650 (regular) and 17,540 (kei) for 24 months (the
  premiums from April 2023).
- voluntary insurance (任意保険): 60,000 and 45,000 — our assumption for a driver with a
  middle no-claims grade.
- inspection and upkeep (車検 with 重量税, oil, small repairs): 100,000 and 70,000 every two
  years — our assumption.
- winter tyres, needed everywhere in Toyama: a set of 80,000 and 50,000 lasting four winters,
  plus 4,000 a year for changing them over — our assumption.
- fuel: 800 km a month (car commuting is the norm), 14 km/L and 20 km/L, 175 yen/L regular
  petrol — our assumption.
- parking: 3,000 a month per car in 富山市 and 高岡市, where flats usually charge for it;
  0 elsewhere, where a space usually comes with the flat — our assumption.

Utilities — electricity, gas and water: 9,000 + 5,000 per person a month, about the levels of
the 総務省 家計調査 (2023) for one to four people — our assumption. Winter heating (kerosene and
extra electricity, December to March): 6,000 + 2,000 per person for each of the four months,
times 1.0 below 250 cm of snowfall a year, 1.15 from 250 cm, 1.3 from 350 cm (the town's snow
figure; the middle factor when it has none), spread over twelve months.

Rent — the resident's own figure, else the town's typical 2LDK rent; for four people or more a
3LDK is assumed at 1.2 times that rent.

Children — nursery for a child of 0–2: 30,000 a month (the fee depends on the household's
municipal tax and the town: our middle-income assumption); 3–5: nursery is free (幼児教育・保育
の無償化, October 2019), meals 4,500 a month; 6–14: school lunches 5,000 a month — our
assumptions.

Once — the relocation grant (地方創生移住支援事業) if the household meets its conditions: the
programme's or the town's household amount for two people or more, 600,000 for one person, and
the addition of up to 1,000,000 per child under 18 (the national maximum since FY2023; a town
may set less). Children's medical care (こども医療費助成) is noted with the town's age limit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from services.i18n import N_
from services.relocation.models import FigureKey, Programme, ProgrammeKind, TownProfile


class LineKind(StrEnum):
    rent = "rent"
    car = "car"
    utilities = "utilities"
    heating = "heating"
    childcare = "childcare"
    school_lunch = "school_lunch"
    relocation_grant = "relocation_grant"
    relocation_grant_children = "relocation_grant_children"
    child_medical = "child_medical"


class Basis(StrEnum):
    given = "given"  # what the resident typed
    town_figure = "town_figure"  # the town's figure (its `sample` says whether it is real)
    programme = "programme"  # a support programme's record
    assumption = "assumption"  # our constants (this module's docstring)


@dataclass(frozen=True)
class CarCosts:
    """One car's yearly costs (every field a year, except fuel, which follows distance)."""

    tax: int
    compulsory_insurance: int  # 自賠責, per year (the 24-month premium halved)
    voluntary_insurance: int
    upkeep: int  # 車検 and maintenance, per year
    winter_tyres: int  # the set spread over its winters, and the changeovers
    km_per_litre: float

    def monthly(self, km_per_month: int, yen_per_litre: int, parking: int) -> int:
        fixed = (self.tax + self.compulsory_insurance + self.voluntary_insurance + self.upkeep
                 + self.winter_tyres) / 12
        fuel = km_per_month / self.km_per_litre * yen_per_litre
        return round(fixed + fuel + parking)


REGULAR_CAR = CarCosts(tax=36_000, compulsory_insurance=17_650 // 2, voluntary_insurance=60_000,
                       upkeep=100_000 // 2, winter_tyres=80_000 // 4 + 4_000, km_per_litre=14)
KEI_CAR = CarCosts(tax=10_800, compulsory_insurance=17_540 // 2, voluntary_insurance=45_000,
                   upkeep=70_000 // 2, winter_tyres=50_000 // 4 + 4_000, km_per_litre=20)
KM_PER_MONTH = 800
PETROL_YEN_PER_LITRE = 175
PAID_PARKING_TOWNS = frozenset({"162019", "162027"})  # 富山市, 高岡市
PARKING_YEN = 3_000

UTILITIES_BASE_YEN = 9_000
UTILITIES_PER_PERSON_YEN = 5_000
HEATING_MONTHS = 4  # December to March
HEATING_BASE_YEN = 6_000
HEATING_PER_PERSON_YEN = 2_000
SNOW_FACTORS = ((350, 1.3), (250, 1.15), (0, 1.0))  # annual snowfall (cm) from, factor
SNOW_FACTOR_UNKNOWN = 1.15

BIG_HOUSEHOLD = 4  # people from whom a 3LDK is assumed
BIG_FLAT_FACTOR = 1.2

NURSERY_UNDER_3_YEN = 30_000
PRESCHOOL_MEALS_YEN = 4_500
SCHOOL_LUNCH_YEN = 5_000

SINGLE_GRANT_YEN = 600_000
CHILD_GRANT_YEN = 1_000_000
CHILD_AGE_LIMIT = 18  # children "under 18" for the grant's addition

MAX_ADULTS = 10
MAX_CHILDREN = 10
MAX_CARS = 5


@dataclass(frozen=True)
class Household:
    """What the resident describes. `rent_yen` and `income_yen` are monthly; income is what
    comes in after tax (手取り), optional."""

    adults: int
    children: tuple[int, ...]  # ages in years, 0–17
    cars: int
    rent_yen: int | None
    income_yen: int | None
    town: str  # the 6-digit municipality code

    def __post_init__(self) -> None:
        if not 1 <= self.adults <= MAX_ADULTS:
            raise ValueError(f"adults must be 1 to {MAX_ADULTS}")
        if len(self.children) > MAX_CHILDREN or any(not 0 <= a < CHILD_AGE_LIMIT
                                                    for a in self.children):
            raise ValueError(f"children: up to {MAX_CHILDREN}, each 0 to 17 years old")
        if not 0 <= self.cars <= MAX_CARS:
            raise ValueError(f"cars must be 0 to {MAX_CARS}")
        for amount in (self.rent_yen, self.income_yen):
            if amount is not None and amount < 0:
                raise ValueError("amounts cannot be negative")

    @property
    def people(self) -> int:
        return self.adults + len(self.children)


@dataclass(frozen=True)
class Line:
    kind: LineKind
    label: str  # msgid
    amount_yen: int | None  # None: not known (listed in Budget.missing, never counted as 0)
    basis: Basis
    detail: str  # msgid with {placeholders} filled from `params`
    params: Mapping[str, int | str] = field(default_factory=dict)
    assumption: bool = False  # rests on our constants
    sample: bool = False  # rests on a sample figure or programme


@dataclass(frozen=True)
class Budget:
    town: str
    household: Household
    monthly: tuple[Line, ...]
    one_off: tuple[Line, ...]  # if the household meets the conditions
    notes: tuple[Line, ...]  # no amount: what the household gets in kind
    support: tuple[Programme, ...]  # other programmes that may help (not counted)

    @property
    def monthly_total(self) -> int:
        """The known monthly lines; see `missing` for the others."""
        return sum(line.amount_yen for line in self.monthly if line.amount_yen is not None)

    @property
    def missing(self) -> tuple[LineKind, ...]:
        return tuple(line.kind for line in self.monthly if line.amount_yen is None)

    @property
    def one_off_total(self) -> int:
        return sum(line.amount_yen for line in self.one_off if line.amount_yen is not None)

    @property
    def left_yen(self) -> int | None:
        """Monthly income after these costs; None without an income or with a missing line."""
        if self.household.income_yen is None or self.missing:
            return None
        return self.household.income_yen - self.monthly_total


def _rent(household: Household, profile: TownProfile) -> Line:
    label = N_("Rent")
    if household.rent_yen is not None:
        return Line(LineKind.rent, label, household.rent_yen, Basis.given,
                    N_("The rent you entered"))
    figure = profile.figure(FigureKey.rent_2ldk_yen)
    if figure is None or figure.value is None:
        return Line(LineKind.rent, label, None, Basis.town_figure,
                    N_("The town has no rent figure: enter your rent"))
    if household.people >= BIG_HOUSEHOLD:
        return Line(LineKind.rent, label, round(figure.value * BIG_FLAT_FACTOR),
                    Basis.town_figure,
                    N_("The town's typical 2LDK rent, times {factor} for a 3LDK for "
                       "{people} people"),
                    {"factor": str(BIG_FLAT_FACTOR), "people": household.people},
                    assumption=True, sample=figure.sample)
    return Line(LineKind.rent, label, round(figure.value), Basis.town_figure,
                N_("The town's typical 2LDK rent"), sample=figure.sample)


def _cars(household: Household, town: str) -> Line | None:
    if household.cars == 0:
        return None
    parking = PARKING_YEN if town in PAID_PARKING_TOWNS else 0
    regular, kei = 1, household.cars - 1
    amount = (REGULAR_CAR.monthly(KM_PER_MONTH, PETROL_YEN_PER_LITRE, parking)
              + kei * KEI_CAR.monthly(KM_PER_MONTH, PETROL_YEN_PER_LITRE, parking))
    return Line(LineKind.car, N_("Cars"), amount, Basis.assumption,
                N_("Regular cars: {regular}, kei cars: {kei}. Tax, insurance, inspection, "
                   "winter tyres, fuel for {km} km a month and parking ({parking} yen a car)"),
                {"regular": regular, "kei": kei, "km": KM_PER_MONTH, "parking": parking},
                assumption=True)


def _utilities(household: Household) -> Line:
    amount = UTILITIES_BASE_YEN + UTILITIES_PER_PERSON_YEN * household.people
    return Line(LineKind.utilities, N_("Electricity, gas and water"), amount, Basis.assumption,
                N_("Typical use for {people} people"), {"people": household.people},
                assumption=True)


def snow_factor(snow_cm: float | None) -> float:
    if snow_cm is None:
        return SNOW_FACTOR_UNKNOWN
    return next(factor for floor, factor in SNOW_FACTORS if snow_cm >= floor)


def _heating(household: Household, profile: TownProfile) -> Line:
    figure = profile.figure(FigureKey.snow_cm)
    snow = figure.value if figure is not None else None
    per_month = HEATING_BASE_YEN + HEATING_PER_PERSON_YEN * household.people
    amount = round(per_month * snow_factor(snow) * HEATING_MONTHS / 12)
    if snow is None:
        detail = N_("Heating from December to March, spread over the year (the town has no "
                    "snow figure: a middle estimate)")
        params: dict[str, int | str] = {}
    else:
        detail = N_("Heating from December to March, spread over the year, for a town with "
                    "{snow} cm of snow a year")
        params = {"snow": round(snow)}
    return Line(LineKind.heating, N_("Winter heating"), amount, Basis.assumption, detail, params,
                assumption=True, sample=figure is not None and figure.sample)


def _children(household: Household) -> list[Line]:
    under_3 = sum(1 for a in household.children if a < 3)
    preschool = sum(1 for a in household.children if 3 <= a < 6)
    pupils = sum(1 for a in household.children if 6 <= a < 15)
    lines = []
    if under_3 or preschool:
        lines.append(Line(
            LineKind.childcare, N_("Nursery"),
            under_3 * NURSERY_UNDER_3_YEN + preschool * PRESCHOOL_MEALS_YEN, Basis.assumption,
            N_("Nursery fees for {infants} children under 3 (they depend on income) and meals "
               "for {preschool} children aged 3 to 5 (nursery itself is free)"),
            {"infants": under_3, "preschool": preschool}, assumption=True))
    if pupils:
        lines.append(Line(
            LineKind.school_lunch, N_("School lunches"), pupils * SCHOOL_LUNCH_YEN,
            Basis.assumption,
            N_("School lunches for {pupils} children at elementary and junior high school"),
            {"pupils": pupils}, assumption=True))
    return lines


def _grant_source(profile: TownProfile,
                  programmes: Sequence[Programme]) -> tuple[int, Basis, bool] | None:
    """The household amount of the relocation grant: the town's programme, else the
    prefecture's, else the town's figure; with its basis and whether it is a sample."""
    grants = [p for p in programmes if p.kind == ProgrammeKind.relocation_grant
              and p.amount_yen is not None]
    for scope in (profile.code, None):
        found = [p for p in grants if p.municipality == scope]
        if found:
            best = max(found, key=lambda p: p.amount_yen or 0)
            return best.amount_yen or 0, Basis.programme, best.sample
    figure = profile.figure(FigureKey.relocation_grant_yen)
    if figure is not None and figure.value is not None:
        return round(figure.value), Basis.town_figure, figure.sample
    return None


def _grants(household: Household, profile: TownProfile,
            programmes: Sequence[Programme]) -> list[Line]:
    source = _grant_source(profile, programmes)
    if source is None or source[0] == 0:
        return []
    household_amount, basis, sample = source
    single = household.people == 1
    lines = [Line(
        LineKind.relocation_grant, N_("Relocation grant"),
        min(household_amount, SINGLE_GRANT_YEN) if single else household_amount, basis,
        N_("For one person moving from the Tokyo area, if you meet the conditions") if single
        else N_("For a household moving from the Tokyo area, if you meet the conditions"),
        assumption=single, sample=sample)]
    children = len(household.children)  # every child here is under 18 (Household checks it)
    if children:
        lines.append(Line(
            LineKind.relocation_grant_children, N_("Relocation grant: children"),
            children * CHILD_GRANT_YEN, Basis.assumption,
            N_("Addition for {children} children under 18, at the national maximum of "
               "{each} yen each; the town may set less"),
            {"children": children, "each": CHILD_GRANT_YEN}, assumption=True, sample=sample))
    return lines


def _medical(household: Household, profile: TownProfile) -> list[Line]:
    figure = profile.figure(FigureKey.child_medical_free_until_age)
    if not household.children or figure is None or figure.value is None:
        return []
    age = round(figure.value)
    covered = sum(1 for a in household.children if a < age)
    return [Line(LineKind.child_medical, N_("Children's medical care"), None, Basis.town_figure,
                 N_("Free until age {age}: {covered} of your {children} children are covered"),
                 {"age": age, "covered": covered, "children": len(household.children)},
                 sample=figure.sample)]


def _support(household: Household, profile: TownProfile,
             programmes: Sequence[Programme]) -> tuple[Programme, ...]:
    kinds = {ProgrammeKind.housing} | ({ProgrammeKind.childcare} if household.children else set())
    return tuple(p for p in programmes if p.kind in kinds
                 and p.municipality in (profile.code, None))


def check(household: Household, profile: TownProfile,
          programmes: Sequence[Programme] = ()) -> Budget:
    """The household's budget in the profile's town. `programmes`: any list (the town's and
    the prefecture's are picked from it)."""
    if household.town != profile.code:
        raise ValueError(f"the household is for {household.town}, the profile for {profile.code}")
    monthly = [_rent(household, profile)]
    car = _cars(household, profile.code)
    if car is not None:
        monthly.append(car)
    monthly += [_utilities(household), _heating(household, profile), *_children(household)]
    return Budget(town=profile.code, household=household, monthly=tuple(monthly),
                  one_off=tuple(_grants(household, profile, programmes)),
                  notes=tuple(_medical(household, profile)),
                  support=_support(household, profile, programmes))
