"""The bundled SAMPLE medical / childcare / AED / duty files (server/seed/info/, issue 10):
standard headers, enough rows in every town, positions inside each town, slot lists the
contract can read, the encodings municipalities publish in, and a generator that reproduces them
byte for byte. Read with the csv module: no project loader exists for them yet."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import math
import re
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import holidays
import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "server" / "seed" / "info"
ANCHORS = ROOT / "tools" / "data" / "anchors.json"
GENERATOR = ROOT / "tools" / "make_info_samples.py"
SHELTERS = ROOT.parent / "shared" / "data" / "shelters"
needs_shared = pytest.mark.skipif(
    not SHELTERS.is_dir(), reason="../shared/data/shelters (the GSI files) is not here")

TOWNS = {
    "162019": "富山市", "162027": "高岡市", "162043": "魚津市", "162051": "氷見市",
    "162060": "滑川市", "162078": "黒部市", "162086": "砺波市", "162094": "小矢部市",
    "162108": "南砺市", "162116": "射水市", "163210": "舟橋村", "163228": "上市町",
    "163236": "立山町", "163422": "入善町", "163431": "朝日町",
}
FUNAHASHI, FUNAHASHI_CENTRE = "163210", (36.7045, 137.3069)
# As the README declares: four towns in CP932, one in UTF-8 without BOM, the rest with BOM.
CP932_TOWNS = {"162027", "162116", "162043", "163422"}
PLAIN_UTF8_TOWNS = {"162078"}

LEAD = ["都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名", "名称", "名称_カナ"]
HEADERS = {
    "medical": LEAD + [
        "医療機関の種類", "住所", "方書", "緯度", "経度", "電話番号", "内線番号", "FAX番号",
        "法人番号", "法人の名称", "医療機関コード", "診療曜日", "診療開始時間", "診療終了時間",
        "診療日時特記事項", "時間外における対応", "診療科目", "病床数", "URL", "備考"],
    "childcare": LEAD + [
        "種別", "住所", "方書", "緯度", "経度", "アクセス方法", "駐車場情報", "電話番号",
        "内線番号", "FAX番号", "法人番号", "団体名", "許可等年月日", "収容定員", "受入年齢",
        "利用可能曜日", "開始時間", "終了時間", "利用可能日時特記事項", "一時預かりの有無", "URL",
        "備考"],
    "aeds": LEAD + [
        "住所", "方書", "緯度", "経度", "設置位置", "電話番号", "内線番号", "法人番号", "団体名",
        "利用可能曜日", "開始時間", "終了時間", "利用可能日時特記事項", "小児対応設備の有無", "URL",
        "備考"],
}
MINIMUM = {"medical": 150, "childcare": 80, "aeds": 60}
SLOT_COLUMNS = {"medical": ("診療曜日", "診療開始時間", "診療終了時間"),
                "childcare": ("利用可能曜日", "開始時間", "終了時間"),
                "aeds": ("利用可能曜日", "開始時間", "終了時間")}
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
DAY = "[月火水木金土日]"
DAYS = re.compile(rf"^(平日|毎日|[月火水木金土日祝]+|{DAY}[-～]{DAY}[土日祝]*)$")
KATAKANA = re.compile(r"^[ァ-ヺー・]+$")
DEPT_SEPARATORS = re.compile(r"[;、,・]")


def encoding_of(code: str) -> str:
    if code in CP932_TOWNS:
        return "cp932"
    return "utf-8" if code in PLAIN_UTF8_TOWNS else "utf-8-sig"


def read(path: Path, encoding: str) -> tuple[list[str], list[dict[str, str]]]:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode(encoding), newline="")))
    return rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def town_rows(kind: str) -> dict[str, list[dict[str, str]]]:
    return {code: read(SEED / kind / f"{code}.csv", encoding_of(code))[1]
            for code in TOWNS if (SEED / kind / f"{code}.csv").exists()}


def all_rows(kind: str) -> list[tuple[str, dict[str, str]]]:
    return [(code, r) for code, rows in town_rows(kind).items() for r in rows]


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    dlat = (a[0] - b[0]) * 111.32
    dlon = (a[1] - b[1]) * 111.32 * math.cos(math.radians(a[0]))
    return math.hypot(dlat, dlon)


def inside(bbox: list[float], lat: float, lon: float, margin_km: float) -> bool:
    south, west, north, east = bbox
    dlat = margin_km / 111.32
    dlon = margin_km / (111.32 * math.cos(math.radians(lat)))
    return south - dlat <= lat <= north + dlat and west - dlon <= lon <= east + dlon


def gsi_features(code: str) -> list[dict]:
    features = []
    for folder in ("emergency", "evacuation"):
        data = json.loads((SHELTERS / folder / f"{code}.json").read_text(encoding="utf-8"))
        features += data.get("features", [])
    return features


# -- files, headers, counts --------------------------------------------------------------------

@pytest.mark.parametrize("kind", sorted(HEADERS))
def test_every_town_file_has_the_exact_standard_header_and_lead_columns(kind: str) -> None:
    assert sorted(p.stem for p in (SEED / kind).glob("*.csv")) == sorted(TOWNS)
    for code, name in TOWNS.items():
        header, rows = read(SEED / kind / f"{code}.csv", encoding_of(code))
        assert header == HEADERS[kind], (kind, code)
        assert rows, (kind, code)
        for no, r in enumerate(rows, start=1):
            assert (r["都道府県コード又は市区町村コード"], r["NO"], r["都道府県名"],
                    r["市区町村名"]) == (code, str(no), "富山県", name)
            assert r["名称"] and KATAKANA.match(r["名称_カナ"]), r["名称_カナ"]
            assert r["住所"].startswith("富山県") and name in r["住所"], r["住所"]


@pytest.mark.parametrize("kind", sorted(MINIMUM))
def test_minimum_counts(kind: str) -> None:
    assert len(all_rows(kind)) >= MINIMUM[kind]


def test_all_fifteen_towns_have_medical_institutions_toyama_city_most() -> None:
    counts = {code: len(rows) for code, rows in town_rows("medical").items()}
    assert set(counts) == set(TOWNS) and all(counts.values())
    assert max(counts, key=lambda c: counts[c]) == "162019"
    assert 1 <= counts[FUNAHASHI] <= 2


def test_medical_codes_types_and_departments() -> None:
    rows = all_rows("medical")
    codes = [r["医療機関コード"] for _, r in rows]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"16\d{8}", c) for c in codes)
    assert {r["医療機関の種類"] for _, r in rows} == {"病院", "診療所", "歯科診療所"}
    for _, r in rows:
        assert (r["医療機関の種類"] == "病院") == bool(r["病床数"]), r["名称"]
    paediatric = [r for _, r in rows if "小児科" in DEPT_SEPARATORS.split(r["診療科目"])]
    assert len(paediatric) >= 25


# -- hours -------------------------------------------------------------------------------------

def slots(kind: str) -> list[tuple[str, str, str, str]]:
    """(name, days, open, close) of every ';' slot of every row; the lists must be aligned."""
    day_col, open_col, close_col = SLOT_COLUMNS[kind]
    found = []
    for _, r in all_rows(kind):
        parts = [r[day_col].split(";"), r[open_col].split(";"), r[close_col].split(";")]
        assert len({len(p) for p in parts}) == 1, (r["名称"], parts)
        found += [(r["名称"], d, o, c) for d, o, c in zip(*parts, strict=True)]
    return found


@pytest.mark.parametrize("kind", sorted(SLOT_COLUMNS))
def test_slot_lists_are_aligned_with_valid_days_and_times(kind: str) -> None:
    for name, days, opens, closes in slots(kind):
        assert DAYS.match(days), (name, days)
        assert TIME.match(opens), (name, opens)
        assert TIME.match(closes) or closes == "24:00", (name, closes)
        assert opens != closes, name


def test_night_clinics_run_past_midnight() -> None:
    past_midnight = [s for s in slots("medical") if s[3] != "24:00" and s[3] < s[2]]
    assert len({s[0] for s in past_midnight}) >= 3


# -- positions ---------------------------------------------------------------------------------

def positions() -> list[tuple[str, str, str, float, float]]:
    return [(kind, code, r["名称"], float(r["緯度"]), float(r["経度"]))
            for kind in HEADERS for code, r in all_rows(kind)]


def test_positions_lie_around_the_committed_anchors_of_their_town() -> None:
    # Runs without ../shared: the anchors' box is what the generator placed facilities around.
    towns = json.loads(ANCHORS.read_text(encoding="utf-8"))
    for kind, code, name, lat, lon in positions():
        if code == FUNAHASHI:
            assert km((lat, lon), FUNAHASHI_CENTRE) <= 2, (kind, name)
        else:
            assert inside(towns[code]["bbox"], lat, lon, 1.0), (kind, code, name)


@needs_shared
def test_positions_lie_inside_their_towns_gsi_bounding_box() -> None:
    boxes = {}
    for code in TOWNS:
        points = [f["geometry"]["coordinates"] for f in gsi_features(code)]
        if points:
            lons, lats = zip(*points, strict=True)
            boxes[code] = [min(lats), min(lons), max(lats), max(lons)]
    for kind, code, name, lat, lon in positions():
        if code == FUNAHASHI:
            assert km((lat, lon), FUNAHASHI_CENTRE) <= 2, (kind, name)
        else:
            assert inside(boxes[code], lat, lon, 1.0), (kind, code, name)


@needs_shared
def test_aeds_sit_at_real_gsi_facilities_of_their_town() -> None:
    for code, rows in town_rows("aeds").items():
        if code == FUNAHASHI:  # no GSI data for the village: its own buildings, approximate
            continue
        real = {(f["properties"]["施設・場所名"], round(f["geometry"]["coordinates"][1], 6),
                 round(f["geometry"]["coordinates"][0], 6)) for f in gsi_features(code)}
        for r in rows:
            assert (r["名称"], float(r["緯度"]), float(r["経度"])) in real, (code, r["名称"])


# -- duty rota ---------------------------------------------------------------------------------

def test_duty_rota_covers_every_sunday_and_holiday_with_known_clinics() -> None:
    header, rows = read(SEED / "duty" / "duty.csv", "utf-8-sig")
    assert header == ["日付", "医療機関コード", "開始時間", "終了時間", "診療科目"]
    known = {r["医療機関コード"] for _, r in all_rows("medical")}
    jp = holidays.country_holidays("JP", years=[2026, 2027])
    dates = set()
    for r in rows:
        day = date.fromisoformat(r["日付"])
        year_end = (day.month, day.day) >= (12, 29) or (day.month, day.day) <= (1, 3)
        assert day.weekday() == 6 or day in jp or year_end, day
        assert r["医療機関コード"] in known
        assert TIME.match(r["開始時間"]) and TIME.match(r["終了時間"])
        assert r["開始時間"] < r["終了時間"]
        assert set(r["診療科目"].split(";")) <= {"内科", "小児科"}
        dates.add(day)
    assert min(dates) == date(2026, 11, 1) and max(dates) == date(2027, 3, 28)
    wanted = {d for d in jp if date(2026, 11, 1) <= d <= date(2027, 3, 31)}
    wanted |= {date(2026, 12, d) for d in (29, 30, 31)} | {date(2027, 1, d) for d in (1, 2, 3)}
    assert wanted <= dates
    per_day = {(r["日付"], r["医療機関コード"]) for r in rows}
    assert len(per_day) == len(rows)  # no clinic twice on one day


# -- encodings ---------------------------------------------------------------------------------

def test_declared_encodings_and_crlf_line_endings() -> None:
    files = [SEED / kind / f"{code}.csv" for kind in HEADERS for code in TOWNS]
    for path in [*files, SEED / "duty" / "duty.csv"]:
        data = path.read_bytes()
        assert data.endswith(b"\r\n") and data.count(b"\n") == data.count(b"\r\n"), path
        code = path.stem
        if code in CP932_TOWNS:
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
            data.decode("cp932")
        elif code in PLAIN_UTF8_TOWNS:
            assert not data.startswith(b"\xef\xbb\xbf"), path
            data.decode("utf-8")
        else:
            assert data.startswith(b"\xef\xbb\xbf"), path
            data.decode("utf-8")


# -- reproducible ------------------------------------------------------------------------------

def load_generator(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_info_samples", GENERATOR)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    # Dataclasses look their module up while the class is made.
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    return module


def test_generator_reproduces_the_committed_files_byte_for_byte(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_generator(monkeypatch).generate(tmp_path)
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.csv"))
    committed = sorted(p.relative_to(SEED) for kind in ("medical", "childcare", "aeds", "duty")
                       for p in (SEED / kind).glob("*.csv"))
    assert made == committed
    for rel in made:
        assert (tmp_path / rel).read_bytes() == (SEED / rel).read_bytes(), rel
