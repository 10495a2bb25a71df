"""Tourism (観光): spots found by what a visitor needs, a spot's crowd levels through the day with
quieter places and hours, themed walking routes linked to the trip planner, and a phrase and
pictogram sheet that works offline."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Protocol

import flet as ft

from app.paths import RoutePath, build, stop_trip, trip_to
from app.state import AppState, Topic
from services.i18n import LANGUAGES, N_
from services.info.hours import is_holiday
from services.info.towns import TOWNS
from services.tourism.crowds import CrowdBasis, DayCrowds, Quieter
from services.tourism.filters import always_open
from services.tourism.guides import Guide, GuideStop, LegMode, pick_text
from services.tourism.models import WHEELCHAIR_LABELS, Spot, category_label
from services.tourism.phrases import CATEGORY_LABELS, EMERGENCY_NUMBERS, Phrase, by_category
from views.actions import Navigator
from views.screen import Screen
from views.widgets.controls import (
    BannerKind,
    ButtonKind,
    action_button,
    banner,
    body_text,
    checkbox,
    copyable_text,
    full_width,
    heading,
)
from views.widgets.crowds import crowd_day, hour_text, level_word
from views.widgets.fields import text_field
from views.widgets.places import (
    count_line,
    distance_text,
    fact,
    freshness,
    go_to,
    hours_table,
    opening_text,
    picker,
    place_actions,
    place_row,
    town_name,
)

ANY = "any"
BASIS_NOTES = {
    CrowdBasis.survey_estimate: N_("An estimate from Toyama's tourism survey: which days and "
                                   "hours are usually quieter, not a count of people."),
    CrowdBasis.sensor: N_("Measured today by sensors at the site; other hours are estimates."),
    CrowdBasis.sensor_history: N_("Forecast from the sensor readings of past weeks on days "
                                  "like this one."),
}
MODE_WORDS = {LegMode.walk: N_("{n} min walk"), LegMode.tram: N_("{n} min by tram"),
              LegMode.bus: N_("{n} min by bus"), LegMode.train: N_("{n} min by train")}
# The on-site support languages a visitor can ask for (the app's languages, Japanese aside).
SUPPORT_LANGUAGES = [lang for lang in LANGUAGES if lang.code not in ("ja", "ja-easy")]


def pick(state: AppState, texts: Mapping[str, str]) -> str:
    """A data text in the resident's language, else the nearest one there is."""
    return pick_text(texts, state.language.code)


def spot_name(state: AppState, spot: Spot) -> str:
    return spot.display_name(state.language.code)


def category_text(state: AppState, spot: Spot) -> str:
    return state.t(category_label(spot.category)) if spot.category else ""


def fee_text(state: AppState, spot: Spot) -> str | None:
    if spot.fee_yen == 0:
        return state.t("Free entry")
    if spot.fee_yen is not None:
        return state.t("Admission {fee}", fee=state.t.yen(spot.fee_yen))
    return None


def opening(state: AppState, spot: Spot, now: datetime) -> str | None:
    """"Open now, until 17:00", or "Open at any time" for a park or a coast."""
    if spot.hours:
        return opening_text(state, spot.hours, (), now)
    if always_open(spot):
        return state.t("Open at any time")
    return None


def sample_note(state: AppState) -> ft.Control:
    return body_text(state.t("Sample details for this demonstration (hours, fees, access): "
                             "check with the place before you go."), state.tokens, support=True)


def toggle(state: AppState, label: str, value: bool,
           on_change: Callable[[bool], Awaitable[None]], key: str) -> ft.Control:
    return checkbox(label, value, on_change, state.tokens, key=key)


class TourismActions(Protocol):
    def now(self) -> datetime: ...

    async def search(self, query: str) -> None: ...

    async def set_language(self, code: str | None) -> None: ...

    async def set_barrier_free(self, on: bool) -> None: ...

    async def set_free_entry(self, on: bool) -> None: ...

    async def set_open_now(self, on: bool) -> None: ...

    async def set_municipality(self, code: str | None) -> None: ...

    async def set_category(self, category: str | None) -> None: ...

    async def set_day(self, day: date) -> None: ...

    async def set_hour(self, hour: int) -> None: ...


