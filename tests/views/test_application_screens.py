"""The e-application screens as control trees: built from the procedure definitions, with
problems under the fields, the answers read back before signing, and each application's
status and what can still be done with it."""

from __future__ import annotations

from datetime import UTC, datetime

import flet as ft

from app.paths import RoutePath, build
from app.state import Topic
from forms.problems import Problem, ProblemCode
from services.application_models import (
    ApplicationDetail,
    ApplicationStatus,
    Draft,
    DraftStage,
    HistoryEntry,
    QueuedChange,
    QueuedState,
    Signed,
)
from tests.views.conftest import controllers, logged_in, screen, state_in
from tests.views.tree import buttons, label_of, texts, walk

WHEN = datetime(2026, 11, 30, 1, tzinfo=UTC)
DRAFT_ID = "d" * 32


def draft(**values: object) -> Draft:
    return Draft(id=DRAFT_ID, procedure_id="juminhyo_copy", procedure_version=1,
                 values=dict(values), updated_at=WHEN)


def fields(control: object) -> dict[str, ft.TextField]:
    """Text fields by key, or by label for the form's (which carry no key)."""
    return {str(c.key or c.label): c for c in walk(control) if isinstance(c, ft.TextField)}


def test_the_list_shows_every_procedure_with_its_fee_and_the_search_calls_the_action() -> None:
    state = state_in("en")
    actions = controllers(state)
    state.applications.results = list(actions.applications.catalogue.values())
    page = screen("/procedures", state, actions)
    shown = texts(page.controls)
    assert any("Copy of the residence record" in text or "住民票" in text for text in shown)
    assert any(text.startswith("Certificates ・ Fee: ¥300") for text in shown)
    search = fields(page.controls)["procedure-search"]
    search.on_change(ft.Event("change", search))  # type: ignore[arg-type]
    assert actions.calls[-1][0] == "search"


def test_a_procedure_says_what_it_needs_before_starting() -> None:
    state = state_in("en")
    page = screen("/procedures/juminhyo_copy", state)
    shown = texts(page.controls)
    for heading in ("Who may apply", "Fee", "How long it takes", "Office in charge",
                    "What you will be asked"):
        assert heading in shown
    assert "Log in and start" in [label_of(b) for b in buttons(page.controls)]


def test_the_form_has_a_labelled_field_per_item_with_the_card_facts_filled_in() -> None:
    state = logged_in("en")
    state.applications.draft = draft(applicant_name="立山 花子")
    page = screen(build(RoutePath.draft, draft=DRAFT_ID), state)
    found = fields(page.controls)
    assert found["Name (required)"].value == "立山 花子"
    assert found["Phone number (required)"].keyboard_type == ft.KeyboardType.PHONE
    radios = [c for c in walk(page.controls) if isinstance(c, ft.Radio)]
    assert radios and all(r.label for r in radios)


def test_a_problem_shows_under_its_field_and_goes_when_fixed() -> None:
    state = logged_in("ja")
    actions = controllers(state)
    state.applications.draft = draft(applicant_phone="12")
    page = screen(build(RoutePath.draft, draft=DRAFT_ID), state, actions)
    assert fields(page.controls)  # built
    actions.applications.shown_problems[("applicant_phone",)] = [
        Problem(("applicant_phone",), ProblemCode.not_a_phone)]
    changed = page.on_change(frozenset({Topic.form_problems}))
    phone = fields(page.controls)["電話番号（必須）"]
    assert phone in changed and phone.error and "076-444-3300" in phone.error
    actions.applications.shown_problems.clear()
    changed = page.on_change(frozenset({Topic.form_problems}))
    assert phone in changed and phone.error is None
    # Nothing changed since: the field is not sent again (it may be under the fingers).
    assert phone not in page.on_change(frozenset({Topic.form_problems}))


