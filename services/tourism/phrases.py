"""The visitors' phrase and pictogram sheet: short sentences a visitor shows to someone in
Toyama (the Japanese text, polite and complete) next to the same sentence in the visitor's own
language, each with an icon and, where one applies, the meaning of its JIS Z 8210 public
information pictogram (the symbols on Japanese signs), so a visitor can match the sign.

It lives in code, not in a dataset: it works offline from the first start and needs no sync.
Icons are Flet icon names as plain text (services never import flet); the view maps them.
Emergency numbers are the real national ones; the Japan Visitor Hotline is JNTO's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from services.i18n import LANGUAGES, N_
from services.tourism.guides import pick_text


class PhraseCategory(StrEnum):
    toilet = "toilet"
    station = "station"
    hospital = "hospital"
    pharmacy = "pharmacy"
    help = "help"
    police = "police"
    lost = "lost"
    allergy = "allergy"
    money = "money"
    wifi = "wifi"
    taxi = "taxi"
    talk = "talk"  # getting understood
    shopping = "shopping"
    directions = "directions"


CATEGORY_LABELS: Mapping[PhraseCategory, str] = MappingProxyType({
    PhraseCategory.toilet: N_("Toilet"),
    PhraseCategory.station: N_("Station and bus"),
    PhraseCategory.hospital: N_("Hospital"),
    PhraseCategory.pharmacy: N_("Pharmacy"),
    PhraseCategory.help: N_("Help and emergency"),
    PhraseCategory.police: N_("Police"),
    PhraseCategory.lost: N_("Lost"),
    PhraseCategory.allergy: N_("Food and allergies"),
    PhraseCategory.money: N_("Money"),
    PhraseCategory.wifi: N_("Wi-Fi"),
    PhraseCategory.taxi: N_("Taxi"),
    PhraseCategory.talk: N_("Being understood"),
    PhraseCategory.shopping: N_("Shopping"),
    PhraseCategory.directions: N_("Directions"),
})


@dataclass(frozen=True)
class Pictogram:
    """A JIS Z 8210 案内用図記号 by its Japanese and English names as the standard gives them."""

    ja: str
    en: str


@dataclass(frozen=True)
class Phrase:
    id: str
    icon: str  # a Flet icon name ("WC"); the view turns it into ft.Icons.WC
    texts: Mapping[str, str]  # every language tag of the app
    category: PhraseCategory
    pictogram: Pictogram | None = None

    @property
    def japanese(self) -> str:
        """What the visitor shows to a person in Toyama."""
        return self.texts["ja"]

    def text_in(self, code: str) -> str:
        return pick_text(self.texts, code)


@dataclass(frozen=True)
class EmergencyNumber:
    number: str  # as dialled in Japan
    label: str  # msgid
    hours: str  # msgid

    @property
    def tel_uri(self) -> str:
        return "tel:" + self.number.replace("-", "")


EMERGENCY_NUMBERS: tuple[EmergencyNumber, ...] = (
    EmergencyNumber("119", N_("Fire and ambulance"), N_("24 hours, free")),
    EmergencyNumber("110", N_("Police"), N_("24 hours, free")),
    EmergencyNumber("050-3816-2787", N_("Japan Visitor Hotline (JNTO): English, Chinese, Korean"),
                    N_("24 hours, every day")),
)

# JIS Z 8210 pictograms the phrases point to.
TOILETS = Pictogram("お手洗", "Toilets")
RAILWAY = Pictogram("鉄道／鉄道駅", "Railway / Railway station")
BUS = Pictogram("バス／バスのりば", "Bus / Bus stop")
HOSPITAL = Pictogram("病院", "Hospital")
FIRST_AID = Pictogram("救護所", "First aid")
POLICE = Pictogram("警察", "Police")
EVACUATION = Pictogram("広域避難場所", "Evacuation area")
LOST_AND_FOUND = Pictogram("忘れ物取扱所", "Lost and found")
EXCHANGE = Pictogram("両替", "Currency exchange")
TAXI = Pictogram("タクシー／タクシーのりば", "Taxi / Taxi stop")

_TAGS = tuple(lang.code for lang in LANGUAGES)


def _phrase(id: str, category: PhraseCategory, icon: str, *texts: str,
            pictogram: Pictogram | None = None) -> Phrase:
    if len(texts) != len(_TAGS):
        raise ValueError(f"phrase {id}: {len(texts)} texts for {len(_TAGS)} languages")
    return Phrase(id, icon, MappingProxyType(dict(zip(_TAGS, texts, strict=True))), category,
                  pictogram)


C = PhraseCategory
# Texts in the order of services.i18n.LANGUAGES:
# ja, ja-easy, en, zh-Hans, zh-Hant, ko, vi, pt-BR, tl, id, ne
PHRASES: tuple[Phrase, ...] = (
    _phrase("toilet-where", C.toilet, "WC",
            "トイレはどこですか？", "トイレは　どこですか？", "Where is the toilet?",
            "洗手间在哪里？", "洗手間在哪裡？", "화장실이 어디예요?", "Nhà vệ sinh ở đâu ạ?",
            "Onde fica o banheiro?", "Saan po ang banyo?", "Di mana toiletnya?",
            "शौचालय कहाँ छ?", pictogram=TOILETS),
    _phrase("station-where", C.station, "TRAIN",
            "駅はどこですか？", "えきは　どこですか？", "Where is the station?",
            "车站在哪里？", "車站在哪裡？", "역이 어디예요?", "Nhà ga ở đâu ạ?",
            "Onde fica a estação?", "Saan po ang istasyon ng tren?", "Di mana stasiunnya?",
            "रेल स्टेसन कहाँ छ?", pictogram=RAILWAY),
    _phrase("bus-stop-where", C.station, "DIRECTIONS_BUS",
            "バス乗り場はどこですか？", "バスのりばは　どこですか？", "Where is the bus stop?",
            "公交车站在哪里？", "公車站在哪裡？", "버스 정류장이 어디예요?",
            "Trạm xe buýt ở đâu ạ?", "Onde fica o ponto de ônibus?",
            "Saan po ang sakayan ng bus?", "Di mana halte busnya?", "बस बिसौनी कहाँ छ?",
            pictogram=BUS),
    _phrase("goes-here", C.station, "DIRECTIONS_RAILWAY",
            "この電車（バス）はここに行きますか？",
            "この　でんしゃ（バス）は　ここに　いきますか？",
            "Does this train (or bus) go here?", "这趟电车（公交车）去这里吗？",
            "這班電車（公車）會到這裡嗎？", "이 전철(버스)은 여기에 가나요?",
            "Tàu (xe buýt) này có đi đến đây không ạ?",
            "Este trem (ou ônibus) vai para este lugar?",
            "Papunta po ba rito ang tren (o bus) na ito?",
            "Apakah kereta (bus) ini pergi ke sini?", "यो रेल (बस) यहाँ जान्छ?"),
    _phrase("hospital-take-me", C.hospital, "LOCAL_HOSPITAL",
            "病院に連れて行ってください。", "びょういんに　つれて　いって　ください。",
            "Please take me to a hospital.", "请带我去医院。", "請帶我去醫院。",
            "병원에 데려다 주세요.", "Xin hãy đưa tôi đến bệnh viện.",
            "Por favor, me leve a um hospital.", "Pakidala po ako sa ospital.",
            "Tolong antar saya ke rumah sakit.", "कृपया मलाई अस्पताल लैजानुहोस्।",
            pictogram=HOSPITAL),
    _phrase("feel-sick", C.hospital, "SICK",
            "気分が悪いです。", "きぶんが　わるいです。", "I feel sick.",
            "我身体不舒服。", "我身體不舒服。", "몸이 안 좋아요.", "Tôi thấy không khỏe.",
            "Estou passando mal.", "Masama po ang pakiramdam ko.",
            "Saya merasa tidak enak badan.", "मलाई सन्चो छैन।", pictogram=FIRST_AID),
    _phrase("hurts-here", C.hospital, "HEALING",
            "ここが痛いです。", "ここが　いたいです。", "It hurts here.",
            "我这里疼。", "我這裡痛。", "여기가 아파요.", "Tôi bị đau ở chỗ này.",
            "Dói aqui.", "Masakit po rito.", "Di sini sakit.", "मलाई यहाँ दुख्छ।"),
    _phrase("pharmacy-where", C.pharmacy, "LOCAL_PHARMACY",
            "薬局はどこですか？", "くすりを　うって　いる　ところは　どこですか？",
            "Where is a pharmacy?", "药店在哪里？", "藥局在哪裡？", "약국이 어디예요?",
            "Hiệu thuốc ở đâu ạ?", "Onde tem uma farmácia?", "Saan po may botika?",
            "Di mana apotek?", "औषधि पसल कहाँ छ?"),
    _phrase("help", C.help, "SOS",
            "助けてください！", "たすけて　ください！", "Help, please!",
            "请帮帮我！", "請幫幫我！", "도와주세요!", "Xin hãy giúp tôi!",
            "Socorro! Por favor, me ajude!", "Tulong po!", "Tolong saya!",
            "मलाई मद्दत गर्नुहोस्!"),
    _phrase("ambulance", C.help, "EMERGENCY",
            "救急車を呼んでください（119番）。",
            "きゅうきゅうしゃを　よんで　ください（119ばん）。",
            "Please call an ambulance (119).", "请叫救护车（119）。", "請叫救護車（119）。",
            "구급차를 불러 주세요(119).", "Xin hãy gọi xe cấp cứu (119).",
            "Por favor, chame uma ambulância (119).", "Pakitawag po ng ambulansya (119).",
            "Tolong panggilkan ambulans (119).", "कृपया एम्बुलेन्स बोलाइदिनुहोस् (119)।"),
    _phrase("evacuation-site", C.help, "DIRECTIONS_RUN",
            "避難場所はどこですか？", "にげる　ばしょは　どこですか？",
            "Where is the evacuation site?", "避难场所在哪里？", "避難場所在哪裡？",
            "대피소가 어디예요?", "Nơi sơ tán ở đâu ạ?", "Onde fica o local de evacuação?",
            "Saan po ang evacuation center?", "Di mana tempat evakuasi?",
            "आपत्कालीन आश्रयस्थल कहाँ छ?", pictogram=EVACUATION),
    _phrase("police-call", C.police, "LOCAL_POLICE",
            "警察を呼んでください（110番）。", "けいさつを　よんで　ください（110ばん）。",
            "Please call the police (110).", "请帮我报警（110）。", "請幫我報警（110）。",
            "경찰을 불러 주세요(110).", "Xin hãy gọi cảnh sát (110).",
            "Por favor, chame a polícia (110).", "Pakitawag po ng pulis (110).",
            "Tolong panggilkan polisi (110).", "कृपया प्रहरी बोलाइदिनुहोस् (110)।",
            pictogram=POLICE),
    _phrase("koban-where", C.police, "LOCAL_POLICE",
            "交番はどこですか？", "こうばん（けいさつ）は　どこですか？",
            "Where is the police box (koban)?", "派出所在哪里？", "派出所在哪裡？",
            "파출소가 어디예요?", "Đồn cảnh sát (koban) ở đâu ạ?",
            "Onde fica o posto policial (koban)?", "Saan po ang police box (koban)?",
            "Di mana pos polisi (koban)?", "प्रहरी चौकी (कोबान) कहाँ छ?", pictogram=POLICE),
    _phrase("lost-way", C.lost, "NOT_LISTED_LOCATION",
            "道に迷いました。", "みちが　わからなく　なりました。", "I am lost.",
            "我迷路了。", "我迷路了。", "길을 잃었어요.", "Tôi bị lạc đường.",
            "Me perdi.", "Naliligaw po ako.", "Saya tersesat.",
            "म बाटो बिराएँ।"),
    _phrase("lost-item", C.lost, "LUGGAGE",
            "忘れ物をしました。", "わすれものを　しました。", "I have left something behind.",
            "我有东西忘拿了。", "我有東西忘了拿。", "물건을 두고 왔어요.", "Tôi để quên đồ.",
            "Esqueci uma coisa.", "May naiwan po akong gamit.", "Barang saya tertinggal.",
            "मेरो सामान छुट्यो।", pictogram=LOST_AND_FOUND),
    _phrase("lost-companion", C.lost, "PERSON_SEARCH",
            "連れとはぐれました。", "いっしょに　いた　ひとと　はなれて　しまいました。",
            "I have lost the person I was with.", "我和同伴走散了。", "我和同伴走散了。",
            "일행을 잃어버렸어요.", "Tôi bị lạc người đi cùng.",
            "Me perdi da pessoa que estava comigo.", "Nawalay po ako sa kasama ko.",
            "Saya terpisah dari teman saya.", "म सँगै आएको मान्छेसँग छुट्टिएँ।"),
    _phrase("food-allergy", C.allergy, "NO_FOOD",
            "食物アレルギーがあります。", "たべものの　アレルギーが　あります。",
            "I have a food allergy.", "我有食物过敏。", "我有食物過敏。",
            "음식 알레르기가 있어요.", "Tôi bị dị ứng thực phẩm.", "Tenho alergia alimentar.",
            "May allergy po ako sa pagkain.", "Saya punya alergi makanan.",
            "मलाई खानेकुराको एलर्जी छ।"),
    _phrase("dish-contents", C.allergy, "RESTAURANT_MENU",
            "この料理には何が入っていますか？", "この　りょうりには　なにが　はいって　いますか？",
            "What is in this dish?", "这道菜里有什么？", "這道菜裡有什麼？",
            "이 요리에 뭐가 들어 있어요?", "Món này có những nguyên liệu gì ạ?",
            "O que tem neste prato?", "Ano po ang sangkap ng pagkaing ito?",
            "Apa saja isi masakan ini?", "यो परिकारमा के-के हालिएको छ?"),
    _phrase("no-meat-fish", C.allergy, "NO_MEALS",
            "肉や魚は食べられません。", "にくや　さかなは　たべられません。",
            "I cannot eat meat or fish.", "我不能吃肉和鱼。", "我不能吃肉和魚。",
            "고기나 생선은 못 먹어요.", "Tôi không ăn được thịt và cá.",
            "Não posso comer carne nem peixe.", "Hindi po ako puwedeng kumain ng karne o isda.",
            "Saya tidak bisa makan daging atau ikan.", "म मासु र माछा खान सक्दिनँ।"),
    _phrase("atm", C.money, "LOCAL_ATM",
            "近くにATMはありますか？", "ちかくに　ATMは　ありますか？", "Is there an ATM nearby?",
            "附近有ATM吗？", "附近有提款機嗎？", "근처에 ATM이 있어요?",
            "Gần đây có cây ATM không ạ?", "Tem um caixa eletrônico aqui perto?",
            "May ATM po ba malapit dito?", "Apakah ada ATM di dekat sini?",
            "नजिकै एटीएम छ?"),
    _phrase("credit-card", C.money, "CREDIT_CARD",
            "クレジットカードは使えますか？", "クレジットカードは　つかえますか？",
            "Can I pay by credit card?", "可以用信用卡吗？", "可以刷信用卡嗎？",
            "신용카드로 결제할 수 있어요?", "Tôi có thể trả bằng thẻ tín dụng không ạ?",
            "Posso pagar com cartão de crédito?",
            "Puwede po bang magbayad gamit ang credit card?", "Bisa bayar pakai kartu kredit?",
            "क्रेडिट कार्डबाट तिर्न मिल्छ?"),
    _phrase("money-exchange", C.money, "CURRENCY_EXCHANGE",
            "両替できるところはありますか？",
            "おかねを　りょうがえ　できる　ところは　ありますか？",
            "Is there somewhere I can exchange money?", "哪里可以换钱？", "哪裡可以換錢？",
            "환전할 수 있는 곳이 있어요?", "Ở đâu có thể đổi tiền ạ?",
            "Onde posso trocar dinheiro?", "Saan po puwedeng magpalit ng pera?",
            "Di mana saya bisa menukar uang?", "पैसा साट्ने ठाउँ कहाँ छ?",
            pictogram=EXCHANGE),
    _phrase("free-wifi", C.wifi, "WIFI",
            "無料のWi-Fiはありますか？", "おかねが　かからない　Wi-Fiは　ありますか？",
            "Is there free Wi-Fi?", "这里有免费Wi-Fi吗？", "這裡有免費Wi-Fi嗎？",
            "무료 와이파이 있어요?", "Ở đây có Wi-Fi miễn phí không ạ?", "Tem Wi-Fi grátis?",
            "May libreng Wi-Fi po ba rito?", "Apakah ada Wi-Fi gratis?",
            "यहाँ निःशुल्क वाइफाइ छ?"),
    _phrase("taxi-call", C.taxi, "LOCAL_TAXI",
            "タクシーを呼んでください。", "タクシーを　よんで　ください。", "Please call a taxi.",
            "请帮我叫一辆出租车。", "請幫我叫計程車。", "택시를 불러 주세요.",
            "Xin hãy gọi giúp tôi một chiếc taxi.", "Por favor, chame um táxi.",
            "Pakitawag po ng taxi.", "Tolong panggilkan taksi.",
            "कृपया ट्याक्सी बोलाइदिनुहोस्।", pictogram=TAXI),
    _phrase("taxi-here", C.taxi, "PLACE",
            "ここへ行ってください。", "ここへ　いって　ください。", "Please take me here.",
            "请带我去这里。", "請載我到這裡。", "여기로 가 주세요.",
            "Xin hãy chở tôi đến đây.", "Por favor, me leve até aqui.",
            "Pakihatid po ako rito.", "Tolong antar saya ke sini.",
            "कृपया मलाई यहाँ पुर्‍याइदिनुहोस्।"),
    _phrase("speak-slowly", C.talk, "RECORD_VOICE_OVER",
            "ゆっくり話してください。", "ゆっくり　はなして　ください。", "Please speak slowly.",
            "请说慢一点。", "請說慢一點。", "천천히 말씀해 주세요.", "Xin hãy nói chậm lại.",
            "Por favor, fale devagar.", "Pakibagalan po ang pagsasalita.",
            "Tolong bicara pelan-pelan.", "कृपया बिस्तारै बोल्नुहोस्।"),
    _phrase("write-down", C.talk, "EDIT_NOTE",
            "書いていただけますか？", "かいて　もらえますか？", "Could you write it down, please?",
            "能帮我写下来吗？", "可以幫我寫下來嗎？", "적어 주시겠어요?",
            "Anh chị có thể viết ra giúp tôi không ạ?", "Pode escrever para mim, por favor?",
            "Puwede po bang pakisulat?", "Bisa tolong ditulis?", "कृपया लेखिदिनुहुन्छ?"),
    _phrase("no-japanese", C.talk, "TRANSLATE",
            "日本語が話せません。", "にほんごが　はなせません。", "I don't speak Japanese.",
            "我不会说日语。", "我不會說日語。", "일본어를 못해요.",
            "Tôi không nói được tiếng Nhật.", "Não falo japonês.",
            "Hindi po ako marunong magsalita ng Hapon.", "Saya tidak bisa berbahasa Jepang.",
            "म जापानी भाषा बोल्न सक्दिनँ।"),
    _phrase("english-speaker", C.talk, "LANGUAGE",
            "英語を話せる人はいますか？", "えいごを　はなせる　ひとは　いますか？",
            "Is there anyone who speaks English?", "这里有人会说英语吗？", "這裡有人會說英語嗎？",
            "영어 할 수 있는 분 계세요?", "Ở đây có ai nói được tiếng Anh không ạ?",
            "Alguém aqui fala inglês?", "May marunong po bang mag-Ingles dito?",
            "Apakah ada yang bisa berbahasa Inggris?", "यहाँ अंग्रेजी बोल्ने कोही हुनुहुन्छ?"),
    _phrase("how-much", C.shopping, "SELL",
            "いくらですか？", "いくらですか？", "How much is it?",
            "多少钱？", "多少錢？", "얼마예요?", "Cái này bao nhiêu tiền ạ?", "Quanto custa?",
            "Magkano po ito?", "Berapa harganya?", "यसको कति पर्छ?"),
    _phrase("how-to-get-here", C.directions, "MAP",
            "ここへはどうやって行けばいいですか？", "ここへは　どうやって　いけば　いいですか？",
            "How do I get to this place?", "请问这里怎么走？", "請問這裡怎麼去？",
            "여기는 어떻게 가요?", "Làm sao để đến chỗ này ạ?", "Como eu chego a este lugar?",
            "Paano po pumunta rito?", "Bagaimana cara ke tempat ini?", "यहाँ कसरी जाने?"),
)

_BY_ID = {p.id: p for p in PHRASES}


def phrase(phrase_id: str) -> Phrase | None:
    return _BY_ID.get(phrase_id)


def by_category() -> list[tuple[PhraseCategory, list[Phrase]]]:
    """The sheet in its sections: categories in their declared order, phrases in sheet order."""
    return [(category, found) for category in PhraseCategory
            if (found := [p for p in PHRASES if p.category is category])]
