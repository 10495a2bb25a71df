"""My relocation plan on the device (services/relocation/plan.py): it round-trips, damaged
storage reads as empty, and the limits hold."""

from __future__ import annotations

import pytest

from forms.bundled import load_catalogue
from forms.problems import ProblemCode
from services.info.plan import PlanProblem
from services.relocation.plan import (
    CHECKLIST,
    MAX_NOTES,
    STORAGE_KEY,
    RelocationPlan,
    RelocationPlanRepository,
)
from tests.unit.conftest import DictStorage


async def test_the_plan_round_trips_through_the_device_storage() -> None:
    storage = DictStorage()
    plans = RelocationPlanRepository(storage)
    assert (await plans.load()).empty
    await plans.add_town("162108")
    await plans.add_town("162019")
    await plans.add_town("162108")  # already there: kept once
    await plans.set_notes("  井波の空き家を見に行く\n冬の雪を確かめる  ")
    await plans.set_done("trial_stay", True)
    await plans.set_done("winter", True)
    plan = await plans.set_done("trial_stay", False)
    again = await RelocationPlanRepository(storage).load()
    assert again == plan
    assert again.towns == ("162108", "162019")
    assert again.notes == "井波の空き家を見に行く\n冬の雪を確かめる"
    assert [i.id for i in again.checklist] == [e.id for e in CHECKLIST]
    assert [i.id for i in again.checklist if i.done] == ["winter"]
    plan = await plans.remove_town("162108")
    assert plan.towns == ("162019",) and not plan.empty


@pytest.mark.parametrize("raw", [
    "not json", "[]", "null", "", '{"towns": "162019", "done": 3, "notes": 7}',
    '{"towns": [1, null], "done": [{}]}'])
async def test_damaged_storage_reads_as_an_empty_plan(raw: str) -> None:
    storage = DictStorage()
    storage.values[STORAGE_KEY] = raw
    assert (await RelocationPlanRepository(storage).load()).empty


async def test_unknown_entries_are_dropped_and_the_rest_kept() -> None:
    storage = DictStorage()
    storage.values[STORAGE_KEY] = (
        '{"towns": ["162019", "999999", "16201", "162019", "162027", "162043", "162051"],'
        ' "notes": "' + "x" * (MAX_NOTES + 50) + '", "done": ["licence", "teleport"]}')
    plan = await RelocationPlanRepository(storage).load()
    assert plan.towns == ("162019", "162027", "162043")  # known, 6 digits, once, at most 3
    assert len(plan.notes) == MAX_NOTES
    assert [i.id for i in plan.checklist if i.done] == ["licence"]


async def test_the_limits_are_checked_before_anything_is_saved() -> None:
    storage = DictStorage()
    plans = RelocationPlanRepository(storage)
    for code in ("162019", "162027", "162043"):
        await plans.add_town(code)
    saved = storage.values[STORAGE_KEY]
    with pytest.raises(PlanProblem) as fourth:
        await plans.add_town("162051")
    assert fourth.value.problem.code == ProblemCode.too_many_items
    assert fourth.value.problem.params == {"max": 3}
    for code in ("999999", "16201", ""):
        with pytest.raises(PlanProblem) as unknown:
            await plans.add_town(code)
        assert unknown.value.problem.code == ProblemCode.unknown_choice
    with pytest.raises(PlanProblem) as long:
        await plans.set_notes("あ" * (MAX_NOTES + 1))
    assert long.value.problem.code == ProblemCode.too_long
    with pytest.raises(PlanProblem) as item:
        await plans.set_done("teleport", True)
    assert item.value.problem.code == ProblemCode.unknown_choice
    assert storage.values[STORAGE_KEY] == saved


def test_the_checklist_links_only_procedures_that_exist() -> None:
    ids = [e.id for e in CHECKLIST]
    assert len(ids) == len(set(ids))
    procedures = {p.id for p in load_catalogue().procedures}
    assert all(e.procedure_id is None or e.procedure_id in procedures for e in CHECKLIST)
    assert RelocationPlan().checklist and not any(i.done for i in RelocationPlan().checklist)
