"""E-applications for ONE session: find a procedure, fill it in, sign, pay, submit, follow.

The live ApplicationService (the logged-in resident's drafts, outbox and records) belongs to
the auth controller's session; this controller reaches it through `service()` at each tap,
so nothing of a resident who logged out is used afterwards.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from app.commands import Command
from app.paths import RoutePath, build
from app.state import ApplicationsState, AppState, Topic
from forms.definition import Procedure, ProcedureCategory
from forms.problems import Problem
from services.application_models import WITHDRAWABLE, ApplicationStatus, Draft, DraftStage
from services.applications import (
    ApplicationService,
    AttachmentRefused,
    NothingToPay,
    PaymentDeclined,
    SigningCard,
    prefill_of,
)
from services.attachments import PickedFile
from services.errors import ApiError, Offline, Rejected
from services.i18n import N_
from services.mynumber.errors import CardError, CardLocked, InvalidPinFormat, WrongPin
from services.procedures import ProcedureCatalogue

log = logging.getLogger(__name__)

NEEDS_CONNECTION = N_("This needs an internet connection. Please try again when you are "
                      "online.")
COULD_NOT_READ = N_("Your applications could not be read just now. Please try again later.")
PASSWORD_FORMAT = N_("The signature password is 6 to 16 capital letters (A-Z) and digits. "
                     "Please check it and try again.")
PASSWORD_WRONG = N_("The signature password is not correct. Please check it and try again; "
                    "after 5 wrong tries in a row the card locks.")
PASSWORD_LOCKED = N_("The signature password of this card is locked. It can be reset at "
                     "your municipal office counter.")
CARD_PROBLEM = N_("The card could not be used for signing. Please try again.")
FORM_HAS_PROBLEMS = N_("Some answers need fixing. Each one says how, under the item.")
DECLINED = N_("The card was declined. Nothing was charged. Please use another card.")
NO_FUNDS = N_("The card has insufficient funds. Nothing was charged. Please use another "
              "card.")
CARD_NUMBER = N_("Please enter the card number: 16 digits, spaces allowed.")
SENT = N_("Your application was handed over. It is sent as soon as there is a connection.")
WITHDRAW_QUEUED = N_("Your request to withdraw is being sent.")
NOT_WITHDRAWABLE = N_("This application can no longer be withdrawn: its review has started. "
                      "Please contact the office in charge.")
DRAFT_GONE = N_("This draft is no longer on this device. It may have been sent or deleted.")
SIGN_IN_AGAIN = N_("Please log in again to continue.")


class FilePicking(Protocol):
    """The device's camera or files (app/platform.py)."""

    async def pick(self) -> PickedFile | None: ...


class Notifier(Protocol):
    """A device notification where the platform has one; silent elsewhere (web)."""

    def notify(self, title: str, message: str) -> None: ...


