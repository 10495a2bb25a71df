# ruff: noqa: E501  (a data table: one place per entry reads better than wrapped cells)
"""Write the bundled SAMPLE 観光施設一覧 files server/seed/info/spots/<code>.csv (deterministic:
same output every run). Names and places are real; positions approximate; hours, fees,
categories, access, barrier-free notes and 対応言語 are SAMPLE details to be checked against
each site (server/seed/info/spots/README.md). The descriptions in the other app languages and the
access and barrier-free texts are in tools/spot_texts.py.

    python tools/make_spot_samples.py
"""

from __future__ import annotations

import csv
import io
import runpy
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[1] / "server" / "seed" / "info" / "spots"
TEXTS: dict[str, Any] = runpy.run_path(str(Path(__file__).with_name("spot_texts.py")))
TOWNS = {
    "162019": "富山市", "162027": "高岡市", "162043": "魚津市", "162051": "氷見市",
    "162060": "滑川市", "162078": "黒部市", "162086": "砺波市", "162094": "小矢部市",
    "162108": "南砺市", "162116": "射水市", "163210": "舟橋村", "163228": "上市町",
    "163236": "立山町", "163422": "入善町", "163431": "朝日町",
}
HEADERS = [
    "都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名", "名称", "名称_カナ",
    "名称_英語", "POIコード", "住所", "方書", "緯度", "経度", "利用可能曜日", "開始時間", "終了時間",
    "利用可能日時特記事項", "料金（基本）", "料金（詳細）", "説明", "説明_英語", "アクセス方法",
    "駐車場情報", "バリアフリー情報", "連絡先名称", "連絡先電話番号", "連絡先内線番号", "画像",
    "画像_ライセンス", "URL", "備考",
]
# Language tag → column suffix (server/ingest/spots.py LANGUAGES); ja is the unsuffixed column.
SUFFIX = {
    "en": "英語", "ja-easy": "やさしい日本語", "zh-Hans": "中国語簡体字", "zh-Hant": "中国語繁体字",
    "ko": "韓国語", "vi": "ベトナム語", "pt-BR": "ポルトガル語", "tl": "タガログ語",
    "id": "インドネシア語", "ne": "ネパール語",
}
OTHER = [tag for tag in SUFFIX if tag not in ("en", "ja-easy")]  # in tools/spot_texts.py
# Our documented extensions (docs/info-data.md, "spots").
HEADERS += [
    "説明_やさしい日本語", *(f"説明_{SUFFIX[tag]}" for tag in OTHER), "対応言語", "カテゴリ",
    "アクセス方法_英語", *(f"バリアフリー情報_{suffix}" for suffix in SUFFIX.values()), "車椅子対応",
]
# Sentences are joined without a space in Japanese and Chinese.
_TIGHT = ("ja", "ja-easy", "zh-Hans", "zh-Hant")
NOTE = "サンプルデータ（営業時間・料金・アクセス・バリアフリー・対応言語は要確認）"
OPEN = ("", "", "", "見学自由（屋外）")  # days, open, close, note
MUSEUM = ("火水木金土日祝", "09:00", "17:00", "月曜休館（祝日の場合は翌日）、年末年始休館")

