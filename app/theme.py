"""Design tokens (Digital Agency design system, see shared/docs/design-tokens.md) and the maths
that derives every size from ONE scale factor: text, spacing, icons and minimum target size.

Flet has no global text scale, so large-text modes work by building the theme and every size in
the views from `Tokens.scale`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import flet as ft

from services.preferences import Preferences

FONT_FAMILY = "KitokitoSans"
FONT_FILE = "fonts/NotoSansCJKjp-Kitokito-Subset.woff2"
WIDE_BREAKPOINT = 768  # DADS "desktop" breakpoint, 48rem
CONTENT_MAX_WIDTH = 880


# --- primitive colours (DADS) -----------------------------------------------------------
BLUE_50 = "#e8f1fe"
BLUE_100 = "#d9e6ff"
BLUE_200 = "#c5d7fb"
BLUE_900 = "#0017c1"
BLUE_1000 = "#00118f"
BLUE_1200 = "#000060"
YELLOW_300 = "#ffd43d"
WHITE = "#ffffff"
BLACK = "#000000"
GRAY_50 = "#f2f2f2"
GRAY_300 = "#b3b3b3"
GRAY_420 = "#949494"
GRAY_536 = "#767676"
GRAY_600 = "#666666"
GRAY_800 = "#333333"
GRAY_900 = "#1a1a1a"
ERROR_1 = "#ec0000"
SUCCESS_2 = "#197a4b"
WARNING_YELLOW_2 = "#927200"
WARNING_ORANGE_2 = "#c74700"


@dataclass(frozen=True)
class Palette:
    primary: str
    primary_hover: str
    primary_pressed: str
    on_primary: str
    text: str  # body text
    text_strong: str  # headings, input values
    text_support: str  # help text, dates
    background: str
    surface: str  # cards and tiles
    surface_selected: str
    border: str  # input and card borders (non-text UI, >= 3:1)
    focus_outline: str
    focus_ring: str
    error: str
    success: str
    warning: str
    info: str


STANDARD = Palette(
    primary=BLUE_900,
    primary_hover=BLUE_1000,
    primary_pressed=BLUE_1200,
    on_primary=WHITE,
    text=GRAY_800,
    text_strong=GRAY_900,
    text_support=GRAY_600,
    background=WHITE,
    surface=WHITE,
    surface_selected=BLUE_100,
    border=GRAY_600,
    focus_outline=BLACK,
    focus_ring=YELLOW_300,
    error=ERROR_1,
    success=SUCCESS_2,
    warning=WARNING_YELLOW_2,
    info=BLUE_900,
)

# Simplified mode keeps the standard look but lifts every text colour to AAA (>= 7:1).
SIMPLIFIED = Palette(
    **{
        **STANDARD.__dict__,
        "text": GRAY_900,
        "text_support": GRAY_800,
        "error": "#a90000",  # red-1000: 7.9:1 on white
        "success": "#0c472a",  # green-1000
        "warning": "#6e5600",  # yellow-1100
    }
)

HIGH_CONTRAST = Palette(
    primary=BLUE_1200,
    primary_hover=BLACK,
    primary_pressed=BLACK,
    on_primary=WHITE,
    text=BLACK,
    text_strong=BLACK,
    text_support=GRAY_900,
    background=WHITE,
    surface=WHITE,
    surface_selected=YELLOW_300,
    border=BLACK,
    focus_outline=BLACK,
    focus_ring=YELLOW_300,
    error="#850000",  # red-1100
    success="#08351f",  # green-1100
    warning="#604b00",  # yellow-1200
    info=BLUE_1200,
)


# --- type scale (px at scale 1.0): DADS std-* styles ------------------------------------
@dataclass(frozen=True)
class TypeStyle:
    size: float
    bold: bool
    line_height: float
    letter_spacing_em: float


TYPE_SCALE: dict[str, TypeStyle] = {
    "display": TypeStyle(36, True, 1.4, 0.01),
    "heading_1": TypeStyle(32, True, 1.5, 0.01),
    "heading_2": TypeStyle(24, True, 1.5, 0.02),
    "heading_3": TypeStyle(20, True, 1.6, 0.02),
    "heading_4": TypeStyle(18, True, 1.6, 0.02),
    "body_large": TypeStyle(17, False, 1.7, 0.02),
    "body": TypeStyle(16, False, 1.7, 0.02),
    # DADS labels are one line (1.0); ours may wrap at large text, so lines need room (1.3).
    "label": TypeStyle(16, True, 1.3, 0.02),
    "caption": TypeStyle(14, False, 1.3, 0.0),
}


def relative_luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@dataclass(frozen=True)
class Tokens:
    """Every size a view uses, derived from the resident's preferences."""

    scale: float
    palette: Palette
    simplified: bool
    high_contrast: bool

    @classmethod
    def from_preferences(cls, prefs: Preferences) -> Tokens:
        scale = prefs.text_size.scale
        if prefs.simplified:
            scale = max(scale, 1.5)  # simplified mode is for people who need large text
        palette = HIGH_CONTRAST if prefs.high_contrast else (
            SIMPLIFIED if prefs.simplified else STANDARD
        )
        return cls(scale, palette, prefs.simplified, prefs.high_contrast)

    # sizes -----------------------------------------------------------------------------
    def px(self, value: float) -> float:
        return round(value * self.scale, 1)

    def font_size(self, style: str) -> float:
        return self.px(TYPE_SCALE[style].size)

    @property
    def min_target(self) -> float:
        return self.px(44)

    @property
    def icon(self) -> float:
        return self.px(24)

    @property
    def icon_large(self) -> float:
        return self.px(32)

    def space(self, step: int) -> float:
        """Spacing steps 1..7 -> 4, 8, 12, 16, 24, 32, 40 px, scaled."""
        return self.px((4, 8, 12, 16, 24, 32, 40)[step - 1])

    @property
    def radius(self) -> float:
        return 8

    # text styles -----------------------------------------------------------------------
    def text_style(self, style: str, colour: str | None = None) -> ft.TextStyle:
        spec = TYPE_SCALE[style]
        size = self.px(spec.size)
        return ft.TextStyle(
            size=size,
            weight=ft.FontWeight.BOLD if spec.bold else ft.FontWeight.NORMAL,
            height=spec.line_height,
            letter_spacing=round(size * spec.letter_spacing_em, 2),
            color=colour,
            font_family=FONT_FAMILY,
        )

    @cached_property
    def theme(self) -> ft.Theme:
        p = self.palette
        text_theme = ft.TextTheme(
            display_small=self.text_style("display", p.text_strong),
            headline_large=self.text_style("heading_1", p.text_strong),
            headline_medium=self.text_style("heading_2", p.text_strong),
            headline_small=self.text_style("heading_2", p.text_strong),
            title_large=self.text_style("heading_3", p.text_strong),
            title_medium=self.text_style("heading_4", p.text_strong),
            title_small=self.text_style("heading_4", p.text_strong),
            body_large=self.text_style("body_large", p.text),
            body_medium=self.text_style("body", p.text),
            body_small=self.text_style("caption", p.text_support),
            label_large=self.text_style("label", p.text),
            label_medium=self.text_style("label", p.text),
            label_small=self.text_style("caption", p.text),
        )
        return ft.Theme(
            font_family=FONT_FAMILY,
            color_scheme=ft.ColorScheme(
                primary=p.primary,
                on_primary=p.on_primary,
                secondary=p.primary,
                on_secondary=p.on_primary,
                surface=p.background,
                on_surface=p.text,
                on_surface_variant=p.text_support,
                outline=p.border,
                error=p.error,
                on_error=WHITE,
                secondary_container=p.surface_selected,
                on_secondary_container=p.text_strong,
            ),
            text_theme=text_theme,
            primary_text_theme=text_theme,
            scaffold_bgcolor=p.background,
            focus_color=p.focus_ring,
            visual_density=ft.VisualDensity.STANDARD,
            appbar_theme=ft.AppBarTheme(
                bgcolor=p.background,
                color=p.text_strong,
                title_text_style=self.text_style("heading_3", p.text_strong),
                toolbar_height=max(56, self.px(56)),
            ),
            navigation_bar_theme=ft.NavigationBarTheme(
                bgcolor=p.background,
                indicator_color=p.surface_selected,
                label_text_style=self.text_style("caption", p.text_strong),
                height=max(80, self.px(64)),
            ),
            navigation_rail_theme=ft.NavigationRailTheme(
                bgcolor=p.background,
                indicator_color=p.surface_selected,
                selected_label_text_style=self.text_style("caption", p.text_strong),
                unselected_label_text_style=self.text_style("caption", p.text_strong),
            ),
        )

    # component styles ------------------------------------------------------------------
    def focus_side(self) -> ft.BorderSide:
        # DADS focus: a black outline with a yellow ring; Flutter gives us one border, so the
        # focused state is a thick black border on a yellow fill.
        return ft.BorderSide(4, self.palette.focus_outline)

    def solid_button_style(self) -> ft.ButtonStyle:
        p = self.palette
        return ft.ButtonStyle(
            color={ft.ControlState.DEFAULT: p.on_primary, ft.ControlState.FOCUSED: BLACK},
            bgcolor={
                ft.ControlState.DEFAULT: p.primary,
                ft.ControlState.HOVERED: p.primary_hover,
                ft.ControlState.PRESSED: p.primary_pressed,
                ft.ControlState.FOCUSED: p.focus_ring,
            },
            side={
                ft.ControlState.DEFAULT: ft.BorderSide(0, ft.Colors.TRANSPARENT),
                ft.ControlState.FOCUSED: self.focus_side(),
            },
            shape=ft.RoundedRectangleBorder(radius=self.radius),
            padding=self.button_padding(),
            text_style=self.text_style("label"),
            elevation=0,
        )

    def button_padding(self) -> ft.Padding:
        # DADS lg padding. One line of label (16s x 1.3) plus 2 x 12s is 44.8s: at least the
        # minimum target at every text size.
        return ft.Padding.symmetric(horizontal=self.space(4), vertical=self.px(12))

    def outline_button_style(self) -> ft.ButtonStyle:
        p = self.palette
        return ft.ButtonStyle(
            color={ft.ControlState.DEFAULT: p.primary, ft.ControlState.FOCUSED: BLACK},
            bgcolor={
                ft.ControlState.DEFAULT: p.surface,
                ft.ControlState.HOVERED: BLUE_50,
                ft.ControlState.PRESSED: BLUE_200,
                ft.ControlState.FOCUSED: p.focus_ring,
            },
            side={
                ft.ControlState.DEFAULT: ft.BorderSide(1, p.primary),
                ft.ControlState.FOCUSED: self.focus_side(),
            },
            shape=ft.RoundedRectangleBorder(radius=self.radius),
            padding=self.button_padding(),
            text_style=self.text_style("label"),
            elevation=0,
        )

    def tile_button_style(self, *, start: bool = False) -> ft.ButtonStyle:
        """The large dashboard entries: outlined cards with a strong label. `start`: a row of
        a list, its lines aligned on the left (a centred block of lines reads badly)."""
        p = self.palette
        return ft.ButtonStyle(
            alignment=ft.Alignment.CENTER_LEFT if start else None,
            color={ft.ControlState.DEFAULT: p.text_strong, ft.ControlState.FOCUSED: BLACK},
            bgcolor={
                ft.ControlState.DEFAULT: p.surface,
                ft.ControlState.HOVERED: BLUE_50,
                ft.ControlState.PRESSED: BLUE_100,
                ft.ControlState.FOCUSED: p.focus_ring,
            },
            side={
                ft.ControlState.DEFAULT: ft.BorderSide(1, p.border),
                ft.ControlState.FOCUSED: self.focus_side(),
            },
            shape=ft.RoundedRectangleBorder(radius=12),
            padding=ft.Padding.symmetric(horizontal=self.space(3), vertical=self.space(5)),
            elevation=0,
        )
