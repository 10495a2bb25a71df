"""Crisis telephone lines for the こころの相談 screens: static data, always there offline.

Only numbers we are confident are real and current are listed (checked against what the
operators publish, as we know it; hours are the operators' published hours and can change —
recheck before each release):
- 119: emergency (ambulance), everywhere in Japan, 24 hours.
- よりそいホットライン 0120-279-338: free, 24 hours; guidance for foreign languages (press 2).
- いのちの電話 (日本いのちの電話連盟) free line 0120-783-556: 16:00-21:00 every day, and from
  8:00 on the 10th of each month for 24 hours; its navi dial 0570-783-556: 10:00-22:00 (charged).
- こころの健康相談統一ダイヤル 0570-064-556: connects to the prefecture's public mental
  health consultation (in Toyama, 富山県心の健康センター); hours are the prefecture's.
- 24時間子供SOSダイヤル 0120-0-78310: free, 24 hours, for children and their parents.
- TELL Lifeline 03-5774-0992: in English.
Left out on purpose, until confirmed with the office: the direct numbers of 富山いのちの電話
and of 富山県心の健康センター (the unified dial above reaches the centre).
"""

from __future__ import annotations

from dataclasses import dataclass

from services.i18n import N_


@dataclass(frozen=True)
class CrisisLine:
    id: str
    name: str  # msgid
    name_ja: str  # the official Japanese name, shown alongside
    number: str  # as written by the operator
    hours: str  # msgid
    note: str | None = None  # msgid
    free_call: bool = False
    always_open: bool = False

    @property
    def tel(self) -> str:
        """For a tel: link (digits only)."""
        return "tel:" + "".join(c for c in self.number if c.isdigit())


CRISIS_LINES: tuple[CrisisLine, ...] = (
    CrisisLine("emergency", N_("Emergency (ambulance)"), "救急", "119",
               N_("24 hours, every day"),
               N_("If your life or someone else's is in danger now, call 119."),
               free_call=True, always_open=True),
    CrisisLine("yorisoi", N_("Yorisoi Hotline"), "よりそいホットライン", "0120-279-338",
               N_("24 hours, every day"),
               N_("Free of charge. For help in a foreign language, press 2 after the "
                  "guidance."), free_call=True, always_open=True),
    CrisisLine("inochi_free", N_("Inochi no Denwa (lifeline), free line"), "いのちの電話",
               "0120-783-556",
               N_("16:00 to 21:00 every day; on the 10th of each month from 8:00 for 24 "
                  "hours"), N_("Free of charge."), free_call=True),
    CrisisLine("inochi_navi", N_("Inochi no Denwa (lifeline)"), "いのちの電話",
               "0570-783-556", N_("10:00 to 22:00 every day"), N_("Call charges apply.")),
    CrisisLine("kokoro_dial", N_("Mental health consultation, national number"),
               "こころの健康相談統一ダイヤル", "0570-064-556",
               N_("Hours set by Toyama Prefecture"),
               N_("Connects you to Toyama Prefecture's public mental health consultation. "
                  "Call charges apply.")),
    CrisisLine("child_sos", N_("24-hour SOS line for children"), "24時間子供SOSダイヤル",
               "0120-0-78310", N_("24 hours, every day"),
               N_("Free of charge. For children and their parents."), free_call=True,
               always_open=True),
    CrisisLine("tell", N_("TELL Lifeline (in English)"), "TELLライフライン", "03-5774-0992",
               N_("Hours as published by TELL"), N_("Call charges apply.")),
)


def crisis_lines() -> tuple[CrisisLine, ...]:
    """Every line, the ones open at all hours first (as listed)."""
    return CRISIS_LINES
