"""Generate the bundled SAMPLE data for medical institutions, childcare facilities, AEDs and the
休日当番医 rota of Toyama's 15 municipalities (issue 10; contract in docs/info-data.md).

    python tools/make_info_samples.py [OUT_DIR]      # default server/seed/info

Deterministic: a fixed random seed and fixed tables, so two runs give byte-identical files.
Facilities are placed on real public buildings taken once from the GSI shelter data
(tools/data/anchors.json, made by tools/extract_info_anchors.py) plus a small offset, so every
coordinate lies inside its municipality. Hospital names and approximate locations are real; all
other facilities, and every detail (hours, phones, beds, capacities), are invented for the demo.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import holidays

ROOT = Path(__file__).resolve().parent.parent
ANCHORS = ROOT / "tools" / "data" / "anchors.json"
DEFAULT_OUT = ROOT / "server" / "seed" / "info"
SEED = 20261101
NOTE_SAMPLE = "サンプルデータ（デモ用に作成した架空の施設です）"
NOTE_REAL_NAME = "サンプルデータ（名称・所在地は実在、その他の項目はデモ用の架空の内容です）"

# Column headers exactly as the 推奨データセット publishes them (shared/docs/domain-data.md).
LEAD = ["都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名", "名称", "名称_カナ"]
MEDICAL_HEADER = LEAD + [
    "医療機関の種類", "住所", "方書", "緯度", "経度", "電話番号", "内線番号", "FAX番号", "法人番号",
    "法人の名称", "医療機関コード", "診療曜日", "診療開始時間", "診療終了時間", "診療日時特記事項",
    "時間外における対応", "診療科目", "病床数", "URL", "備考"]
CHILDCARE_HEADER = LEAD + [
    "種別", "住所", "方書", "緯度", "経度", "アクセス方法", "駐車場情報", "電話番号", "内線番号",
    "FAX番号", "法人番号", "団体名", "許可等年月日", "収容定員", "受入年齢", "利用可能曜日",
    "開始時間", "終了時間", "利用可能日時特記事項", "一時預かりの有無", "URL", "備考"]
AED_HEADER = LEAD + [
    "住所", "方書", "緯度", "経度", "設置位置", "電話番号", "内線番号", "法人番号", "団体名",
    "利用可能曜日", "開始時間", "終了時間", "利用可能日時特記事項", "小児対応設備の有無", "URL",
    "備考"]
DUTY_HEADER = ["日付", "医療機関コード", "開始時間", "終了時間", "診療科目"]

CP932, UTF8, UTF8_BOM = "cp932", "utf-8", "utf-8-sig"


@dataclass(frozen=True)
class Place:
    """A real 町名 or station name of the town, used in sample names, with its rough position
    (the facility sits on the GSI building nearest to it)."""
    name: str
    kana: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Town:
    code: str
    name: str
    kana: str
    county: str  # 郡 for 町村, as their addresses are written
    area: str  # 市外局番
    exchanges: tuple[str, ...]  # plausible 市内局番 of the town
    centre: tuple[float, float]
    encoding: str  # as the municipality would publish it
    sep: str  # how this town separates 診療科目
    counts: tuple[int, int, int]  # medical (incl. hospitals), childcare, AEDs
    station: str
    places: tuple[Place, ...] = field(default_factory=tuple)


def P(name: str, kana: str, lat: float, lon: float) -> Place:
    return Place(name, kana, lat, lon)


# Rough populations drive the counts: 富山市 most, 舟橋村 1-2. Encodings: four towns in CP932
# (many still export from Excel that way), 黒部市 UTF-8 without BOM, the rest UTF-8 with BOM.
TOWNS: tuple[Town, ...] = (
    Town("162019", "富山市", "トヤマシ", "", "076",
         ("421", "422", "423", "424", "425", "428", "429", "431", "432", "433", "434", "436",
          "438", "439", "441", "442", "451", "452", "455", "465", "466", "469", "491", "492"),
         (36.6953, 137.2113), UTF8_BOM, ";", (58, 28, 12), "富山駅", (
        P("岩瀬", "イワセ", 36.752, 137.232), P("岩瀬浜", "イワセハマ", 36.762, 137.226),
        P("呉羽", "クレハ", 36.700, 137.170), P("婦中", "フチュウ", 36.660, 137.150),
        P("速星", "ハヤホシ", 36.655, 137.155), P("八尾", "ヤツオ", 36.578, 137.136),
        P("大沢野", "オオサワノ", 36.610, 137.230), P("大山", "オオヤマ", 36.600, 137.310),
        P("水橋", "ミズハシ", 36.745, 137.305), P("山室", "ヤマムロ", 36.672, 137.236),
        P("堀川", "ホリカワ", 36.674, 137.214), P("五福", "ゴフク", 36.695, 137.187),
        P("奥田", "オクダ", 36.715, 137.222), P("東富山", "ヒガシトヤマ", 36.726, 137.262),
        P("不二越", "フジコシ", 36.680, 137.228), P("総曲輪", "ソウガワ", 36.690, 137.212),
        P("桜町", "サクラマチ", 36.698, 137.215), P("新庄", "シンジョウ", 36.695, 137.248),
        P("豊田", "トヨタ", 36.722, 137.238), P("蜷川", "ニナガワ", 36.648, 137.209),
        P("太郎丸", "タロウマル", 36.658, 137.232), P("城川原", "ジョウガワラ", 36.728, 137.222),
        P("四方", "ヨカタ", 36.760, 137.165), P("月岡", "ツキオカ", 36.632, 137.243),
        P("上滝", "カミダキ", 36.600, 137.268), P("藤ノ木", "フジノキ", 36.692, 137.262),
        P("萩浦", "ハギウラ", 36.745, 137.225), P("布瀬", "ヌノセ", 36.668, 137.218))),
    Town("162027", "高岡市", "タカオカシ", "", "0766",
         ("21", "22", "23", "24", "25", "26", "27", "28", "29", "44", "63", "64"),
         (36.7540, 137.0257), CP932, "、", (24, 11, 7), "高岡駅", (
        P("高岡駅前", "タカオカエキマエ", 36.742, 137.015), P("末広", "スエヒロ", 36.745, 137.017),
        P("伏木", "フシキ", 36.790, 137.055), P("戸出", "トイデ", 36.700, 136.985),
        P("中田", "ナカダ", 36.672, 137.010), P("福岡", "フクオカ", 36.713, 136.920),
        P("野村", "ノムラ", 36.737, 136.998), P("横田", "ヨコタ", 36.745, 137.035),
        P("能町", "ノウマチ", 36.770, 137.035), P("二上", "フタガミ", 36.775, 137.010),
        P("佐野", "サノ", 36.727, 137.010), P("瑞穂", "ミズホ", 36.737, 137.022),
        P("博労", "バクロウ", 36.747, 137.005), P("牧野", "マキノ", 36.763, 137.063),
        P("木津", "キヅ", 36.725, 137.030))),
    Town("162043", "魚津市", "ウオヅシ", "", "0765", ("22", "23", "24", "31"),
         (36.8274, 137.4092), CP932, ";", (7, 4, 4), "魚津駅", (
        P("魚津駅前", "ウオヅエキマエ", 36.820, 137.409), P("本町", "ホンマチ", 36.828, 137.405),
        P("上村木", "カミムラキ", 36.815, 137.415), P("大町", "オオマチ", 36.830, 137.403),
        P("経田", "キョウデン", 36.845, 137.425), P("片貝", "カタカイ", 36.800, 137.450),
        P("住吉", "スミヨシ", 36.795, 137.400))),
    Town("162051", "氷見市", "ヒミシ", "", "0766", ("72", "74", "91"),
         (36.8567, 136.9731), UTF8_BOM, "、", (7, 4, 4), "氷見駅", (
        P("氷見駅前", "ヒミエキマエ", 36.851, 136.988),
        P("中央町", "チュウオウマチ", 36.856, 136.987),
        P("朝日丘", "アサヒガオカ", 36.860, 136.978), P("窪", "クボ", 36.838, 136.980),
        P("十二町", "ジュウニチョウ", 36.855, 136.960), P("灘浦", "ナダウラ", 36.930, 136.995),
        P("島尾", "シマオ", 36.815, 136.998), P("加納", "カノウ", 36.866, 136.985))),
    Town("162060", "滑川市", "ナメリカワシ", "", "076", ("475", "476"),
         (36.7645, 137.3407), UTF8_BOM, ";", (6, 3, 3), "滑川駅", (
        P("滑川駅前", "ナメリカワエキマエ", 36.765, 137.340),
        P("中滑川", "ナカナメリカワ", 36.768, 137.333),
        P("上小泉", "カミコイズミ", 36.758, 137.348), P("寺家", "ジケ", 36.760, 137.355),
        P("浜加積", "ハマカヅミ", 36.775, 137.360), P("北加積", "キタカヅミ", 36.745, 137.370))),
    Town("162078", "黒部市", "クロベシ", "", "0765", ("52", "54", "57", "62"),
         (36.8716, 137.4488), UTF8, ";", (7, 4, 4), "黒部駅", (
        P("三日市", "ミッカイチ", 36.873, 137.447), P("生地", "イクジ", 36.893, 137.425),
        P("宇奈月", "ウナヅキ", 36.815, 137.585), P("石田", "イシダ", 36.890, 137.445),
        P("若栗", "ワカクリ", 36.860, 137.470), P("荻生", "オギュウ", 36.870, 137.460),
        P("前沢", "マエザワ", 36.860, 137.445))),
    Town("162086", "砺波市", "トナミシ", "", "0763", ("32", "33", "34", "37"),
         (36.6475, 136.9622), UTF8_BOM, ";", (8, 4, 4), "砺波駅", (
        P("出町", "デマチ", 36.640, 136.962), P("油田", "アブラデン", 36.625, 136.960),
        P("庄川", "ショウガワ", 36.605, 137.000), P("鷹栖", "タカノス", 36.660, 136.940),
        P("柳瀬", "ヤナセ", 36.620, 136.990), P("中野", "ナカノ", 36.640, 136.985))),
    Town("162094", "小矢部市", "オヤベシ", "", "0766", ("61", "67", "68"),
         (36.6755, 136.8687), UTF8_BOM, ";", (5, 3, 3), "石動駅", (
        P("石動", "イスルギ", 36.672, 136.868), P("津沢", "ツザワ", 36.640, 136.890),
        P("埴生", "ハニュウ", 36.680, 136.855), P("蟹谷", "カンダニ", 36.650, 136.840))),
    Town("162108", "南砺市", "ナントシ", "", "0763", ("52", "62", "82"),
         (36.5577, 136.8750), UTF8_BOM, "・", (8, 4, 4), "福光駅", (
        P("福光", "フクミツ", 36.556, 136.874), P("城端", "ジョウハナ", 36.520, 136.895),
        P("井波", "イナミ", 36.557, 136.963), P("福野", "フクノ", 36.593, 136.930),
        P("井口", "イノクチ", 36.540, 136.930), P("五箇山", "ゴカヤマ", 36.420, 136.920))),
    Town("162116", "射水市", "イミズシ", "", "0766", ("52", "55", "56", "57", "82", "84", "86"),
         (36.7301, 137.0755), CP932, ";", (13, 7, 5), "小杉駅", (
        P("小杉", "コスギ", 36.715, 137.100), P("新湊", "シンミナト", 36.775, 137.085),
        P("大門", "ダイモン", 36.730, 137.070), P("大島", "オオシマ", 36.735, 137.055),
        P("太閤山", "タイコウヤマ", 36.705, 137.108), P("下村", "シモムラ", 36.735, 137.120),
        P("戸破", "ヒバリ", 36.718, 137.095), P("堀岡", "ホリオカ", 36.770, 137.135),
        P("七美", "シチミ", 36.755, 137.050))),
    Town("163210", "舟橋村", "フナハシムラ", "中新川郡", "076", ("464",),
         (36.7045, 137.3069), UTF8_BOM, ";", (2, 1, 2), "越中舟橋駅", (
        P("舟橋", "フナハシ", 36.7045, 137.3069), P("竹内", "タケノウチ", 36.700, 137.310),
        P("仏生寺", "ブッショウジ", 36.707, 137.305),
        P("古海老江", "フルエビエ", 36.710, 137.300))),
    Town("163228", "上市町", "カミイチマチ", "中新川郡", "076", ("472", "473"),
         (36.6989, 137.3653), UTF8_BOM, ";", (4, 2, 3), "上市駅", (
        P("上市", "カミイチ", 36.698, 137.365), P("相ノ木", "アイノキ", 36.700, 137.340),
        P("白萩", "シラハギ", 36.680, 137.400), P("宮川", "ミヤカワ", 36.712, 137.368))),
    Town("163236", "立山町", "タテヤママチ", "中新川郡", "076", ("462", "463"),
         (36.6634, 137.3137), UTF8_BOM, ";", (5, 3, 3), "五百石駅", (
        P("五百石", "ゴヒャッコク", 36.670, 137.316), P("利田", "トダ", 36.690, 137.320),
        P("釜ヶ渕", "カマガフチ", 36.645, 137.345), P("岩峅寺", "イワクラジ", 36.618, 137.327),
        P("高野", "タカノ", 36.675, 137.300))),
    Town("163422", "入善町", "ニュウゼンマチ", "下新川郡", "0765", ("72", "74", "76", "78"),
         (36.9335, 137.5018), CP932, ";", (5, 3, 3), "入善駅", (
        P("入善", "ニュウゼン", 36.932, 137.500), P("上原", "ウワハラ", 36.905, 137.520),
        P("椚山", "クヌギヤマ", 36.940, 137.485), P("飯野", "イイノ", 36.920, 137.480))),
    Town("163431", "朝日町", "アサヒマチ", "下新川郡", "0765", ("82", "83"),
         (36.9463, 137.5600), UTF8_BOM, ";", (3, 2, 3), "泊駅", (
        P("泊", "トマリ", 36.940, 137.557), P("桜町", "サクラマチ", 36.945, 137.560),
        P("南保", "ナンボ", 36.942, 137.569))),
)
TOWN_BY_CODE = {t.code: t for t in TOWNS}
# 舟橋村 publishes no GSI shelters: its facilities sit around the village centre instead.
FUNAHASHI = "163210"
FUNAHASHI_RADIUS_M = 700


@dataclass(frozen=True)
class Hospital:
    town: str
    name: str
    kana: str
    address: str  # after the town name
    lat: float
    lon: float
    beds: int
    operator: str
    tier: int  # 1 = tertiary (24h emergency), 2 = general, 3 = small
    hours_24h: bool


# Real hospitals, real towns and approximate real positions; beds and hours are invented.
KOSEIREN = "富山県厚生農業協同組合連合会"
SAISEIKAI = "社会福祉法人恩賜財団済生会支部富山県済生会"
HOSPITALS: tuple[Hospital, ...] = (
    Hospital("162019", "富山県立中央病院", "トヤマケンリツチュウオウビョウイン", "西長江2-2-78",
             36.6800, 137.2058, 733, "富山県", 1, True),
    Hospital("162019", "富山大学附属病院", "トヤマダイガクフゾクビョウイン", "杉谷2630",
             36.6930, 137.1480, 612, "国立大学法人富山大学", 1, True),
    Hospital("162019", "富山市立富山市民病院", "トヤマシリツトヤマシミンビョウイン",
             "今泉北部町2-1", 36.6855, 137.2410, 539, "富山市", 1, True),
    Hospital("162019", "富山赤十字病院", "トヤマセキジュウジビョウイン", "牛島本町2-1-58",
             36.7040, 137.2240, 401, "日本赤十字社", 1, True),
    Hospital("162019", "富山県済生会富山病院", "トヤマケンサイセイカイトヤマビョウイン", "楠木33-1",
             36.7355, 137.2465, 250, SAISEIKAI, 2, False),
    Hospital("162027", "厚生連高岡病院", "コウセイレンタカオカビョウイン", "永楽町5-10",
             36.7448, 137.0193, 533, KOSEIREN, 1, True),
    Hospital("162027", "高岡市民病院", "タカオカシミンビョウイン", "宝町4-1",
             36.7410, 137.0060, 401, "高岡市", 2, False),
    Hospital("162027", "済生会高岡病院", "サイセイカイタカオカビョウイン", "二塚387-1",
             36.7220, 136.9965, 251, SAISEIKAI, 2, False),
    Hospital("162078", "黒部市民病院", "クロベシミンビョウイン", "三日市1108-1",
             36.8700, 137.4480, 405, "黒部市", 1, True),
    Hospital("162043", "富山労災病院", "トヤマロウサイビョウイン", "六郎丸992",
             36.8085, 137.4115, 300, "独立行政法人労働者健康安全機構", 2, False),
    Hospital("162086", "市立砺波総合病院", "シリツトナミソウゴウビョウイン", "新富町1-61",
             36.6385, 136.9660, 514, "砺波市", 1, True),
    Hospital("162108", "南砺市民病院", "ナントシミンビョウイン", "井波938",
             36.5560, 136.9660, 175, "南砺市", 3, False),
    Hospital("162108", "公立南砺中央病院", "コウリツナントチュウオウビョウイン", "梅野2007-5",
             36.5585, 136.8790, 149, "南砺市", 3, False),
    Hospital("162116", "射水市民病院", "イミズシミンビョウイン", "朴木20",
             36.7590, 137.0900, 199, "射水市", 2, False),
    Hospital("162051", "金沢医科大学氷見市民病院", "カナザワイカダイガクヒミシミンビョウイン",
             "鞍川1130", 36.8440, 136.9730, 250, "学校法人金沢医科大学", 2, False),
    Hospital("162094", "北陸中央病院", "ホクリクチュウオウビョウイン", "野寺123",
             36.6830, 136.8630, 199, "公立学校共済組合", 3, False),
    Hospital("163228", "かみいち総合病院", "カミイチソウゴウビョウイン", "法音寺51",
             36.6985, 137.3650, 199, "上市町", 3, False),
    Hospital("163431", "あさひ総合病院", "アサヒソウゴウビョウイン", "泊477",
             36.9390, 137.5580, 109, "朝日町", 3, False),
    Hospital("162060", "厚生連滑川病院", "コウセイレンナメリカワビョウイン", "常盤町119",
             36.7655, 137.3430, 199, KOSEIREN, 3, False),
)
HOSPITAL_DEPARTMENTS = {
    1: ["内科", "循環器内科", "消化器内科", "呼吸器内科", "小児科", "外科", "整形外科",
        "脳神経外科", "皮膚科", "泌尿器科", "産婦人科", "眼科", "耳鼻咽喉科", "精神科",
        "放射線科", "麻酔科", "救急科"],
    2: ["内科", "循環器内科", "消化器内科", "小児科", "外科", "整形外科", "脳神経外科", "泌尿器科",
        "眼科", "耳鼻咽喉科", "放射線科", "麻酔科"],
    3: ["内科", "外科", "整形外科", "小児科", "眼科", "リハビリテーション科"],
}


# Night and emergency clinics, each with a slot that runs past midnight (close < open) or to
# 24:00: the case the contract calls out for "open now". The Toyama centre's name is real.
@dataclass(frozen=True)
class NightClinic:
    town: str
    place: str  # a place of the town: the clinic sits by it
    name: str
    kana: str
    days: str
    opens: str
    closes: str
    note: str
    departments: tuple[str, ...]
    real_name: bool


NIGHT_CLINICS: tuple[NightClinic, ...] = (
    NightClinic("162019", "蜷川", "富山市・医師会急患センター",
                "トヤマシ・イシカイキュウカンセンター",
                "月火水木金土日祝;日祝", "19:00;09:00", "02:00;17:00",
                "夜間は毎日19時から翌2時まで。日曜・祝日は昼間も診療。受付は終了30分前まで",
                ("内科", "小児科"), True),
    NightClinic("162027", "末広", "高岡夜間急患クリニック", "タカオカヤカンキュウカンクリニック",
                "月火水木金土日祝", "19:30", "01:00", "毎日19時30分から翌1時まで",
                ("内科", "小児科", "外科"), False),
    NightClinic("162116", "小杉", "射水こども夜間クリニック", "イミズコドモヤカンクリニック",
                "月火水木金", "20:00", "00:30", "平日のみ20時から翌0時30分まで",
                ("小児科",), False),
    NightClinic("162078", "三日市", "新川夜間急患診療所", "ニイカワヤカンキュウカンシンリョウジョ",
                "土日祝", "18:00", "24:00", "土曜・日曜・祝日の18時から24時まで",
                ("内科", "小児科"), False),
)


@dataclass(frozen=True)
class ClinicKind:
    suffix: str
    suffix_kana: str
    type_ja: str  # 医療機関の種類
    departments: tuple[str, ...]
    weight: int


CLINIC_KINDS: tuple[ClinicKind, ...] = (
    ClinicKind("内科クリニック", "ナイカクリニック", "診療所", ("内科", "消化器内科"), 10),
    ClinicKind("内科医院", "ナイカイイン", "診療所", ("内科", "循環器内科"), 8),
    ClinicKind("ファミリークリニック", "ファミリークリニック", "診療所", ("内科", "小児科"), 5),
    ClinicKind("こどもクリニック", "コドモクリニック", "診療所", ("小児科", "アレルギー科"), 5),
    ClinicKind("小児科医院", "ショウニカイイン", "診療所", ("小児科",), 3),
    ClinicKind("整形外科", "セイケイゲカ", "診療所", ("整形外科", "リハビリテーション科"), 6),
    ClinicKind("外科胃腸科医院", "ゲカイチョウカイイン", "診療所", ("外科", "消化器内科"), 2),
    ClinicKind("眼科医院", "ガンカイイン", "診療所", ("眼科",), 5),
    ClinicKind("皮膚科クリニック", "ヒフカクリニック", "診療所", ("皮膚科",), 4),
    ClinicKind("耳鼻咽喉科医院", "ジビインコウカイイン", "診療所", ("耳鼻咽喉科",), 4),
    ClinicKind("レディースクリニック", "レディースクリニック", "診療所", ("産婦人科",), 2),
    ClinicKind("メンタルクリニック", "メンタルクリニック", "診療所", ("精神科", "心療内科"), 2),
    ClinicKind("泌尿器科クリニック", "ヒニョウキカクリニック", "診療所", ("泌尿器科",), 1),
    ClinicKind("脳神経外科クリニック", "ノウシンケイゲカクリニック", "診療所", ("脳神経外科",), 1),
    ClinicKind("歯科医院", "シカイイン", "歯科診療所", ("歯科", "小児歯科"), 12),
    ClinicKind("歯科クリニック", "シカクリニック", "歯科診療所",
               ("歯科", "矯正歯科", "小児歯科"), 6),
    ClinicKind("こども歯科", "コドモシカ", "歯科診療所", ("小児歯科", "歯科"), 2),
)

# (days, opens, closes, note): the ';' slot lists of the contract, aligned across the columns.
Hours = tuple[str, str, str, str]
CLINIC_HOURS: tuple[Hours, ...] = (
    ("月火水木金;月火水金;土", "09:00;15:00;09:00", "12:30;18:00;12:30",
     "木曜午後・土曜午後・日曜・祝日休診"),
    ("月火水木金;月火木金;土", "09:00;15:00;09:00", "12:30;18:30;12:30",
     "水曜午後・土曜午後・日曜・祝日休診"),
    ("月火水木金;月火水木金;土", "08:30;14:30;08:30", "12:00;19:00;13:00", "日曜・祝日休診"),
    ("月火水木金土;月火水金;日祝", "09:00;15:00;09:00", "12:30;18:00;12:00",
     "日曜・祝日も午前診療。木曜午後休診"),
)
DENTAL_HOURS: tuple[Hours, ...] = (
    ("月火水金;月火水金;土", "09:00;14:30;09:00", "12:30;19:00;13:00", "木曜・日曜・祝日休診"),
    ("月火水木金;月火水木金;土日", "09:30;14:30;09:30", "13:00;19:30;13:00",
     "祝日休診。日曜午前は予約制"),
)


@dataclass(frozen=True)
class Anchor:
    name: str
    kana: str
    address: str
    lat: float
    lon: float
    kind: str


def load_anchors() -> tuple[dict[str, list[Anchor]], dict[str, list[float] | None]]:
    data = json.loads(ANCHORS.read_text(encoding="utf-8"))
    anchors = {code: [Anchor(**a) for a in town["anchors"]] for code, town in data.items()}
    bboxes = {code: town["bbox"] for code, town in data.items()}
    return anchors, bboxes


# -- small helpers -----------------------------------------------------------------------------

def offset(rng: random.Random, lat: float, lon: float, max_m: float, min_m: float = 30.0,
           ) -> tuple[float, float]:
    """A point min_m..max_m metres from (lat, lon) in a random direction, 6 decimals (~0.1 m)."""
    dist = rng.uniform(min_m, max_m)
    angle = rng.uniform(0, 2 * math.pi)
    dlat = dist * math.cos(angle) / 111_320
    dlon = dist * math.sin(angle) / (111_320 * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lon + dlon, 6)


def nearest(anchors: list[Anchor], lat: float, lon: float) -> Anchor:
    return min(anchors, key=lambda a: (a.lat - lat) ** 2 + ((a.lon - lon) * 0.8) ** 2)


def town_part(town: Town, anchor_address: str) -> str:
    """The 町名 of a GSI address: 「富山県富山市八尾町三ッ松14-1」 -> 「八尾町三ッ松」."""
    rest = anchor_address.removeprefix("富山県").removeprefix(town.county).removeprefix(town.name)
    match = re.match(r"[^\d０-９\-－]+", rest)
    return match.group(0).removesuffix("字") if match else ""


def full_address(town: Town, part: str, number: str) -> str:
    return f"富山県{town.county}{town.name}{part}{number}"


def house_number(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return f"{rng.randint(1, 999)}"
    return f"{rng.randint(1, 999)}-{rng.randint(1, 30)}"


def phone(rng: random.Random, town: Town) -> str:
    # 10 digits in all: 076-4xx-xxxx, 0766-2x-xxxx.
    return f"{town.area}-{rng.choice(town.exchanges)}-{rng.randint(0, 9999):04d}"


def fax_of(rng: random.Random, tel: str) -> str:
    # Half publish a FAX: usually the next number after the phone's.
    if rng.random() < 0.5:
        return ""
    head, last = tel.rsplit("-", 1)
    return f"{head}-{(int(last) + 1) % 10 ** len(last):0{len(last)}d}"


@dataclass
class Site:
    """Where a sample facility is: position, address and the place it is named after."""
    place: Place
    lat: float
    lon: float
    address: str


def site_near(rng: random.Random, town: Town, anchors: list[Anchor], place: Place) -> Site:
    if not anchors:  # 舟橋村: around the centre, the place itself is the 大字
        lat, lon = offset(rng, town.centre[0], town.centre[1], FUNAHASHI_RADIUS_M, 50)
        part = place.name if place.name != "舟橋" else "仏生寺"
        return Site(place, lat, lon, full_address(town, part, house_number(rng)))
    anchor = nearest(anchors, place.lat, place.lon)
    lat, lon = offset(rng, anchor.lat, anchor.lon, 250)
    part = town_part(town, anchor.address) or place.name
    return Site(place, lat, lon, full_address(town, part, house_number(rng)))


def places_cycle(rng: random.Random, town: Town) -> Iterator[Place]:
    """Town places in a shuffled order, repeated: names spread over the whole town."""
    order = list(town.places)
    rng.shuffle(order)
    while True:
        yield from order


def unique_name(places: Iterator[Place], used: set[str], make: Callable[[Place], str],
                ) -> Place:
    for _ in range(200):
        place = next(places)
        if make(place) not in used:
            used.add(make(place))
            return place
    raise RuntimeError("ran out of place names")


# -- medical -----------------------------------------------------------------------------------

class CodeMaker:
    """医療機関コード: 16 (Toyama) + 1 医科 / 3 歯科 + 2-digit district + 4-digit serial + check."""

    def __init__(self) -> None:
        self.serial = 0

    def __call__(self, town: Town, dental: bool) -> str:
        self.serial += 7  # gaps, as real numbering has
        district = f"{TOWNS.index(town) + 1:02d}"
        body = f"16{3 if dental else 1}{district}{self.serial:04d}"
        check = sum((i % 2 + 1) * int(d) for i, d in enumerate(body)) % 10
        return f"{body}{check}"


def medical_row(town: Town, name: str, kana: str, type_ja: str, address: str, lat: float,
                lon: float, tel: str, fax: str, operator: str, code: str, hours: Hours,
                after_hours: str, departments: list[str], beds: int | None, note: str,
                detail: str = "") -> dict[str, str]:
    days, opens, closes, hours_note = hours
    return {
        "名称": name, "名称_カナ": kana, "医療機関の種類": type_ja, "住所": address,
        "方書": detail, "緯度": f"{lat:.6f}", "経度": f"{lon:.6f}", "電話番号": tel,
        "内線番号": "", "FAX番号": fax, "法人番号": "", "法人の名称": operator,
        "医療機関コード": code, "診療曜日": days, "診療開始時間": opens, "診療終了時間": closes,
        "診療日時特記事項": hours_note, "時間外における対応": after_hours,
        "診療科目": town.sep.join(departments), "病床数": "" if beds is None else str(beds),
        "URL": "", "備考": note,
    }


def hospital_hours(hospital: Hospital, index: int) -> Hours:
    if hospital.hours_24h:
        # One of them writes the contract's 毎日 instead of listing the days.
        days = "毎日" if index == 2 else "月火水木金土日祝"
        return (days, "00:00", "24:00", "外来受付は平日8:30～11:00。救急外来は24時間")
    # One writes 平日: an accepted alternative for 月火水木金.
    days = "平日" if index == 6 else "月火水木金"
    return (days, "08:30", "17:00", "外来受付は平日8:30～11:30。土曜・日曜・祝日休診")


def hospital_rows(rng: random.Random, town: Town, codes: CodeMaker) -> list[dict[str, str]]:
    rows = []
    for index, h in enumerate(HOSPITALS):
        if h.town != town.code:
            continue
        tel = phone(rng, town)
        after = ("救急外来24時間対応" if h.hours_24h
                 else "夜間・休日の急病は救急外来へ（来院前に電話連絡をお願いします）")
        rows.append(medical_row(
            town, h.name, h.kana, "病院", full_address(town, "", h.address), h.lat, h.lon, tel,
            fax_of(rng, tel), h.operator, codes(town, False), hospital_hours(h, index), after,
            HOSPITAL_DEPARTMENTS[h.tier], h.beds, NOTE_REAL_NAME))
    return rows


def night_rows(rng: random.Random, town: Town, anchors: list[Anchor], codes: CodeMaker,
               ) -> list[dict[str, str]]:
    rows = []
    for n in NIGHT_CLINICS:
        if n.town != town.code:
            continue
        place = next(p for p in town.places if p.name == n.place)
        site = site_near(rng, town, anchors, place)
        tel = phone(rng, town)
        rows.append(medical_row(
            town, n.name, n.kana, "診療所", site.address, site.lat, site.lon, tel, "",
            town.name if n.real_name else "", codes(town, False),
            (n.days, n.opens, n.closes, n.note), "重症の場合は救急車（119番）を",
            list(n.departments), None, NOTE_REAL_NAME if n.real_name else NOTE_SAMPLE))
    return rows


def after_hours_text(rng: random.Random, town: Town, kind: ClinicKind) -> str:
    if kind.type_ja == "歯科診療所":
        return rng.choice(["時間外の対応なし", "急な痛みは電話でご相談ください"])
    night = next((n for n in NIGHT_CLINICS if n.town == town.code), None)
    options = ["時間外の対応なし"]
    if town.code in DUTY_TOWNS:
        options.append("休日は休日当番医をご利用ください")
    if night:
        options.append(f"時間外は{night.name}へ")
    if "小児科" in kind.departments:
        options.append("夜間のお子さまの急病は#8000（こども医療電話相談）へ")
    return rng.choice(options)


def clinic_rows(rng: random.Random, town: Town, anchors: list[Anchor], codes: CodeMaker,
                count: int, used: set[str]) -> list[dict[str, str]]:
    rows = []
    places = places_cycle(rng, town)
    weights = [k.weight for k in CLINIC_KINDS]
    for _ in range(count):
        kind = rng.choices(CLINIC_KINDS, weights)[0]
        place = unique_name(places, used, lambda p, k=kind: p.name + k.suffix)
        site = site_near(rng, town, anchors, place)
        dental = kind.type_ja == "歯科診療所"
        hours = rng.choice(DENTAL_HOURS if dental else CLINIC_HOURS)
        tel = phone(rng, town)
        operator = f"医療法人社団{place.name}会" if rng.random() < 0.4 else ""
        # Clinics in medical buildings (方書) only in the two cities that have them.
        in_building = town.counts[0] >= 20 and rng.random() < 0.15
        detail = f"{place.name}メディカルビル{rng.randint(1, 3)}階" if in_building else ""
        rows.append(medical_row(
            town, place.name + kind.suffix, place.kana + kind.suffix_kana, kind.type_ja,
            site.address, site.lat, site.lon, tel, fax_of(rng, tel), operator,
            codes(town, dental), hours, after_hours_text(rng, town, kind),
            list(kind.departments), None, NOTE_SAMPLE, detail))
    return rows


def medical_rows(rng: random.Random, town: Town, anchors: list[Anchor], codes: CodeMaker,
                 ) -> list[dict[str, str]]:
    rows = hospital_rows(rng, town, codes) + night_rows(rng, town, anchors, codes)
    used = {r["名称"] for r in rows}
    rows += clinic_rows(rng, town, anchors, codes, town.counts[0] - len(rows), used)
    return rows


# -- childcare ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChildcareKind:
    type_ja: str
    name: str  # {place} is replaced
    kana: str
    ages: tuple[str, ...]
    capacity: tuple[int, int] | None  # None: not published (support centres)
    hours: tuple[Hours, ...]
    temporary: str  # 有 / 無 / ? = random / "" = not published
    since: tuple[int, int] = (1955, 2020)  # 許可等年月日: years the kind can date from


CHILDCARE_KINDS: dict[str, ChildcareKind] = {k.type_ja: k for k in (
    ChildcareKind("認可保育所", "{place}保育園", "{kana}ホイクエン",
                  ("生後57日～就学前", "0歳～5歳"), (60, 150),
                  (("月火水木金;土", "07:30;07:30", "19:00;18:00",
                    "日曜・祝日・年末年始休園。延長保育は19時まで"),), "?"),
    ChildcareKind("認定こども園", "{place}こども園", "{kana}コドモエン", ("0歳～5歳",), (90, 200),
                  (("月火水木金;土", "07:15;07:30", "19:00;18:00", "日曜・祝日・年末年始休園"),),
                  "?", (2007, 2023)),
    ChildcareKind("幼稚園", "{place}幼稚園", "{kana}ヨウチエン", ("3歳～5歳", "満3歳～5歳"),
                  (60, 160), (("月火水木金", "08:30", "14:30",
                               "預かり保育は18時まで。夏・冬・春休みあり"),), "無"),
    ChildcareKind("小規模保育事業", "小規模保育{place}ひよこルーム",
                  "ショウキボホイク{kana}ヒヨコルーム",
                  ("0歳～2歳", "生後6か月～2歳"), (12, 19),
                  (("月火水木金土", "07:30", "18:30", "日曜・祝日休み"),), "?", (2015, 2023)),
    ChildcareKind("放課後児童クラブ", "{place}放課後児童クラブ", "{kana}ホウカゴジドウクラブ",
                  ("小学1年生～小学6年生", "小学1年生～小学3年生"), (30, 70),
                  (("月火水木金;土", "13:30;08:00", "18:30;18:00",
                    "長期休業中は平日8時から。日曜・祝日休み"),), "無"),
    ChildcareKind("子育て支援センター", "{place}子育て支援センター", "{kana}コソダテシエンセンター",
                  ("0歳～就学前",), None,
                  (("月火水木金土", "09:00", "16:00", "日曜・祝日・年末年始休み"),
                   ("月火水木金", "09:30", "15:30", "土曜・日曜・祝日休み")), ""),
    ChildcareKind("病児保育", "{place}病児保育室", "{kana}ビョウジホイクシツ",
                  ("生後6か月～小学3年生",), (3, 6),
                  (("月火水木金;土", "08:00;08:00", "18:00;12:30",
                    "前日までに要予約。医師の連絡票が必要"),), "無"),
)}
# Small towns get the first kinds only; 病児保育 appears in the larger towns.
CHILDCARE_CYCLE = ("認可保育所", "認定こども園", "放課後児童クラブ", "認可保育所", "幼稚園",
                   "子育て支援センター", "小規模保育事業", "認定こども園", "放課後児童クラブ",
                   "認可保育所", "病児保育")


def childcare_operator(rng: random.Random, town: Town, kind: ChildcareKind, place: Place) -> str:
    if kind.type_ja in ("子育て支援センター", "放課後児童クラブ") or rng.random() < 0.3:
        return town.name
    return {
        "幼稚園": f"学校法人{place.name}学園",
        "認定こども園": f"学校法人{place.name}学園",
        "小規模保育事業": "株式会社とやまキッズケア",
        "病児保育": f"医療法人社団{place.name}会",
    }.get(kind.type_ja, f"社会福祉法人{place.name}福祉会")


def access_text(rng: random.Random, town: Town, place: Place) -> str:
    if rng.random() < 0.5:
        return f"{town.station}から車で{rng.randint(5, 25)}分"
    return f"バス停「{place.name}」から徒歩{rng.randint(2, 10)}分"


def childcare_rows(rng: random.Random, town: Town, anchors: list[Anchor],
                   ) -> list[dict[str, str]]:
    rows = []
    used: set[str] = set()
    places = places_cycle(rng, town)
    for i in range(town.counts[1]):
        kind = CHILDCARE_KINDS[CHILDCARE_CYCLE[i % len(CHILDCARE_CYCLE)]]
        place = unique_name(places, used, lambda p, k=kind: k.name.format(place=p.name))
        site = site_near(rng, town, anchors, place)
        days, opens, closes, note = rng.choice(kind.hours)
        if town.code == "162051" and days.startswith("月火水木金"):
            days = "月～金" + days.removeprefix("月火水木金")  # 氷見市 writes ranges
        temporary = rng.choice(["有", "無"]) if kind.temporary == "?" else kind.temporary
        capacity = "" if kind.capacity is None else str(rng.randint(*kind.capacity))
        since = date(rng.randint(*kind.since), 4, 1).isoformat()
        parking = rng.choice(["あり（送迎用10台）", "あり（5台）", "なし", "あり（20台）"])
        rows.append({
            "名称": kind.name.format(place=place.name),
            "名称_カナ": kind.kana.format(kana=place.kana), "種別": kind.type_ja,
            "住所": site.address, "方書": "", "緯度": f"{site.lat:.6f}",
            "経度": f"{site.lon:.6f}", "アクセス方法": access_text(rng, town, place),
            "駐車場情報": parking, "電話番号": phone(rng, town), "内線番号": "", "FAX番号": "",
            "法人番号": "", "団体名": childcare_operator(rng, town, kind, place),
            "許可等年月日": since, "収容定員": capacity, "受入年齢": rng.choice(kind.ages),
            "利用可能曜日": days, "開始時間": opens, "終了時間": closes,
            "利用可能日時特記事項": note, "一時預かりの有無": temporary, "URL": "",
            "備考": NOTE_SAMPLE,
        })
    return rows


# -- AEDs --------------------------------------------------------------------------------------

# Per kind of building: where the AED hangs and when the building is open.
AED_PLACEMENT: dict[str, tuple[tuple[str, ...], Hours, str]] = {
    "school": (("1階職員室前", "体育館入口", "1階玄関ホール"),
               ("月火水木金", "08:00", "17:00", "学校行事等により利用できない場合があります"),
               "有"),
    "community": (("1階玄関ホール", "1階事務室前"),
                  ("月火水木金土", "09:00", "21:00", "日曜・祝日・年末年始は閉館"), "?"),
    "gym": (("1階玄関ホール", "アリーナ入口", "受付カウンター横"),
            ("火水木金土日", "09:00", "21:00", "月曜休館（祝日の場合は翌日）"), "?"),
    "office": (("1階総合案内横", "1階正面玄関"),
               ("月火水木金", "08:30", "17:15", "土曜・日曜・祝日・年末年始は閉庁"), "有"),
}
OUTDOOR_BOX: Hours = ("毎日", "00:00", "24:00", "屋外の収納ボックスに設置。24時間使用可能")
# 舟橋村 has no GSI points: its two AEDs are at its real public buildings, positions approximate.
FUNAHASHI_AEDS = (
    ("舟橋村役場", "フナハシムラヤクバ", "仏生寺55", 36.7045, 137.3069, "office"),
    ("舟橋村立図書館", "フナハシムラリツトショカン", "竹内", 36.7060, 137.3035, "community"),
)


def with_county(town: Town, address: str) -> str:
    """GSI writes 「富山県上市町…」; the town itself writes 「富山県中新川郡上市町…」."""
    if town.county and not address.startswith(f"富山県{town.county}"):
        return address.replace(f"富山県{town.name}", f"富山県{town.county}{town.name}", 1)
    return address


def aed_sites(rng: random.Random, town: Town, anchors: list[Anchor]) -> list[Anchor]:
    if town.code == FUNAHASHI:
        return [Anchor(n, k, f"富山県{town.name}{a}", la, lo, kind)
                for n, k, a, la, lo, kind in FUNAHASHI_AEDS]
    return rng.sample(anchors, town.counts[2])


def aed_rows(rng: random.Random, town: Town, anchors: list[Anchor]) -> list[dict[str, str]]:
    rows = []
    # The two cities each have one AED in an outdoor box, usable around the clock.
    outdoor = town.code in ("162019", "162027")
    for site in sorted(aed_sites(rng, town, anchors), key=lambda a: a.name):
        locations, hours, pediatric = AED_PLACEMENT[site.kind]
        location = rng.choice(locations)
        if outdoor and site.kind == "community":
            location, hours = "正面玄関外壁（屋外収納ボックス）", OUTDOOR_BOX
            outdoor = False
        days, opens, closes, note = hours
        operator = f"{town.name}教育委員会" if site.kind == "school" else town.name
        rows.append({
            "名称": site.name, "名称_カナ": site.kana, "住所": with_county(town, site.address),
            "方書": "", "緯度": f"{site.lat:.6f}", "経度": f"{site.lon:.6f}", "設置位置": location,
            "電話番号": phone(rng, town) if rng.random() < 0.7 else "", "内線番号": "",
            "法人番号": "", "団体名": operator, "利用可能曜日": days, "開始時間": opens,
            "終了時間": closes, "利用可能日時特記事項": note,
            "小児対応設備の有無": rng.choice(["有", "無"]) if pediatric == "?" else pediatric,
            "URL": "",
            "備考": "設置場所は実在の施設（国土地理院データ）、その他の項目はサンプル"
            if town.code != FUNAHASHI else "サンプルデータ（位置は概略）",
        })
    return rows


# -- duty rota ---------------------------------------------------------------------------------

DUTY_FROM, DUTY_TO = date(2026, 11, 1), date(2027, 3, 31)
# Departments on duty per day: the two big cities have an internal-medicine and a paediatric
# clinic every day; four more towns have one clinic that sees internal medicine or children.
DUTY_TOWNS: dict[str, tuple[tuple[str, ...], ...]] = {
    "162019": (("内科",), ("小児科",)), "162027": (("内科",), ("小児科",)),
    "162116": (("内科", "小児科"),), "162043": (("内科", "小児科"),),
    "162086": (("内科", "小児科"),), "162078": (("内科", "小児科"),),
}


def duty_dates() -> list[date]:
    """Sundays and public holidays (holidays library), plus the year-end closure 12/29-1/3."""
    jp = holidays.country_holidays("JP", years=[DUTY_FROM.year, DUTY_TO.year])
    days = []
    day = DUTY_FROM
    while day <= DUTY_TO:
        year_end = (day.month, day.day) >= (12, 29) or (day.month == 1 and day.day <= 3)
        if day.weekday() == 6 or day in jp or year_end:
            days.append(day)
        day += timedelta(days=1)
    return days


def duty_candidates(rng: random.Random, rows: list[dict[str, str]], sep: str,
                    wanted: tuple[str, ...]) -> list[tuple[str, str]]:
    """(code, departments on duty) of the town's ordinary clinics that see `wanted`."""
    found = []
    for r in rows:
        depts = [d for d in r["診療科目"].split(sep) if d in ("内科", "小児科")]
        night = "急患" in r["名称"] or "夜間" in r["名称"]
        if r["医療機関の種類"] == "診療所" and not night and set(depts) & set(wanted):
            found.append((r["医療機関コード"], ";".join(depts)))
    rng.shuffle(found)
    return found


