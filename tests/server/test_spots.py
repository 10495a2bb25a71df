"""The spots dataset (観光施設一覧, docs/info-data.md "spots"): the loader (headers as published,
our ';' slots, language columns of 説明/アクセス方法/バリアフリー情報, 車椅子対応, 対応言語,
fees, the sample flag), bad rows reported with their line, the bundled sample files (every app
language, each in its own script), and the records served by the app (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
import runpy
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from server.core.config import ServerSettings
from server.ingest.bundle import BUNDLE, bundle_files
from server.ingest.codes import TOYAMA
from server.ingest.csvfile import read_table
from server.ingest.files import parse
from server.ingest.problems import BadRow
from server.ingest.spots import LANGUAGES, fee_yen, support_languages, wheelchair
from server.main import create_app
from services.i18n import LANGUAGES as APP_LANGUAGES
from tests.server.info_support import by_id, ingest

ROOT = Path(__file__).resolve().parents[2]
HEADER = ",".join((
    "都道府県コード又は市区町村コード,NO,都道府県名,市区町村名,名称,名称_カナ",
    "名称_英語,POIコード,住所,方書,緯度,経度,利用可能曜日,開始時間,終了時間",
    "利用可能日時特記事項,料金（基本）,料金（詳細）,説明,説明_英語,アクセス方法",
    "駐車場情報,バリアフリー情報,連絡先名称,連絡先電話番号,連絡先内線番号",
    "画像,画像_ライセンス,URL,備考,説明_やさしい日本語,説明_韓国語,対応言語,カテゴリ",
    "アクセス方法_英語,バリアフリー情報_英語,バリアフリー情報_ネパール語,車椅子対応"))
GOOD = ",".join((
    "162027,1,富山県,高岡市,高岡大仏,タカオカダイブツ,Takaoka Great Buddha,",
    "富山県高岡市大手町,,36.7466,137.0196,月-金;土日祝,09:00;08:00,17:00;18:00",
    '年末年始も開放,"1,200円",団体割引あり,青銅の大仏です。,A bronze Buddha.',
    "高岡駅から徒歩10分,なし,段差あり,高岡市観光協会,0766-00-0000,12,,",
    "https://example.jp,メモ,おおきな　ほとけさまです。,청동 대불입니다.",
    "英語・韓国語,寺社,10 min walk from Takaoka Station,Steps,खुड्किला छन्।,一部"))
BAD = ",".join((
    "162027,2,富山県,高岡市,瑞龍寺,ズイリュウジ,,,富山県高岡市関本町,",
    "36.74,137.01,月,25:00,17:00,,時価,,,,,,,,,,,,,,,,,"))
FREE = ",".join((
    "162027,3,富山県,高岡市,古城公園,コジョウコウエン,,,富山県高岡市古城,",
    "36.75,137.02,,,,見学自由,無料,,,,,,,,,,,,,サンプルデータ,,,,,,,,"))
UNSURE = ",".join((  # 車椅子対応 says neither あり, 一部 nor なし
    "162027,4,富山県,高岡市,金屋町,カナヤマチ,,,富山県高岡市金屋町,",
    "36.748,137.008,,,,,,,,,,,,,,,,,,,,,,,,,,たぶん"))
PLACES = ("立山黒部アルペンルート", "相倉", "菅沼", "富岩運河環水公園", "雨晴海岸",
          "瑞龍寺", "黒部ダム", "称名滝", "海王丸パーク", "ほたるいかミュージアム",
          "山町筋", "金屋町")


@pytest.fixture
def app_client(server_settings: ServerSettings) -> Iterator[TestClient]:
    with TestClient(create_app(server_settings)) as client:
        yield client


def _file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "spots_162027.csv"
    path.write_text("\r\n".join((HEADER, *rows)) + "\r\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "yen"), [
    ("500", 500), ("500円", 500), ("１，２００円", 1200), ("¥300", 300), ("無料", 0),
    ("大人500円、子ども300円", None), ("区間により異なる", None), ("", None)])
def test_fees_are_yen_only_when_plain(text: str, yen: int | None) -> None:
    assert fee_yen(text) == yen


def test_support_languages_are_tags() -> None:
    # 「中国語」 names no script: a reader of either finds the place.
    assert support_languages("日本語;英語、中国語・韓国語") == [
        "ja", "en", "zh-Hans", "zh-Hant", "ko"]
    assert support_languages("en,zh-Hans;繁体字") == ["en", "zh-Hans", "zh-Hant"]
    assert support_languages("") == []
    with pytest.raises(BadRow, match="対応言語"):
        support_languages("クリンゴン語")


@pytest.mark.parametrize(("text", "value"), [
    ("あり", "yes"), ("○", "yes"), ("一部", "partial"), ("一部可", "partial"), ("なし", "no"),
    ("不可", "no"), ("", None), ("　", None)])
def test_wheelchair_cells(text: str, value: str | None) -> None:
    assert wheelchair(text) == value


def test_an_unknown_wheelchair_cell_is_refused() -> None:
    with pytest.raises(BadRow, match="車椅子対応"):
        wheelchair("たぶん")


def test_the_loader_reads_the_published_headers_and_our_extensions(tmp_path: Path) -> None:
    parsed = parse("spots", _file(tmp_path, GOOD, BAD, FREE, UNSURE))
    [batch] = parsed.batches
    records = {r.record_id: r for r in batch.records}
    assert set(records) == {"162027-1", "162027-3"}
    assert [(p.line, p.reason.split()[0]) for p in parsed.problems] == [
        (3, "開始時間"), (5, "車椅子対応")]
    assert "たぶん" in parsed.problems[1].reason
    assert batch.keep == frozenset({"162027-2", "162027-4"})  # a typo does not withdraw a spot
    good = records["162027-1"]
    assert (good.municipality, good.lat, good.lon) == ("162027", 36.7466, 137.0196)
    body = good.body
    assert body["hours"] == [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "open": "09:00", "close": "17:00"},
        {"days": ["sat", "sun", "hol"], "open": "08:00", "close": "18:00"}]
    assert body["description"] == {
        "ja": "青銅の大仏です。", "en": "A bronze Buddha.",
        "ja-easy": "おおきな　ほとけさまです。", "ko": "청동 대불입니다."}
    assert (body["fee_yen"], body["fee_text"]) == (1200, "1,200円\n団体割引あり")
    assert body["support_languages"] == ["en", "ko"]
    assert body["phone"] == "0766-00-0000 内線12"
    assert (body["name_en"], body["category"], body["access"], body["parking"],
            body["barrier_free"], body["url"]) == (
        "Takaoka Great Buddha", "寺社", "高岡駅から徒歩10分", "なし", "段差あり", "https://example.jp")
    assert body["access_text"] == {"ja": "高岡駅から徒歩10分",
                                   "en": "10 min walk from Takaoka Station"}
    assert body["barrier_free_text"] == {"ja": "段差あり", "en": "Steps", "ne": "खुड्किला छन्।"}
    assert (body["wheelchair"], body["sample"]) == ("partial", False)
    free = records["162027-3"].body
    assert (free["hours"], free["fee_yen"], free["description"], free["name_en"]) == (
        [], 0, {}, None)
    assert (free["access_text"], free["barrier_free_text"], free["wheelchair"],
            free["sample"]) == ({}, {}, None, True)


def test_a_file_without_the_language_columns_still_loads(tmp_path: Path) -> None:
    header = "都道府県コード又は市区町村コード,NO,名称,緯度,経度,説明"
    path = tmp_path / "plain.csv"
    path.write_text(f"{header}\n162027,1,高岡大仏,36.7466,137.0196,大仏\n", encoding="cp932")
    [record] = parse("spots", path).batches[0].records
    assert record.body["description"] == {"ja": "大仏"}
    assert record.body["support_languages"] == []
    assert (record.body["access_text"], record.body["wheelchair"], record.body["sample"]) == (
        {}, None, False)


def _bundled() -> list:
    return [r for kind, path in bundle_files() if kind == "spots"
            for b in parse("spots", path).batches for r in b.records]


APP_TAGS = {language.code for language in APP_LANGUAGES}
# What a text in each language must contain (its script), and must not (another's).
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
SCRIPT = {
    "ja": _KANA, "ja-easy": re.compile(r"[\u3040-\u309f]"), "zh-Hans": _HAN, "zh-Hant": _HAN,
    "ko": re.compile(r"[\uac00-\ud7a3]"), "ne": re.compile(r"[\u0900-\u097f]"),
    "th": re.compile(r"[\u0e00-\u0e7f]"), "vi": re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9]"),
}
LATIN = ("en", "pt-BR", "tl", "id", "vi")
NOT_LATIN = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7a3\u0900-\u097f\u0e00-\u0e7f]")


def _in_its_script(tag: str, text: str) -> bool:
    script = SCRIPT.get(tag)
    if script is not None and not script.search(text):
        return False
    if tag.startswith("zh") and _KANA.search(text):  # Japanese left in the Chinese column
        return False
    return not (tag in LATIN and NOT_LATIN.search(text))


def test_the_script_check_tells_languages_apart() -> None:
    assert _in_its_script("zh-Hans", "青铜大佛。") and _in_its_script("ne", "बुद्धमूर्ति")
    assert not _in_its_script("zh-Hant", "A bronze Buddha.")
    assert not _in_its_script("zh-Hans", "青銅の大仏です。")
    assert not _in_its_script("ko", "青铜大佛") and not _in_its_script("th", "Buddha")
    assert not _in_its_script("vi", "A bronze Buddha.") and _in_its_script("vi", "Tượng Phật")
    assert not _in_its_script("pt-BR", "청동 대불") and _in_its_script("id", "Patung Buddha")


def test_the_bundle_covers_the_prefecture_in_every_app_language() -> None:
    spots = _bundled()
    assert len(spots) >= 60
    files = {p.stem for p in (BUNDLE / "spots").glob("*.csv")}
    assert {r.municipality for r in spots} == files
    assert files == set(TOYAMA) - {"163210"}  # every town with a listed spot; 舟橋村 has none
    for spot in spots:
        body = spot.body
        description = body["description"]
        assert set(description) == APP_TAGS, spot.record_id
        assert all(text.strip() for text in description.values())
        assert all(_in_its_script(tag, text) for tag, text in description.items()), spot.record_id
        # a translation, not a copy: no two languages share a text
        assert len(set(description.values())) == len(description), spot.record_id
        assert {"ja", "en"} <= set(body["access_text"]), spot.record_id
        assert set(body["barrier_free_text"]) == APP_TAGS, spot.record_id
        for texts in (body["access_text"], body["barrier_free_text"]):
            assert all(_in_its_script(tag, text) for tag, text in texts.items()), spot.record_id
        assert (body["access"], body["barrier_free"]) == (
            body["access_text"]["ja"], body["barrier_free_text"]["ja"])
        assert body["wheelchair"] in {"yes", "partial", "no", None}
        assert body["sample"] is True and "サンプル" in body["notes"]
        assert spot.lat is not None and 36.2 < spot.lat < 37.0 and 136.7 < spot.lon < 137.8
    assert {s.body["wheelchair"] for s in spots} == {"yes", "partial", "no", None}
    names = " ".join(s.body["name"] for s in spots)
    for place in PLACES:
        assert place in names


def test_big_sites_say_which_languages_they_support() -> None:
    spots = {s.body["name"]: s.body["support_languages"] for s in _bundled()}
    for place in ("立山黒部アルペンルート（立山駅）", "五箇山合掌造り集落（相倉）", "国宝 瑞龍寺"):
        assert {"ja", "en"} <= set(spots[place]), place
    served = {tag for tags in spots.values() for tag in tags}
    assert {"zh-Hans", "zh-Hant", "ko"} <= served <= set(LANGUAGES.values()) | {"ja"}


def test_the_loader_maps_every_language_column_of_the_bundle() -> None:
    assert APP_TAGS - {"ja"} <= set(LANGUAGES.values())
    for path in (BUNDLE / "spots").glob("*.csv"):
        headers = read_table(path, ()).headers
        for header in headers:
            base, _, suffix = header.partition("_")
            if base in ("説明", "アクセス方法", "バリアフリー情報") and suffix:
                assert suffix in LANGUAGES, (path.name, header)
        described = {LANGUAGES[h.partition("_")[2]] for h in headers if h.startswith("説明_")}
        assert described == APP_TAGS - {"ja"}, path.name


def test_every_bundle_file_loads_cleanly_and_is_what_the_script_writes(tmp_path: Path) -> None:
    for _kind, path in [(k, p) for k, p in bundle_files() if k == "spots"]:
        assert parse("spots", path).problems == []
    script = runpy.run_path(str(ROOT / "tools" / "make_spot_samples.py"))
    script["main"](tmp_path)
    for made in tmp_path.glob("*.csv"):
        assert made.read_bytes() == (BUNDLE / "spots" / made.name).read_bytes()
    assert len(list(tmp_path.glob("*.csv"))) == len(list((BUNDLE / "spots").glob("*.csv")))


def test_spots_are_served_on_the_info_endpoint(app_client: TestClient, tmp_path: Path) -> None:
    counts, problems = ingest(app_client, "spots", _file(tmp_path, GOOD, BAD, FREE))
    assert (counts.added, [p.line for p in problems]) == (2, [3])
    served = by_id(app_client, "spots")
    assert set(served) == {"162027-1", "162027-3"}
    body = served["162027-1"]["body"]
    assert body["description"]["ko"] == "청동 대불입니다."
    assert (body["access_text"]["en"], body["barrier_free_text"]["ne"], body["wheelchair"],
            body["sample"]) == ("10 min walk from Takaoka Station", "खुड्किला छन्।", "partial", False)
    assert (served["162027-3"]["body"]["wheelchair"], served["162027-3"]["body"]["sample"]) == (
        None, True)
    assert served["162027-1"]["municipality"] == "162027"
    again, _ = ingest(app_client, "spots", _file(tmp_path, FREE))
    assert (again.unchanged, again.withdrawn) == (1, 1)
    gone = by_id(app_client, "spots")["162027-1"]
    assert (gone["withdrawn"], gone["body"], gone["municipality"]) == (True, {}, "162027")
    schema = app_client.get("/openapi.json").json()
    path = schema["paths"]["/v1/info/{dataset}"]["get"]["parameters"]
    assert "spots" in next(p for p in path if p["name"] == "dataset")["schema"]["enum"]
