"""The towns and programmes datasets (docs/info-data.md, "towns", "programmes"): the bundled
files (all 15 municipalities, every figure sourced or marked sample, programmes linking only to
procedures and consultation services that exist), a bad record reported with its line and id,
and the records served by the real app on SQLite and PostgreSQL — and read by the client."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from forms.bundled import load_catalogue
from server.consultations.catalogue import SEED_FILE
from server.core.config import ServerSettings
from server.ingest.bundle import BUNDLE, bundle_files
from server.ingest.codes import TOYAMA
from server.ingest.files import parse
from server.ingest.problems import FileRefused
from server.ingest.relocation import SAMPLE_WORDS, FigureKey, ProgrammeKind
from server.main import create_app
from services.models import InfoDataset
from services.relocation.models import parse_programme, parse_town
from services.store import StoredInfo
from tests.server.info_support import by_id, ingest

TOWNS = BUNDLE / "towns" / "towns.json"
PROGRAMMES = BUNDLE / "programmes" / "programmes.json"
LANGUAGES = {"ja", "ja-easy", "en"}


@pytest.fixture
def app_client(server_settings: ServerSettings) -> Iterator[TestClient]:
    with TestClient(create_app(server_settings)) as client:
        yield client


def _bodies(kind: str, path: Path) -> dict[str, dict]:
    parsed = parse(kind, path)
    assert parsed.problems == []
    return {r.record_id: r.body for r in parsed.batches[0].records}


def test_the_bundle_lists_both_files() -> None:
    found = {(kind, path.name) for kind, path in bundle_files()}
    assert {("towns", "towns.json"), ("programmes", "programmes.json")} <= found
    assert not any(path.suffix == ".md" for _, path in bundle_files())


def test_every_town_has_every_figure_sourced_or_marked_sample() -> None:
    towns = _bodies("towns", TOWNS)
    assert set(towns) == set(TOYAMA)
    for code, body in towns.items():
        assert body["name"] == TOYAMA[code]
        assert LANGUAGES <= set(body["summary"])
        keys = [f["key"] for f in body["figures"]]
        assert keys == [k.value for k in FigureKey], code  # every key, once, in order
        for figure in body["figures"]:
            where = f"{code} {figure['key']}"
            if figure["sample"]:
                assert any(w in figure["source"].lower() for w in SAMPLE_WORDS), where
                assert figure["note"]["en"], where  # a sample says what it is an estimate of
            else:
                assert figure["source"] and figure["year"], where
            assert figure["value"] is None or isinstance(figure["value"], int | float), where
        assert body["sample"] == any(f["sample"] for f in body["figures"])
    # The census figures are real and add up to the prefecture's 2020 total (1,034,814).
    population = [next(f for f in b["figures"] if f["key"] == "population")
                  for b in towns.values()]
    assert not any(f["sample"] for f in population)
    assert sum(f["value"] for f in population) == 1_034_814


def test_programmes_link_only_what_exists() -> None:
    programmes = _bodies("programmes", PROGRAMMES)
    assert len(programmes) >= 20
    procedures = {p.id for p in load_catalogue().procedures}
    services = {s["id"] for s in json.loads(SEED_FILE.read_text(encoding="utf-8"))["services"]}
    kinds = {body["kind"] for body in programmes.values()}
    assert kinds == {k.value for k in ProgrammeKind}
    linked = 0
    for ident, body in programmes.items():
        assert body["municipality"] is None or body["municipality"] in TOYAMA, ident
        assert body["procedure_id"] is None or body["procedure_id"] in procedures, ident
        assert (body["consultation_service_id"] is None
                or body["consultation_service_id"] in services), ident
        linked += body["procedure_id"] is not None or body["consultation_service_id"] is not None
        for field in ("title", "summary", "eligibility"):
            assert LANGUAGES <= set(body[field]), (ident, field)
        if body["sample"]:
            assert any(w in body["source"].lower() for w in SAMPLE_WORDS), ident
    assert linked >= 5
    assert programmes["toyama-city-relocation-grant"]["procedure_id"] == "iju_shienkin"
    assert {b["consultation_service_id"] for b in programmes.values()} >= {
        "relocation_visit", "relocation_video"}


GOOD = {"code": "162043", "name": "魚津市", "name_en": "Uozu City",
        "summary": {"ja": "港町", "ja-easy": "みなとの まち", "en": "A harbour town"},
        "figures": [{"key": "population", "value": 40535, "unit": "people", "year": 2020,
                     "source": "令和2年国勢調査", "sample": False},
                    {"key": "rent_2ldk_yen", "value": 52000, "unit": "yen",
                     "source": "サンプル", "sample": True}]}


def _write(tmp_path: Path, records: list[object]) -> Path:
    path = tmp_path / "towns.json"
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _town(**changes: object) -> dict:
    return {**GOOD, **changes}


def test_a_bad_record_is_reported_with_its_line_and_id_and_the_rest_loads(
        tmp_path: Path) -> None:
    unsourced = _town(code="162051", name="氷見市", figures=[
        {"key": "snow_cm", "value": 239, "unit": "cm", "source": "気象庁", "sample": False}])
    guessed = _town(code="162060", name="滑川市", figures=[
        {"key": "hospitals", "value": 3, "unit": "count", "source": "推計", "sample": True}])
    path = _write(tmp_path, [
        GOOD, unsourced, guessed, _town(code="162019"), _town(code="999999"),
        _town(code="162086", name="砺波市", summary={"ja": "散居村"}), GOOD, "not a record",
        _town(code="162078", name="黒部市", figures=[
            {"key": "snow_cm", "value": 3, "unit": "minutes", "source": "x", "year": 2020}])])
    parsed = parse("towns", path)
    [batch] = parsed.batches
    assert [r.record_id for r in batch.records] == ["162043"]
    lines = path.read_text(encoding="utf-8").splitlines()
    reasons = {}
    for problem in parsed.problems:
        assert lines[problem.line - 1].strip() in ('{', '"not a record",')  # where it starts
        reasons[problem.reason.split(":")[0]] = problem.reason
    assert "source and year" in reasons["code 162051"]
    assert "サンプル" in reasons["code 162060"]  # a sample must say it is one
    assert "富山市" in reasons["code 162019"]  # the name does not match the code
    assert "not one of Toyama" in reasons["code 999999"]
    assert "ja-easy" in reasons["code 162086"]
    assert "repeats line 2" in reasons["code 162043"]
    assert "cm, not minutes" in reasons["code 162078"]
    assert "not a JSON object" in reasons["a record without its code"]
    assert len(parsed.problems) == 8
    # A typo does not withdraw a town: the ids of unreadable records are kept as they are.
    assert batch.keep >= {"162051", "162060", "162078"}


def test_a_file_that_is_not_an_array_is_refused(tmp_path: Path) -> None:
    for text in ('{"towns": []}', "[1, 2", "[] trailing", "[{}{}]"):
        (tmp_path / "bad.json").write_text(text, encoding="utf-8")
        with pytest.raises(FileRefused):
            parse("towns", tmp_path / "bad.json")


def test_towns_and_programmes_are_served_and_read_by_the_client(app_client: TestClient,
                                                                 tmp_path: Path) -> None:
    counts, problems = ingest(app_client, "towns", TOWNS)
    assert (counts.added, problems) == (15, [])
    counts, problems = ingest(app_client, "programmes", PROGRAMMES)
    assert problems == [] and counts.added >= 20
    towns = by_id(app_client, "towns")
    assert set(towns) == set(TOYAMA)
    toyama = towns["162019"]
    assert toyama["municipality"] == "162019" and not toyama["withdrawn"]
    # The client reads every served record, with every figure.
    for record in towns.values():
        profile = parse_town(StoredInfo(
            dataset=InfoDataset.towns, id=record["id"], revision=record["revision"],
            municipality=record["municipality"], lat=None, lon=None, body=record["body"]))
        assert profile is not None and len(profile.figures) == len(FigureKey)
        assert profile.sample  # rent and land prices are estimates: the profile says so
    programmes = by_id(app_client, "programmes")
    for record in programmes.values():
        assert parse_programme(StoredInfo(
            dataset=InfoDataset.programmes, id=record["id"], revision=record["revision"],
            municipality=record["municipality"], lat=None, lon=None,
            body=record["body"])) is not None

    again, _ = ingest(app_client, "towns", TOWNS)
    assert (again.added, again.changed, again.unchanged, again.withdrawn) == (0, 0, 15, 0)
    assert by_id(app_client, "towns")["162019"]["revision"] == toyama["revision"]
    # A file without a town withdraws it (the file is the full list of its feed).
    fewer = json.loads(TOWNS.read_text(encoding="utf-8"))[1:]
    path = _write(tmp_path, fewer)
    changed, _ = ingest(app_client, "towns", path)
    assert (changed.withdrawn, changed.unchanged) == (1, 14)
    gone = by_id(app_client, "towns")["162019"]
    assert (gone["withdrawn"], gone["body"]) == (True, {})