def duty_rows(rng: random.Random, medical: dict[str, list[dict[str, str]]]) -> list[list[str]]:
    rotas = [duty_candidates(rng, medical[code], TOWN_BY_CODE[code].sep, wanted)
             for code, slots in DUTY_TOWNS.items() for wanted in slots]
    rows = []
    for turn, day in enumerate(duty_dates()):
        closes = "18:00" if (day.month, day.day) in ((12, 31), (1, 1)) else "17:00"
        on_duty: set[str] = set()
        for rota in rotas:
            # Next in turn, skipping a clinic already on duty that day for the other rota.
            for k in range(len(rota)):
                code, depts = rota[(turn + k) % len(rota)]
                if code not in on_duty:
                    on_duty.add(code)
                    rows.append([day.isoformat(), code, "09:00", closes, depts])
                    break
    return rows


# -- writing -----------------------------------------------------------------------------------

def csv_bytes(header: list[str], rows: list[list[str]], encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # CRLF, as Excel exports
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)  # strict: a character CP932 lacks fails here


def numbered(town: Town, header: list[str], records: list[dict[str, str]]) -> list[list[str]]:
    lead = {"都道府県コード又は市区町村コード": town.code, "都道府県名": "富山県",
            "市区町村名": town.name}
    return [[str(no) if col == "NO" else lead.get(col) or rec[col] for col in header]
            for no, rec in enumerate(records, start=1)]