# --- the list -------------------------------------------------------------------------------
class TourismScreen(Screen):
    def __init__(self, state: AppState, actions: TourismActions, nav: Navigator) -> None:
        super().__init__(state)
        self.actions, self.nav = actions, nav
        t = state.t

        async def typed(e: ft.Event) -> None:
            await actions.search(e.control.value or "")

        self.search = text_field(
            state, label=t("Search places to visit"),
            helper=t("A name, a kind of place or a town, e.g. 五箇山, museum, gokayama"),
            value=state.tourism.query, on_change=typed, key="tourism-search")

    @property
    def title(self) -> str:
        return self.state.t("Tourism")

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        return [
            heading(self.title, tokens),
            body_text(t("Places to visit across Toyama, how crowded they usually are, and "
                        "quieter places near by."), tokens),
            ft.Row([
                action_button(t("Walking routes"), go_to(self.nav, RoutePath.guides.value),
                              tokens, kind=ButtonKind.outline, icon=ft.Icons.DIRECTIONS_WALK,
                              key="open-guides"),
                action_button(t("Phrases and pictograms"),
                              go_to(self.nav, RoutePath.phrases.value), tokens,
                              kind=ButtonKind.outline, icon=ft.Icons.TRANSLATE,
                              key="open-phrases"),
            ], wrap=True, spacing=tokens.space(2), run_spacing=tokens.space(2)),
            self.region([Topic.info_status], lambda: freshness(self.state)),
            full_width(self.search),
            self.region([Topic.tourism_filters], self._filters),
            self.region([Topic.tourism, Topic.info_status, Topic.where], self._results),
        ]

    def _filters(self) -> list[ft.Control]:
        t, view, a = self.state.t, self.state.tourism, self.actions

        async def language(code: str) -> None:
            await a.set_language(None if code == ANY else code)

        async def town(code: str) -> None:
            await a.set_municipality(None if code == ANY else code)

        async def category(value: str) -> None:
            await a.set_category(None if value == ANY else value)

        return [
            picker(self.state, label=t("Help on site in"), value=view.language or ANY,
                   options=[(ANY, t("Any language"))] + [
                       (lang.code, lang.native_name) for lang in SUPPORT_LANGUAGES],
                   on_pick=language, key="support-language"),
            picker(self.state, label=t("Town"), value=view.municipality or ANY,
                   options=[(ANY, t("All of Toyama"))] + [
                       (item.code, town_name(self.state, item.code) or "") for item in TOWNS],
                   on_pick=town, key="spot-town"),
            picker(self.state, label=t("Kind of place"), value=view.category or ANY,
                   options=[(ANY, t("Any kind"))] + [(c, t(category_label(c)))
                                                     for c in view.categories],
                   on_pick=category, key="spot-category"),
            toggle(self.state, t("Step-free (wheelchair) access"), view.barrier_free,
                   a.set_barrier_free, "filter-barrier-free"),
            toggle(self.state, t("Free entry"), view.free_entry, a.set_free_entry,
                   "filter-free"),
            toggle(self.state, t("Open now"), view.open_now, a.set_open_now, "filter-open"),
        ]

    def _results(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.tourism
        if not view.loaded:
            return []
        if not view.results:
            if self.state.info_status.last_updated is None:
                return []  # the freshness line says nothing is downloaded yet
            return [banner(t("No place matches"),
                           t("Try fewer words, or turn off a filter."), tokens,
                           BannerKind.info, announce=True)]
        count = t.ngettext("{n} place", "{n} places", view.total).format(n=view.total)
        rows: list[ft.Control] = [count_line(self.state, count, view.total, len(view.results))]
        now = self.actions.now()
        for spot, metres in view.results:
            facts = " ・ ".join(x for x in (
                category_text(self.state, spot), town_name(self.state, spot.municipality),
                fee_text(self.state, spot)) if x)
            rows.append(place_row(
                self.state, key=f"spot-{spot.id}", title=spot_name(self.state, spot), lines=[
                    facts, opening(self.state, spot, now), distance_text(self.state, metres)],
                on_click=go_to(self.nav, build(RoutePath.spot, spot=spot.id))))
        return rows


# --- one spot -------------------------------------------------------------------------------
def not_there(state: AppState, gone_title: str) -> ft.Control:
    """A record the device does not have: never downloaded yet (say how to get it), or no
    longer published."""
    t, tokens = state.t, state.tokens
    if state.info_status.last_updated is None:
        return banner(t("Not downloaded yet"), t("Not downloaded yet. Connect to the internet "
                                                 "once to download it."), tokens,
                      BannerKind.info)
    return banner(gone_title, t("Please go back and search again."), tokens,
                  BannerKind.warning)


class SpotScreen(Screen):
    title_topics = frozenset({Topic.spot})

    def __init__(self, state: AppState, actions: TourismActions, nav: Navigator,
                 spot_id: str) -> None:
        super().__init__(state)
        self.actions, self.nav, self.spot_id = actions, nav, spot_id

    @property
    def spot(self) -> Spot | None:
        """The spot of this screen's address (never another one's, still in the state)."""
        spot = self.state.tourism.spot
        return spot if spot is not None and spot.id == self.spot_id else None

    @property
    def title(self) -> str:
        spot = self.spot
        return spot_name(self.state, spot) if spot else self.state.t("Tourism")

    def build(self) -> list[ft.Control]:
        return [self.region([Topic.spot, Topic.info_status], self._draw)]

    def _draw(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.tourism
        spot = self.spot
        if spot is None:
            if not view.spot_loaded or view.spot_id != self.spot_id:
                return [body_text(t("Loading…"), tokens, support=True)]
            return [not_there(self.state, t("This place is not in the list any more"))]
        return [*self._about(spot), *self._crowds(spot), *self._details(spot)]

    def _about(self, spot: Spot) -> list[ft.Control]:
        tokens = self.state.tokens
        controls: list[ft.Control] = [heading(spot_name(self.state, spot), tokens)]
        # The other names: the Japanese one (on the signs) with its reading for a visitor; the
        # reading and the English name for a Japanese reader.
        if self.state.language.is_japanese:
            names = " / ".join(x for x in (spot.name_kana, spot.name_en) if x)
        else:
            names = f"{spot.name}（{spot.name_kana}）" if spot.name_kana else spot.name
        if names and names != spot_name(self.state, spot):
            controls.append(copyable_text(
                names, tokens.text_style("body", tokens.palette.text_support)))
        facts = " ・ ".join(x for x in (category_text(self.state, spot),
                                       town_name(self.state, spot.municipality)) if x)
        if facts:
            controls.append(body_text(facts, tokens))
        description = pick(self.state, spot.description)
        if description:
            controls.append(body_text(description, tokens))
        now_open = opening(self.state, spot, self.actions.now())
        if now_open:
            controls.append(ft.Semantics(content=body_text(now_open, tokens), live_region=True))
        if spot.sample:
            controls.append(sample_note(self.state))
        controls += place_actions(self.state, name=spot.name, lat=spot.lat, lon=spot.lon,
                                  phone=spot.phone, go=self.nav.go)
        return controls

    def _days(self) -> list[tuple[str, str]]:
        t = self.state.t
        today = self.actions.now().date()
        days = []
        for offset in range(7):
            day = today + timedelta(days=offset)
            label = t.date(day, "M月d日(EEE)") if self.state.language.is_japanese else (
                t.date(day, "EEE d MMM"))
            if offset == 0:
                label = t("Today, {day}", day=label)
            elif offset == 1:
                label = t("Tomorrow, {day}", day=label)
            if is_holiday(day):
                label = t("{day} (holiday)", day=label)
            days.append((day.isoformat(), label))
        return days

    def _crowds(self, spot: Spot) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.tourism

        async def day_chosen(value: str) -> None:
            await self.actions.set_day(date.fromisoformat(value))

        controls: list[ft.Control] = [
            heading(t("How crowded"), tokens, 2),
            picker(self.state, label=t("Day"), options=self._days(),
                   value=(view.day or self.actions.now().date()).isoformat(),
                   on_pick=day_chosen, key="crowd-day"),
        ]
        crowds = view.crowds
        if crowds is None:
            text = t("Loading…") if not view.crowds_loaded else t(
                "Crowd levels need a connection the first time. Try again when you are online.")
            return [*controls, ft.Semantics(content=body_text(text, tokens, support=True),
                                            live_region=True)]
        if crowds.now is not None:
            controls.append(ft.Semantics(content=ft.Text(
                t("Now: {level}", level=level_word(self.state, crowds.now.level)),
                style=tokens.text_style("heading_4", tokens.palette.text_strong)),
                live_region=True))
        if crowds.hours:
            marked = crowds.now.hour if crowds.now is not None else view.hour
            controls.append(crowd_day(self.state, crowds.hours, marked))
        controls.append(body_text(t(BASIS_NOTES.get(crowds.basis,
                                                    BASIS_NOTES[CrowdBasis.survey_estimate])),
                                  tokens, support=True))
        if crowds.offline:
            controls.append(body_text(t("Offline — crowd levels as of {when}",
                                        when=t.datetime(crowds.fetched_at, "medium")),
                                      tokens, support=True))
        return [*controls, *self._quieter(crowds, view.quieter)]

    def _quieter(self, crowds: DayCrowds, quieter: Quieter | None) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.tourism

        async def hour_chosen(value: str) -> None:
            await self.actions.set_hour(int(value))

        hour = view.hour if view.hour is not None else 14
        hours = sorted({h.hour for h in crowds.hours} | {hour})
        controls: list[ft.Control] = [
            heading(t("Quieter places and hours"), tokens, 2),
            picker(self.state, label=t("When you would go"), value=str(hour),
                   options=[(str(h), hour_text(h)) for h in hours],
                   on_pick=hour_chosen, key="visit-hour"),
        ]
        if quieter is None:
            return [*controls, body_text(t("Suggestions need a connection."), tokens,
                                         support=True)]
        here = spot_name(self.state, view.spot) if view.spot else ""
        controls.append(ft.Semantics(content=body_text(
            t("At {hour}, {place} is usually: {level}.", hour=hour_text(quieter.hour),
              place=here, level=level_word(self.state, quieter.level)), tokens),
            live_region=True))
        if quieter.quieter_hours:
            controls.append(body_text(t("Quieter here at: {hours}", hours="、".join(
                hour_text(h) for h in quieter.quieter_hours)
                if self.state.language.is_japanese else ", ".join(
                hour_text(h) for h in quieter.quieter_hours)), tokens))
        if not quieter.alternatives:
            controls.append(body_text(t("No quieter place near by at that hour."), tokens,
                                      support=True))
        for other in quieter.alternatives:
            distance = t("{km} km", km=t.number(other.distance_km))
            known = view.nearby.get(other.spot_id)
            controls.append(place_row(
                self.state, key=f"quieter-{other.spot_id}",
                title=spot_name(self.state, known) if known else other.name,
                lines=[t("{level} at {hour}", level=level_word(self.state, other.level),
                         hour=hour_text(quieter.hour)), t("{distance} away", distance=distance)],
                on_click=go_to(self.nav, build(RoutePath.spot, spot=other.spot_id))))
        return controls

    def _details(self, spot: Spot) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        controls: list[ft.Control] = [heading(t("Visiting"), tokens, 2)]
        if spot.hours:
            controls += [heading(t("Opening hours"), tokens, 3), hours_table(self.state,
                                                                           spot.hours)]
        controls += fact(self.state, t("Notes on opening hours"), spot.hours_note,
                         selectable=True)
        fee = fee_text(self.state, spot)
        # The published text when it says more than the one amount (children, groups...).
        detail = spot.fee_text if fee is None or "\n" in spot.fee_text else ""
        controls += fact(self.state, t("Fees"), "\n".join(x for x in (fee, detail) if x),
                         selectable=True)
        controls += fact(self.state, t("Getting there"), pick(self.state, spot.access),
                         selectable=True)
        barrier = pick(self.state, spot.barrier_free)
        if spot.wheelchair is not None:
            barrier = "\n".join(x for x in (t(WHEELCHAIR_LABELS[spot.wheelchair]), barrier) if x)
        controls += fact(self.state, t("Accessibility"), barrier, selectable=True)
        languages = [lang.native_name for lang in LANGUAGES if lang.code in spot.support_languages
                     or (lang.code.startswith("zh") and "zh" in spot.support_languages)]
        controls += fact(self.state, t("Help on site in"), "、".join(languages)
                         if self.state.language.is_japanese else ", ".join(languages))
        controls += fact(self.state, t("Parking"), spot.parking, selectable=True)
        controls += fact(self.state, t("Address"), spot.address, selectable=True)
        controls += fact(self.state, t("Phone"), spot.phone, selectable=True)
        if spot.url:
            controls.append(action_button(t("Website"), None, tokens, kind=ButtonKind.outline,
                                          icon=ft.Icons.OPEN_IN_NEW, url=spot.url))
        return controls


# --- walking routes -------------------------------------------------------------------------
def guide_facts(state: AppState, guide: Guide) -> str:
    """"History ・ Nanto City ・ about 5 hours ・ 6 stops"."""
    t = state.t
    minutes = guide.duration_min or guide.totals.total_min
    parts = [t(guide.theme_label) if guide.theme_label else "",
             town_name(state, guide.municipality) or "",
             t("about {hours} hours", hours=t.number(round(minutes / 60, 1))),
             t.ngettext("{n} stop on the route", "{n} stops on the route",
                        len(guide.stops)).format(n=len(guide.stops))]
    return " ・ ".join(p for p in parts if p)


class GuidesScreen(Screen):
    def __init__(self, state: AppState, nav: Navigator) -> None:
        super().__init__(state)
        self.nav = nav

    @property
    def title(self) -> str:
        return self.state.t("Walking routes")

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        return [heading(self.title, tokens),
                body_text(t("Themed days out, each stop linked to its place and to the trip "
                            "planner."), tokens),
                self.region([Topic.info_status], lambda: freshness(self.state)),
                self.region([Topic.guides], self._list)]

    def _list(self) -> list[ft.Control]:
        t, view = self.state.t, self.state.tourism
        if not view.guides_loaded:
            return [body_text(t("Loading…"), self.state.tokens, support=True)]
        if not view.guides:
            return []  # the freshness line says nothing is downloaded yet
        rows: list[ft.Control] = []
        for guide in view.guides:
            rows.append(place_row(
                self.state, key=f"guide-{guide.id}", title=pick(self.state, guide.title),
                lines=[guide_facts(self.state, guide), pick(self.state, guide.summary)],
                on_click=go_to(self.nav, build(RoutePath.guide, guide=guide.id))))
        return rows


class GuideScreen(Screen):
    title_topics = frozenset({Topic.guides})

    def __init__(self, state: AppState, nav: Navigator, guide_id: str) -> None:
        super().__init__(state)
        self.nav, self.guide_id = nav, guide_id

    @property
    def guide(self) -> Guide | None:
        guide = self.state.tourism.guide
        return guide if guide is not None and guide.id == self.guide_id else None

    @property
    def title(self) -> str:
        guide = self.guide
        return pick(self.state, guide.title) if guide else self.state.t("Walking routes")

    def build(self) -> list[ft.Control]:
        return [self.region([Topic.guides, Topic.info_status], self._draw)]

    def _draw(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.tourism
        guide = self.guide
        if guide is None:
            if not view.guide_loaded or view.guide_id != self.guide_id:
                return [body_text(t("Loading…"), tokens, support=True)]
            return [not_there(self.state, t("This route is not in the list any more"))]
        controls: list[ft.Control] = [
            heading(pick(self.state, guide.title), tokens),
            body_text(pick(self.state, guide.summary), tokens),
            body_text(guide_facts(self.state, guide), tokens, support=True),
        ]
        if guide.sample:
            controls.append(body_text(t("Times are estimates: check timetables and opening "
                                        "hours on the day."), tokens, support=True))
        for number, stop in enumerate(guide.stops, start=1):
            controls += self._stop(guide, number, stop)
        return controls

    def _stop(self, guide: Guide, number: int, stop: GuideStop) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        name = stop.name_in(self.state.language.code)
        if name != stop.name:
            name = f"{name}（{stop.name}）"  # the sign on the spot is in Japanese
        controls: list[ft.Control] = [heading(f"{number}. {name}", tokens, 3)]
        lines = [t("Stay about {n} min", n=stop.stay_min)] if stop.stay_min else []
        note = pick(self.state, stop.note)
        if note:
            lines.append(note)
        controls += [body_text(line, tokens) for line in lines]
        buttons: list[ft.Control] = []
        if stop.spot_id:
            buttons.append(action_button(
                t("About this place"), go_to(self.nav, build(RoutePath.spot, spot=stop.spot_id)),
                tokens, kind=ButtonKind.outline, icon=ft.Icons.PLACE,
                key=f"guide-spot-{number}"))
        route = (stop_trip(stop.transit_stop) if stop.transit_stop else
                 trip_to(stop.lat, stop.lon, stop.name) if stop.lat is not None
                 and stop.lon is not None else None)
        if route:
            buttons.append(action_button(t("Route there"), go_to(self.nav, route), tokens,
                                         kind=ButtonKind.outline, icon=ft.Icons.DIRECTIONS,
                                         key=f"guide-route-{number}"))
        if buttons:
            controls.append(ft.Row(buttons, wrap=True, spacing=tokens.space(2),
                                   run_spacing=tokens.space(2)))
        if stop.next is not None:
            mode = stop.next.mode
            words = (t(MODE_WORDS[mode], n=stop.next.minutes) if mode is not None else
                     t("{n} min ride", n=stop.next.minutes))
            note = pick(self.state, stop.next.note)
            controls.append(ft.Row([
                ft.Icon(ft.Icons.ARROW_DOWNWARD, color=tokens.palette.text_support,
                        size=tokens.icon),
                body_text(f"{words} — {note}" if note else words, tokens, support=True),
            ], spacing=tokens.space(2), wrap=True))
        return controls


# --- phrases and pictograms -----------------------------------------------------------------
class PhrasesScreen(Screen):
    """Works with no network: the phrases are in the app. Each shows the visitor's language
    and, large, the Japanese to show to someone."""

    @property
    def title(self) -> str:
        return self.state.t("Phrases and pictograms")

    def build(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        controls: list[ft.Control] = [
            heading(self.title, tokens),
            body_text(t("Show the Japanese to someone near you. Works without a connection."),
                      tokens),
            heading(t("Emergency numbers"), tokens, 2),
        ]
        for number in EMERGENCY_NUMBERS:
            controls += [
                # Non-breaking hyphens: a number never breaks over two lines.
                action_button(t("{what}: {number}", what=t(number.label),
                                number=number.number.replace("-", "\u2011")),
                              None, tokens, icon=ft.Icons.CALL, url=number.tel_uri,
                              key=f"call-{number.number}"),
                body_text(t(number.hours), tokens, support=True)]
        for category, phrases in by_category():
            controls.append(heading(t(CATEGORY_LABELS[category]), tokens, 2))
            controls += [self._phrase(phrase) for phrase in phrases]
        return controls

    def _phrase(self, phrase: Phrase) -> ft.Control:
        tokens = self.state.tokens
        p = tokens.palette
        own = pick(self.state, phrase.texts)
        japanese = phrase.japanese
        second = phrase.texts.get("en", "") if self.state.language.is_japanese else own
        icon = getattr(ft.Icons, phrase.icon, ft.Icons.CHAT_BUBBLE_OUTLINE)
        texts: list[ft.Control] = [
            copyable_text(japanese, tokens.text_style("heading_2", p.text_strong))]
        if second and second != japanese:
            texts.append(body_text(second, tokens))
        if phrase.pictogram is not None:  # the sign to look for (JIS Z 8210)
            sign = phrase.pictogram.ja if self.state.language.is_japanese else (
                phrase.pictogram.en)
            texts.append(ft.Text(self.state.t("Sign: {name}", name=sign),
                                 style=tokens.text_style("caption", p.text_support)))
        return ft.Container(
            ft.Row([ft.Icon(icon, size=tokens.icon_large, color=p.primary),
                    ft.Column(texts, spacing=tokens.space(1), tight=True, expand=True)],
                   spacing=tokens.space(4), vertical_alignment=ft.CrossAxisAlignment.START),
            border=ft.Border.all(1, p.border), border_radius=12,
            padding=ft.Padding.all(tokens.space(4)), key=f"phrase-{phrase.id}")