class ApplicationsController:
    def __init__(
        self, state: AppState, catalogue: ProcedureCatalogue,
        service: Callable[[], ApplicationService | None],
        card: Callable[[], SigningCard | None], profile: Callable[[], Any],
        navigate: Callable[[str], None], notifier: Notifier, files: FilePicking | None = None,
        log_out_anyway: Command[[]] | None = None,
    ) -> None:
        self.state = state
        self.catalogue = catalogue
        self._service = service
        self._card = card  # opens the logged-in resident's card (blocking)
        self._profile = profile
        self._navigate = navigate
        self._notifier = notifier
        self._files = files
        self.start = Command(self._start, state, Topic.procedures)
        self.check = Command(self._check, state, Topic.form_problems)
        self.sign = Command(self._sign, state, Topic.signing)
        self.pay = Command(self._pay, state, Topic.payment)
        self.submit = Command(self._submit, state, Topic.signing, Topic.payment)
        self.refresh = Command(self._refresh, state, Topic.applications)
        self.withdraw = Command(self._withdraw, state, Topic.application)
        self.correct = Command(self._correct, state, Topic.application)
        self.discard = Command(self._discard, state, Topic.applications)
        self.dismiss = Command(self._dismiss, state, Topic.applications)
        self.receipt = Command(self._receipt, state, Topic.application)
        self.attach = Command(self._attach, state, Topic.form)
        # The auth controller's: a logout that deletes what is not sent, on the resident's word.
        self.log_out_anyway = log_out_anyway or Command(self._nothing, state)
        self._kept: dict[str, object] = {}  # draft id -> the version last queued for the server
        self._synced = False  # a sync has run since the login
        self.search("")

    async def _nothing(self) -> None:
        return None

    @property
    def view(self) -> ApplicationsState:
        return self.state.applications

    def procedure(self, procedure_id: str) -> Procedure | None:
        return self.catalogue.get(procedure_id)

    def procedures_in(self, category: ProcedureCategory) -> list[Procedure]:
        """A category's procedures (the childcare screen lists the family ones)."""
        return [p for p in self.catalogue.current().procedures if p.category == category]

    # --- the catalogue --------------------------------------------------------------------
    def search(self, query: str) -> None:
        self.view.query = query
        self.view.results = self.catalogue.search(query)
        self.state.changed(Topic.procedures)

    async def refresh_catalogue(self) -> None:
        try:
            changed = await self.catalogue.refresh()
        except ApiError:
            return  # the cached (or bundled) catalogue stays in use
        if changed:
            self.search(self.view.query)

    # --- starting and filling in ------------------------------------------------------------
    async def _start(self, procedure_id: str, /) -> None:
        procedure, service = self.procedure(procedure_id), self._service()
        if procedure is None:
            return
        if service is None:
            self.state.auth.return_to = build(RoutePath.procedure, procedure=procedure_id)
            self._navigate(RoutePath.login)
            return
        draft = service.start(procedure, prefill_of(self._profile()))
        self._navigate(build(RoutePath.draft, draft=draft.id))

    def open_draft(self, draft_id: str) -> Draft | None:
        """A form, confirm or payment screen opens: its draft becomes the open one."""
        service = self._service()
        draft = service.draft(draft_id) if service else None
        view = self.view
        another = view.draft is None or view.draft.id != draft_id
        if another:
            view.shown, view.sign_problem, view.pay_problem = frozenset(), None, None
            view.attach_problems = {}
        unchanged = not another and draft is not None and view.draft == draft
        view.draft = draft
        view.problem = None if draft else DRAFT_GONE
        self._recheck()
        if not unchanged:  # the same draft again (its screen reopened): nothing to redraw
            self.state.changed(Topic.form, Topic.form_problems, Topic.signing,
                               Topic.payment)
        return draft

    def value(self, path: tuple[str | int, ...]) -> Any:
        draft = self.view.draft
        current: Any = draft.values if draft else {}
        for part in path:
            try:
                current = current[part]
            except (KeyError, IndexError, TypeError):
                return None
        return current

    def set_value(self, path: tuple[str | int, ...], value: Any) -> None:
        """As the resident types: saved at once (sealed, on this device); the messages under
        the fields are redrawn only when what they say changes."""
        draft, service = self.view.draft, self._service()
        if draft is None or service is None or draft.stage is DraftStage.submitted:
            return
        values = _with(draft.values, path, value)
        self.view.draft = service.edit(draft, values)
        self._recheck(announce=True)

    def leave_field(self, field_id: str) -> None:
        """The resident moved on from a field: from now on its problems are shown, and the
        draft is queued for the server (it outlives this device's copy: a logout, a reset)."""
        self._keep_on_server()
        if field_id not in self.view.shown:
            self.view.shown = self.view.shown | {field_id}
            self.state.changed(Topic.form_problems)

    def _keep_on_server(self) -> None:
        draft, service = self.view.draft, self._service()
        if draft is None or service is None or draft.stage is not DraftStage.editing:
            return
        if self._kept.get(draft.id) != draft.updated_at:
            service.keep_on_server(draft)
            self._kept[draft.id] = draft.updated_at

    def add_item(self, group_id: str) -> None:
        items = list(self.value((group_id,)) or [])
        self.set_value((group_id,), [*items, {}])
        self.state.changed(Topic.form)

    def remove_item(self, group_id: str, index: int) -> None:
        items = list(self.value((group_id,)) or [])
        if 0 <= index < len(items):
            del items[index]
            self.set_value((group_id,), items)
            self.state.changed(Topic.form)

    async def _attach(self, spec_id: str, /) -> None:
        view, service = self.view, self._service()
        draft = view.draft
        procedure = self.procedure(draft.procedure_id) if draft else None
        spec = next((a for a in procedure.attachments if a.id == spec_id), None) \
            if procedure else None
        if draft is None or service is None or spec is None or self._files is None:
            return
        picked = await self._files.pick()
        if picked is None:
            return  # the resident cancelled
        view.attach_problems = {k: v for k, v in view.attach_problems.items() if k != spec_id}
        try:
            view.draft = await service.attach(draft, spec, picked)
        except AttachmentRefused as refused:
            view.attach_problems = {**view.attach_problems, spec_id: refused.problem}
        self._recheck()

    def detach(self, attachment_id: str) -> None:
        draft, service = self.view.draft, self._service()
        if draft is None or service is None:
            return
        self.view.draft = service.detach(draft, attachment_id)
        self._recheck()
        self.state.changed(Topic.form)

    def problems_of(self, path: tuple[str | int, ...]) -> list[Problem]:
        """The shown problems at exactly this path (a field, or one field of a group item)."""
        view = self.view
        if path and str(path[0]) in view.attach_problems:
            return [view.attach_problems[str(path[0])]]
        if not path or str(path[0]) not in view.shown:
            return []
        return [p for p in view.problems if p.path == path]

    async def _check(self) -> None:
        """"Check and continue": every problem shown, or on to the confirm step."""
        draft = self.view.draft
        if draft is None:
            return
        self.view.shown = frozenset(_ids(self.procedure(draft.procedure_id)))
        self._recheck()
        self._keep_on_server()
        if not self.view.problems:
            self._navigate(build(RoutePath.draft_confirm, draft=draft.id))

    def _recheck(self, *, announce: bool = False) -> None:
        view, service = self.view, self._service()
        procedure = self.procedure(view.draft.procedure_id) if view.draft else None
        if view.draft is None or procedure is None or service is None:
            view.problems = []
            return
        before = [p for p in view.problems if str(p.path[0]) in view.shown]
        view.problems = service.problems(procedure, view.draft)
        after = [p for p in view.problems if str(p.path[0]) in view.shown]
        if announce and before != after:
            self.state.changed(Topic.form_problems)

    # --- signing, paying, submitting ----------------------------------------------------------
    async def _sign(self, password: str, /) -> None:
        view, service = self.view, self._service()
        draft = view.draft
        procedure = self.procedure(draft.procedure_id) if draft else None
        if draft is None or procedure is None or service is None:
            return
        view.sign_problem = None
        if service.problems(procedure, draft):
            view.sign_problem = FORM_HAS_PROBLEMS
            return
        try:
            card = await asyncio.to_thread(self._card)
            if card is None:
                view.sign_problem = SIGN_IN_AGAIN
                return
            signed = await asyncio.to_thread(service.sign, draft, procedure, card, password)
        except InvalidPinFormat:
            view.sign_problem = PASSWORD_FORMAT
            return
        except WrongPin:
            view.sign_problem = PASSWORD_WRONG
            return
        except CardLocked:
            view.sign_problem = PASSWORD_LOCKED
            return
        except CardError:
            log.exception("signing with the card failed")
            view.sign_problem = CARD_PROBLEM
            return
        view.draft = signed
        if signed.signed is not None and signed.signed.fee_yen > 0 and not _paid(signed):
            self._navigate(build(RoutePath.draft_pay, draft=signed.id))
        else:
            await self._hand_over(service, signed)

    async def _pay(self, card_number: str, /) -> None:
        view, service = self.view, self._service()
        draft = view.draft
        if draft is None or service is None:
            return
        view.pay_problem = None
        digits = "".join(c for c in card_number if not c.isspace() and c != "-")
        if not (digits.isdigit() and 12 <= len(digits) <= 19):
            view.pay_problem = CARD_NUMBER
            return
        try:
            view.draft = await service.pay(draft, digits)
        except PaymentDeclined as declined:
            view.draft = service.draft(draft.id)
            code = declined.payment.decline_code
            view.pay_problem = NO_FUNDS if code == "insufficient_funds" else DECLINED
        except NothingToPay:
            view.draft = service.draft(draft.id)
        except Offline:
            view.draft = service.draft(draft.id)  # the key is kept: a retry is the same try
            view.pay_problem = NEEDS_CONNECTION
        except Rejected as exc:
            view.draft = service.draft(draft.id)
            view.pay_problem = CARD_NUMBER if exc.status == 422 else DECLINED
        self.state.changed(Topic.payment)

    async def _submit(self) -> None:
        draft, service = self.view.draft, self._service()
        if draft is None or service is None:
            return
        await self._hand_over(service, draft)

    async def _hand_over(self, service: ApplicationService, draft: Draft) -> None:
        handed = service.submit(draft)
        self.view.draft = handed
        self.view.notice = SENT
        self._load_lists(service)
        self._navigate(RoutePath.applications)
        await self._send(service)

    async def _send(self, service: ApplicationService) -> None:
        try:
            await service.send()
        except ApiError:
            pass  # stays queued, shown as waiting; the background sync tries again
        self._load_lists(service)

    # --- the resident's applications -------------------------------------------------------------
    def _load_lists(self, service: ApplicationService) -> None:
        view = self.view
        view.drafts = service.drafts()
        view.items = service.applications()
        view.queued = service.queued()
        view.inbox = service.inbox()
        view.loaded = True
        if view.logout_blocked and not service.unsent():
            view.logout_blocked = False  # all sent: the resident can simply log out now
        self.state.changed(Topic.applications)

    async def _refresh(self) -> None:
        service = self._service()
        if service is None:
            return
        await self.sync()

    async def sync(self) -> None:
        """In the background while logged in: send what waits, read statuses and the inbox,
        and notify of changes."""
        service = self._service()
        if service is None:
            return
        view = self.view
        view.problem = None
        try:
            await service.send()
            events = await service.check_inbox()
            await service.refresh()
            await service.restore_from_server()  # drafts kept there, after a logout or reset
            view.offline = False
        except Offline:
            view.offline, events = True, []
        except ApiError:
            view.problem, events = COULD_NOT_READ, []
        if self._service() is not service:
            return  # logged out meanwhile
        # The first sync after a login reads the whole history into the inbox: that is not
        # news to announce (a logout wiped the device's copy; the resident has seen it).
        first, self._synced = not self._synced, True
        for event in [] if first else events:
            view.unread += 1
            procedure = self.procedure(event.procedure_id)
            title = self.state.t(procedure.title) if procedure else self.state.t("Application")
            self._notifier.notify(title, self.state.t(STATUS_NEWS[event.status]))
        self._load_lists(service)
        detail = view.detail
        if events and detail is not None and any(e.application_id == detail.id for e in events):
            await self.open_application(detail.id)

    def load(self) -> None:
        service = self._service()
        if service is not None:
            self._load_lists(service)

    def read_inbox(self) -> None:
        if self.view.unread:
            self.view.unread = 0
            self.state.changed(Topic.applications)

    async def open_application(self, application_id: str) -> None:
        view, service = self.view, self._service()
        if service is None:
            return
        if view.detail is None or view.detail.id != application_id:
            view.detail, view.receipt = None, None
        try:
            view.detail = await service.detail(application_id)
            view.problem = None
        except Offline:
            view.problem = NEEDS_CONNECTION
        except ApiError:
            view.problem = COULD_NOT_READ
        self.state.changed(Topic.application)

    async def _withdraw(self, application_id: str, /) -> None:
        view, service = self.view, self._service()
        if service is None:
            return
        if view.detail is not None and view.detail.status not in WITHDRAWABLE:
            view.problem = NOT_WITHDRAWABLE
            return
        service.withdraw(application_id)
        view.notice = WITHDRAW_QUEUED
        await self._send(service)
        await self.open_application(application_id)

    async def _correct(self) -> None:
        """A returned application: its values back in a form, to fix and sign again."""
        view, service = self.view, self._service()
        detail = view.detail
        if detail is None or service is None or detail.status is not ApplicationStatus.returned:
            return
        draft = Draft(id=detail.id, procedure_id=detail.procedure_id,
                      procedure_version=detail.procedure_version, values=dict(detail.values),
                      updated_at=detail.updated_at, resubmission=True)
        procedure = self.procedure(detail.procedure_id)
        if procedure is not None and procedure.version != draft.procedure_version:
            draft = replace(draft, procedure_version=procedure.version)
        service.save(draft)
        self._navigate(build(RoutePath.draft, draft=draft.id))

    async def _discard(self, draft_id: str, /) -> None:
        service = self._service()
        if service is None:
            return
        service.discard(draft_id)
        if self.view.draft is not None and self.view.draft.id == draft_id:
            self.view.draft = None
        self._load_lists(service)

    async def _dismiss(self, item_id: str, /) -> None:
        service = self._service()
        if service is None:
            return
        service.dismiss(item_id)
        self._load_lists(service)

    async def _receipt(self, application_id: str, /) -> None:
        view, service = self.view, self._service()
        if service is None:
            return
        try:
            view.receipt = await service.receipt_code(application_id)
            view.problem = None
        except Offline:
            view.problem = NEEDS_CONNECTION
        except ApiError:
            view.problem = COULD_NOT_READ

    def forget(self) -> None:
        """Logout: nothing of this resident stays on screen."""
        self._synced, self._kept = False, {}
        self.state.applications = ApplicationsState(
            query=self.view.query, results=self.view.results)
        self.state.changed(Topic.applications, Topic.application, Topic.form,
                           Topic.form_problems, Topic.signing, Topic.payment)


