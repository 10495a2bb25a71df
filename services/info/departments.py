"""診療科目 (medical departments) as published -> English msgids the screens translate.

Facilities publish their departments as free text (「内科」「小児科」). The common ones have a
msgid here; anything else is shown as published (`department_label` returns it unchanged).
Matching a department the resident picked is done on the folded name (width, spaces).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from services.i18n import N_

# In the order a picker lists them: general and common first.
DEPARTMENTS: dict[str, str] = {
    "内科": N_("Internal medicine"),
    "小児科": N_("Pediatrics"),
    "外科": N_("Surgery"),
    "整形外科": N_("Orthopedics"),
    "皮膚科": N_("Dermatology"),
    "眼科": N_("Ophthalmology"),
    "耳鼻咽喉科": N_("Ear, nose and throat"),
    "産婦人科": N_("Obstetrics and gynecology"),
    "産科": N_("Obstetrics"),
    "婦人科": N_("Gynecology"),
    "精神科": N_("Psychiatry"),
    "心療内科": N_("Psychosomatic medicine"),
    "泌尿器科": N_("Urology"),
    "脳神経外科": N_("Neurosurgery"),
    "脳神経内科": N_("Neurology"),
    "神経内科": N_("Neurology"),
    "循環器内科": N_("Cardiology"),
    "消化器内科": N_("Gastroenterology"),
    "呼吸器内科": N_("Respiratory medicine"),
    "糖尿病内科": N_("Diabetes medicine"),
    "腎臓内科": N_("Nephrology"),
    "血液内科": N_("Hematology"),
    "内分泌内科": N_("Endocrinology"),
    "感染症内科": N_("Infectious diseases"),
    "総合診療科": N_("General medicine"),
    "消化器外科": N_("Gastrointestinal surgery"),
    "心臓血管外科": N_("Cardiovascular surgery"),
    "呼吸器外科": N_("Thoracic surgery"),
    "乳腺外科": N_("Breast surgery"),
    "肛門外科": N_("Proctology"),
    "小児外科": N_("Pediatric surgery"),
    "形成外科": N_("Plastic surgery"),
    "美容外科": N_("Cosmetic surgery"),
    "アレルギー科": N_("Allergology"),
    "リウマチ科": N_("Rheumatology"),
    "リハビリテーション科": N_("Rehabilitation"),
    "放射線科": N_("Radiology"),
    "麻酔科": N_("Anesthesiology"),
    "救急科": N_("Emergency medicine"),
    "病理診断科": N_("Pathology"),
    "臨床検査科": N_("Laboratory medicine"),
    "歯科": N_("Dentistry"),
    "小児歯科": N_("Pediatric dentistry"),
    "矯正歯科": N_("Orthodontics"),
    "歯科口腔外科": N_("Oral surgery"),
    "口腔外科": N_("Oral surgery"),
}
COMMON_DEPARTMENTS: tuple[str, ...] = (
    "内科", "小児科", "外科", "整形外科", "皮膚科", "眼科", "耳鼻咽喉科", "産婦人科", "精神科",
    "心療内科", "泌尿器科", "脳神経外科", "循環器内科", "消化器内科", "呼吸器内科",
    "アレルギー科", "リハビリテーション科", "形成外科", "放射線科", "麻酔科", "歯科",
    "小児歯科", "矯正歯科", "口腔外科",
)


def fold_department(name: str) -> str:
    """「 内科 」「内科（一般）」 -> 内科 for matching; width folded, spaces removed."""
    text = unicodedata.normalize("NFKC", name)
    text = re.sub(r"\(.*?\)", "", text)
    return re.sub(r"\s", "", text)


_FOLDED = {fold_department(k): v for k, v in DEPARTMENTS.items()}


def department_label(name: str) -> str:
    """The msgid of a known department (translate it), else the name as published."""
    return _FOLDED.get(fold_department(name), name)


def offers(departments: Iterable[str], wanted: str) -> bool:
    """Does a facility publishing `departments` offer `wanted` (a department as published)?"""
    target = fold_department(wanted)
    return any(fold_department(d) == target for d in departments)
