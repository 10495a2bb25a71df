"""Two or three towns side by side: one row per figure, the best town(s) of each row.

"Best" has a direction per figure: lower rent, land price, travel time, waiting list and snow
are better; higher population growth, grant, child medical age and hospital count are better.
Population, households and school counts have none: they describe a town's size, not what a
household gets from it. A missing value is missing — never read as 0, never best, never worst;
a row needs two known values to have a best, and when every known value is equal no town is
best. A sample figure takes part (it is the best estimate there is) and its cell says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from services.relocation.models import FIGURE_LABELS, UNITS, Figure, FigureKey, TownProfile, Unit


class Direction(StrEnum):
    lower_better = "lower"
    higher_better = "higher"
    neutral = "none"  # a fact, not a merit


DIRECTIONS: dict[FigureKey, Direction] = {
    FigureKey.population: Direction.neutral,
    FigureKey.households: Direction.neutral,
    FigureKey.population_change_pct: Direction.higher_better,
    FigureKey.rent_2ldk_yen: Direction.lower_better,
    FigureKey.land_price_yen_m2: Direction.lower_better,
    FigureKey.commute_to_toyama_min: Direction.lower_better,
    FigureKey.nursery_waiting: Direction.lower_better,
    FigureKey.child_medical_free_until_age: Direction.higher_better,
    FigureKey.relocation_grant_yen: Direction.higher_better,
    FigureKey.snow_cm: Direction.lower_better,
    FigureKey.hospitals: Direction.higher_better,
    FigureKey.elementary_schools: Direction.neutral,
    FigureKey.junior_high_schools: Direction.neutral,
}
DEFAULT_KEYS: tuple[FigureKey, ...] = tuple(FigureKey)


@dataclass(frozen=True)
class Row:
    key: FigureKey
    label: str  # msgid
    unit: Unit
    direction: Direction
    cells: tuple[Figure | None, ...]  # one per town, in the comparison's order
    best: tuple[int, ...]  # indexes into the towns; () when no town stands out

    @property
    def values(self) -> tuple[float | None, ...]:
        return tuple(cell.value if cell is not None else None for cell in self.cells)

    @property
    def sample(self) -> bool:
        return any(cell is not None and cell.sample for cell in self.cells)


@dataclass(frozen=True)
class Comparison:
    towns: tuple[TownProfile, ...]
    rows: tuple[Row, ...]


def best_of(values: Sequence[float | None], direction: Direction) -> tuple[int, ...]:
    """Indexes of the best known values (ties all); () without a direction, with fewer than
    two known values, or when they are all equal."""
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    if direction == Direction.neutral or len(known) < 2:
        return ()
    numbers = [v for _, v in known]
    if max(numbers) == min(numbers):
        return ()
    target = min(numbers) if direction == Direction.lower_better else max(numbers)
    return tuple(i for i, v in known if v == target)


def compare(profiles: Sequence[TownProfile],
            keys: Sequence[FigureKey] = DEFAULT_KEYS) -> Comparison:
    rows = []
    for key in keys:
        cells = tuple(p.figure(key) for p in profiles)
        values = [cell.value if cell is not None else None for cell in cells]
        direction = DIRECTIONS[key]
        rows.append(Row(key=key, label=FIGURE_LABELS[key], unit=UNITS[key], direction=direction,
                        cells=cells, best=best_of(values, direction)))
    return Comparison(towns=tuple(profiles), rows=tuple(rows))
