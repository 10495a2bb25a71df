"""Ingesting the information datasets (docs/info-data.md) into the real app, on SQLite and on
PostgreSQL: each input format, encodings, bad rows, content-hash revisions, withdrawal, the
duty rota, the GSI shelters, JMA and evacuation XML (and hostile XML), and the CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from server.core.config import ServerSettings
from server.ingest.ages import age_months
from server.ingest.bundle import BUNDLE, alert_files
from server.ingest.cells import days, slots
from server.ingest.codes import TOYAMA, municipality_code
from server.ingest.files import parse
from server.ingest.problems import BadRow, FileRefused
from server.main import create_app
from tests.server.info_support import DATA, by_id, ingest, pull

ROOT = Path(__file__).resolve().parents[2]
MEDICAL = DATA / "medical_162019.csv"
ALERTS = {path.name[:2]: path for path in alert_files()}


@pytest.fixture
def app_client(server_settings: ServerSettings) -> Iterator[TestClient]:
    with TestClient(create_app(server_settings)) as client:
        yield client


def _edit(source: Path, target: Path, old: str, new: str) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new), encoding="utf-8")
    return target


# --- cells, codes and ages (no database) ---

@pytest.mark.parametrize(("jma", "code"), [(c[:5] + "00", c) for c in TOYAMA])
def test_jma_area_codes_map_to_the_code_with_its_check_digit(jma: str, code: str) -> None:
    assert municipality_code(jma) == code == municipality_code(code)


@pytest.mark.parametrize("bad", ["162018", "160008", "1620101", "16201a", ""])
def test_wrong_municipality_codes_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        municipality_code(bad)


@pytest.mark.parametrize(("text", "expected"), [
    ("0歳～5歳", (0, 72)), ("生後57日～就学前", (1, 72)), ("1歳～2歳", (12, 36)),
    ("3歳以上", (36, None)), ("小学1年生～小学6年生", (72, 144)), ("生後6か月～2歳", (6, 36)),
    ("3歳未満", (None, 36)), ("相談に応じます", (None, None)),
])
def test_ages_are_read_as_months(text: str, expected: tuple) -> None:
    assert age_months(text) == expected


def test_day_lists_and_aligned_slots() -> None:
    assert days("月-金", "x") == days("平日", "x") == days("月～金", "x") == [
        "mon", "tue", "wed", "thu", "fri"]
    assert days("毎日", "x") == ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "hol"]
    assert days("土日祝", "x") == ["sat", "sun", "hol"]
    names = ("曜日", "開始", "終了")
    assert slots("月火水木金;月火水金;土", "09:00;15:00;09:00", "12:00;18:00;12:00", names) == [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "open": "09:00", "close": "12:00"},
        {"days": ["mon", "tue", "wed", "fri"], "open": "15:00", "close": "18:00"},
        {"days": ["sat"], "open": "09:00", "close": "12:00"}]
    with pytest.raises(BadRow, match="do not align"):
        slots("月;火", "09:00", "12:00;13:00", names)


# --- the CSV formats ---

def test_a_medical_file_loads_hours_departments_and_duty_slots(app_client: TestClient) -> None:
    counts, problems = ingest(app_client, "medical", MEDICAL)
    assert (counts.added, counts.changed, counts.withdrawn, problems) == (3, 0, 0, [])
    records = by_id(app_client, "medical")
    hospital, clinic, night = (records[c] for c in ("1610000001", "1610000002", "1610000003"))
    assert hospital["municipality"] == "162019"
    assert (hospital["lat"], hospital["lon"]) == (36.6959, 137.2137)
    assert hospital["body"]["type"] == "hospital" and hospital["body"]["beds"] == 350
    assert hospital["body"]["departments"] == ["内科", "外科", "小児科"]
    assert clinic["body"]["departments"] == ["内科", "循環器内科"]
    assert [s["days"] for s in clinic["body"]["hours"]] == [
        ["mon", "tue", "wed", "thu", "fri"], ["mon", "tue", "wed", "fri"], ["sat"]]
    assert night["body"]["type"] == "dental"
    assert night["body"]["hours"] == [{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun",
                                                "hol"], "open": "19:00", "close": "02:00"}]
    assert hospital["body"]["duty"] == [] and hospital["body"]["name_en"] is None


def test_a_cp932_childcare_file_is_decoded(app_client: TestClient) -> None:
    raw = (DATA / "childcare_162027_cp932.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # really Shift_JIS
    counts, problems = ingest(app_client, "childcare", DATA / "childcare_162027_cp932.csv")
    assert (counts.added, problems) == (3, [])
    bodies = {r["body"]["name"]: r["body"] for r in by_id(app_client, "childcare").values()}
    nursery = bodies["サンプル保育園"]
    assert (nursery["type"], nursery["type_ja"], nursery["capacity"]) == ("nursery", "保育所", 120)
    assert (nursery["ages"], nursery["age_min_months"], nursery["age_max_months"]) == (
        "生後57日～就学前", 1, 72)
    assert nursery["temporary_care"] is True and nursery["hours"][1]["days"] == ["sat"]
    assert bodies["サンプルこども園"]["type"] == "kodomoen"
    assert bodies["サンプルこども園"]["temporary_care"] is False
    club = bodies["サンプル児童クラブ"]
    assert (club["type"], club["age_min_months"], club["age_max_months"]) == (
        "after_school", 72, 144)


def test_a_utf8_bom_aed_file_matches_its_first_header(app_client: TestClient) -> None:
    path = DATA / "aeds_163228_bom.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # before the code column's name
    counts, problems = ingest(app_client, "aeds", path)
    assert (counts.added, problems) == (2, [])
    records = by_id(app_client, "aeds")
    office = records["163228-1"]["body"]
    assert (office["location"], office["pediatric"], office["operator"]) == (
        "1階正面玄関", True, "上市町")
    gym = records["163228-2"]["body"]
    assert gym["hours"] == [{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "hol"],
                             "open": "00:00", "close": "24:00"}]
    assert gym["pediatric"] is False


def test_a_standard_shelter_csv_keeps_conditions_and_capacity(app_client: TestClient) -> None:
    counts, _ = ingest(app_client, "shelters", DATA / "shelters_162027.csv")
    assert counts.added == 2
    school = by_id(app_client, "shelters")["162027-0001"]["body"]
    assert school["hazards"] == ["flood", "earthquake", "fire"]
    assert (school["capacity"], school["evacuation_shelter"], school["source"]) == (
        800, True, "municipal")
    assert school["notes"].startswith("洪水時２階以上")


def test_broken_rows_are_reported_by_line_and_the_rest_loads(app_client: TestClient) -> None:
    counts, problems = ingest(app_client, "medical", DATA / "medical_broken.csv")
    reported = [(p.line, p.reason) for p in problems]
    assert [line for line, _ in reported] == [3, 4, 5, 6, 7, 10]
    expected = ["outside Japan", "'9時半' is not a time", "do not align: 2, 1 and 2",
                "名称 is empty", "wrong check digit", "does not match code 162027"]
    for (_, reason), words in zip(reported, expected, strict=True):
        assert words in reason
    # The row with a line break in a quoted name (lines 8-9) loads, as does the first.
    assert counts.added == 2
    assert {r["body"]["name"] for r in by_id(app_client, "medical").values()} == {
        "サンプル中央病院", "改行入り\nクリニック"}


def test_a_file_without_a_required_column_is_refused_whole(tmp_path: Path) -> None:
    path = _edit(MEDICAL, tmp_path / "m.csv", ",名称,", ",施設名,")
    with pytest.raises(FileRefused, match="名称"):
        parse("medical", path)
    (tmp_path / "bad.csv").write_bytes(b"\x81\x00\xff\xfe")
    with pytest.raises(FileRefused, match="neither UTF-8 nor Shift_JIS"):
        parse("medical", tmp_path / "bad.csv")


# --- revisions by content hash, withdrawal ---

def test_reingesting_an_unchanged_file_changes_nothing(app_client: TestClient) -> None:
    ingest(app_client, "medical", MEDICAL)
    before, cursor = pull(app_client, "medical")
    etag = app_client.get("/v1/info/medical").headers["ETag"]
    counts, _ = ingest(app_client, "medical", MEDICAL)
    assert (counts.added, counts.changed, counts.unchanged, counts.withdrawn) == (0, 0, 3, 0)
    assert pull(app_client, "medical") == (before, cursor)
    assert app_client.get("/v1/info/medical").headers["ETag"] == etag


def test_a_changed_row_bumps_only_that_record(app_client: TestClient, tmp_path: Path) -> None:
    ingest(app_client, "medical", MEDICAL)
    before, cursor = pull(app_client, "medical")
    changed = _edit(MEDICAL, tmp_path / "m.csv", "076-000-0002", "076-999-0002")
    counts, _ = ingest(app_client, "medical", changed)
    assert (counts.changed, counts.unchanged) == (1, 2)
    after, _ = pull(app_client, "medical", since=cursor)
    assert [(r["id"], r["body"]["phone"]) for r in after] == [("1610000002", "076-999-0002")]
    assert after[0]["revision"] > max(r["revision"] for r in before)


def test_a_dropped_row_is_withdrawn_only_in_the_files_municipality(
    app_client: TestClient, tmp_path: Path
) -> None:
    ingest(app_client, "medical", MEDICAL)
    takaoka = tmp_path / "takaoka.csv"
    takaoka.write_text(MEDICAL.read_text(encoding="utf-8").splitlines()[0] + "\n"
                       "162027,1,富山県,高岡市,高岡のクリニック,,診療所,富山県高岡市,,36.75,137.02"
                       ",,,,,,,,,,,,内科,,,\n", encoding="utf-8")
    ingest(app_client, "medical", takaoka)
    _, cursor = pull(app_client, "medical")
    lines = MEDICAL.read_text(encoding="utf-8").splitlines()
    dropped = tmp_path / "toyama.csv"
    dropped.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")  # no night clinic
    counts, _ = ingest(app_client, "medical", dropped)
    assert (counts.withdrawn, counts.unchanged) == (1, 2)
    after, _ = pull(app_client, "medical", since=cursor)
    assert [(r["id"], r["withdrawn"], r["body"]) for r in after] == [("1610000003", True, {})]
    assert by_id(app_client, "medical")["162027-1"]["withdrawn"] is False


def test_a_row_that_turns_bad_keeps_its_record(app_client: TestClient, tmp_path: Path) -> None:
    ingest(app_client, "medical", MEDICAL)
    _, cursor = pull(app_client, "medical")
    broken = _edit(MEDICAL, tmp_path / "m.csv", "09:00;15:00;09:00", "09:00;15:00")
    counts, problems = ingest(app_client, "medical", broken)
    assert [p.line for p in problems] == [3]
    assert (counts.withdrawn, counts.changed) == (0, 0)
    assert pull(app_client, "medical", since=cursor)[0] == []


def test_the_duty_rota_fills_medical_records_and_survives_a_reingest(
    app_client: TestClient,
) -> None:
    ingest(app_client, "medical", MEDICAL)
    counts, problems = ingest(app_client, "duty", DATA / "duty.csv")
    assert [(p.line, p.reason) for p in problems] == [
        (5, "医療機関コード 9999999999 is no known facility"),
        (6, "日付 '2027-13-01' is not a date (YYYY-MM-DD)")]
    assert (counts.changed, counts.unchanged) == (2, 1)
    records = by_id(app_client, "medical")
    assert records["1610000002"]["body"]["duty"] == [
        {"date": "2026-12-31", "open": "09:00", "close": "17:00", "departments": ["内科"]},
        {"date": "2027-01-01", "open": "09:00", "close": "17:00",
         "departments": ["内科", "小児科"]}]
    assert [d["date"] for d in records["1610000001"]["body"]["duty"]] == ["2027-01-01"]
    assert records["1610000003"]["body"]["duty"] == []
    # The medical file says nothing about duty: re-ingesting it keeps the rota.
    counts, _ = ingest(app_client, "medical", MEDICAL)
    assert (counts.changed, counts.unchanged) == (0, 3)
    assert by_id(app_client, "medical")["1610000002"]["body"]["duty"][0]["date"] == "2026-12-31"


# --- GSI GeoJSON ---

def test_gsi_shelters_of_one_town_match_the_files(app_client: TestClient) -> None:
    folder = BUNDLE / "shelters"
    emergency = json.loads((folder / "emergency" / "163228.geojson").read_text("utf-8"))
    evacuation = json.loads((folder / "evacuation" / "163228.geojson").read_text("utf-8"))
    ingest(app_client, "shelters", folder / "emergency" / "163228.geojson")
    counts, problems = ingest(app_client, "shelters", folder / "evacuation" / "163228.geojson")
    assert (counts.added, problems) == (len(evacuation["features"]), [])
    records = by_id(app_client, "shelters")
    assert len(records) == len(emergency["features"]) + len(evacuation["features"]) == 34 + 3
    first = emergency["features"][0]["properties"]
    site = records["gsi-e-" + first["共通ID"]]
    assert site["body"]["name"] == first["施設・場所名"]
    assert site["body"]["hazards"] == ["flood", "earthquake", "inland_flood"]
    assert (site["body"]["capacity"], site["body"]["source"]) == (None, "gsi")
    assert [site["lon"], site["lat"]] == emergency["features"][0]["geometry"]["coordinates"]
    shelters = [r for r in records.values() if r["id"].startswith("gsi-s-")]
    assert all(r["body"]["evacuation_shelter"] and r["body"]["hazards"] == [] for r in shelters)
    assert {r["body"]["accepts"] for r in shelters} >= {"高齢者等"}
    # The evacuation file replaces only the shelters: the emergency sites stay.
    counts, _ = ingest(app_client, "shelters", folder / "evacuation" / "163228.geojson")
    assert (counts.unchanged, counts.withdrawn) == (3, 0)


# --- alerts ---

def _alerts(client: TestClient) -> dict[str, dict]:
    return {i: r for i, r in by_id(client, "alerts").items() if not r["withdrawn"]}


def test_jma_warnings_issued_continued_lifted(app_client: TestClient) -> None:
    ingest(app_client, "jma", ALERTS["01"])
    live = _alerts(app_client)
    rain = live["w-162019-03"]["body"]
    assert (rain["name"], rain["level"], rain["status"], rain["area"]) == (
        "大雨警報", 3, "issued", "富山市")
    assert rain["issued_at"] == "2026-07-12T05:10:00+09:00" and rain["type"] == "warning"
    assert live["w-162019-04"]["body"]["level"] == 3  # 洪水警報
    assert live["w-162019-14"]["body"]["level"] is None  # 雷注意報
    assert live["w-162027-03"]["body"]["level"] is None  # 大雨警報（浸水害）only
    assert live["w-162060-10"]["body"]["level"] == 2  # 大雨注意報
    ingest(app_client, "jma", ALERTS["02"])
    live = _alerts(app_client)
    assert live["w-162019-03"]["body"]["status"] == "continued"
    assert "w-162027-03" not in live  # 高岡市: warning → advisory
    assert live["w-162027-10"]["body"]["status"] == "issued"
    counts, _ = ingest(app_client, "jma", ALERTS["07"])
    assert counts.withdrawn == 34 and _alerts(app_client) == {}


def test_landslide_alert_is_level_4_until_lifted(app_client: TestClient) -> None:
    ingest(app_client, "jma", ALERTS["03"])
    live = _alerts(app_client)
    assert list(live) == ["w-163228-landslide"]
    assert (live["w-163228-landslide"]["body"]["name"],
            live["w-163228-landslide"]["body"]["level"]) == ("土砂災害警戒情報", 4)
    ingest(app_client, "jma", ALERTS["05"])
    assert _alerts(app_client) == {}


def test_earthquake_intensities_by_municipality(app_client: TestClient) -> None:
    counts, problems = ingest(app_client, "jma", ALERTS["08"])
    assert (counts.added, problems) == (10, [])
    live = _alerts(app_client)
    toyama = live["eq-20260903021400-1620100"]
    assert (toyama["municipality"], toyama["body"]["intensity"], toyama["body"]["area"]) == (
        "162019", "5-", "富山市")
    assert toyama["body"]["type"] == "earthquake" and toyama["body"]["level"] is None
    assert live["eq-20260903021400-1632200"]["body"]["intensity"] == "4"
    assert max(int(r["body"]["intensity"][0]) for r in live.values()) == 5


def test_an_evacuation_order_carries_its_level_until_lifted(app_client: TestClient) -> None:
    ingest(app_client, "evacuation", ALERTS["04"])
    order = _alerts(app_client)["ev-162019-162019-20260712-01"]["body"]
    assert (order["type"], order["name"], order["level"], order["status"]) == (
        "evacuation", "避難指示", 4, "issued")
    assert order["area"].startswith("八尾町桐谷、八尾町杉平")
    counts, _ = ingest(app_client, "evacuation", ALERTS["06"])
    assert counts.withdrawn == 1 and _alerts(app_client) == {}
    with pytest.raises(FileRefused, match="evacuation document, not jma"):
        parse("jma", ALERTS["04"])


HOSTILE = {
    "billion laughs": '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
                      '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                      '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n'
                      '<Report xmlns="http://xml.kishou.go.jp/jmaxml1/">&c;</Report>',
    "external entity": '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM '
                       '"file:///etc/passwd">]>\n'
                       '<Report xmlns="http://xml.kishou.go.jp/jmaxml1/">&x;</Report>',
    "not xml": "<Report><Control>",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_xml_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / "doc.xml"
    path.write_text(HOSTILE[name], encoding="utf-8")
    with pytest.raises(FileRefused, match="DTDForbidden|not well-formed"):
        parse("jma", path)


def test_a_drill_document_loads_nothing(app_client: TestClient, tmp_path: Path) -> None:
    drill = _edit(ALERTS["01"], tmp_path / "drill.xml", "<Status>通常</Status>",
                  "<Status>訓練</Status>")
    counts, problems = ingest(app_client, "jma", drill)
    assert counts.added == 0 and "訓練" in problems[0].reason


# --- the command line ---

def _cli(settings: ServerSettings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KITOKITO_") and k != "DATABASE_URL"}
    env["KITOKITO_DATA_DIR"] = str(settings.data_dir)
    if settings.database_url:
        env["DATABASE_URL"] = settings.database_url
    return subprocess.run([sys.executable, "-m", "server.ingest", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_the_cli_reports_counts_and_bad_rows(
    server_settings: ServerSettings, tmp_path: Path
) -> None:
    broken = shutil.copy(DATA / "medical_broken.csv", tmp_path / "broken.csv")
    done = _cli(server_settings, "medical", str(broken))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"{broken}: added 2, changed 0, unchanged 0, withdrawn 0"
    assert lines[1].startswith(f"{broken}:3: 緯度/経度")
    assert [line.split(":")[1] for line in lines[1:]] == ["3", "4", "5", "6", "7", "10"]
    again = _cli(server_settings, "medical", str(broken))
    assert again.stdout.splitlines()[0].endswith("added 0, changed 0, unchanged 2, withdrawn 0")
    missing = _cli(server_settings, "medical", str(tmp_path / "none.csv"), str(broken))
    assert missing.returncode == 2
    assert "none.csv: refused: cannot be read" in missing.stderr
    assert "unchanged 2" in missing.stdout  # the readable file still loaded
    replay = _cli(server_settings, "replay")
    assert replay.returncode == 0 and len(replay.stdout.splitlines()) == len(ALERTS)
    assert "withdrawn 34" in replay.stdout


def test_warning_levels_follow_the_jma_ranking() -> None:
    from server.ingest.jma import warning_level
    assert warning_level("大雨特別警報", "") == 5
    assert warning_level("高潮警報", "") == 4  # with 避難指示, not with 洪水警報
    assert warning_level("大雨警報", "土砂災害、浸水害") == 3
    assert warning_level("大雨警報", "浸水害") is None
    assert warning_level("洪水注意報", "") == 2
    assert warning_level("大雪警報", "") is None
