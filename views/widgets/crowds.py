"""How busy a place is through the day: a bar chart (flet-charts) for the eye and, beside it,
the same figures as a table of words for screen readers and for anyone who does not read
charts. A level is never told by colour alone: every bar has its word in the table and in its
tooltip."""

from __future__ import annotations

from collections.abc import Sequence

import flet as ft
import flet_charts as fch

from app.state import AppState
from services.i18n import N_
from services.tourism.crowds import CrowdLevel, HourCrowd

LEVEL_WORDS = {CrowdLevel.quiet: N_("Quiet"), CrowdLevel.moderate: N_("Somewhat crowded"),
               CrowdLevel.busy: N_("Crowded")}
LEVEL_ORDER = {CrowdLevel.quiet: 1, CrowdLevel.moderate: 2, CrowdLevel.busy: 3}


def level_word(state: AppState, level: CrowdLevel) -> str:
    return state.t(LEVEL_WORDS[level])


def level_colour(state: AppState, level: CrowdLevel) -> str:
    p = state.tokens.palette
    return {CrowdLevel.quiet: p.success, CrowdLevel.moderate: p.warning,
            CrowdLevel.busy: p.error}[level]


def hour_text(hour: int) -> str:
    return f"{hour}:00"


def crowd_chart(state: AppState, hours: Sequence[HourCrowd], marked: int | None) -> ft.Control:
    """Bars per hour, height by the estimate's index, coloured by level; the hour `marked`
    (now, or the hour chosen) drawn wider. The chart itself is one image to assistive
    technology, named; the table beside it reads the same figures."""
    t, tokens = state.t, state.tokens
    p = tokens.palette
    groups = []
    for item in hours:
        groups.append(fch.BarChartGroup(x=item.hour, rods=[fch.BarChartRod(
            from_y=0, to_y=max(0.04, item.index) * 100, color=level_colour(state, item.level),
            width=tokens.px(14 if item.hour == marked else 9), border_radius=2,
            tooltip=f"{hour_text(item.hour)} {level_word(state, item.level)}")]))
    every = 3 if len(hours) > 12 else 2
    labels = [fch.ChartAxisLabel(value=item.hour, label=ft.Text(
        str(item.hour), style=tokens.text_style("caption", p.text_support)))
        for item in hours if item.hour % every == 0]
    chart = fch.BarChart(
        groups=groups, max_y=100, min_y=0, interactive=False,
        bottom_axis=fch.ChartAxis(labels=labels, label_size=tokens.px(28)),
        left_axis=fch.ChartAxis(show_labels=False, label_size=0),
        horizontal_grid_lines=fch.ChartGridLines(interval=33.3, color=p.border, width=1),
        border=ft.Border.only(bottom=ft.BorderSide(1, p.border)),
        height=tokens.px(180), expand=True)
    return ft.Semantics(content=chart, label=t("Bar chart of how crowded it is by hour; the "
                                               "table gives the same figures."),
                        image=True, exclude_semantics=True)


def crowd_table(state: AppState, hours: Sequence[HourCrowd], marked: int | None) -> ft.Control:
    """One line per hour: "14:00 Crowded", the hour on show marked, measured hours said so."""
    t, tokens = state.t, state.tokens
    p = tokens.palette
    rows: list[ft.Control] = []
    for item in hours:
        word = level_word(state, item.level)
        if item.measured:
            word = t("{level} (measured)", level=word)
        strong = item.hour == marked
        rows.append(ft.Row([
            ft.Container(ft.Text(hour_text(item.hour), style=tokens.text_style(
                "body", p.text_strong)), width=tokens.px(64)),
            ft.Container(width=tokens.px(12), height=tokens.px(12),
                         bgcolor=level_colour(state, item.level), border_radius=2),
            ft.Text(word, style=tokens.text_style("heading_4" if strong else "body",
                                                  p.text_strong if strong else p.text),
                    expand=True),
        ], spacing=tokens.space(2), vertical_alignment=ft.CrossAxisAlignment.CENTER))
    return ft.Column(rows, spacing=tokens.space(1), tight=True)


def crowd_day(state: AppState, hours: Sequence[HourCrowd], marked: int | None) -> ft.Control:
    """The chart and its table side by side on a wide screen, one above the other on a phone."""
    chart, table = crowd_chart(state, hours, marked), crowd_table(state, hours, marked)
    if state.wide and state.tokens.scale < 1.5:
        return ft.Row([ft.Container(chart, expand=3), ft.Container(table, expand=2)],
                      spacing=state.tokens.space(5),
                      vertical_alignment=ft.CrossAxisAlignment.START)
    return ft.Column([chart, table], spacing=state.tokens.space(4), tight=True)
