"""A child's health check-ups and routine vaccinations, dated from the birth date.

Sources:
- 定期接種 (routine vaccinations): 厚生労働省「定期接種実施要領」 and the timetable the national
  institute publishes from it (国立健康危機管理研究機構 JIHS, formerly 国立感染症研究所:
  「日本の小児における予防接種スケジュール」), as in force in 2026: 五種混合 (DPT-IPV-Hib) since
  2024-04 in place of 四種混合 + Hib, 小児用肺炎球菌 (PCV20 since 2024-10), ロタウイルス
  (1価 2 doses until 24 weeks, 5価 3 doses until 32 weeks), B型肝炎, BCG, MR 1期 / 2期, 水痘,
  日本脳炎 1期 / 追加 / 2期, 二種混合 (DT) 2期, HPV for girls 小学6年–高校1年 (9価: 2 doses
  when started before 15).
  `recommended_from` / `recommended_until` are the standard ages (標準的な接種期間);
  `deadline` is the last day the dose is routine (free of charge). The RSV vaccine for pregnant
  women (routine from 2026-04) is the mother's, not the child's, and not listed here.
- 乳幼児健診 (check-ups): 1歳6か月 and 3歳 are required by 母子保健法 (art. 12: from 1y6m to 2y,
  from 3y to 4y); 1か月, 4か月 and 10か月 are the usual infant check-ups (art. 13). Each
  municipality sends its own dates: the windows here are what to expect.

Ages are counted the way these rules count them: "at N months" is the same day of the month N
months after birth (the last day of the month when there is none), "until N months" the day
before that. The school year of 小学1年 starts on the April 1 after the 6th birthday (a child
born on April 1 goes a year earlier). Nothing here knows which doses were given: a screen shows
the timetable, the resident's 母子健康手帳 is the record.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from services.i18n import N_


class ItemKind(StrEnum):
    checkup = "checkup"  # 乳幼児健診
    vaccination = "vaccination"  # 定期接種


class ItemStatus(StrEnum):
    past = "past"  # after its deadline
    due = "due"  # from its recommended start to its deadline
    upcoming = "upcoming"  # before its recommended start


@dataclass(frozen=True)
class ScheduleItem:
    key: str  # stable: "pcv-4", "checkup-18m"
    kind: ItemKind
    name: str  # msgid
    dose: int | None  # 1, 2, ... for vaccinations; None for check-ups
    recommended_from: date
    recommended_until: date  # inclusive
    deadline: date  # inclusive: the last day it is routine
    note: str | None = None  # msgid

    def status(self, today: date) -> ItemStatus:
        if today < self.recommended_from:
            return ItemStatus.upcoming
        if today > self.deadline:
            return ItemStatus.past
        return ItemStatus.due

    def late(self, today: date) -> bool:
        """Still possible as routine, but after the recommended time: do not wait longer."""
        return self.recommended_until < today <= self.deadline


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later (the month's last day when there is none)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def school_entry_year(birth: date) -> int:
    """The year the child starts 小学1年 (April)."""
    return birth.year + 6 if (birth.month, birth.day) <= (4, 1) else birth.year + 7


_DAY = timedelta(days=1)

ROTAVIRUS = N_("Rotavirus")
HEPATITIS_B = N_("Hepatitis B")
PNEUMOCOCCAL = N_("Pneumococcal (children)")
FIVE_IN_ONE = N_("5-in-1 (diphtheria, pertussis, tetanus, polio, Hib)")
BCG = N_("BCG (tuberculosis)")
MR = N_("Measles and rubella (MR)")
VARICELLA = N_("Chickenpox (varicella)")
JAPANESE_ENCEPHALITIS = N_("Japanese encephalitis")
DT = N_("Diphtheria and tetanus (DT)")
HPV = N_("HPV (cervical cancer prevention)")

CHECKUP_NAMES = {
    1: N_("1-month check-up"), 4: N_("4-month check-up"), 10: N_("10-month check-up"),
    18: N_("18-month check-up"), 36: N_("3-year check-up"),
}


def checkups(birth: date) -> list[ScheduleItem]:
    def item(at: int, until: int) -> ScheduleItem:
        start, last = add_months(birth, at), add_months(birth, until) - _DAY
        return ScheduleItem(f"checkup-{at}m", ItemKind.checkup, CHECKUP_NAMES[at], None,
                            start, last, last)

    return [item(1, 2), item(4, 5), item(10, 11), item(18, 24), item(36, 48)]


def vaccinations(birth: date, *, include_hpv: bool = False) -> list[ScheduleItem]:
    """The routine vaccinations, by recommended start. HPV is listed when asked (girls)."""
    def m(months: int) -> date:
        return add_months(birth, months)

    def until(months: int) -> date:
        return add_months(birth, months) - _DAY

    def week(weeks: int, days: int = 0) -> date:
        return birth + timedelta(weeks=weeks, days=days)

    def v(key: str, name: str, dose: int, start: date, rec_until: date, deadline: date,
          note: str | None = None) -> ScheduleItem:
        return ScheduleItem(key, ItemKind.vaccination, name, dose, start, rec_until, deadline,
                            note)

    entry = school_entry_year(birth)

    def school_year_start(grade: int) -> date:  # grade 1 = 小学1年, 7 = 中学1年, 10 = 高校1年
        return date(entry + grade - 1, 4, 1)

    def school_year_end(grade: int) -> date:
        return date(entry + grade, 3, 31)

    items = [
        v("rota-1", ROTAVIRUS, 1, m(2), week(14, 6), week(14, 6),
          N_("The first dose by 14 weeks and 6 days after birth.")),
        v("rota-2", ROTAVIRUS, 2, m(3), week(24) - _DAY, week(24) - _DAY,
          N_("Monovalent vaccine: 2 doses in all; pentavalent vaccine: 3 doses.")),
        v("rota-3", ROTAVIRUS, 3, m(4), week(32) - _DAY, week(32) - _DAY,
          N_("Pentavalent vaccine only.")),
        v("hepb-1", HEPATITIS_B, 1, m(2), until(3), until(12)),
        v("hepb-2", HEPATITIS_B, 2, m(3), until(4), until(12),
          N_("At least 27 days after the first dose.")),
        v("hepb-3", HEPATITIS_B, 3, m(7), until(9), until(12),
          N_("At least 139 days after the first dose.")),
        v("pcv-1", PNEUMOCOCCAL, 1, m(2), until(3), until(60)),
        v("pcv-2", PNEUMOCOCCAL, 2, m(3), until(4), until(24)),
        v("pcv-3", PNEUMOCOCCAL, 3, m(4), until(7), until(24)),
        v("pcv-4", PNEUMOCOCCAL, 4, m(12), until(15), until(60),
          N_("Booster: at least 60 days after the third dose.")),
        v("dpt-ipv-hib-1", FIVE_IN_ONE, 1, m(2), until(3), until(90)),
        v("dpt-ipv-hib-2", FIVE_IN_ONE, 2, m(3), until(4), until(90)),
        v("dpt-ipv-hib-3", FIVE_IN_ONE, 3, m(4), until(7), until(90)),
        v("dpt-ipv-hib-4", FIVE_IN_ONE, 4, m(12), until(18), until(90),
          N_("Booster: 6 to 18 months after the third dose.")),
        v("bcg-1", BCG, 1, m(5), until(8), until(12)),
        v("mr-1", MR, 1, m(12), until(13), until(24),
          N_("Stage 1: as soon as possible after the first birthday.")),
        v("varicella-1", VARICELLA, 1, m(12), until(15), until(36)),
        v("varicella-2", VARICELLA, 2, m(18), until(24), until(36),
          N_("6 to 12 months after the first dose.")),
        v("mr-2", MR, 2, school_year_start(0), school_year_end(0), school_year_end(0),
          N_("Stage 2: in the year before starting elementary school.")),
        v("je-1", JAPANESE_ENCEPHALITIS, 1, m(36), until(48), until(90)),
        v("je-2", JAPANESE_ENCEPHALITIS, 2, m(36), until(48), until(90),
          N_("6 to 28 days after the first dose.")),
        v("je-3", JAPANESE_ENCEPHALITIS, 3, m(48), until(60), until(90),
          N_("About one year after the second dose.")),
        v("je-4", JAPANESE_ENCEPHALITIS, 4, m(108), until(120), until(156),
          N_("Stage 2: at age 9.")),
        v("dt-1", DT, 1, m(132), until(144), until(156), N_("Stage 2: at age 11.")),
    ]
    if include_hpv:
        hpv_until = school_year_end(10)  # the end of 高校1年
        items += [
            v("hpv-1", HPV, 1, school_year_start(7), school_year_end(7), hpv_until,
              N_("Routine from grade 6 of elementary school to the first year of high "
                 "school; usually in the first year of junior high school.")),
            v("hpv-2", HPV, 2, school_year_start(7), school_year_end(7), hpv_until,
              N_("9-valent vaccine started before the 15th birthday: the second dose 6 to 12 "
                 "months after the first, and no third dose.")),
            v("hpv-3", HPV, 3, school_year_start(7), school_year_end(7), hpv_until,
              N_("Only when the first dose was at 15 or older, or with the 2- or 4-valent "
                 "vaccine.")),
        ]
    return sorted(items, key=lambda i: (i.recommended_from, i.key))


def timetable(birth: date, *, include_hpv: bool = False) -> list[ScheduleItem]:
    """Check-ups and vaccinations together, by recommended start."""
    items = checkups(birth) + vaccinations(birth, include_hpv=include_hpv)
    return sorted(items, key=lambda i: (i.recommended_from, i.kind != ItemKind.checkup, i.key))