def test_confirm_reads_every_answer_back_and_asks_for_the_signature_password() -> None:
    state = logged_in("en")
    state.applications.draft = draft(applicant_name="立山 花子", copies=2, purpose="work")
    page = screen(build(RoutePath.draft_confirm, draft=DRAFT_ID), state)
    shown = texts(page.controls)
    assert "立山 花子" in shown and "(not given)" in shown
    assert "sign-password" in fields(page.controls)
    assert "Sign and continue" in [label_of(b) for b in buttons(page.controls)]


def test_payment_offers_the_fee_then_submission_once_paid() -> None:
    state = logged_in("en")
    signed = Signed(document="e30=", signature="", certificate="", fee_yen=600)
    state.applications.draft = Draft(
        id=DRAFT_ID, procedure_id="juminhyo_copy", procedure_version=1, values={},
        updated_at=WHEN, stage=DraftStage.signed, signed=signed)
    page = screen(build(RoutePath.draft_pay, draft=DRAFT_ID), state)
    assert "Pay ¥600" in [label_of(b) for b in buttons(page.controls)]
    assert "card-number" in fields(page.controls)


def test_my_applications_show_what_waits_and_what_was_refused_with_what_to_do() -> None:
    state = logged_in("en")
    view = state.applications
    view.loaded = True
    view.drafts = [draft()]
    view.queued = [
        QueuedChange("1" * 32, "a" * 32, "application.submit", QueuedState.waiting, None,
                     None, WHEN),
        QueuedChange("2" * 32, DRAFT_ID, "application.submit", QueuedState.needs_attention,
                     "invalid_values", "copies: too_small", WHEN)]
    page = screen("/applications", state)
    shown = texts(page.controls)
    assert "Application: waiting to send" in shown
    assert "Application: returned, needs your attention" in shown
    assert any("correct them and sign again" in text for text in shown)
    labels = [label_of(b) for b in buttons(page.controls)]
    assert "Open and correct" in labels and "Dismiss this message" in labels


def detail(status: ApplicationStatus) -> ApplicationDetail:
    return ApplicationDetail(
        id="a" * 32, procedure_id="juminhyo_copy", procedure_version=1, status=status,
        submitted_at=WHEN, updated_at=WHEN,
        history=[HistoryEntry(status=ApplicationStatus.submitted, at=WHEN),
                 HistoryEntry(status=status, comment="Please attach the form", at=WHEN)])


def test_an_application_can_be_withdrawn_only_before_review() -> None:
    for status, can in ((ApplicationStatus.submitted, True), (ApplicationStatus.received, True),
                        (ApplicationStatus.under_review, False),
                        (ApplicationStatus.approved, False)):
        state = logged_in("en")
        state.applications.detail = detail(status)
        page = screen(build(RoutePath.application, application="a" * 32), state)
        labels = [label_of(b) for b in buttons(page.controls)]
        assert ("Withdraw this application" in labels) is can, status


def test_a_returned_application_shows_the_comment_and_offers_correction() -> None:
    state = logged_in("en")
    state.applications.detail = detail(ApplicationStatus.returned)
    page = screen(build(RoutePath.application, application="a" * 32), state)
    shown = texts(page.controls)
    assert "Status: Returned for correction" in shown
    assert "Comment: Please attach the form" in shown
    assert "Correct and submit again" in [label_of(b) for b in buttons(page.controls)]


def test_many_choices_are_labelled_buttons_not_a_nameless_dropdown() -> None:
    """Flet's Dropdown has no accessible name on the web: 24 Tokyo wards as buttons."""
    state = logged_in("en")
    state.applications.draft = Draft(id=DRAFT_ID, procedure_id="iju_shienkin",
                                     procedure_version=1, values={}, updated_at=WHEN)
    c = controllers(state)
    page = screen(build(RoutePath.draft, draft=DRAFT_ID), state, c)
    assert not [x for x in walk(page.controls) if isinstance(x, ft.Dropdown)]
    tile = next(x for x in walk(page.controls) if isinstance(x, ft.ExpansionTile))
    wards = buttons(tile.controls)
    assert len(wards) == 24 and all(label_of(b) for b in wards)
    assert tile.title.value.endswith(": Not chosen")
