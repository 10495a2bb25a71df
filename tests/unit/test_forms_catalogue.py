"""The bundled catalogue of procedures: every file is a valid definition of a real procedure,
a filled-in form passes the validator, and every text is translated into Japanese."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from forms.bundled import CATALOGUE_DIR, load_catalogue, procedure_texts, read_catalogue
from forms.definition import DateBound, FieldType, FormField, Prefill, Procedure
from forms.validate import AttachedFile, check, fee_for

TODAY = date(2026, 11, 30)
FILES = sorted(CATALOGUE_DIR.glob("*.json"))
CATALOGUE = load_catalogue()
PROCEDURES = CATALOGUE.procedures
ROOT = Path(__file__).resolve().parents[2]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def by_id(procedure: Procedure) -> str:
    return procedure.id


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_file_is_a_procedure_named_after_its_id(path: Path) -> None:
    procedure = Procedure.model_validate_json(path.read_bytes())
    assert procedure.id == path.stem


def test_at_least_twelve_procedures_with_unique_ids_sorted() -> None:
    ids = [p.id for p in PROCEDURES]
    assert len(ids) >= 12
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)
    assert len(FILES) == len(ids)


def test_the_procedures_residents_asked_for_are_there() -> None:
    titles = {p.title_ja for p in PROCEDURES}
    for needed in ("住民票の写しの交付請求", "戸籍証明書の交付請求", "児童手当 認定請求", "転出届",
                   "粗大ごみ収集の申込み", "各種税証明の交付請求"):
        assert needed in titles


def all_fields(procedure: Procedure) -> list[FormField]:
    return [*procedure.fields, *(sub for f in procedure.fields for sub in f.fields)]


@pytest.mark.parametrize("procedure", PROCEDURES, ids=by_id)
def test_texts_are_english_msgids_and_the_official_name_is_japanese(procedure: Procedure) -> None:
    assert procedure.fields
    assert JAPANESE.search(procedure.title_ja)
    for text in (procedure.title, procedure.summary, procedure.who_may_apply,
                 procedure.office.name, *(f.label for f in all_fields(procedure))):
        assert text.strip() and not JAPANESE.search(text), text
    for f in all_fields(procedure):
        for option in f.options:
            assert option.label.strip() and not JAPANESE.search(option.label)


@pytest.mark.parametrize("procedure", PROCEDURES, ids=by_id)
def test_keywords_give_readings_and_romaji(procedure: Procedure) -> None:
    assert any(re.fullmatch(r"[\u3041-\u309f ー]+", k) for k in procedure.keywords), "hiragana"
    assert any(re.fullmatch(r"[A-Za-zāēīōū' -]+", k) for k in procedure.keywords), "romaji"
    assert len(set(procedure.keywords)) == len(procedure.keywords)


@pytest.mark.parametrize("procedure", PROCEDURES, ids=by_id)
def test_prefills_fit_the_fields(procedure: Procedure) -> None:
    expected = {Prefill.name: FieldType.text, Prefill.address: FieldType.text,
                Prefill.birth_date: FieldType.date, Prefill.sex: FieldType.choice}
    for f in all_fields(procedure):
        if f.prefill:
            assert f.type is expected[f.prefill], f.id
        if f.prefill is Prefill.sex:
            # The client maps the card's sex (services.mynumber.Sex member names) to these.
            assert {o.value for o in f.options} <= {"male", "female", "not_known",
                                                    "not_applicable"}


def sample(f: FormField) -> Any:
    """A value a resident could really give, as typed (full-width digits, hiragana...)."""
    match f.type:
        case FieldType.text:
            return "富山市新桜町７番３８号"[: f.max_length or 200]
        case FieldType.kana:
            return "とやま たろう"
        case FieldType.date:
            return "２０２６年１１月１日" if f.bound is not DateBound.future else "2026/12/10"
        case FieldType.postal_code:
            return "９３０８５１０"
        case FieldType.phone:
            return "０７６（４３１）６１１１"
        case FieldType.email:
            return "taro@example.jp"
        case FieldType.number:
            return str(f.min if f.min is not None else 1)
        case FieldType.choice:
            return f.options[-1].value
        case FieldType.consent:
            return True
        case FieldType.group:
            return [{sub.id: sample(sub) for sub in f.fields}] * max(f.min_items, 1)


def filled_in(procedure: Procedure) -> dict[str, Any]:
    return {f.id: sample(f) for f in procedure.fields}


def attached(procedure: Procedure) -> list[AttachedFile]:
    return [AttachedFile(spec.id, "a" * 32, spec.media_types[0].value, 1000, "0" * 64)
            for spec in procedure.attachments]


@pytest.mark.parametrize("procedure", PROCEDURES, ids=by_id)
def test_a_filled_in_form_passes_and_an_empty_one_names_what_is_missing(
        procedure: Procedure) -> None:
    assert check(procedure, filled_in(procedure), today=TODAY,
                 attachments=attached(procedure)) == []
    required = {f.id for f in procedure.fields if f.required}
    required |= {a.id for a in procedure.attachments if a.required}
    missing = {p.field_id for p in check(procedure, {}, today=TODAY)}
    assert missing == required


@pytest.mark.parametrize("procedure", PROCEDURES, ids=by_id)
def test_fees(procedure: Procedure) -> None:
    values = filled_in(procedure)
    if procedure.fee is None:
        assert fee_for(procedure, values) == 0
    elif procedure.fee.per_field:
        two_copies = {**values, procedure.fee.per_field: "２"}
        assert fee_for(procedure, two_copies) == procedure.fee.yen * 2
    else:
        assert fee_for(procedure, values) == procedure.fee.yen


def test_known_fees() -> None:
    fees = {p.id: p.fee for p in PROCEDURES}
    assert fees["juminhyo_copy"] and fees["juminhyo_copy"].yen == 300
    assert fees["koseki_certificate"] and fees["koseki_certificate"].yen == 450
    assert fees["joseki_certificate"] and fees["joseki_certificate"].yen == 750
    assert fees["dog_registration"] and fees["dog_registration"].yen == 3000 + 550
    assert fees["jido_teate"] is None and fees["sodai_gomi"] is None


def test_road_damage_needs_a_small_photo() -> None:
    road = next(p for p in PROCEDURES if p.id == "road_damage_report")
    photo = road.attachments[0]
    assert photo.required and photo.max_bytes == 5 * 1024 * 1024
    assert {m.value for m in photo.media_types} == {"image/jpeg", "image/png"}
    pdf = AttachedFile(photo.id, "a" * 32, "application/pdf", 1000, "0" * 64)
    assert [p.code for p in check(road, filled_in(road), today=TODAY, attachments=[pdf])] == [
        "attachment_type"]


# --- loading and versions -------------------------------------------------------------------


def test_version_is_16_hex_and_stable() -> None:
    assert re.fullmatch(r"[0-9a-f]{16}", CATALOGUE.version)
    assert read_catalogue(CATALOGUE_DIR).version == CATALOGUE.version


def test_version_changes_with_any_definition(tmp_path: Path) -> None:
    for path in FILES:
        shutil.copy(path, tmp_path)
    changed = tmp_path / FILES[0].name
    data = json.loads(changed.read_text(encoding="utf-8"))
    data["processing_days"] += 1
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert read_catalogue(tmp_path).version != CATALOGUE.version


def test_a_repeated_id_is_refused(tmp_path: Path) -> None:
    shutil.copy(FILES[0], tmp_path / "a.json")
    shutil.copy(FILES[0], tmp_path / "b.json")
    with pytest.raises(ValueError, match="repeat"):
        read_catalogue(tmp_path)


def test_procedure_texts_cover_every_label_and_no_japanese_name() -> None:
    procedure = next(p for p in PROCEDURES if p.id == "sodai_gomi")
    texts = procedure_texts(procedure)
    assert texts[0] == procedure.title
    assert "Items to collect" in texts and "How many" in texts and "items" in texts
    assert procedure.office.name in texts
    assert procedure.title_ja not in texts
    assert len(texts) == len(set(texts))
    jido = next(p for p in PROCEDURES if p.id == "jido_teate")
    assert "Photo of your bank book or cash card" in procedure_texts(jido)
    assert "Current (toza)" in procedure_texts(jido)


# --- translations ---------------------------------------------------------------------------


def test_every_procedure_text_has_a_japanese_translation() -> None:
    with (ROOT / "locales/ja/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="ja_JP")
    missing = []
    for procedure in PROCEDURES:
        for text in procedure_texts(procedure):
            message = catalog.get(text)
            if message is None or not message.string or message.fuzzy:
                missing.append(f"{procedure.id}: {text}")
    assert missing == []
