"""Rules of the app layer that import-linter cannot see: only app/container.py constructs a
service (a class from services/ that does I/O or holds a connection, a store or a key)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICE_SUFFIXES = ("Service", "Client", "Api", "Store", "Sync", "Flow", "Repository", "Reader",
                    "Cache", "KeyStore", "Journeys", "Timer")


def service_classes() -> set[str]:
    names = set()
    for path in (ROOT / "services").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.name.endswith(SERVICE_SUFFIXES) \
                    and not any(isinstance(b, ast.Name) and b.id == "Protocol"
                                for b in node.bases):
                names.add(node.name)
    return names


def constructor_calls(source: str, names: set[str]) -> list[str]:
    """`Name(...)` or `module.Name(...)` calls of the given classes, as 'line Name'."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else (
                func.attr if isinstance(func, ast.Attribute) else None)
            if name in names:
                found.append(f"{node.lineno} {name}")
    return found


def test_the_rule_knows_the_services() -> None:
    names = service_classes()
    assert {"TripService", "TicketService", "LiveDelayService", "ApiClient", "LocalStore",
            "NoticeSync", "LoginFlow", "CardReader", "PersonalCache", "SavedJourneys"} <= names


def test_only_the_container_constructs_services() -> None:
    names = service_classes()
    offenders = []
    for folder in ("app", "views"):
        for path in (ROOT / folder).rglob("*.py"):
            if path != ROOT / "app" / "container.py":
                calls = constructor_calls(path.read_text(encoding="utf-8"), names)
                offenders += [f"{path.relative_to(ROOT)}:{call}" for call in calls]
    assert offenders == []


def test_the_check_sees_a_constructor_call_in_a_controller() -> None:
    source = (ROOT / "app" / "controllers" / "trips.py").read_text(encoding="utf-8")
    assert constructor_calls(source, service_classes()) == []
    sneaky = source + "\ntickets = TicketService(None, None)\n"
    assert [call.split()[1] for call in constructor_calls(sneaky, service_classes())] == [
        "TicketService"]


def test_services_import_no_flet_package_at_all() -> None:
    """import-linter names the flet packages installed today; this catches any flet_* one."""
    offenders = []
    for path in (ROOT / "services").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.relative_to(ROOT)}: {name}" for name in names
                          if name.split(".")[0] == "flet" or name.startswith("flet_")]
    assert offenders == []
