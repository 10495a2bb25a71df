"""THE route registry: one entry per screen.

An entry says which path a screen answers, how to build its view with its controller, its
parent (for back), its entry on the home and in the navigation bar, and its guard. Adding a
screen = its view + its controller + one entry here (README, "Adding a screen").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, auto

import flet as ft

from app.controllers.applications import ApplicationsController
from app.controllers.auth import AuthController
from app.controllers.childcare import ChildcareController
from app.controllers.consultations import ConsultationsController
from app.controllers.devices import DevicesController
from app.controllers.disaster import DisasterController
from app.controllers.info import InfoController
from app.controllers.medical import MedicalController
from app.controllers.navigation import NavigationController
from app.controllers.notices import NoticesController
from app.controllers.relocation import RelocationController
from app.controllers.search import SearchController, hit_url
from app.controllers.settings import SettingsController
from app.controllers.tourism import TourismController
from app.controllers.trips import TripController
from app.paths import Match, RoutePath, match, parent_url
from app.state import AppState
from forms.definition import ProcedureCategory
from services.i18n import N_
from services.trips import JourneySource
from views.about import AboutScreen
from views.applications import ApplicationScreen, ApplicationsScreen
from views.areas import Area
from views.childcare import CheckupsScreen, ChildcareFacilityScreen, ChildcareScreen
from views.consultations import (
    BookingConfirmScreen,
    BookingScreen,
    BookingsScreen,
    ConsultationsScreen,
    ServiceScreen,
)
from views.devices import DevicesScreen
from views.disaster import AedScreen, AedsScreen, DisasterScreen, PlanScreen, ShelterScreen
from views.home import HomeScreen
from views.login import LoginScreen
from views.medical import MedicalFacilityScreen, MedicalScreen
from views.not_found import NotFoundScreen
from views.notices import NoticeScreen, NoticesScreen
from views.procedure_form import ConfirmScreen, FormScreen, PaymentScreen
from views.procedures import ProcedureScreen, ProceduresScreen
from views.relocation import (
    BudgetScreen,
    CompareScreen,
    ProgrammeScreen,
    ProgrammesScreen,
    RelocationPlanScreen,
    RelocationScreen,
    TownScreen,
)
from views.screen import Screen
from views.settings import SettingsScreen
from views.tourism import GuideScreen, GuidesScreen, PhrasesScreen, SpotScreen, TourismScreen
from views.trips import JourneyScreen, TripsScreen


@dataclass(frozen=True)
class Controllers:
    """One session's controllers, as the screens' builders take them."""

    nav: NavigationController
    settings: SettingsController
    notices: NoticesController
    auth: AuthController
    trips: TripController
    devices: DevicesController
    applications: ApplicationsController
    info: InfoController
    medical: MedicalController
    childcare: ChildcareController
    disaster: DisasterController
    consultations: ConsultationsController
    tourism: TourismController
    relocation: RelocationController
    search: SearchController


ScreenBuilder = Callable[[AppState, Controllers, Match], Screen]


class Guard(Enum):
    public = auto()
    login = auto()  # logged-out residents go to login first and come back here afterwards


@dataclass(frozen=True)
class NavItem:
    """An entry in the bottom bar (phones) and the rail (wide screens)."""

    position: int
    label: str  # msgid
    icon: ft.IconData
    selected_icon: ft.IconData


@dataclass(frozen=True)
class Route:
    path: RoutePath
    screen: ScreenBuilder
    parent: RoutePath | None = RoutePath.home
    area: Area | None = None  # its tile on the home
    nav: NavItem | None = None
    guard: Guard = Guard.public


def _home(state: AppState, c: Controllers, _m: Match) -> Screen:
    login = BY_PATH[RoutePath.login].area
    assert login is not None
    return HomeScreen(state, c.nav, c.auth, home_areas(), login, c.search, hit_url)


def _spot(c: Controllers, m: Match) -> str:
    """The spot a screen shows, chosen before the screen is built (its title names it)."""
    c.tourism.select_spot(m.keys["spot"])
    return m.keys["spot"]


def _guide(c: Controllers, m: Match) -> str:
    c.tourism.select_guide(m.keys["guide"])
    return m.keys["guide"]


def _town(c: Controllers, m: Match) -> str:
    c.relocation.select_town(m.keys["town"])
    return m.keys["town"]


def _programme(c: Controllers, m: Match) -> str:
    c.relocation.select_programme(m.keys["programme"])
    return m.keys["programme"]


def _draft(c: Controllers, m: Match) -> str:
    """The draft a screen shows, opened before the screen is built (its title names it)."""
    c.applications.open_draft(m.keys["draft"])
    return m.keys["draft"]


ROUTES: tuple[Route, ...] = (
    Route(RoutePath.home, _home, parent=None,
          nav=NavItem(0, N_("Home"), ft.Icons.HOME_OUTLINED, ft.Icons.HOME)),
    Route(RoutePath.procedures,
          lambda s, c, _m: ProceduresScreen(s, c.applications, c.nav),
          area=Area("procedures", N_("Applications & procedures"),
                    N_("Apply for administrative procedures from your phone, without visiting "
                       "a counter."), ft.Icons.DESCRIPTION_OUTLINED, in_simplified=True)),
    Route(RoutePath.procedure,
          lambda s, c, m: ProcedureScreen(s, c.applications, m.keys["procedure"]),
          parent=RoutePath.procedures),
    Route(RoutePath.draft, lambda s, c, m: FormScreen(s, c.applications, _draft(c, m)),
          parent=RoutePath.applications, guard=Guard.login),
    Route(RoutePath.draft_confirm,
          lambda s, c, m: ConfirmScreen(s, c.applications, c.nav, _draft(c, m)),
          parent=RoutePath.draft, guard=Guard.login),
    Route(RoutePath.draft_pay,
          lambda s, c, m: PaymentScreen(s, c.applications, _draft(c, m)),
          parent=RoutePath.draft_confirm, guard=Guard.login),
    Route(RoutePath.applications,
          lambda s, c, _m: ApplicationsScreen(s, c.applications, c.nav),
          parent=RoutePath.procedures, guard=Guard.login),
    Route(RoutePath.application,
          lambda s, c, m: ApplicationScreen(s, c.applications, c.nav, m.keys["application"]),
          parent=RoutePath.applications, guard=Guard.login),
    Route(RoutePath.medical,
          lambda s, c, _m: MedicalScreen(s, c.medical, c.info, c.nav),
          area=Area("medical", N_("Medical care"),
                    N_("Find a clinic or hospital open now, including at night and on "
                       "holidays."), ft.Icons.LOCAL_HOSPITAL_OUTLINED, in_simplified=True)),
    Route(RoutePath.medical_facility,
          lambda s, c, _m: MedicalFacilityScreen(s, c.nav, c.medical.now()),
          parent=RoutePath.medical),
    Route(RoutePath.childcare,
          lambda s, c, _m: ChildcareScreen(s, c.childcare, c.info, c.nav,
                                           c.applications.procedures_in(
                                               ProcedureCategory.family)),
          area=Area("childcare", N_("Childcare"),
                    N_("Nurseries, child allowances and support for families."),
                    ft.Icons.CHILD_CARE_OUTLINED, in_simplified=False)),
    Route(RoutePath.checkups, lambda s, c, _m: CheckupsScreen(s, c.childcare),
          parent=RoutePath.childcare),
    Route(RoutePath.childcare_facility,
          lambda s, c, _m: ChildcareFacilityScreen(s, c.nav), parent=RoutePath.childcare),
    Route(RoutePath.disaster,
          lambda s, c, _m: DisasterScreen(s, c.disaster, c.info, c.nav),
          area=Area("disaster", N_("Disaster prevention"),
                    N_("Warnings, evacuation levels and the nearest shelter."),
                    ft.Icons.WARNING_AMBER_OUTLINED, in_simplified=True)),
    Route(RoutePath.shelter, lambda s, c, _m: ShelterScreen(s, c.disaster, c.nav),
          parent=RoutePath.disaster),
    Route(RoutePath.evacuation_plan, lambda s, c, _m: PlanScreen(s, c.disaster, c.nav),
          parent=RoutePath.disaster),
    Route(RoutePath.aeds, lambda s, c, _m: AedsScreen(s, c.info, c.nav, c.medical.now()),
          parent=RoutePath.disaster),
    Route(RoutePath.aed, lambda s, c, _m: AedScreen(s, c.nav, c.medical.now()),
          parent=RoutePath.aeds),
    Route(RoutePath.trips, lambda s, c, _m: TripsScreen(s, c.trips, c.nav),
          area=Area("trips", N_("Trips"), N_("Plan a trip by bus, tram and train across Toyama."),
                    ft.Icons.DIRECTIONS_BUS_OUTLINED, in_simplified=True),
          nav=NavItem(2, N_("Trips"), ft.Icons.DIRECTIONS_BUS_OUTLINED, ft.Icons.DIRECTIONS_BUS)),
    Route(RoutePath.trip_journey,
          lambda s, c, m: JourneyScreen(s, c.trips, c.nav, JourneySource.result,
                                        m.params["index"]),
          parent=RoutePath.trips),
    Route(RoutePath.trip_saved,
          lambda s, c, m: JourneyScreen(s, c.trips, c.nav, JourneySource.saved,
                                        m.params["index"]),
          parent=RoutePath.trips),
    Route(RoutePath.consultations,
          lambda s, c, _m: ConsultationsScreen(s, c.consultations, c.nav),
          area=Area("consultations", N_("Consultations"),
                    N_("Book an online consultation or a telemedicine appointment."),
                    ft.Icons.EVENT_AVAILABLE_OUTLINED, in_simplified=False)),
    Route(RoutePath.consultation,
          lambda s, c, m: ServiceScreen(s, c.consultations, m.keys["service"]),
          parent=RoutePath.consultations),
    Route(RoutePath.consultation_confirm,
          lambda s, c, m: BookingConfirmScreen(s, c.consultations, c.nav,
                                               m.keys["service"]),
          parent=RoutePath.consultation),
    Route(RoutePath.bookings, lambda s, c, _m: BookingsScreen(s, c.consultations, c.nav),
          parent=RoutePath.consultations),
    Route(RoutePath.booking,
          lambda s, c, m: BookingScreen(s, c.consultations, c.nav, m.keys["booking"]),
          parent=RoutePath.bookings, guard=Guard.login),
    Route(RoutePath.tourism, lambda s, c, _m: TourismScreen(s, c.tourism, c.nav),
          area=Area("tourism", N_("Tourism"),
                    N_("Guides in your language and how crowded each place is."),
                    ft.Icons.TRAVEL_EXPLORE_OUTLINED, in_simplified=False)),
    Route(RoutePath.phrases, lambda s, _c, _m: PhrasesScreen(s), parent=RoutePath.tourism),
    Route(RoutePath.guides, lambda s, c, _m: GuidesScreen(s, c.nav), parent=RoutePath.tourism),
    Route(RoutePath.guide, lambda s, c, m: GuideScreen(s, c.nav, _guide(c, m)),
          parent=RoutePath.guides),
    Route(RoutePath.spot, lambda s, c, m: SpotScreen(s, c.tourism, c.nav, _spot(c, m)),
          parent=RoutePath.tourism),
    Route(RoutePath.relocation, lambda s, c, _m: RelocationScreen(s, c.relocation, c.nav),
          area=Area("relocation", N_("Moving to Toyama"),
                    N_("Compare towns and support programmes for people moving to Toyama."),
                    ft.Icons.HOUSE_OUTLINED, in_simplified=False)),
    Route(RoutePath.town_profile,
          lambda s, c, m: TownScreen(s, c.relocation, c.nav, _town(c, m)),
          parent=RoutePath.relocation),
    Route(RoutePath.compare, lambda s, c, _m: CompareScreen(s, c.relocation, c.nav),
          parent=RoutePath.relocation),
    Route(RoutePath.budget, lambda s, c, _m: BudgetScreen(s, c.relocation, c.nav),
          parent=RoutePath.relocation),
    Route(RoutePath.programmes, lambda s, c, _m: ProgrammesScreen(s, c.relocation, c.nav),
          parent=RoutePath.relocation),
    Route(RoutePath.programme, lambda s, c, m: ProgrammeScreen(s, c.nav, _programme(c, m)),
          parent=RoutePath.programmes),
    Route(RoutePath.relocation_plan,
          lambda s, c, _m: RelocationPlanScreen(s, c.relocation, c.nav),
          parent=RoutePath.relocation),
    Route(RoutePath.notices, lambda s, c, _m: NoticesScreen(s, c.nav, c.notices),
          area=Area("notices", N_("Notices"), N_("News and announcements from the prefecture."),
                    ft.Icons.CAMPAIGN_OUTLINED, in_simplified=True),
          nav=NavItem(1, N_("Notices"), ft.Icons.CAMPAIGN_OUTLINED, ft.Icons.CAMPAIGN)),
    Route(RoutePath.notice, lambda s, c, m: NoticeScreen(s, c.nav, m.params["id"]),
          parent=RoutePath.notices),
    Route(RoutePath.settings, lambda s, c, _m: SettingsScreen(s, c.settings, c.nav),
          area=Area("settings", N_("Settings"),
                    N_("Language, text size, simplified mode and high contrast."),
                    ft.Icons.SETTINGS_OUTLINED, in_simplified=True),
          nav=NavItem(3, N_("Settings"), ft.Icons.SETTINGS_OUTLINED, ft.Icons.SETTINGS)),
    Route(RoutePath.login, lambda s, c, _m: LoginScreen(s, c.auth),
          area=Area("login", N_("Log in"),
                    N_("Log in with your My Number card to use personal services."),
                    ft.Icons.LOGIN, in_simplified=True)),
    Route(RoutePath.devices, lambda s, c, _m: DevicesScreen(s, c.devices), guard=Guard.login),
    Route(RoutePath.about, lambda s, _c, _m: AboutScreen(s), parent=RoutePath.settings),
    Route(RoutePath.not_found, lambda s, c, _m: NotFoundScreen(s, c.nav)),
)
BY_PATH: dict[RoutePath, Route] = {route.path: route for route in ROUTES}
assert set(BY_PATH) == set(RoutePath), "every path needs exactly one registry entry"


def route_for(found: Match) -> Route:
    return BY_PATH[found.path]


def home_areas() -> list[tuple[str, Area]]:
    """The home's tiles in order, with the path each opens (login is added when logged out)."""
    return [(route.path.value, route.area) for route in ROUTES
            if route.area is not None and route.path != RoutePath.login]


def nav_routes() -> list[Route]:
    """The bar's and rail's entries, in their order."""
    return sorted((r for r in ROUTES if r.nav is not None),
                  key=lambda r: r.nav.position if r.nav else 0)


def stack(url: str | None) -> list[Match]:
    """The views under a route, for back navigation: '/notices/3' -> '/', '/notices', itself."""
    chain = [match(url)]
    while (parent := route_for(chain[0]).parent) is not None:
        chain.insert(0, match(parent_url(parent, chain[0])))
    return chain


def selected_nav(found: Match) -> int | None:
    """Which bar entry a route belongs to: its own, or the nearest ancestor's."""
    items = nav_routes()
    for step in reversed(stack(found.url)):
        for index, route in enumerate(items):
            if route.path == step.path:
                return index if step.path != RoutePath.home or found.path == step.path else None
    return None
