"""Towns side by side (services/relocation/compare.py): the best per row follows the figure's
direction, and a missing value is never read as 0."""

from __future__ import annotations

from services.relocation.compare import DIRECTIONS, Direction, best_of, compare
from services.relocation.models import UNITS, Figure, FigureKey, TownProfile


def figure(key: FigureKey, value: float | None, *, sample: bool = False) -> Figure:
    return Figure(key, value, UNITS[key], None if sample else 2020,
                  "サンプル" if sample else "国勢調査", "", sample, {})


def town(code: str, **values: float | None) -> TownProfile:
    figures = tuple(figure(FigureKey(k), v) for k, v in values.items())
    return TownProfile(code, code, code, {}, figures, False)


def test_lower_rent_and_more_hospitals_are_best() -> None:
    towns = [town("A", rent_2ldk_yen=62000, hospitals=44, snow_cm=253),
             town("B", rent_2ldk_yen=48000, hospitals=4, snow_cm=374),
             town("C", rent_2ldk_yen=55000, hospitals=6, snow_cm=238)]
    rows = {r.key: r for r in compare(towns).rows}
    assert rows[FigureKey.rent_2ldk_yen].best == (1,)
    assert rows[FigureKey.hospitals].best == (0,)
    assert rows[FigureKey.snow_cm].best == (2,)
    assert rows[FigureKey.rent_2ldk_yen].values == (62000, 48000, 55000)


def test_a_missing_value_is_never_zero_and_never_best() -> None:
    towns = [town("A", rent_2ldk_yen=62000, hospitals=None, nursery_waiting=3),
             town("B", hospitals=5),  # no rent figure at all; no waiting-list figure
             town("C", rent_2ldk_yen=70000, hospitals=2, nursery_waiting=None)]
    rows = {r.key: r for r in compare(towns).rows}
    rent = rows[FigureKey.rent_2ldk_yen]
    assert rent.cells[1] is None and rent.values == (62000, None, 70000)
    assert rent.best == (0,)  # B's missing rent does not win as 0
    assert rows[FigureKey.hospitals].best == (1,)  # A's unknown count does not lose as 0
    # One known waiting list among three: nothing to compare it with, so no best.
    assert rows[FigureKey.nursery_waiting].best == ()


def test_ties_are_all_best_and_equal_values_make_no_best() -> None:
    assert best_of([3, 1, 1], Direction.lower_better) == (1, 2)
    assert best_of([0, 0, 0], Direction.lower_better) == ()
    assert best_of([18, None, 15], Direction.higher_better) == (0,)
    assert best_of([None, None], Direction.higher_better) == ()


def test_size_figures_have_no_best_and_every_key_has_a_direction() -> None:
    assert set(DIRECTIONS) == set(FigureKey)
    towns = [town("A", population=413938, elementary_schools=65),
             town("B", population=3132, elementary_schools=1)]
    rows = {r.key: r for r in compare(towns).rows}
    assert rows[FigureKey.population].best == ()
    assert rows[FigureKey.elementary_schools].best == ()


def test_rows_follow_the_keys_asked_and_say_when_a_cell_is_a_sample() -> None:
    a = TownProfile("A", "A", "A", {}, (figure(FigureKey.rent_2ldk_yen, 50000, sample=True),
                                        figure(FigureKey.population, 100)), True)
    b = town("B", rent_2ldk_yen=52000, population=200)
    comparison = compare([a, b], [FigureKey.rent_2ldk_yen, FigureKey.population])
    assert [r.key for r in comparison.rows] == [FigureKey.rent_2ldk_yen, FigureKey.population]
    assert comparison.rows[0].sample and not comparison.rows[1].sample
    assert [t.code for t in comparison.towns] == ["A", "B"]
