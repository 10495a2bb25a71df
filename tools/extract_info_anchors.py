"""Extract, once, the real public facilities that anchor the bundled sample data (issue 10).

    python tools/extract_info_anchors.py [SHELTERS_DIR]   # default ../shared/data/shelters

Reads the GSI 指定緊急避難場所 / 指定避難所 GeoJSON of the 15 municipalities and writes
tools/data/anchors.json: per municipality at most MAX_PER_TOWN schools, community halls,
gymnasiums and town offices (name, reading, address, lat, lon, kind), plus the bounding box of
all its GSI points. tools/make_info_samples.py reads only that file, so the samples can be
regenerated from a clone that has no shared folder.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pykakasi

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tools" / "data" / "anchors.json"
MAX_PER_TOWN = 60

# Name endings -> kind. Outdoor sites (parks, grounds, car parks) and nurseries are left out:
# an AED or a clinic is anchored on a building residents know.
KINDS = [
    ("office", re.compile(r"(市役所|町役場|村役場|庁舎|行政センター)$")),
    ("gym", re.compile(r"(体育館|体育センター|武道館|アリーナ)$")),
    ("school", re.compile(r"(小学校|中学校|高校|高等学校|義務教育学校)$")),
    ("community", re.compile(
        r"(公民館|地区センター|コミュニティセンター|交流センター|会館|公会堂)$")),
]
# Names with a condition (「洪水時２階以上」), brackets, digits or Latin letters are skipped, so
# that every kept name is plain and its reading is full-width katakana.
PLAIN_NAME = re.compile(r"^[\u3041-\u309f\u30a1-\u30fa\u30fc\u4e00-\u9fff々ヶ・]+$")

# Readings pykakasi gets wrong for Toyama's place names and common facility words; replaced
# (longest first) before the rest is converted. Katakana passes through pykakasi unchanged.
READINGS = {
    "市立": "シリツ", "町立": "チョウリツ", "村立": "ソンリツ", "県立": "ケンリツ",
    "八尾": "ヤツオ", "四方": "ヨカタ", "婦中": "フチュウ", "呉羽": "クレハ", "水橋": "ミズハシ",
    "大山": "オオヤマ", "細入": "ホソイリ", "船峅": "フナクラ", "上滝": "カミダキ",
    "新湊": "シンミナト", "小杉": "コスギ", "大門": "ダイモン", "下村": "シモムラ",
    "大島": "オオシマ", "福光": "フクミツ", "城端": "ジョウハナ", "井波": "イナミ",
    "井口": "イノクチ", "福野": "フクノ", "平村": "タイラムラ", "上平": "カミタイラ",
    "利賀": "トガ", "庄川": "ショウガワ", "砺波": "トナミ", "出町": "デマチ",
    "伏木": "フシキ", "戸出": "トイデ", "中田": "ナカダ", "福岡": "フクオカ", "能町": "ノウマチ",
    "氷見": "ヒミ", "朝日": "アサヒ", "泊": "トマリ", "入善": "ニュウゼン", "宇奈月": "ウナヅキ",
    "生地": "イクジ", "三日市": "ミッカイチ", "滑川": "ナメリカワ", "魚津": "ウオヅ",
    "上市": "カミイチ", "立山": "タテヤマ", "五百石": "ゴヒャッコク", "舟橋": "フナハシ",
    "小矢部": "オヤベ", "石動": "イスルギ", "津沢": "ツザワ", "高岡": "タカオカ",
    "射水": "イミズ", "黒部": "クロベ", "南砺": "ナント", "富山": "トヤマ",
    "小羽": "オバネ", "片掛": "カタカケ", "平米": "ヘイマイ", "上野方": "ウワノカタ",
    "早月": "ハヤツキ", "蟹谷": "カンダニ", "白萩": "シラハギ", "釜ケ渕": "カマガフチ",
    "釜ヶ渕": "カマガフチ", "前沢": "マエザワ", "下山新": "シモヤマシン",
    "体育館": "タイイクカン", "公民館": "コウミンカン", "小学校": "ショウガッコウ",
    "中学校": "チュウガッコウ", "役場": "ヤクバ", "市役所": "シヤクショ",
}

TOWNS = ["162019", "162027", "162043", "162051", "162060", "162078", "162086", "162094",
         "162108", "162116", "163210", "163228", "163236", "163422", "163431"]


def kind_of(name: str) -> str | None:
    for kind, pattern in KINDS:
        if pattern.search(name):
            return kind
    return None


def reading(converter: pykakasi.kakasi, name: str) -> str:
    for word in sorted(READINGS, key=len, reverse=True):
        name = name.replace(word, READINGS[word])
    return "".join(part["kana"] for part in converter.convert(name))


def features(folder: Path, code: str) -> list[dict]:
    path = folder / f"{code}.json"
    if not path.exists():
        path = folder / f"{code}.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(data.get("features", []))


def spread(candidates: list[dict], limit: int) -> list[dict]:
    """Farthest-point sampling: each next anchor is the one farthest from those already kept,
    so a big town's anchors cover all its districts instead of the first few by ID."""
    if not candidates:
        return []
    chosen = [candidates[0]]
    rest = candidates[1:]
    while rest and len(chosen) < limit:
        def gap(c: dict) -> float:
            return min((c["lat"] - k["lat"]) ** 2 + (c["lon"] - k["lon"]) ** 2 for k in chosen)
        best = max(rest, key=gap)
        chosen.append(best)
        rest.remove(best)
    return sorted(chosen, key=lambda c: (c["kind"], c["name"]))


def town_anchors(converter: pykakasi.kakasi, shelters: Path, code: str) -> dict:
    # Shelters first: their names carry no flood-floor condition.
    feats = features(shelters / "evacuation", code) + features(shelters / "emergency", code)
    lats = [f["geometry"]["coordinates"][1] for f in feats]
    lons = [f["geometry"]["coordinates"][0] for f in feats]
    candidates: list[dict] = []
    seen: set[str] = set()
    for feat in sorted(feats, key=lambda f: f["properties"]["共通ID"]):
        props = feat["properties"]
        name = props["施設・場所名"]
        kind = kind_of(name)
        if kind is None or name in seen or not PLAIN_NAME.match(name):
            continue
        seen.add(name)
        lon, lat = feat["geometry"]["coordinates"]
        candidates.append({
            "name": name, "kana": reading(converter, name), "address": props["住所"],
            "lat": round(lat, 6), "lon": round(lon, 6), "kind": kind,
        })
    chosen = spread(candidates, MAX_PER_TOWN)
    bbox = [min(lats), min(lons), max(lats), max(lons)] if feats else None
    return {"bbox": bbox, "anchors": chosen}


def dump(out: dict[str, dict]) -> str:
    """JSON with one anchor a line: small diffs, easy to read."""
    lines = ["{"]
    for i, (code, town) in enumerate(out.items()):
        anchors = [json.dumps(a, ensure_ascii=False, sort_keys=True) for a in town["anchors"]]
        lines.append(f' "{code}": {{"bbox": {json.dumps(town["bbox"])}, "anchors": [')
        lines += [f"  {a}," for a in anchors[:-1]] + [f"  {a}" for a in anchors[-1:]]
        lines.append(" ]}" + ("," if i < len(out) - 1 else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    shelters = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "data" / "shelters"
    converter = pykakasi.kakasi()
    out = {code: town_anchors(converter, shelters, code) for code in TOWNS}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(dump(out), encoding="utf-8")
    for code, town in out.items():
        print(code, len(town["anchors"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