def generate(out: Path) -> dict[str, int]:
    anchors, _ = load_anchors()
    rng = random.Random(SEED)
    codes = CodeMaker()
    medical: dict[str, list[dict[str, str]]] = {}
    counts = {"medical": 0, "childcare": 0, "aeds": 0, "duty": 0}
    for kind in ("medical", "childcare", "aeds", "duty"):
        (out / kind).mkdir(parents=True, exist_ok=True)
    for town in TOWNS:
        town_anchors = anchors[town.code]
        medical[town.code] = medical_rows(rng, town, town_anchors, codes)
        files = {
            "medical": (MEDICAL_HEADER, medical[town.code]),
            "childcare": (CHILDCARE_HEADER, childcare_rows(rng, town, town_anchors)),
            "aeds": (AED_HEADER, aed_rows(rng, town, town_anchors)),
        }
        for kind, (header, records) in files.items():
            data = csv_bytes(header, numbered(town, header, records), town.encoding)
            (out / kind / f"{town.code}.csv").write_bytes(data)
            counts[kind] += len(records)
    duty = duty_rows(rng, medical)
    (out / "duty" / "duty.csv").write_bytes(csv_bytes(DUTY_HEADER, duty, UTF8_BOM))
    counts["duty"] = len(duty)
    return counts


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    for kind, n in generate(out).items():
        print(f"{kind}: {n} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