STATUS_NEWS: dict[ApplicationStatus, str] = {
    ApplicationStatus.submitted: N_("Your application was submitted."),
    ApplicationStatus.received: N_("Your application was received by the office."),
    ApplicationStatus.under_review: N_("Your application is being reviewed."),
    ApplicationStatus.returned: N_("Your application was returned for correction. Please "
                                   "check the comment and correct it."),
    ApplicationStatus.approved: N_("Your application was approved."),
    ApplicationStatus.completed: N_("Your application is completed."),
    ApplicationStatus.withdrawn: N_("Your application was withdrawn."),
}


def _paid(draft: Draft) -> bool:
    return draft.payment is not None and draft.payment.status.value == "succeeded"


def _ids(procedure: Procedure | None) -> list[str]:
    if procedure is None:
        return []
    return [f.id for f in procedure.fields] + [a.id for a in procedure.attachments]


def _with(values: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    """A copy of `values` with `value` at `path` (field, or group, index, field)."""
    copy: dict[str, Any] = {k: (list(v) if isinstance(v, list) else v) for k, v in values.items()}
    if len(path) == 1:
        copy[str(path[0])] = value
        return copy
    group, index, field_id = str(path[0]), int(path[1]), str(path[2])
    items = [dict(item) if isinstance(item, dict) else {} for item in copy.get(group) or []]
    while len(items) <= index:
        items.append({})
    items[index][field_id] = value
    copy[group] = items
    return copy

