"""警戒レベル 1-5 and seismic intensity: colours, names and what to do now.

Levels and colours follow the Cabinet Office's 「避難情報に関するガイドライン」 (2021 revision, in
force since 2021-05-20: 避難勧告 abolished, 避難指示 is level 4, 緊急安全確保 level 5): 5 black 黒,
4 purple 紫, 3 red 赤, 2 yellow 黄, 1 white 白. The hex values are the JMA's colours for those
levels (キキクル / 警報の危険度). Each colour comes with the text colour readable on it (WCAG
contrast 4.5:1 or more) and a border for the white one. Intensities (震度) follow the JMA's
「気象庁震度階級関連解説表」. Every text is an English msgid (N_): translate where shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.i18n import N_
from services.info.models import INTENSITIES


@dataclass(frozen=True)
class AlertLevel:
    level: int  # 1..5
    colour_name: str  # msgid: "Black"
    colour_ja: str  # 黒
    background: str  # "#0C000C"
    text: str  # a readable text colour on `background`
    border: str  # the same as background except for white, which needs an outline
    name: str  # msgid: "Level 4: Evacuate"
    name_ja: str  # 避難指示
    action: str  # msgid: what to do now


LEVELS: dict[int, AlertLevel] = {
    5: AlertLevel(
        5, N_("Black"), "黒", "#0C000C", "#FFFFFF", "#0C000C",
        N_("Level 5: Emergency safety measures"), "緊急安全確保",
        N_("A disaster may already be happening. Move at once to the safest place you can "
           "reach, such as an upper floor on the side away from a slope; it may be too late "
           "to go to a shelter.")),
    4: AlertLevel(
        4, N_("Purple"), "紫", "#AA00AA", "#FFFFFF", "#AA00AA",
        N_("Level 4: Evacuate"), "避難指示",
        N_("Everyone in the danger area: leave now. Go to a shelter, or to a safe place such "
           "as a relative's home or an upper floor of a sturdy building.")),
    3: AlertLevel(
        3, N_("Red"), "赤", "#FF2800", "#000000", "#FF2800",
        N_("Level 3: Elderly and others evacuate"), "高齢者等避難",
        N_("Older people, people with disabilities, small children and those who help them: "
           "leave now. Everyone else: get ready, and leave early if you feel unsafe.")),
    2: AlertLevel(
        2, N_("Yellow"), "黄", "#F2E700", "#000000", "#F2E700",
        N_("Level 2: Check how to evacuate"), "大雨・洪水・高潮注意報",
        N_("Check the hazard map, your shelter and the way there. Get your emergency bag "
           "ready.")),
    1: AlertLevel(
        1, N_("White"), "白", "#FFFFFF", "#000000", "#5F6368",
        N_("Level 1: Be prepared"), "早期注意情報",
        N_("Keep an eye on the latest weather information.")),
}


def alert_level(level: int | None) -> AlertLevel | None:
    return LEVELS.get(level) if level is not None else None


@dataclass(frozen=True)
class Intensity:
    intensity: str  # "1".."7", "5-", "5+", "6-", "6+"
    name: str  # msgid: "Seismic intensity 5 lower"
    action: str  # msgid: what to do now


_INTENSITY: dict[str, tuple[str, str]] = {
    "1": (N_("Seismic intensity 1"), N_("A slight tremor. No action is needed.")),
    "2": (N_("Seismic intensity 2"), N_("A slight tremor. No action is needed.")),
    "3": (N_("Seismic intensity 3"),
          N_("Most people indoors feel it. Stay calm and follow the news.")),
    "4": (N_("Seismic intensity 4"),
          N_("Hanging objects swing and dishes rattle. Stay away from things that may fall "
             "and follow the news.")),
    "5-": (N_("Seismic intensity 5 lower"),
           N_("Protect your head and keep away from shelves and windows. When the shaking "
              "stops, check for fire and injuries.")),
    "5+": (N_("Seismic intensity 5 upper"),
           N_("Furniture may fall over. Protect your head under a sturdy table. When the "
              "shaking stops, turn off the gas, open a door and check for fire.")),
    "6-": (N_("Seismic intensity 6 lower"),
           N_("It is hard to stand. Drop, cover and hold on. When the shaking stops, put on "
              "shoes, leave a damaged building, and near the coast go to high ground at once.")),
    "6+": (N_("Seismic intensity 6 upper"),
           N_("You can only crawl; buildings may collapse. Protect your head. When the shaking "
              "stops, leave damaged buildings, beware of aftershocks, fires and landslides, "
              "and near the coast go to high ground at once.")),
    "7": (N_("Seismic intensity 7"),
          N_("You can only crawl; buildings may collapse. Protect your head. When the shaking "
             "stops, leave damaged buildings, beware of aftershocks, fires and landslides, "
             "and near the coast go to high ground at once.")),
}
INTENSITY_INFO: dict[str, Intensity] = {
    key: Intensity(key, *_INTENSITY[key]) for key in INTENSITIES}


def intensity(value: str | None) -> Intensity | None:
    return INTENSITY_INFO.get(value) if value is not None else None


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two "#RRGGBB" colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
                  for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)
