"""My evacuation plan on the device (services/info/plan.py)."""

from __future__ import annotations

import pytest

from forms.problems import ProblemCode
from services.info.models import Hazard
from services.info.plan import (
    STORAGE_KEY,
    EvacuationPlan,
    EvacuationPlanRepository,
    PlanProblem,
    check_phone,
)
from tests.unit.conftest import DictStorage


async def test_the_plan_round_trips_through_the_device_storage() -> None:
    storage = DictStorage()
    plans = EvacuationPlanRepository(storage)
    assert (await plans.load()).empty
    await plans.set_shelter(Hazard.flood, "E1620100002201", "旧安野屋小学校体育館")
    await plans.set_shelter(Hazard.earthquake, "E1620100001201", "清水保育所　洪水時２階以上")
    await plans.set_meeting_point("  富山城址公園の  噴水の前 ")
    await plans.add_contact("母", "０９０‐１２３４‐５６７８")
    await plans.add_contact("Work", "076-444-3300")
    plan = await EvacuationPlanRepository(storage).load()
    assert plan.shelters[Hazard.flood].record_id == "E1620100002201"
    assert plan.shelters[Hazard.earthquake].name == "清水保育所 洪水時２階以上"
    assert plan.meeting_point == "富山城址公園の 噴水の前"
    assert [(c.name, c.phone) for c in plan.contacts] == [("母", "090-1234-5678"),
                                                          ("Work", "076-444-3300")]
    plan = await plans.clear_shelter(Hazard.flood)
    plan = await plans.remove_contact(0)
    assert set(plan.shelters) == {Hazard.earthquake} and len(plan.contacts) == 1
    assert await EvacuationPlanRepository(storage).load() == plan


@pytest.mark.parametrize("raw", [
    "not json", "[]", "null", '{"shelters": "x", "contacts": 3}', "",
    '{"shelters": {"flood": {"record_id": 1}}, "contacts": [{"name": "x"}]}',
])
async def test_a_damaged_stored_plan_reads_as_empty(raw: str) -> None:
    storage = DictStorage()
    storage.values[STORAGE_KEY] = raw
    assert (await EvacuationPlanRepository(storage).load()).empty


async def test_a_damaged_entry_is_skipped_the_rest_kept() -> None:
    storage = DictStorage()
    storage.values[STORAGE_KEY] = (
        '{"shelters": {"flood": {"record_id": "a", "name": "A"}, "meteor": {"record_id": "b",'
        ' "name": "B"}}, "contacts": [{"name": "x"}, {"name": "父", "phone": "090-1111-2222"}]}')
    plan = await EvacuationPlanRepository(storage).load()
    assert list(plan.shelters) == [Hazard.flood]
    assert [c.name for c in plan.contacts] == ["父"]


@pytest.mark.parametrize(("phone", "code"), [
    ("090-1234-5678", None), ("09012345678", None), ("076-444-3300", None),
    ("０７６４４４３３００", None), ("", ProblemCode.required), ("119", ProblemCode.not_a_phone),
    ("+81-90-1234-5678", ProblemCode.not_a_phone), ("090-1234-56789", ProblemCode.not_a_phone),
    ("090 1234 5678", ProblemCode.not_a_phone), ("abc-defg-hijk", ProblemCode.not_a_phone),
    ("090--1234-5678", ProblemCode.not_a_phone), ("1901234567", ProblemCode.not_a_phone),
    # a mobile number one digit short; a landline one digit long
    ("090-1234-567", ProblemCode.not_a_phone), ("076-444-33001", ProblemCode.not_a_phone),
    ("0120-123-456", None), ("050-1234-5678", None),
])
def test_phone_numbers_are_japanese_digits_and_hyphens(phone: str, code: ProblemCode | None,
                                                       ) -> None:
    problem = check_phone(phone)
    assert (problem.code if problem else None) == code


async def test_a_wrong_contact_is_refused_with_its_problem_and_not_saved() -> None:
    storage = DictStorage()
    plans = EvacuationPlanRepository(storage)
    with pytest.raises(PlanProblem) as caught:
        await plans.add_contact("母", "12345")
    assert caught.value.problem.code == ProblemCode.not_a_phone
    with pytest.raises(PlanProblem) as caught:
        await plans.add_contact("  ", "090-1234-5678")
    assert caught.value.problem.code == ProblemCode.required
    assert STORAGE_KEY not in storage.values
    assert EvacuationPlan.from_json(None).empty
