"""The shared validator: what people really type is accepted, what is wrong is named, and
nothing a client sends makes it raise."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.definition import (
    AttachmentSpec,
    DateBound,
    Fee,
    FieldType,
    FormField,
    MediaType,
    Office,
    Option,
    Procedure,
    ProcedureCategory,
)
from forms.problems import Problem, ProblemCode
from forms.validate import AttachedFile, check, check_field, fee_for, normalize, normalize_field

TODAY = date(2026, 11, 30)
Code = ProblemCode


def field(type: FieldType, **kw: Any) -> FormField:
    return FormField(id=kw.pop("id", "value"), type=type, label="Value", **kw)


def codes(f: FormField, value: Any) -> list[ProblemCode]:
    return [p.code for p in check_field(f, value, today=TODAY)]


def normalized(f: FormField, value: Any) -> Any:
    procedure = make_procedure(f)
    return normalize(procedure, {f.id: value})[f.id]


def make_procedure(*fields: FormField, attachments: tuple[AttachmentSpec, ...] = (),
                   fee: Fee | None = None) -> Procedure:
    return Procedure(id="test", version=1, category=ProcedureCategory.living, title="Test",
                     title_ja="テスト", summary="s", who_may_apply="w", fields=fields,
                     attachments=attachments, fee=fee, office=Office(name="Office"),
                     processing_days=1)


CHILDREN = FormField(
    id="children", type=FieldType.group, label="Children", required=True, min_items=1,
    max_items=3, fields=(
        field(FieldType.text, id="name", required=True, max_length=20),
        field(FieldType.date, id="birth_date", required=True, bound=DateBound.past),
    ))
COPIES = field(FieldType.number, id="copies", required=True, min=1, max=10)
FORM = make_procedure(
    field(FieldType.text, id="name", required=True),
    field(FieldType.postal_code, id="postal_code"),
    COPIES,
    CHILDREN,
    attachments=(AttachmentSpec(id="photo", label="Photo", required=True,
                                media_types=(MediaType.jpeg, MediaType.png),
                                max_bytes=1000, max_files=2),),
    fee=Fee(yen=300, per_field="copies"),
)


# --- text -----------------------------------------------------------------------------------


def test_text_is_nfkc_and_trimmed() -> None:
    text = field(FieldType.text)
    assert normalized(text, "  ＡＢＣ１２３　富山 ") == "ABC123 富山"
    assert normalized(text, "ﾄﾔﾏ") == "トヤマ"  # half-width kana widened
    assert normalized(text, "line one\r\nline two") == "line one line two"
    assert normalized(text, "a\x00b") == "ab"  # NUL never reaches a store


def test_multiline_text_keeps_its_lines() -> None:
    text = field(FieldType.text, multiline=True)
    assert normalized(text, " first\r\n\r\nsecond  ") == "first\n\nsecond"


def test_text_length_is_counted_after_normalising() -> None:
    text = field(FieldType.text, max_length=3)
    assert codes(text, "ＡＢＣ") == []
    assert codes(text, "  abc  ") == []
    problems = check_field(text, "abcd", today=TODAY)
    assert problems == [Problem(("value",), Code.too_long, {"max": 3})]


def test_text_without_max_length_has_a_default_limit() -> None:
    assert codes(field(FieldType.text), "a" * 200) == []
    assert codes(field(FieldType.text), "a" * 201) == [Code.too_long]
    assert codes(field(FieldType.text, multiline=True), "a" * 2000) == []
    assert codes(field(FieldType.text, multiline=True), "a" * 2001) == [Code.too_long]


def test_not_given_is_required_only_when_required() -> None:
    for empty in (None, "", "   ", "　"):
        assert codes(field(FieldType.text, required=True), empty) == [Code.required]
        assert codes(field(FieldType.text), empty) == []
    assert check(make_procedure(field(FieldType.text, required=True)), {}, today=TODAY) == [
        Problem(("value",), Code.required)]


@pytest.mark.parametrize("value", [1, 1.5, True, [], ["a"], {"a": 1}])
def test_text_of_the_wrong_json_type(value: Any) -> None:
    expected = [] if value == [] else [Code.wrong_type]  # [] is "not given"
    assert codes(field(FieldType.text), value) == expected


# --- kana -----------------------------------------------------------------------------------


def test_kana_accepts_hiragana_half_width_and_full_width_space() -> None:
    kana = field(FieldType.kana)
    assert normalized(kana, "とやま　たろう") == "トヤマ タロウ"
    assert normalized(kana, "ｽｽﾞｷ ﾊﾟｰｸ") == "スズキ パーク"
    assert normalized(kana, "こーひー") == "コーヒー"
    assert normalized(kana, "グエン・ヴァン・アン") == "グエン・ヴァン・アン"
    for good in ("トヤマ タロウ", "とやま たろう", "ヴィエト", "ゝ"):
        assert codes(kana, good) == [], good


@pytest.mark.parametrize("bad", ["富山", "Toyama", "トヤマ1", "トヤマ-タロウ", "トヤマ、タロウ"])
def test_kana_refuses_anything_else(bad: str) -> None:
    assert codes(field(FieldType.kana), bad) == [Code.not_kana]


def test_kana_length_limit() -> None:
    assert codes(field(FieldType.kana, max_length=4), "とやまし") == []
    assert codes(field(FieldType.kana, max_length=4), "とやまけん") == [Code.too_long]


# --- postal code ----------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["9300094", "930-0094", "〒９３０ー００９４", "〒930－0094",
                                   "930 0094", " 930−0094 ", "〒 930-0094"])
def test_postal_code_as_typed(typed: str) -> None:
    postal = field(FieldType.postal_code)
    assert normalized(postal, typed) == "930-0094"
    assert codes(postal, typed) == []


@pytest.mark.parametrize("bad", ["930-009", "93000945", "930-00a4", "abc", "9300-094"])
def test_postal_code_wrong(bad: str) -> None:
    assert codes(field(FieldType.postal_code), bad) == [Code.not_a_postal_code]


# --- phone ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "canonical"), [
    ("076-444-3300", "076-444-3300"),
    ("0764443300", "0764443300"),
    ("０７６ー４４４ー３３００", "076-444-3300"),
    ("076−444−3300", "076-444-3300"),
    ("076 444 3300", "076-444-3300"),
    ("076(444)3300", "076-444-3300"),
    ("(076)444-3300", "076-444-3300"),
    ("090-1234-5678", "090-1234-5678"),
    ("+81 90-1234-5678", "090-1234-5678"),
    ("050-1234-5678", "050-1234-5678"),
    ("0120-123-456", "0120-123-456"),
])
def test_phone_as_typed(typed: str, canonical: str) -> None:
    phone = field(FieldType.phone)
    assert normalized(phone, typed) == canonical
    assert codes(phone, typed) == []


@pytest.mark.parametrize("bad", [
    "076-444-330",  # 9 digits
    "090-1234-567",  # a mobile needs 11
    "076-4444-33001",  # 11 digits that are no mobile
    "0012-345-6789",  # 00 is the international prefix
    "176-444-3300",  # no leading 0
    "076--444-3300", "-076-444-3300", "076-44-43-300", "phone", "076-444-3300 ext 2",
])
def test_phone_wrong(bad: str) -> None:
    assert codes(field(FieldType.phone), bad) == [Code.not_a_phone]


# --- email ----------------------------------------------------------------------------------


@pytest.mark.parametrize("good", ["taro@example.jp", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ",
                                  "taro..y.@docomo.ne.jp", "a+b@mail.city.toyama.lg.jp"])
def test_email_good(good: str) -> None:
    assert codes(field(FieldType.email), good) == []


@pytest.mark.parametrize("bad", ["taro", "taro@", "@example.jp", "taro@example", "a@b@c.jp",
                                 "taro yamada@example.jp", "taro@exa mple.jp", "taro@.example.jp",
                                 "taro@example..jp", "taro@-example.jp", "taro@example.1"])
def test_email_bad(bad: str) -> None:
    assert codes(field(FieldType.email), bad) == [Code.not_an_email]


def test_email_longer_than_254_is_too_long() -> None:
    address = "a" * 60 + "@" + "b" * 190 + ".jp"
    assert len(address) == 254
    assert codes(field(FieldType.email), address) == []
    assert codes(field(FieldType.email), "a" + address) == [Code.too_long]


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "iso"), [
    ("2026-01-05", "2026-01-05"), ("2026-1-5", "2026-01-05"), ("2026/01/05", "2026-01-05"),
    ("２０２６／１／５", "2026-01-05"), ("2026.1.5", "2026-01-05"), ("20260105", "2026-01-05"),
    ("2026年1月5日", "2026-01-05"), ("令和8年1月5日", "2026-01-05"), ("R8.1.5", "2026-01-05"),
    ("昭和50年3月3日", "1975-03-03"), ("平成元年2月1日", "1989-02-01"), ("h1/2/1", "1989-02-01"),
])
def test_date_as_typed(typed: str, iso: str) -> None:
    assert normalized(field(FieldType.date), typed) == iso


@pytest.mark.parametrize("bad", ["2026-02-30", "2026-13-01", "2026-00-10", "yesterday", "5/1/2026",
                                 "2026-1", "0000-01-01"])
def test_date_not_a_date(bad: str) -> None:
    assert codes(field(FieldType.date), bad) == [Code.not_a_date]


def test_leap_day() -> None:
    assert codes(field(FieldType.date), "2028-02-29") == []
    assert codes(field(FieldType.date), "2026-02-29") == [Code.not_a_date]


def test_past_bound_allows_today_not_tomorrow() -> None:
    past = field(FieldType.date, bound=DateBound.past)
    assert codes(past, "2026-11-30") == []
    assert codes(past, "1930-01-01") == []
    assert check_field(past, "2026-12-01", today=TODAY) == [
        Problem(("value",), Code.date_in_future, {"latest": "2026-11-30"})]


def test_future_bound_allows_today_not_yesterday() -> None:
    future = field(FieldType.date, bound=DateBound.future)
    assert codes(future, "2026-11-30") == []
    assert codes(future, "2027-03-01") == []
    assert check_field(future, "2026-11-29", today=TODAY) == [
        Problem(("value",), Code.date_in_past, {"earliest": "2026-11-30"})]


# --- numbers, choices, consent --------------------------------------------------------------


@pytest.mark.parametrize(("typed", "number"), [("3", 3), ("３", 3), (" 10 ", 10), ("1,200", 1200),
                                               (4, 4), (5.0, 5), ("-2", -2), ("०३", 3)])
def test_number_as_typed(typed: Any, number: int) -> None:
    assert normalized(field(FieldType.number), typed) == number


def test_number_bounds_are_inclusive() -> None:
    assert codes(COPIES, 1) == [] and codes(COPIES, 10) == []
    assert check_field(COPIES, 0, today=TODAY) == [Problem(("copies",), Code.too_small, {"min": 1})]
    assert check_field(COPIES, "11", today=TODAY) == [
        Problem(("copies",), Code.too_large, {"max": 10})]


@pytest.mark.parametrize(("value", "code"), [
    ("three", Code.not_a_number), ("2.5", Code.not_a_number), (2.5, Code.not_a_number),
    (float("nan"), Code.not_a_number), (float("inf"), Code.not_a_number),
    ("9" * 40, Code.not_a_number), (True, Code.wrong_type), ([3], Code.wrong_type),
    ({"n": 3}, Code.wrong_type),
])
def test_number_wrong(value: Any, code: ProblemCode) -> None:
    assert codes(COPIES, value) == [code]


def test_choice() -> None:
    choice = field(FieldType.choice, options=(Option(value="self", label="Me"),
                                              Option(value="child", label="Child")))
    assert codes(choice, "self") == []
    assert normalized(choice, " ＳＥＬＦ ") == "self"
    assert codes(choice, "spouse") == [Code.unknown_choice]
    assert codes(choice, "Me") == [Code.unknown_choice]  # the label is no value
    assert codes(choice, 1) == [Code.wrong_type]


def test_consent() -> None:
    required = field(FieldType.consent, required=True)
    assert codes(required, True) == []
    assert codes(required, False) == [Code.must_accept]
    assert codes(required, None) == [Code.required]
    assert codes(required, "true") == [Code.wrong_type]
    assert codes(field(FieldType.consent), False) == []


# --- groups ---------------------------------------------------------------------------------


def child(name: Any = "富山 花子", birth_date: Any = "2020-04-01") -> dict[str, Any]:
    return {"name": name, "birth_date": birth_date}


def test_group_items_are_normalised() -> None:
    values = normalize(FORM, {"children": [child(birth_date="２０２０/４/１", name=" 花子 ")]})
    assert values["children"] == [{"name": "花子", "birth_date": "2020-04-01"}]


def test_group_item_problems_carry_the_index() -> None:
    problems = check_field(CHILDREN, [child(), child(birth_date="2027-01-01"), child(name="")],
                           today=TODAY)
    assert [(p.path, p.code) for p in problems] == [
        (("children", 1, "birth_date"), Code.date_in_future),
        (("children", 2, "name"), Code.required),
    ]


def test_group_counts() -> None:
    assert codes(CHILDREN, []) == [Code.required]
    optional = CHILDREN.model_copy(update={"required": False, "min_items": 2})
    assert codes(optional, []) == []  # not given, not required: fine
    assert check_field(optional, [child()], today=TODAY) == [
        Problem(("children",), Code.too_few_items, {"min": 2})]
    assert check_field(CHILDREN, [child()] * 4, today=TODAY) == [
        Problem(("children",), Code.too_many_items, {"max": 3})]


def test_group_wrong_shapes() -> None:
    assert check_field(CHILDREN, "children", today=TODAY) == [
        Problem(("children",), Code.wrong_type, {"expected": "list"})]
    assert check_field(CHILDREN, [child(), "x", None], today=TODAY) == [
        Problem(("children", 1), Code.wrong_type, {"expected": "object"}),
        Problem(("children", 2), Code.wrong_type, {"expected": "object"}),
    ]
    assert check_field(CHILDREN, [{**child(), "age": 3}], today=TODAY) == [
        Problem(("children", 0, "age"), Code.unknown_field)]


def test_path_prefix_of_check_field() -> None:
    name = CHILDREN.fields[0]
    assert check_field(name, "", today=TODAY, path=("children", 2)) == [
        Problem(("children", 2, "name"), Code.required)]


# --- whole submissions ----------------------------------------------------------------------

PHOTO = AttachedFile(spec="photo", attachment_id="a" * 32, media_type="image/jpeg", size=1000,
                     sha256="0" * 64)
GOOD = {"name": "富山 太郎", "postal_code": "9300094", "copies": "２", "children": [child()]}


def test_a_good_submission_has_no_problems() -> None:
    assert check(FORM, GOOD, today=TODAY, attachments=[PHOTO]) == []
    assert check(FORM, normalize(FORM, GOOD), today=TODAY, attachments=[PHOTO]) == []


def test_unknown_fields_and_wrong_values_object() -> None:
    problems = check(FORM, {**GOOD, "nickname": "x"}, today=TODAY, attachments=[PHOTO])
    assert problems == [Problem(("nickname",), Code.unknown_field)]
    assert check(FORM, ["not", "an", "object"], today=TODAY) == [  # type: ignore[arg-type]
        Problem((), Code.wrong_type, {"expected": "object"})]
    assert normalize(FORM, "junk") == {}  # type: ignore[arg-type]


def test_empty_submission_lists_every_required_field() -> None:
    problems = check(FORM, {}, today=TODAY)
    assert [(p.path, p.code) for p in problems] == [
        (("name",), Code.required), (("copies",), Code.required),
        (("children",), Code.required), (("photo",), Code.attachment_missing)]
    assert problems[0].field_id == "name"


def test_attachments() -> None:
    def attach(**kw: Any) -> list[ProblemCode]:
        files = [PHOTO.__class__(**{**PHOTO.__dict__, **kw})]
        return [p.code for p in check(FORM, GOOD, today=TODAY, attachments=files)]

    assert attach() == []
    assert attach(media_type="image/png") == []
    assert attach(media_type="application/pdf") == [Code.attachment_type]
    assert attach(size=1001) == [Code.attachment_too_large]
    assert attach(spec="passport") == [Code.attachment_missing, Code.unknown_field]
    assert attach(spec="name") == [Code.attachment_missing, Code.unknown_field]
    assert attach(size="big") == [Code.wrong_type]
    problems = check(FORM, GOOD, today=TODAY, attachments=[PHOTO] * 3)
    assert problems == [Problem(("photo",), Code.too_many_files, {"max": 2})]
    problems = check(FORM, GOOD, today=TODAY,
                     attachments=[PHOTO, AttachedFile("photo", "b" * 32, "image/gif", 10, "")])
    assert problems == [Problem(("photo", 1), Code.attachment_type,
                                {"allowed": "image/jpeg, image/png"})]


# --- fee ------------------------------------------------------------------------------------


def test_fee_per_copy() -> None:
    assert fee_for(FORM, {"copies": 3}) == 900
    assert fee_for(FORM, {"copies": "３"}) == 900
    assert fee_for(FORM, {"copies": 10}) == 3000


@pytest.mark.parametrize("copies", [None, "", 0, 11, -1, "two", True, [2], 2.5])
def test_fee_is_zero_while_the_count_is_not_valid(copies: Any) -> None:
    assert fee_for(FORM, {"copies": copies}) == 0
    assert fee_for(FORM, {}) == 0


def test_fee_flat_and_none() -> None:
    assert fee_for(make_procedure(COPIES, fee=Fee(yen=3550)), {}) == 3550
    assert fee_for(make_procedure(COPIES), {"copies": 3}) == 0


# --- hostile input --------------------------------------------------------------------------

ALL_TYPES = make_procedure(
    *(field(t, id=t.value, options=(Option(value="a", label="A"),)) for t in FieldType
      if t is not FieldType.group),
    CHILDREN,
)


def nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


HOSTILE = ["\ud800", "a\udfffb", "\ud800" * 1000, nested(500), {"a": nested(500)},
           "x" * 2_000_000, "１" * 100_000, "9" * 5000, 10**400, -(10**400), float("nan"),
           [None] * 1000, [{"name": nested(500)}], "〒" * 50_000, "+81" + "(" * 10_000]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values_never_raise(value: Any) -> None:
    values = {t.value: value for t in FieldType if t is not FieldType.group}
    values |= {"children": value, "\ud800": value}
    normalize(ALL_TYPES, values)
    problems = check(ALL_TYPES, values, today=TODAY)
    assert problems  # each of them is wrong somewhere
    for problem in problems:
        "/".join(map(str, problem.path)).encode("utf-8")  # a reason the server can send


def test_lone_surrogates_are_reported_not_raised() -> None:
    # No UTF-8 form: neither a database nor a signed document could hold them.
    for type in (FieldType.text, FieldType.kana, FieldType.email, FieldType.choice):
        assert codes(field(type, options=(Option(value="a", label="A"),)), "a\ud800") == [
            Code.wrong_type]
    assert codes(field(FieldType.text), "ok 😀") == []  # astral characters are fine


def test_compatibility_ideographs_of_names_are_kept() -> None:
    name = "\ufa19\u7530 \ufa10\u672c"  # 神田 塚本, written with compatibility ideographs
    assert normalized(field(FieldType.text), name) == name
    assert normalized(field(FieldType.text), "ＡＢ\ufa19ｱ") == "AB\ufa19ア"


def test_huge_group_lists_are_bounded() -> None:
    problems = check_field(CHILDREN, [child()] * 100_000, today=TODAY)
    assert problems == [Problem(("children",), Code.too_many_items, {"max": 3})]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
KEYS = st.sampled_from([f.id for f in ALL_TYPES.fields]) | st.text(max_size=8)
ITEMS = st.lists(st.dictionaries(st.sampled_from(["name", "birth_date", "x"]), JSON), max_size=5)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.dictionaries(KEYS, JSON | ITEMS, max_size=12), today=st.dates())
def test_check_of_normalized_never_raises(values: dict[str, Any], today: date) -> None:
    normalized_values = normalize(ALL_TYPES, values)
    problems = check(ALL_TYPES, normalized_values, today=today)
    assert all(isinstance(p, Problem) and p.path for p in problems)
    assert normalize(ALL_TYPES, normalized_values) == normalized_values  # idempotent
    assert check(ALL_TYPES, values, today=today) == problems
    fee_for(FORM, values)


@settings(max_examples=300)
@given(text=st.text(), type=st.sampled_from([t for t in FieldType if t is not FieldType.group]))
def test_normalising_text_is_idempotent(text: str, type: FieldType) -> None:
    f = ALL_TYPES.field(type.value)
    assert f is not None
    once = normalized(f, text)
    assert normalized(f, once) == once


def test_a_digits_field_keeps_leading_zeros_and_says_how_many_digits() -> None:
    from forms.definition import FormField
    account = FormField.model_validate({"id": "account", "type": "digits", "label": "Account",
                                        "required": True, "min_length": 7, "max_length": 7})
    today = date(2026, 11, 30)
    assert normalize_field(account, "０１２ ３４５６") == "0123456"
    assert check_field(account, "0123456", today=today) == []
    for bad in ("012345", "01234567", "01234a6"):
        [problem] = check_field(account, bad, today=today)
        assert problem.code is ProblemCode.not_digits and problem.params == {"min": 7, "max": 7}


@pytest.mark.parametrize("language", ["ja", "en", "ja-easy"])
def test_every_problem_has_a_message_that_says_how_to_fix_it(language: str) -> None:
    from services.i18n import Translator
    from services.procedures import PROBLEM_MESSAGES, problem_message
    t = Translator(language)
    for code in ProblemCode:
        assert code in PROBLEM_MESSAGES, code
        message = problem_message(Problem(("x",), code, {"min": 1, "max": 9,
                                                         "max_bytes": 5 * 2**20}), t)
        assert message and "{" not in message, (code, message)
        if language != "en":
            assert message != PROBLEM_MESSAGES[code], (code, "untranslated")
