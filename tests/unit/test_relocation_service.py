"""Reading the towns and programmes datasets (services/relocation/models.py, service.py):
forgiving parsing, parsed once per store generation, programmes by town and kind."""

from __future__ import annotations

from typing import Any

from services.models import InfoDataset
from services.relocation.budget import Household
from services.relocation.models import (
    FigureKey,
    ProgrammeKind,
    Unit,
    parse_programme,
    parse_town,
    pick,
)
from services.relocation.service import RelocationService
from services.store import StoredInfo


def stored(dataset: InfoDataset, ident: str, body: dict[str, Any],
           municipality: str | None = None) -> StoredInfo:
    return StoredInfo(dataset, ident, 1, municipality, None, None, body)


def town_body(code: str, name: str, **figures: float | None) -> dict[str, Any]:
    return {"code": code, "name": name, "name_en": name, "summary": {"ja": name, "en": name},
            "figures": [{"key": k, "value": v, "unit": "yen" if "yen" in k else "cm",
                         "year": 2024, "source": "source", "sample": False}
                        for k, v in figures.items()], "sample": False}


def programme_body(kind: str, municipality: str | None, **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "municipality": municipality, "title": {"ja": "題", "en": "Title"},
            "summary": {"en": "s"}, "eligibility": {}, "amount_yen": None, "url": "",
            "phone": "", "procedure_id": None, "consultation_service_id": None,
            "source": "src", "year": 2025, "sample": False, **extra}


class FakeInfo:
    """What RelocationService uses of InfoService: the records with their generation."""

    def __init__(self) -> None:
        self.generation = 1
        self.data: dict[InfoDataset, list[StoredInfo]] = {
            InfoDataset.towns: [
                stored(InfoDataset.towns, "162108", town_body(
                    "162108", "南砺市", rent_2ldk_yen=48000, snow_cm=374), "162108"),
                stored(InfoDataset.towns, "162019", town_body(
                    "162019", "富山市", rent_2ldk_yen=62000, snow_cm=253), "162019"),
                stored(InfoDataset.towns, "162027", {"code": "162027"}),  # no name: skipped
            ],
            InfoDataset.programmes: [
                stored(InfoDataset.programmes, "nanto-stay",
                       programme_body("trial_stay", "162108")),
                stored(InfoDataset.programmes, "pref-grant",
                       programme_body("relocation_grant", None, amount_yen=1_000_000)),
                stored(InfoDataset.programmes, "toyama-grant",
                       programme_body("relocation_grant", "162019", amount_yen=1_000_000,
                                      procedure_id="iju_shienkin")),
                stored(InfoDataset.programmes, "weird", programme_body("teleport", None)),
            ]}
        self.calls = 0

    async def records(self, dataset: InfoDataset) -> tuple[int, list[StoredInfo]]:
        self.calls += 1
        return self.generation, list(self.data[dataset])


async def test_towns_in_the_prefectures_order_and_one_by_code() -> None:
    service = RelocationService(FakeInfo())
    assert [t.code for t in await service.towns()] == ["162019", "162108"]
    nanto = await service.town("162108")
    assert nanto is not None and nanto.value(FigureKey.snow_cm) == 374
    assert await service.town("162027") is None  # its record has no name


async def test_records_are_parsed_again_only_when_the_generation_moves() -> None:
    info = FakeInfo()
    service = RelocationService(info)
    first = await service.towns()
    info.data[InfoDataset.towns] = info.data[InfoDataset.towns][:1]
    assert [t.code for t in await service.towns()] == [t.code for t in first]  # same snapshot
    assert (await service.towns())[0] is first[0]
    info.generation += 1
    assert [t.code for t in await service.towns()] == ["162108"]


async def test_programmes_of_a_town_include_the_prefectures_and_filter_by_kind() -> None:
    service = RelocationService(FakeInfo())
    assert [p.id for p in await service.programmes()] == ["pref-grant", "toyama-grant",
                                                          "nanto-stay"]
    assert [p.id for p in await service.programmes("162108")] == ["pref-grant", "nanto-stay"]
    grants = await service.programmes("162019", ProgrammeKind.relocation_grant)
    assert [p.id for p in grants] == ["pref-grant", "toyama-grant"]
    toyama = await service.programme("toyama-grant")
    assert toyama is not None and toyama.procedure_id == "iju_shienkin"
    assert await service.programme("weird") is None  # an unknown kind is skipped


async def test_compare_and_budget_through_the_service() -> None:
    service = RelocationService(FakeInfo())
    comparison = await service.compare(["162108", "163431", "162019"])
    assert [t.code for t in comparison.towns] == ["162108", "162019"]  # 朝日町 not synced
    rent = next(r for r in comparison.rows if r.key == FigureKey.rent_2ldk_yen)
    assert rent.best == (0,)
    budget = await service.budget(Household(2, (), 1, None, None, "162019"))
    assert budget is not None and budget.one_off[0].amount_yen == 1_000_000
    assert await service.budget(Household(2, (), 1, None, None, "163431")) is None


def test_a_town_body_is_read_forgivingly() -> None:
    body = {"code": "162051", "name": "氷見市", "summary": {"ja": "海", "en": 3},
            "figures": [
                {"key": "population", "value": "43950", "unit": "people", "year": 2020,
                 "source": "国勢調査", "sample": False},  # a string is not a number
                {"key": "snow_cm", "value": 239, "unit": "furlongs", "year": "2020",
                 "source": "気象庁", "sample": False},
                {"key": "hospitals", "value": 4, "unit": "count", "source": "推計"},
                {"key": "teleporters", "value": 1},
                "junk",
                {"key": "snow_cm", "value": 999, "unit": "cm", "source": "x",
                 "sample": False}]}
    town = parse_town(stored(InfoDataset.towns, "162051", body))
    assert town is not None
    assert [f.key for f in town.figures] == [FigureKey.population, FigureKey.snow_cm,
                                            FigureKey.hospitals]
    population, snow, hospitals = town.figures
    assert population.value is None  # missing, not 0
    assert (snow.value, snow.unit, snow.year) == (239, Unit.cm, None)
    assert hospitals.sample  # no explicit sample: false means not a published figure
    assert town.sample and town.summary == {"ja": "海"}
    assert town.value(FigureKey.rent_2ldk_yen) is None
    assert parse_town(stored(InfoDataset.towns, "x", {"figures": []})) is None


def test_a_programme_body_is_read_forgivingly() -> None:
    found = parse_programme(stored(InfoDataset.programmes, "p", programme_body(
        "housing", "", amount_yen=-5, procedure_id="", sample="no")))
    assert found is not None
    assert (found.municipality, found.amount_yen, found.procedure_id, found.sample) == (
        None, None, None, True)
    assert parse_programme(stored(InfoDataset.programmes, "p", {"kind": "housing"})) is None
    assert pick({"ja": "題", "en": "Title"}, "ja-easy") == "題"
    assert pick({"ja": "題", "en": "Title"}, "vi") == "Title"
    assert pick({}, "en") == ""