# (code, NO, 名称, カナ, 英語, 住所, lat, lon, hours, 料金, カテゴリ, 対応言語, ja, en, やさしい日本語)
S = [
    ("162019", 1, "富山城（富山市郷土博物館）", "トヤマジョウ", "Toyama Castle",
     "富山市本丸", 36.6930, 137.2104, ("毎日", "09:00", "17:00", "年末年始休館"), "210円",
     "歴史", "日本語;英語",
     "富山城址公園にある模擬天守で、内部は富山の歴史を紹介する郷土博物館です。",
     "A reconstructed castle keep in Toyama Castle Park, housing the city's local history "
     "museum.",
     "とやまじょうの　こうえんに　ある　おしろです。なかで　とやまの　れきしを　まなべます。"),
    ("162019", 2, "富岩運河環水公園", "フガンウンガカンスイコウエン", "Fugan Canal Kansui Park",
     "富山市湊入船町", 36.7085, 137.2135, OPEN, "無料", "公園", "",
     "富岩運河の船だまりを整備した水辺の公園で、天門橋や水上ラインの船が見られます。",
     "A waterside park built around the old Fugan Canal basin, with the Tenmon Bridge and "
     "sightseeing boats.",
     "かわと　ふねが　みえる　ひろい　こうえんです。さんぽが　できます。"),
    ("162019", 3, "富山県美術館", "トヤマケンビジュツカン", "Toyama Prefectural Museum of Art and Design",
     "富山市木場町3-20", 36.7105, 137.2140, ("火水木金土日祝", "09:30", "18:00", "水曜休館の場合あり、年末年始休館"),
     "300円", "美術館", "日本語;英語;中国語;韓国語",
     "環水公園に面した美術とデザインの美術館で、屋上には「オノマトペの屋上」があります。",
     "An art and design museum facing Kansui Park, with a playful rooftop garden.",
     "えや　デザインを　みる　びじゅつかんです。おくじょうで　こどもが　あそべます。"),
    ("162019", 4, "富山市ガラス美術館", "トヤマシガラスビジュツカン", "Toyama Glass Art Museum",
     "富山市西町5-1", 36.6905, 137.2165, ("火水木金土日祝", "09:30", "18:00", "金・土曜は20:00まで、第1・第3水曜休館"),
     "200円", "美術館", "日本語;英語;中国語;韓国語",
     "隈研吾設計の「TOYAMAキラリ」にある現代ガラス美術の美術館です。",
     "A contemporary glass art museum in the TOYAMA Kirari building designed by Kengo Kuma.",
     "ガラスで　つくった　さくひんを　みる　びじゅつかんです。"),
    ("162019", 5, "岩瀬の町並み（北前船廻船問屋 森家）", "イワセノマチナミ", "Iwase historic district",
     "富山市東岩瀬町", 36.7560, 137.2310, ("毎日", "09:00", "17:00", "町並みは見学自由、森家は年末年始休館"),
     "100円", "町並み", "",
     "北前船で栄えた港町で、廻船問屋の町家が並ぶ通りが残っています。",
     "A port town that prospered from the Kitamae-bune trade, with merchant houses along the "
     "old street.",
     "むかしの　みなとまちです。ふるい　いえが　ならんで　います。"),
    ("162019", 6, "越中八尾 おわらの町並み", "エッチュウヤツオ", "Yatsuo (Owara town)",
     "富山市八尾町", 36.5770, 137.1370, OPEN, "無料", "町並み", "",
     "石畳と坂の町並みで、毎年9月1日から3日に「おわら風の盆」が行われます。",
     "A hillside town of stone-paved streets, home of the Owara Kaze-no-Bon dance festival "
     "on 1-3 September.",
     "さかの　おおい　まちです。9がつに　おどりの　まつり「おわら」が　あります。"),
    ("162019", 7, "富山市科学博物館", "トヤマシカガクハクブツカン", "Toyama Science Museum",
     "富山市西中野町1-8-31", 36.6700, 137.1960, MUSEUM, "520円", "博物館", "",
     "富山の自然と科学を紹介する博物館で、プラネタリウムがあります。",
     "A museum of Toyama's nature and science, with a planetarium.",
     "しぜんや　かがくを　まなぶ　はくぶつかんです。プラネタリウムが　あります。"),
    ("162019", 8, "池田屋安兵衛商店", "イケダヤヤスベエショウテン", "Ikedaya Yasubei (medicine shop)",
     "富山市堤町通り1-3-5", 36.6880, 137.2150, ("毎日", "09:00", "18:00", "年末年始休業"),
     "無料", "体験", "",
     "富山の売薬の歴史を伝える老舗の薬店で、丸薬づくりを体験できます。",
     "A historic medicine shop showing Toyama's traditional medicine trade; visitors can try "
     "making pills.",
     "むかしからの　くすりやさんです。くすりを　つくる　たいけんが　できます。"),
    ("162019", 9, "富山県中央植物園", "トヤマケンチュウオウショクブツエン", "Botanic Gardens of Toyama",
     "富山市婦中町上轡田42", 36.6648, 137.1576, ("毎日", "09:00", "17:00", "12月〜2月は16:30まで、木曜休園（冬期）"),
     "500円", "公園", "",
     "温室と屋外庭園に世界と日本の植物を集めた県立の植物園です。",
     "The prefectural botanic garden, with greenhouses and outdoor gardens of plants from "
     "Japan and the world.",
     "たくさんの　しょくぶつを　みる　ことが　できる　ところです。"),
    ("162019", 10, "富山市ファミリーパーク", "トヤマシファミリーパーク", "Toyama Municipal Family Park (zoo)",
     "富山市古沢254", 36.6620, 137.2390, ("火水木金土日", "09:00", "16:30", "冬期は休園日あり"),
     "510円", "動物園", "",
     "里山の自然を生かした動物園で、ライチョウなど日本の動物も見られます。",
     "A zoo set in wooded hills, showing Japanese animals such as the rock ptarmigan.",
     "どうぶつえんです。やまの　しぜんの　なかで　どうぶつを　みます。"),
    ("162019", 11, "呉羽山公園", "クレハヤマコウエン", "Mount Kureha Park",
     "富山市五福", 36.6930, 137.1830, OPEN, "無料", "公園", "",
     "市街地の西にある丘の公園で、晴れた日は展望台から立山連峰が見えます。",
     "A hill park west of the city centre; on clear days the lookout shows the Tateyama "
     "range.",
     "まちの　にしに　ある　おかの　こうえんです。たてやまが　みえます。"),
    ("162019", 12, "富山市民俗民芸村", "トヤマシミンゾクミンゲイムラ", "Toyama Folkcraft Village",
     "富山市安養坊1118-1", 36.6920, 137.1800, MUSEUM, "100円", "博物館", "",
     "呉羽山のふもとに民芸館や売薬資料館など複数の施設が集まっています。",
     "A group of small museums of folk crafts and the medicine trade at the foot of Mount "
     "Kureha.",
     "むかしの　どうぐや　くらしを　みる　ことが　できます。"),
    ("162019", 13, "富山県水墨美術館", "トヤマケンスイボクビジュツカン", "Toyama Prefectural Suiboku Museum",
     "富山市五福777", 36.6900, 137.1920, MUSEUM, "200円", "美術館", "",
     "水墨画を中心とした日本画の美術館で、日本庭園と茶室があります。",
     "A museum of ink painting and Japanese-style art, with a garden and tea room.",
     "すみで　かいた　えを　みる　びじゅつかんです。"),
    ("162019", 14, "有峰湖", "アリミネコ", "Lake Arimine",
     "富山市有峰", 36.4960, 137.4440, ("毎日", "06:00", "20:00", "有峰林道の通行は6月〜11月のみ"),
     "林道通行料 普通車1,900円", "自然", "",
     "有峰ダムでできた山あいの湖で、ブナの森のハイキングやキャンプができます。",
     "A mountain lake formed by the Arimine Dam, with beech forest walks and camping; the "
     "access road opens June to November.",
     "やまの　なかの　みずうみです。なつから　あきだけ　いけます。"),
    ("162027", 1, "高岡大仏", "タカオカダイブツ", "Takaoka Great Buddha",
     "高岡市大手町11-29", 36.7466, 137.0196, ("毎日", "06:00", "18:00", ""), "無料", "寺社", "",
     "高岡銅器の技術で造られた青銅の大仏で、日本三大仏の一つとされます。",
     "A bronze Great Buddha cast with Takaoka's metalworking skills, counted among Japan's "
     "three great Buddhas.",
     "どうで　つくった　おおきな　ほとけさまです。"),
    ("162027", 2, "国宝 瑞龍寺", "ズイリュウジ", "Zuiryuji Temple (National Treasure)",
     "高岡市関本町35", 36.7375, 137.0153, ("毎日", "09:00", "16:30", "12月〜1月は16:00まで"),
     "500円", "寺社", "日本語;英語",
     "加賀藩二代藩主前田利長の菩提寺で、山門・仏殿・法堂が国宝です。",
     "The family temple of Maeda Toshinaga; its gate, Buddha hall and lecture hall are "
     "National Treasures.",
     "こくほうの　おてらです。おおきな　たてものが　あります。"),
    ("162027", 3, "高岡古城公園", "タカオカコジョウコウエン", "Takaoka Kojo Park",
     "高岡市古城1-9", 36.7500, 137.0240, OPEN, "無料", "公園", "",
     "高岡城の跡で、水堀が残り、春は桜の名所です。",
     "The site of Takaoka Castle, with its moats intact; a famous cherry blossom spot.",
     "むかしの　おしろの　あとの　こうえんです。はるは　さくらが　きれいです。"),
    ("162027", 4, "山町筋（土蔵造りのまち）", "ヤマチョウスジ", "Yamachosuji street",
     "高岡市木舟町・小馬出町", 36.7508, 137.0160, OPEN, "無料", "町並み", "",
     "明治の大火の後に建てられた土蔵造りの商家が並ぶ通りです。",
     "A street of fire-proof earthen-walled merchant houses built after a great fire in "
     "1900.",
     "つちの　かべの　ふるい　みせが　ならぶ　みちです。"),
    ("162027", 5, "金屋町（千本格子の町並み）", "カナヤマチ", "Kanayamachi",
     "高岡市金屋町", 36.7480, 137.0085, OPEN, "無料", "町並み", "",
     "高岡の鋳物発祥の地で、千本格子の家と銅板の石畳が続きます。",
     "Where Takaoka's metal casting began: lattice-fronted houses and a copper-inlaid stone "
     "street.",
     "いものの　しょくにんの　まちです。ふるい　いえが　ならびます。"),
    ("162027", 6, "雨晴海岸", "アマハラシカイガン", "Amaharashi Coast",
     "高岡市太田", 36.8310, 137.0520, OPEN, "無料", "自然", "",
     "富山湾越しに3000m級の立山連峰が見える海岸で、義経岩があります。",
     "A coast where the 3,000 m Tateyama range can be seen across Toyama Bay, with the "
     "Yoshitsune Rock.",
     "うみの　むこうに　たかい　やまが　みえる　かいがんです。"),
    ("162027", 7, "高岡おとぎの森公園", "タカオカオトギノモリコウエン", "Takaoka Otogi-no-Mori Park",
     "高岡市佐野1342", 36.7235, 137.0480, OPEN, "無料", "公園", "",
     "ドラえもんの遊具がある公園で、子ども連れに人気です。",
     "A park with Doraemon-themed play areas, popular with families.",
     "ドラえもんが　いる　こうえんです。こどもが　あそべます。"),
    ("162027", 8, "雲龍山 勝興寺", "ショウコウジ", "Shokoji Temple",
     "高岡市伏木古国府17-1", 36.7920, 137.0580, ("毎日", "09:00", "16:30", ""), "500円", "寺社", "",
     "越中国府の跡に建つ浄土真宗の寺で、本堂と大広間・式台が国宝です。",
     "A Jodo Shinshu temple on the site of the old provincial office; its main hall is a "
     "National Treasure.",
     "こくほうの　おてらです。むかしの　やくしょの　あとに　あります。"),
    ("162043", 1, "魚津埋没林博物館", "ウオヅマイボツリンハクブツカン", "Uozu Buried Forest Museum",
     "魚津市釈迦堂814", 36.8296, 137.3943, ("毎日", "09:00", "17:00", "12月〜3月は火曜休館"),
     "620円", "博物館", "",
     "海の近くの地下から見つかった約2000年前の杉の根を保存・展示する博物館です。",
     "A museum preserving cedar stumps buried about 2,000 years ago, found underground near "
     "the sea; also explains Uozu's mirages.",
     "2000ねん　まえの　すぎの　きの　ねっこを　みる　はくぶつかんです。"),
    ("162043", 2, "ミラージュランド", "ミラージュランド", "Mirage Land",
     "魚津市三ケ1390", 36.8314, 137.3910, ("毎日", "10:00", "17:00", "冬期休業あり"),
     "乗り物ごとに料金", "遊園地", "",
     "大観覧車のある遊園地で、観覧車から富山湾と立山連峰を望めます。",
     "An amusement park whose Ferris wheel overlooks Toyama Bay and the Tateyama range.",
     "おおきな　かんらんしゃが　ある　ゆうえんちです。"),
    ("162043", 3, "魚津水族館", "ウオヅスイゾクカン", "Uozu Aquarium",
     "魚津市三ケ1390", 36.8282, 137.3868, ("毎日", "09:00", "17:00", "12月〜3月は月曜休館"),
     "760円", "水族館", "日本語;英語",
     "1913年に始まった日本で最も古い現役の水族館で、富山湾の生き物を展示します。",
     "Japan's oldest aquarium still in operation (since 1913), showing the life of Toyama "
     "Bay.",
     "とやまの　うみの　いきものを　みる　すいぞくかんです。"),
    ("162051", 1, "ひみ番屋街", "ヒミバンヤガイ", "Himi Banyagai",
     "氷見市北大町25-5", 36.8706, 136.9857, ("毎日", "08:30", "18:00", "店舗により異なる"), "無料",
     "市場", "日本語;英語",
     "氷見漁港の近くにある海鮮の店や土産物店が集まる道の駅で、足湯があります。",
     "A roadside station of seafood restaurants and shops near Himi Fishing Port, with a "
     "free footbath.",
     "さかなの　おみせが　あつまる　みちのえきです。あしゆが　あります。"),
    ("162051", 2, "氷見漁港", "ヒミギョコウ", "Himi Fishing Port",
     "氷見市比美町", 36.8565, 136.9905, OPEN, "無料", "市場", "",
     "寒ブリで知られる漁港で、早朝のせりを見学通路から見ることができます。",
     "A fishing port famous for winter yellowtail; the early-morning auction can be watched "
     "from a gallery.",
     "ブリで　ゆうめいな　みなとです。あさ　さかなの　せりを　みられます。"),
    ("162051", 3, "氷見市潮風ギャラリー（藤子不二雄Ⓐアートコレクション）", "シオカゼギャラリー",
     "Himi Shiokaze Gallery (Fujiko Fujio A)", "氷見市中央町3-4", 36.8570, 136.9860,
     ("木金土日月", "10:00", "17:00", "火・水曜休館"), "無料", "美術館", "",
     "氷見出身の漫画家、藤子不二雄Ⓐの作品を紹介するギャラリーです。",
     "A gallery of the works of manga artist Fujiko Fujio A, who was born in Himi.",
     "ひみ　うまれの　まんがかの　さくひんを　みる　ところです。"),
    ("162060", 1, "ほたるいかミュージアム", "ホタルイカミュージアム", "Hotaruika Museum (firefly squid)",
     "滑川市中川原410", 36.7745, 137.3400, ("水木金土日月", "09:00", "17:00", "火曜休館、3月〜5月は毎日開館"),
     "800円", "博物館", "",
     "ホタルイカの発光を紹介する世界で唯一の専門施設で、春にはライブシアターで光を見られます。",
     "The only museum devoted to the firefly squid; in spring its glow is shown live.",
     "ひかる　イカ「ほたるいか」の　はくぶつかんです。"),
    ("162078", 1, "宇奈月温泉", "ウナヅキオンセン", "Unazuki Onsen",
     "黒部市宇奈月温泉", 36.8130, 137.5830, OPEN, "無料", "温泉", "日本語;英語",
     "黒部峡谷の入口にある温泉街で、黒部川沿いに旅館が並びます。",
     "A hot spring town at the mouth of the Kurobe Gorge, with inns along the Kurobe River.",
     "くろべの　やまの　いりぐちに　ある　おんせんの　まちです。"),
    ("162078", 2, "黒部峡谷鉄道（宇奈月駅）", "クロベキョウコクテツドウ", "Kurobe Gorge Railway",
     "黒部市黒部峡谷口11", 36.8140, 137.5845, ("毎日", "08:00", "17:00", "4月下旬〜11月末の運行、冬期運休"),
     "運行区間により異なる", "乗り物", "日本語;英語;中国語;韓国語",
     "宇奈月から黒部峡谷の奥へ走るトロッコ電車です。",
     "The open-car trolley train running from Unazuki deep into the Kurobe Gorge (late April "
     "to November).",
     "やまの　たにを　はしる　トロッコでんしゃです。ふゆは　はしりません。"),
    ("162078", 3, "欅平", "ケヤキダイラ", "Keyakidaira",
     "黒部市宇奈月町黒部奥山", 36.6670, 137.6500, ("毎日", "08:00", "17:00", "黒部峡谷鉄道の運行期間のみ"),
     "無料", "自然", "",
     "黒部峡谷鉄道の終点で、奥鐘橋や人喰岩などの渓谷の景色が楽しめます。",
     "The terminus of the Kurobe Gorge Railway, with gorge views from bridges and cliff "
     "paths.",
     "トロッコでんしゃの　さいごの　えきです。たにの　けしきが　きれいです。"),
    ("162078", 4, "生地の清水（しょうず）", "イクジノショウズ", "Ikuji springs",
     "黒部市生地", 36.8930, 137.4220, OPEN, "無料", "町並み", "",
     "黒部川扇状地の湧き水が町のあちこちに湧く漁師町です。",
     "A fishing town where spring water from the Kurobe alluvial fan rises at public wells.",
     "きれいな　わきみずが　たくさん　ある　まちです。"),
    ("162086", 1, "砺波チューリップ公園", "トナミチューリップコウエン", "Tonami Tulip Park",
     "砺波市花園町1-32", 36.6400, 136.9590, OPEN, "無料（チューリップフェア期間は有料）", "公園",
     "",
     "春のチューリップフェアで知られる公園で、約300万本のチューリップが咲きます。",
     "A park known for its spring Tulip Fair, when about three million tulips bloom.",
     "はるに　たくさんの　チューリップが　さく　こうえんです。"),
    ("162086", 2, "チューリップ四季彩館", "チューリップシキサイカン", "Tulip Shikisaikan",
     "砺波市中村100-1", 36.6370, 136.9560, ("毎日", "09:00", "18:00", "年末年始休館"), "310円",
     "博物館", "",
     "一年中チューリップを見られる展示施設です。",
     "A tulip exhibition hall where tulips can be seen all year round.",
     "いちねんじゅう　チューリップが　みられる　ところです。"),
    ("162086", 3, "庄川峡（小牧堰堤）", "ショウガワキョウ", "Shogawa Gorge",
     "砺波市庄川町小牧", 36.5620, 136.9870, ("毎日", "09:00", "16:00", "遊覧船は季節により便数が異なる"),
     "遊覧船は有料", "自然", "",
     "庄川の峡谷で、小牧ダムから大牧温泉へ遊覧船が出ています。",
     "A river gorge of the Shogawa; sightseeing boats run from Komaki Dam to Omaki Onsen.",
     "かわの　たにです。ふねに　のって　けしきを　みられます。"),
    ("162086", 4, "となみ散居村ミュージアム", "トナミサンキョソンミュージアム", "Tonami Sankyoson Museum",
     "砺波市太郎丸80", 36.6260, 136.9520, ("火水木金土日", "10:00", "18:00", "月曜休館"), "無料",
     "博物館", "",
     "砺波平野の散居村（家が点在する農村）を紹介する施設です。",
     "A museum about the Tonami Plain's scattered farmhouse villages.",
     "いえが　はなれて　たつ　むらの　くらしを　しょうかいします。"),
    ("162094", 1, "倶利伽羅源平の郷", "クリカラゲンペイノサト", "Kurikara Genpei-no-Sato",
     "小矢部市埴生", 36.7120, 136.8380, ("火水木金土日", "09:00", "17:00", "月曜休館"), "無料", "歴史", "",
     "源平合戦の倶利伽羅峠の戦いにちなむ施設で、峠の史跡への入口です。",
     "A visitor centre at the foot of Kurikara Pass, site of a famous Genpei War battle.",
     "むかしの　たたかいが　あった　とうげの　ちかくの　しせつです。"),
    ("162094", 2, "クロスランドおやべ", "クロスランドオヤベ", "Crossland Oyabe",
     "小矢部市鷲島10", 36.6720, 136.8740, OPEN, "無料", "公園", "",
     "高さ118mの展望タワーがある公園です。",
     "A park with a 118 m observation tower.",
     "たかい　タワーが　ある　こうえんです。"),
    ("162094", 3, "三井アウトレットパーク北陸小矢部", "ミツイアウトレットパークホクリクオヤベ",
     "Mitsui Outlet Park Hokuriku Oyabe", "小矢部市西中野972-1", 36.6860, 136.8530,
     ("毎日", "10:00", "20:00", "不定休"), "無料", "買い物", "日本語;英語;中国語",
     "北陸で初めてのアウトレットモールで、観覧車があります。",
     "Hokuriku's first outlet mall, with a Ferris wheel.",
     "かいものが　できる　おおきな　おみせです。"),
    ("162108", 1, "五箇山合掌造り集落（相倉）", "アイノクラ", "Ainokura (Gokayama)",
     "南砺市相倉", 36.4290, 136.9340, ("毎日", "08:00", "17:00", "集落は生活の場です。夜間は立ち入りを控えてください"),
     "無料（駐車場有料）", "世界遺産", "日本語;英語;中国語",
     "世界遺産「白川郷・五箇山の合掌造り集落」の一つで、20棟余りの合掌造り家屋が残ります。",
     "Part of the World Heritage 'Historic Villages of Shirakawa-go and Gokayama', with some "
     "twenty gassho-style houses.",
     "せかいいさんの　むらです。おおきな　かやぶき　やねの　いえが　あります。"),
    ("162108", 2, "五箇山合掌造り集落（菅沼）", "スガヌマ", "Suganuma (Gokayama)",
     "南砺市菅沼", 36.4000, 136.8870, ("毎日", "08:00", "17:00", "集落は生活の場です"),
     "無料（駐車場有料）", "世界遺産", "日本語;英語;中国語",
     "庄川のほとりにある世界遺産の合掌造り集落で、塩硝の館などがあります。",
     "A World Heritage village of gassho-style houses on a bend of the Shogawa river.",
     "かわの　そばの　せかいいさんの　むらです。"),
    ("162108", 3, "井波彫刻の町（瑞泉寺）", "イナミ", "Inami woodcarving town (Zuisenji)",
     "南砺市井波3050", 36.5547, 136.9638, ("毎日", "09:00", "16:30", "瑞泉寺の拝観時間"), "500円",
     "町並み", "",
     "木彫刻の工房が並ぶ八日町通りと、井波彫刻の源流となった瑞泉寺がある町です。",
     "A town of woodcarving workshops along Yokamachi street, leading to Zuisenji Temple.",
     "きを　ほる　しょくにんの　まちです。おおきな　おてらが　あります。"),
    ("162108", 4, "城端曳山会館", "ジョウハナヒキヤマカイカン", "Johana Hikiyama Hall",
     "南砺市城端579-7", 36.5160, 136.9010, ("毎日", "09:00", "17:00", "年末年始休館"), "520円",
     "博物館", "",
     "ユネスコ無形文化遺産の城端曳山祭の曳山を展示しています。",
     "Displays the floats of the Johana Hikiyama festival, a UNESCO Intangible Cultural "
     "Heritage.",
     "まつりの　だしを　みる　ことが　できます。"),
    ("162108", 5, "棟方志功記念館 愛染苑", "ムナカタシコウキネンカン アイゼンエン", "Munakata Shiko Memorial Aizen-en",
     "南砺市法林寺2008", 36.5560, 136.8720, ("火水木金土日", "09:00", "16:30", "月曜休館"), "310円",
     "美術館", "",
     "版画家棟方志功が疎開して暮らした福光にある記念館です。",
     "A memorial museum in Fukumitsu, where the printmaker Munakata Shiko lived during and "
     "after the war.",
     "はんがの　がか　むなかた　しこうの　きねんかんです。"),
    ("162116", 1, "海王丸パーク", "カイオウマルパーク", "Kaiwomaru Park",
     "射水市海王町8", 36.7783, 137.1061, OPEN, "無料（帆船の見学は有料）", "公園", "日本語;英語",
     "「海の貴婦人」と呼ばれる帆船海王丸が係留され、総帆展帆の日があります。",
     "Home of the sail training ship Kaiwo Maru, 'the lady of the sea'; on some days all her "
     "sails are set.",
     "おおきな　ほかけぶね「かいおうまる」が　ある　こうえんです。"),
    ("162116", 2, "新湊大橋", "シンミナトオオハシ", "Shinminato Bridge",
     "射水市海王町", 36.7805, 137.1104, ("毎日", "06:00", "22:00", "あいの風プロムナード（歩道）の時間。冬期は短縮"),
     "無料", "景観", "",
     "富山新港をまたぐ斜張橋で、橋の下の歩道から港と立山連峰を望めます。",
     "A cable-stayed bridge over Toyama Shinko port, with a walkway beneath the road deck.",
     "みなとの　うえの　おおきな　はしです。したを　あるいて　わたれます。"),
    ("162116", 3, "新湊きっときと市場", "シンミナトキットキトイチバ", "Shinminato Kittokito Market",
     "射水市八幡町2-1", 36.7770, 137.0870, ("毎日", "09:00", "17:00", "食堂は別時間、水曜休業の場合あり"),
     "無料", "市場", "",
     "新湊漁港に隣接した市場で、白えびや紅ズワイガニなど地元の魚介が買えます。",
     "A market next to Shinminato fishing port selling local seafood such as white shrimp "
     "and red snow crab.",
     "しろえびや　かにを　かえる　いちばです。"),
    ("162116", 4, "内川", "ウチカワ", "Uchikawa canal",
     "射水市立町", 36.7760, 137.0960, OPEN, "無料", "町並み", "",
     "漁船がつながれ、個性的な橋がかかる運河沿いの町並みで「日本のベニス」とも呼ばれます。",
     "A canal lined with fishing boats and crossed by many small bridges, nicknamed 'Japan's "
     "Venice'.",
     "ふねが　ならぶ　かわの　まちです。"),
    ("162116", 5, "太閤山ランド", "タイコウヤマランド", "Taikoyama Land",
     "射水市黒河4774-6", 36.6905, 137.1280, ("火水木金土日祝", "09:00", "17:00", "月曜休園"), "無料",
     "公園", "",
     "芝生広場やプール、花しょうぶ園がある県民公園です。",
     "A large prefectural park with lawns, a pool and an iris garden.",
     "ひろい　しばふや　プールが　ある　こうえんです。"),
    ("163228", 1, "大岩山日石寺", "オオイワサンニッセキジ", "Nissekiji Temple (Oiwa Fudo)",
     "上市町大岩163", 36.6782, 137.4277, ("毎日", "08:00", "17:00", ""), "無料", "寺社", "",
     "岩に彫られた不動明王の磨崖仏で知られる寺で、滝に打たれる修行場があります。",
     "A temple known for its Fudo Myoo carved into the rock face, with waterfalls for "
     "ascetic practice.",
     "いわに　ほった　ほとけさまが　いる　おてらです。"),
    ("163236", 1, "立山黒部アルペンルート（立山駅）", "タテヤマクロベアルペンルート",
     "Tateyama Kurobe Alpine Route (Tateyama Station)", "立山町千寿ケ原", 36.5830, 137.4420,
     ("毎日", "07:00", "17:00", "4月中旬〜11月末の営業、冬期全線運休"), "区間により異なる",
     "山岳", "日本語;英語;中国語;韓国語;タイ語",
     "立山駅から黒部ダムまで、ケーブルカーやバスを乗り継いで北アルプスを越える山岳観光ルートです。",
     "A mountain route across the Northern Alps by cable car, bus and ropeway from Tateyama "
     "Station to Kurobe Dam (mid-April to November).",
     "のりものを　のりかえて　やまを　こえる　みちです。ふゆは　とおれません。"),
    ("163236", 2, "室堂平", "ムロドウダイラ", "Murodo",
     "立山町芦峅寺", 36.5770, 137.5960, ("毎日", "07:00", "17:00", "アルペンルートの営業期間のみ"),
     "無料", "山岳", "日本語;英語;中国語;韓国語",
     "標高2450mの高原で、春は「雪の大谷」、夏は高山植物が見られます。",
     "A plateau at 2,450 m: the snow walls of Yuki-no-Otani in spring, alpine flowers in "
     "summer.",
     "たかい　やまの　うえの　ひろい　ところです。はるは　ゆきの　かべが　みられます。"),
    ("163236", 3, "黒部ダム", "クロベダム", "Kurobe Dam",
     "立山町芦峅寺", 36.5663, 137.6630, ("毎日", "07:00", "17:00", "アルペンルートの営業期間のみ。観光放水は6月下旬〜10月中旬"),
     "無料", "景観", "日本語;英語;中国語;韓国語",
     "高さ186mの日本一高いアーチ式ダムで、夏から秋には観光放水が行われます。",
     "Japan's tallest dam (186 m); from summer to autumn water is released for visitors.",
     "にほんで　いちばん　たかい　ダムです。"),
    ("163236", 4, "称名滝", "ショウミョウダキ", "Shomyo Falls",
     "立山町芦峅寺", 36.5795, 137.5185, ("毎日", "07:00", "18:00", "4月下旬〜11月のみ通行可（冬期閉鎖）"),
     "無料", "自然", "",
     "落差350mの日本一の落差の滝で、雪どけの時期には隣にハンノキ滝も現れます。",
     "Japan's tallest waterfall (350 m); in the snowmelt season the Hannoki Falls appear "
     "beside it.",
     "にほんで　いちばん　たかい　たきです。"),
    ("163236", 5, "雄山神社 前立社壇", "オヤマジンジャ ゼンリツシャダン", "Oyama Shrine (Maetate Shadan)",
     "立山町岩峅寺1", 36.6320, 137.3380, OPEN, "無料", "寺社", "",
     "立山信仰の拠点の一つで、本殿は重要文化財です。",
     "One of the centres of the Tateyama mountain faith; its main hall is an Important "
     "Cultural Property.",
     "たてやまを　まつる　じんじゃです。"),
    ("163236", 6, "立山博物館", "タテヤマハクブツカン", "Tateyama Museum of Toyama",
     "立山町芦峅寺93-1", 36.5935, 137.4135, MUSEUM, "300円", "博物館", "",
     "立山の自然と立山信仰の歴史を紹介する県立博物館です。",
     "The prefectural museum of Tateyama's nature and mountain faith.",
     "たてやまの　しぜんや　しんこうを　まなぶ　はくぶつかんです。"),
    ("163236", 7, "みくりが池", "ミクリガイケ", "Mikurigaike Pond",
     "立山町芦峅寺", 36.5757, 137.5989, ("毎日", "07:00", "17:00", "アルペンルートの営業期間のみ"),
     "無料", "山岳", "",
     "室堂にある火山湖で、水面に立山が映ります。",
     "A volcanic crater lake near Murodo that mirrors Mount Tateyama.",
     "やまの　うえの　いけです。やまが　みずに　うつります。"),
    ("163236", 8, "弥陀ヶ原", "ミダガハラ", "Midagahara",
     "立山町芦峅寺", 36.5770, 137.5330, ("毎日", "07:00", "17:00", "アルペンルートの営業期間のみ"),
     "無料", "自然", "",
     "ラムサール条約湿地に登録された高原の湿原で、木道を歩けます。",
     "A high-altitude wetland listed under the Ramsar Convention, with boardwalks.",
     "やまの　うえの　しつげんです。きの　みちを　あるけます。"),
    ("163422", 1, "下山芸術の森 発電所美術館", "ニュウゼンマチハツデンショビジュツカン",
     "Nizayama Forest Art Museum (Power Station Museum)", "入善町下山364-1", 36.8749, 137.5488,
     ("火水木金土日", "09:30", "17:00", "月曜休館、展覧会の会期のみ開館"), "展覧会により異なる",
     "美術館", "",
     "大正時代の水力発電所を美術館にした施設です。",
     "An art museum in a hydroelectric power station built in the 1920s.",
     "むかしの　はつでんしょを　びじゅつかんに　した　ところです。"),
    ("163422", 2, "杉沢の沢スギ", "スギサワノサワスギ", "Sugisawa no Sawasugi cedar forest",
     "入善町吉原", 36.9180, 137.4770, ("毎日", "09:00", "17:00", "冬期は散策できない日あり"), "無料",
     "自然", "",
     "湧き水の扇状地に残る珍しい杉林で、国の天然記念物です。",
     "A rare cedar forest on spring-fed ground at the edge of the Kurobe fan, a national "
     "natural monument.",
     "わきみずの　ちかくの　すぎの　もりです。"),
    ("163431", 1, "ヒスイ海岸（宮崎・境海岸）", "ヒスイカイガン", "Hisui (Jade) Coast",
     "朝日町宮崎", 36.9690, 137.5960, OPEN, "無料", "自然", "",
     "ヒスイの原石が打ち上げられることもある小石の海岸で、夕日の名所です。",
     "A pebble beach where pieces of jade sometimes wash up; known for its sunsets.",
     "ヒスイという　いしが　ひろえる　ことも　ある　かいがんです。"),
    ("163431", 2, "あさひ舟川「春の四重奏」", "アサヒフナカワ", "Asahi Funakawa 'Spring Quartet'",
     "朝日町舟川新", 36.9250, 137.5670, OPEN, "無料", "景観", "",
     "春に桜並木、チューリップ、菜の花と残雪の朝日岳が同時に見られる場所です。",
     "In spring, cherry trees, tulips and rapeseed flowers bloom together beneath the "
     "snow-capped mountains.",
     "はるに　さくらや　チューリップが　いっしょに　さく　ところです。"),
]


