"""Shared controls that are accessible by construction.

A button cannot be built without a visible label (its accessible name is that label), and every
size comes from the session's Tokens, so large-text and simplified modes apply everywhere.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Any

import flet as ft

from app.theme import CONTENT_MAX_WIDTH, Tokens


class ButtonKind(StrEnum):
    solid = "solid"
    outline = "outline"


def action_button(
    label: str,
    on_click: Callable[..., Any] | None,
    tokens: Tokens,
    *,
    kind: ButtonKind = ButtonKind.solid,
    icon: ft.IconData | None = None,
    key: str | None = None,
    url: str | None = None,
) -> ft.Control:
    """`url`: the button opens it (a tel: link dials) instead of calling `on_click`."""
    if not label or not label.strip():
        raise ValueError("a button needs a visible label: it is also its accessible name")
    style = tokens.solid_button_style() if kind == ButtonKind.solid else (
        tokens.outline_button_style()
    )
    return ft.Button(
        content=ft.Text(label, style=tokens.text_style("label")),
        icon=ft.Icon(icon, size=tokens.icon) if icon else None,
        on_click=on_click,
        url=url,
        style=style,
        key=key,
    )


def icon_button(
    icon: ft.IconData, label: str, on_click: Callable[..., Any], tokens: Tokens
) -> ft.Control:
    """An icon-only button. Its accessible name is `label` (a tooltip alone is not read out by
    Flutter web), and the same words show as a tooltip for sighted mouse users."""
    if not label or not label.strip():
        raise ValueError("an icon-only button needs a label for screen readers")
    # One node for assistive technology: the wrapper's name and tap, not the inner button's.
    return ft.Semantics(
        label=label,
        button=True,
        exclude_semantics=True,
        on_tap=on_click,
        content=ft.IconButton(
            icon=icon, icon_size=tokens.icon, icon_color=tokens.palette.primary, tooltip=label,
            on_click=on_click, style=ft.ButtonStyle(padding=ft.Padding.all(tokens.space(2))),
        ),
    )


def tile(
    label: str,
    icon: ft.IconData,
    on_click: Callable[..., Any],
    tokens: Tokens,
    *,
    key: str | None = None,
) -> ft.Control:
    """A large dashboard entry: icon above (or beside, when simplified) a bold label."""
    if not label:
        raise ValueError("a tile needs a visible label")
    text = ft.Text(
        label,
        style=tokens.text_style("heading_4"),
        text_align=ft.TextAlign.CENTER if not tokens.simplified else ft.TextAlign.START,
    )
    glyph = ft.Icon(icon, size=tokens.icon_large, color=tokens.palette.primary)
    if tokens.simplified:
        content: ft.Control = ft.Row(
            [glyph, ft.Container(text, expand=True)],
            spacing=tokens.space(4),
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        )
    else:
        content = ft.Column(
            [glyph, text],
            spacing=tokens.space(2),
            horizontal_alignment=ft.CrossAxisAlignment.CENTER,
            alignment=ft.MainAxisAlignment.CENTER,
            tight=True,
        )
    # No fixed height: the tile grows with its label, so nothing is clipped at 200% text.
    return ft.Button(
        content=content,
        on_click=on_click,
        style=tokens.tile_button_style(),
        key=key,
        expand=True,
    )


def heading(text: str, tokens: Tokens, level: int = 1) -> ft.Control:
    style = {1: "heading_2", 2: "heading_3", 3: "heading_4"}[level]
    return ft.Semantics(
        content=ft.Text(text, style=tokens.text_style(style, tokens.palette.text_strong)),
        header=True,
        heading_level=level,
    )


def body_text(text: str, tokens: Tokens, *, support: bool = False) -> ft.Control:
    colour = tokens.palette.text_support if support else tokens.palette.text
    return ft.Text(text, style=tokens.text_style("body", colour))


def checkbox(label: str, value: bool, on_toggle: Callable[[bool], Awaitable[None]],
             tokens: Tokens, *, key: str | None = None) -> ft.Control:
    """A checkbox whose label wraps on a phone (Flutter's own label runs off the edge) and
    toggles it too. Assistive technology meets one node: the box, named by the label."""
    if not label.strip():
        raise ValueError("a checkbox needs a visible label: it is also its accessible name")

    async def changed(e: ft.Event) -> None:
        await on_toggle(bool(e.control.value))

    async def tapped(_e: ft.Event) -> None:
        await on_toggle(not value)

    box = ft.Checkbox(value=value, semantics_label=label, on_change=changed, key=key,
                      scale=max(1.0, tokens.scale * 0.9))
    text = ft.Semantics(content=ft.Text(label, style=tokens.text_style(
        "body", tokens.palette.text_strong)), exclude_semantics=True)
    return ft.Row([box, ft.Container(text, expand=True, on_click=tapped)],
                  spacing=tokens.space(2), vertical_alignment=ft.CrossAxisAlignment.CENTER)


def copyable_text(text: str, style: ft.TextStyle, *, expand: bool = False) -> ft.Control:
    """Text a person may want to copy (an address, hours, a code). Flutter's web client
    leaves selectable text out of the accessibility tree, so a screen reader would skip it:
    the same words are also the label of a wrapper that screen readers do read."""
    return ft.Semantics(label=text, content=ft.Text(text, style=style, selectable=True),
                        expand=expand)


class BannerKind(StrEnum):
    info = "info"
    warning = "warning"
    error = "error"
    success = "success"


def banner(
    title: str, body: str | None, tokens: Tokens, kind: BannerKind, *, announce: bool = False
) -> ft.Control:
    """DADS notification banner: white, 3px border in the type colour, icon and bold title.

    `announce`: the banner reports the outcome of something the resident just did, so screen
    readers read it out at once (a live region, WCAG 4.1.3)."""
    p = tokens.palette
    colour = {
        BannerKind.info: p.info,
        BannerKind.warning: p.warning,
        BannerKind.error: p.error,
        BannerKind.success: p.success,
    }[kind]
    icon = {
        BannerKind.info: ft.Icons.INFO_OUTLINE,
        BannerKind.warning: ft.Icons.WARNING_AMBER,
        BannerKind.error: ft.Icons.ERROR_OUTLINE,
        BannerKind.success: ft.Icons.CHECK_CIRCLE_OUTLINE,
    }[kind]
    texts: list[ft.Control] = [ft.Text(title, style=tokens.text_style("heading_4", p.text_strong))]
    if body:
        texts.append(ft.Text(body, style=tokens.text_style("body", p.text)))
    box = ft.Container(
        content=ft.Row(
            [
                ft.Icon(icon, color=colour, size=tokens.icon_large),
                ft.Column(texts, spacing=tokens.space(1), expand=True, tight=True),
            ],
            spacing=tokens.space(4),
            vertical_alignment=ft.CrossAxisAlignment.START,
        ),
        bgcolor=p.background,
        border=ft.Border.all(3, colour),
        border_radius=12,
        padding=ft.Padding(
            left=tokens.space(4), top=tokens.space(2), right=tokens.space(5),
            bottom=tokens.space(4),
        ),
    )
    return ft.Semantics(content=box, live_region=True) if announce else box


def full_width(control: ft.Control) -> ft.Control:
    """Stretch a control across the content column (list rows). The row takes the control's
    key, so a redrawn list sends only what changed in a row that is still there."""
    control.expand = True
    return ft.Row([control], key=control.key)


def page_body(controls: list[ft.Control], tokens: Tokens) -> ft.Container:
    """Screen content: one scrolling column, centred and capped in width on wide screens."""
    return ft.Container(
        content=ft.Column(
            controls,
            spacing=tokens.space(5),
            scroll=ft.ScrollMode.AUTO,
            expand=True,
        ),
        alignment=ft.Alignment.TOP_CENTER,
        padding=ft.Padding.symmetric(horizontal=tokens.space(4), vertical=tokens.space(4)),
        expand=True,
        width=CONTENT_MAX_WIDTH,
    )


def choice_list(
    options: list[tuple[str, str]],
    selected: str,
    on_choose: Callable[[str], Any],
    tokens: Tokens,
) -> ft.Control:
    """A single-choice list as large buttons: the chosen one is filled and marked with a check.

    Big, labelled buttons are easier to hit and to read aloud than small radio circles.
    """
    buttons: list[ft.Control] = []
    for value, label in options:
        chosen = value == selected

        async def choose(_e: ft.Event, value: str = value) -> None:
            await on_choose(value)

        button = action_button(
            label,
            choose,
            tokens,
            kind=ButtonKind.solid if chosen else ButtonKind.outline,
            icon=ft.Icons.CHECK if chosen else None,
            key=f"choice-{value}",
        )
        buttons.append(ft.Semantics(content=button, selected=chosen))
    return ft.Row(buttons, wrap=True, spacing=tokens.space(2), run_spacing=tokens.space(2))


def scroll_key(name: str) -> ft.ScrollKey:
    """A key that `scroll_to(scroll_key=name)` finds (Flet's lazy class confuses mypy)."""
    return ft.ScrollKey(name)  # type: ignore[call-arg]
