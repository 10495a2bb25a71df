"""About this app and its data: where every dataset comes from, and which ones are samples.

Residents must be able to tell real information from demonstration data: a sample clinic must
never be mistaken for a real one. Source credits required by the data licences live here too.
"""

from __future__ import annotations

import flet as ft

from app.state import AppState
from services.i18n import N_
from views.screen import Screen
from views.widgets.controls import BannerKind, banner, body_text, copyable_text, heading

# (title, what it is, where it comes from); the credit lines stay in the licensor's words.
SOURCES: tuple[tuple[str, str, str], ...] = (
    (N_("Shelters and evacuation sites"),
     N_("Real data: the designated emergency evacuation sites and shelters of all 15 "
        "municipalities (data as of 27 October 2025). Capacities are not published in it."),
     "出典：国土地理院 指定緊急避難場所・指定避難所データ"),
    (N_("Medical institutions, childcare facilities, AEDs and the holiday duty rota"),
     N_("Sample data made for this demonstration, in the municipalities' standard open-data "
        "formats. Hospital names are real but their details are invented. Before going to a "
        "clinic, check its hours by phone or on the prefecture's medical information site."),
     ""),
    (N_("Warnings and evacuation information"),
     N_("Sample documents in the Japan Meteorological Agency's format, replayed for the "
        "demonstration. In an emergency, follow your municipality's announcements."),
     ""),
    (N_("Bus and tram timetables"),
     N_("The 2019 open-data timetables (GTFS-JP) of Toyama City and Uozu City."),
     "富山市・魚津市 GTFS-JP オープンデータ (2019)"),
    (N_("Font"),
     N_("Noto Sans CJK JP, under the SIL Open Font License."), ""),
)


class AboutScreen(Screen):
    def __init__(self, state: AppState) -> None:
        super().__init__(state)

    @property
    def title(self) -> str:
        return self.state.t("About this app and its data")

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        controls: list[ft.Control] = [
            heading(self.title, tokens),
            body_text(t("Kitokito is the citizen app of Toyama Prefecture. Public information "
                        "is kept on this device, so it can be read without a connection."),
                      tokens),
            banner(t("Some data here is sample data"),
                   t("This version is a demonstration. Information marked as sample data is "
                     "not real."), tokens, BannerKind.warning),
        ]
        for title, what, credit in SOURCES:
            controls += [heading(t(title), tokens, 2), body_text(t(what), tokens)]
            if credit:
                controls.append(copyable_text(credit, tokens.text_style(
                    "body", tokens.palette.text_support)))
        return controls
