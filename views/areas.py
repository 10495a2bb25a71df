"""The areas of the one-stop home, in the order residents see them."""

from __future__ import annotations

from dataclasses import dataclass

import flet as ft

from app import routes


def N_(message: str) -> str:
    """Mark a msgid for extraction; translated where it is shown."""
    return message


@dataclass(frozen=True)
class Area:
    key: str
    route: str
    label: str  # msgid
    summary: str  # msgid: what the area is for, shown on its screen
    icon: ft.IconData
    ready: bool
    in_simplified: bool  # shown on the simplified home


AREAS: tuple[Area, ...] = (
    Area("procedures", routes.PROCEDURES, N_("Applications & procedures"),
         N_("Apply for administrative procedures from your phone, without visiting a counter."),
         ft.Icons.DESCRIPTION_OUTLINED, False, True),
    Area("medical", routes.MEDICAL, N_("Medical care"),
         N_("Find a clinic or hospital open now, including at night and on holidays."),
         ft.Icons.LOCAL_HOSPITAL_OUTLINED, False, True),
    Area("childcare", routes.CHILDCARE, N_("Childcare"),
         N_("Nurseries, child allowances and support for families."),
         ft.Icons.CHILD_CARE_OUTLINED, False, False),
    Area("disaster", routes.DISASTER, N_("Disaster prevention"),
         N_("Warnings, evacuation levels and the nearest shelter."),
         ft.Icons.WARNING_AMBER_OUTLINED, False, True),
    Area("trips", routes.TRIPS, N_("Trips"),
         N_("Plan a trip by bus, tram and train across Toyama."),
         ft.Icons.DIRECTIONS_BUS_OUTLINED, True, True),
    Area("consultations", routes.CONSULTATIONS, N_("Consultations"),
         N_("Book an online consultation or a telemedicine appointment."),
         ft.Icons.EVENT_AVAILABLE_OUTLINED, False, False),
    Area("tourism", routes.TOURISM, N_("Tourism"),
         N_("Guides in your language and how crowded each place is."),
         ft.Icons.TRAVEL_EXPLORE_OUTLINED, False, False),
    Area("relocation", routes.RELOCATION, N_("Moving to Toyama"),
         N_("Compare towns and support programmes for people moving to Toyama."),
         ft.Icons.HOUSE_OUTLINED, False, False),
    Area("notices", routes.NOTICES, N_("Notices"),
         N_("News and announcements from the prefecture."),
         ft.Icons.CAMPAIGN_OUTLINED, True, True),
    Area("settings", routes.SETTINGS, N_("Settings"),
         N_("Language, text size, simplified mode and high contrast."),
         ft.Icons.SETTINGS_OUTLINED, True, True),
)

LOGIN_AREA = Area("login", routes.LOGIN, N_("Log in"),
                  N_("Log in with your My Number card to use personal services."),
                  ft.Icons.LOGIN, False, True)

BY_ROUTE = {area.route: area for area in (*AREAS, LOGIN_AREA)}