def _barrier_free(ident: str) -> tuple[str, dict[str, str]]:
    """車椅子対応 and the barrier-free note per language tag (its sentences joined)."""
    wheelchair, keys = TEXTS["BARRIER_FREE"][ident]
    phrases = [TEXTS["PHRASES"][key] for key in keys]
    return wheelchair, {tag: ("" if tag in _TIGHT else " ").join(p[tag] for p in phrases)
                        for tag in ("ja", *SUFFIX)}


def _languages(ident: str) -> dict[str, str]:
    """The extension columns in every language: descriptions, access (en), barrier-free."""
    translated = TEXTS["DESCRIPTIONS"][ident]
    access_ja, access_en = TEXTS["ACCESS"][ident]
    wheelchair, barrier = _barrier_free(ident)
    return {
        **{f"説明_{SUFFIX[tag]}": translated[tag] for tag in OTHER},
        "アクセス方法": access_ja, "アクセス方法_英語": access_en,
        "バリアフリー情報": barrier["ja"],
        **{f"バリアフリー情報_{SUFFIX[tag]}": barrier[tag] for tag in SUFFIX},
        "車椅子対応": wheelchair,
    }


def rows() -> dict[str, list[list[str]]]:
    by_town: dict[str, list[list[str]]] = {}
    for (code, no, name, kana, en, address, lat, lon, hours, fee, category, languages, ja,
         en_text, easy) in S:
        days, opening, closing, note = hours
        row = {h: "" for h in HEADERS}
        row.update({
            "都道府県コード又は市区町村コード": code, "NO": str(no), "都道府県名": "富山県",
            "市区町村名": TOWNS[code], "名称": name, "名称_カナ": kana, "名称_英語": en,
            "住所": "富山県" + address, "緯度": f"{lat:.4f}", "経度": f"{lon:.4f}",
            "利用可能曜日": days, "開始時間": opening, "終了時間": closing,
            "利用可能日時特記事項": note, "料金（基本）": fee, "説明": ja, "説明_英語": en_text,
            "説明_やさしい日本語": easy, "対応言語": languages, "カテゴリ": category,
            "備考": NOTE,
            **_languages(f"{code}-{no}"),
        })
        by_town.setdefault(code, []).append([row[h] for h in HEADERS])
    return by_town


def main(out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for code, town_rows in sorted(rows().items()):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(HEADERS)
        writer.writerows(town_rows)
        (out / f"{code}.csv").write_text(buffer.getvalue(), encoding="utf-8", newline="")


if __name__ == "__main__":
    main()
