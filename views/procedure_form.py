"""Filling in, confirming and signing, and paying for an application.

The form is drawn from the procedure's definition; answers are saved on the device as they
are typed; problems show under a field once the resident has left it (or pressed "Check"),
in words that say how to fix them. The confirm step shows everything before the card signs
it; with a fee, the payment step comes before the application is handed over.
"""

from __future__ import annotations

from typing import Any

import flet as ft

from app.paths import RoutePath, build
from app.state import AppState, Topic
from forms.definition import AttachmentSpec, FieldType, FormField, Procedure
from forms.validate import normalize
from services.application_models import Draft, DraftStage, PaymentStatus
from services.procedures import problem_message
from views.actions import ApplicationActions, Navigator
from views.procedures import MEDIA_NAMES, procedure_title
from views.screen import Screen
from views.widgets.controls import (
    BannerKind,
    ButtonKind,
    action_button,
    banner,
    body_text,
    full_width,
    heading,
)
from views.widgets.fields import text_field
from views.widgets.form_fields import (
    FieldView,
    Path,
    error_line,
    field_view,
    label_of,
    required,
)


def display_value(field: FormField, value: Any, state: AppState) -> str:
    """An answer as the resident will read it back on the confirm screen."""
    t = state.t
    if value in (None, "", []):
        return t("(not given)")
    if field.type is FieldType.choice:
        option = next((o for o in field.options if o.value == value), None)
        return t(option.label) if option else str(value)
    if field.type is FieldType.consent:
        return t("Yes") if value is True else t("No")
    if field.type is FieldType.number and field.unit:
        return f"{value} {t(field.unit)}"
    return str(value)


class _DraftScreen(Screen):
    def __init__(self, state: AppState, actions: ApplicationActions, draft_id: str) -> None:
        super().__init__(state)
        self.actions, self.draft_id = actions, draft_id

    @property
    def draft(self) -> Draft | None:
        draft = self.state.applications.draft
        return draft if draft is not None and draft.id == self.draft_id else None

    @property
    def procedure(self) -> Procedure | None:
        draft = self.draft
        return self.actions.procedure(draft.procedure_id) if draft else None

    @property
    def title(self) -> str:
        procedure = self.procedure
        return self.state.t(procedure.title) if procedure else self.state.t("Application")

    def _missing(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.applications
        if view.problem:
            return [banner(t("This draft cannot be opened"), t(view.problem), tokens,
                           BannerKind.warning)]
        return [body_text(t("Loading…"), tokens, support=True)]


class FormScreen(_DraftScreen):
    def __init__(self, state: AppState, actions: ApplicationActions, draft_id: str) -> None:
        super().__init__(state, actions, draft_id)
        self._fields: dict[Path, FieldView] = {}

    def build(self) -> list[ft.Control]:
        return [
            self.region([Topic.form], self._form),
            self.region([Topic.form_problems], self._summary),
            self.region([Topic.form, Topic.form_problems], self._buttons),
        ]

    def on_change(self, topics: frozenset[Topic]) -> list[ft.Control]:
        changed = super().on_change(topics)
        if topics & {Topic.form, Topic.form_problems}:
            changed += self._show_problems()
        return changed

    def _show_problems(self) -> list[ft.Control]:
        changed: list[ft.Control] = []
        for path, view in self._fields.items():
            problems = self.actions.problems_of(path)
            message = problem_message(problems[0], self.state.t) if problems else None
            changed += view.show_error(message)
        return changed

    def _form(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        draft, procedure = self.draft, self.procedure
        self._fields = {}
        if draft is None or procedure is None:
            return self._missing()
        if draft.stage is DraftStage.submitted:
            return [banner(t("Already handed over"),
                           t("This application was signed and handed over for sending. Its "
                             "status is under My applications."), tokens, BannerKind.info)]
        controls: list[ft.Control] = [heading(procedure_title(procedure, self.state), tokens)]
        if draft.resubmission:
            controls.append(banner(
                t("Returned for correction"),
                t("Please correct your answers as the office asked, then sign again."),
                tokens, BannerKind.warning))
        controls.append(body_text(t("Your answers are saved on this device as you type. Items "
                                    "marked (required) must be filled in."), tokens,
                                  support=True))
        for field in procedure.fields:
            if field.type is FieldType.group:
                controls += self._group(field)
            else:
                controls.append(self._field(field, (field.id,)))
        for spec in procedure.attachments:
            controls += self._attachment(spec, draft)
        return controls

    def _attachment(self, spec: AttachmentSpec, draft: Draft) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        title = required(t(spec.label), self.state) if spec.required else t(spec.label)
        controls: list[ft.Control] = [heading(title, tokens, 2)]
        if spec.help:
            controls.append(body_text(t(spec.help), tokens, support=True))
        kinds = ", ".join(MEDIA_NAMES.get(m.value, m.value) for m in spec.media_types)
        controls.append(body_text(t("{kinds}, up to {mb} MB", kinds=kinds,
                                    mb=max(1, spec.max_bytes // 2**20)), tokens, support=True))
        attached = [a for a in draft.attachments if a["spec"] == spec.id]
        for entry in attached:
            size_kb = max(1, int(entry["size"]) // 1024)
            controls.append(ft.Row([
                ft.Icon(ft.Icons.ATTACH_FILE, color=tokens.palette.text),
                ft.Text(t("{name} ({kb} KB)", name=entry.get("name") or t("File"), kb=size_kb),
                        expand=True,
                        style=tokens.text_style("body", tokens.palette.text)),
                action_button(t("Remove"), lambda _e, a=entry["attachment_id"]:
                              self.actions.detach(a), tokens, kind=ButtonKind.outline,
                              key=f"detach-{entry['attachment_id']}"),
            ], wrap=True, spacing=tokens.space(2)))
        line = self._fields[(spec.id,)] = error_line(self.state, (spec.id,))
        controls.append(line.control)

        async def attach(_e: ft.Event) -> None:
            self.actions.leave_field(spec.id)
            await self.actions.attach(spec.id)

        if len(attached) < spec.max_files:
            busy = self.actions.attach.running
            controls.append(action_button(
                t("Adding the file…") if busy else t("Add a photo or a PDF"),
                None if busy else attach, tokens, kind=ButtonKind.outline,
                icon=ft.Icons.ADD_A_PHOTO_OUTLINED, key=f"attach-{spec.id}"))
        return controls

    def _field(self, field: FormField, path: Path) -> ft.Control:
        view = field_view(field, path, self.actions.value(path), self.state,
                          self.actions.set_value, self.actions.leave_field)
        self._fields[path] = view
        return view.control

    def _group(self, group: FormField) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        items = self.actions.value((group.id,)) or []
        count = len(items) if isinstance(items, list) else 0
        controls: list[ft.Control] = [heading(label_of(group, self.state), tokens, 2)]
        if group.help:
            controls.append(body_text(t(group.help), tokens, support=True))
        for index in range(count):
            inner: list[ft.Control] = [heading(
                t("{what} {n}", what=t(group.label), n=index + 1), tokens, 3)]
            inner += [self._field(sub, (group.id, index, sub.id)) for sub in group.fields]
            inner.append(action_button(
                t("Remove {what} {n}", what=t(group.label), n=index + 1),
                lambda _e, i=index: self.actions.remove_item(group.id, i), tokens,
                kind=ButtonKind.outline, icon=ft.Icons.DELETE_OUTLINE,
                key=f"remove-{group.id}-{index}"))
            controls.append(ft.Container(
                ft.Column(inner, spacing=tokens.space(3), tight=True),
                border=ft.Border.all(1, tokens.palette.border), border_radius=12,
                padding=ft.Padding.all(tokens.space(4))))
        # The group's own problems (too few items) show under it, as a field's would.
        line = self._fields[(group.id,)] = error_line(self.state, (group.id,))
        controls.append(line.control)
        if count < group.max_items:
            def add(_e: ft.Event) -> None:
                self.actions.leave_field(group.id)
                self.actions.add_item(group.id)

            controls.append(action_button(
                t("Add {what}", what=t(group.label)), add, tokens, kind=ButtonKind.outline,
                icon=ft.Icons.ADD, key=f"add-{group.id}"))
        return controls

    def _summary(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.applications
        if self.draft is None or not view.shown:
            return []
        shown = [p for p in view.problems if str(p.path[0]) in view.shown]
        if not shown or not self.actions.check.runs:
            return []
        n = len(shown)
        return [banner(t.ngettext("{n} answer needs fixing", "{n} answers need fixing",
                                  n).format(n=n),
                       t("Each one says how under the item. Nothing you typed was lost."),
                       tokens, BannerKind.error, announce=True)]

    def _buttons(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        draft = self.draft
        if draft is None or draft.stage is DraftStage.submitted:
            return []

        async def check(_e: ft.Event) -> None:
            await self.actions.check()

        async def discard(_e: ft.Event) -> None:
            await self.actions.discard(draft.id)

        busy = self.actions.check.running
        return [
            full_width(action_button(t("Checking…") if busy else t("Check and continue"),
                                     None if busy else check, tokens,
                                     icon=ft.Icons.ARROW_FORWARD, key="check-form")),
            action_button(t("Delete this draft"), discard, tokens, kind=ButtonKind.outline,
                          icon=ft.Icons.DELETE_OUTLINE, key="discard-draft"),
        ]


class ConfirmScreen(_DraftScreen):
    """Everything once more, then the card's signature password."""

    def __init__(self, state: AppState, actions: ApplicationActions, nav: Navigator,
                 draft_id: str) -> None:
        super().__init__(state, actions, draft_id)
        self.nav = nav
        t = state.t

        async def submit(_e: ft.Event) -> None:
            await self.sign()

        self.password = text_field(
            state, label=t("Signature password"),
            helper=t("The card's signature password: 6 to 16 capital letters (A-Z) and "
                     "digits. After 5 wrong tries in a row the card locks."),
            password=True, can_reveal_password=True, on_submit=submit,
            capitalization=ft.TextCapitalization.CHARACTERS, key="sign-password")
        self.password_row = full_width(self.password)
        self._clear = False

    async def sign(self) -> None:
        # Read once, then emptied: the password is never kept on screen after a try.
        password, self._clear = self.password.value or "", True
        await self.actions.sign(password.strip().upper())

    def on_change(self, topics: frozenset[Topic]) -> list[ft.Control]:
        changed = super().on_change(topics)
        if Topic.signing in topics and self._clear:
            self._clear, self.password.value = False, ""
            changed.append(self.password)
        return changed

    @property
    def title(self) -> str:
        return self.state.t("Check and sign")

    def build(self) -> list[ft.Control]:
        return [
            self.region([Topic.form, Topic.signing], self._summary),
            self.region([Topic.form, Topic.signing], self._password),
            self.region([Topic.form, Topic.signing], self._sign),
        ]

    def _summary(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        draft, procedure = self.draft, self.procedure
        if draft is None or procedure is None:
            return self._missing()
        controls: list[ft.Control] = [
            heading(procedure_title(procedure, self.state), tokens),
            body_text(t("Please check your answers. After signing they cannot be changed."),
                      tokens)]
        values = normalize(procedure, draft.values)  # exactly what will be signed
        for field in procedure.fields:
            value = values.get(field.id)
            if field.type is FieldType.group:
                controls.append(heading(t(field.label), tokens, 2))
                for n, item in enumerate(value if isinstance(value, list) else [], start=1):
                    controls.append(heading(t("{what} {n}", what=t(field.label), n=n),
                                            tokens, 3))
                    controls += [self._answer(sub, item.get(sub.id)) for sub in field.fields]
            else:
                controls.append(self._answer(field, value))
        if draft.signed is not None and draft.signed.fee_yen > 0:
            controls.append(self._answer_text(t("Fee"), t.yen(draft.signed.fee_yen)))

        def edit(_e: ft.Event) -> None:
            self.nav.go(build(RoutePath.draft, draft=draft.id))

        if draft.stage is DraftStage.editing:
            controls.append(action_button(t("Change answers"), edit, tokens,
                                          kind=ButtonKind.outline, icon=ft.Icons.EDIT,
                                          key="edit-answers"))
        return controls

    def _answer(self, field: FormField, value: Any) -> ft.Control:
        return self._answer_text(self.state.t(field.label),
                                 display_value(field, value, self.state))

    def _answer_text(self, label: str, value: str) -> ft.Control:
        tokens = self.state.tokens
        return ft.Column([
            ft.Text(label, style=tokens.text_style("body", tokens.palette.text_support)),
            # Not `selectable`: Flutter web leaves selectable text out of the accessibility
            # tree, so a screen reader would read the labels without the answers.
            ft.Text(value, style=tokens.text_style("heading_4", tokens.palette.text_strong)),
        ], spacing=0, tight=True)

    def _password(self) -> list[ft.Control]:
        draft = self.draft
        if draft is None or draft.stage is not DraftStage.editing:
            return []
        return [heading(self.state.t("Sign with your My Number card"), self.state.tokens, 2),
                self.password_row]

    def _sign(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.applications
        draft = self.draft
        if draft is None:
            return []
        controls: list[ft.Control] = []
        if view.sign_problem:
            controls.append(banner(t("Not signed"), t(view.sign_problem), tokens,
                                   BannerKind.error, announce=True))
        busy = self.actions.sign.running or self.actions.submit.running

        async def sign(_e: ft.Event) -> None:
            await self.sign()

        async def submit(_e: ft.Event) -> None:
            await self.actions.submit()

        if draft.stage is DraftStage.editing:
            controls.append(full_width(action_button(
                t("Signing…") if busy else t("Sign and continue"), None if busy else sign,
                tokens, icon=ft.Icons.DRAW, key="sign")))
        elif draft.stage is DraftStage.signed:
            needs_payment = (draft.signed is not None and draft.signed.fee_yen > 0 and (
                draft.payment is None or draft.payment.status is not PaymentStatus.succeeded))
            if needs_payment:
                controls.append(full_width(action_button(
                    t("Go to payment"),
                    lambda _e: self.nav.go(build(RoutePath.draft_pay, draft=draft.id)),
                    tokens, icon=ft.Icons.PAYMENT, key="go-pay")))
            else:
                controls.append(full_width(action_button(
                    t("Sending…") if busy else t("Submit the application"),
                    None if busy else submit, tokens, icon=ft.Icons.SEND, key="submit")))
        return controls


class PaymentScreen(_DraftScreen):
    """The fee, paid once: a retry is the same payment, never a second one."""

    def __init__(self, state: AppState, actions: ApplicationActions, draft_id: str) -> None:
        super().__init__(state, actions, draft_id)
        t = state.t

        async def submit(_e: ft.Event) -> None:
            await self.pay()

        self.card = text_field(
            state, label=t("Card number"),
            helper=t("16 digits as printed on the card; spaces are fine. This demo uses a "
                     "test provider: 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is "
                     "declined. Nothing real is charged."),
            keyboard_type=ft.KeyboardType.NUMBER, on_submit=submit, key="card-number")
        self.card_row = full_width(self.card)

    async def pay(self) -> None:
        await self.actions.pay(self.card.value or "")

    @property
    def title(self) -> str:
        return self.state.t("Payment")

    def build(self) -> list[ft.Control]:
        return [
            self.region([Topic.form, Topic.payment], self._amount),
            self.region([Topic.form, Topic.payment], self._card),
            self.region([Topic.form, Topic.payment], self._actions),
        ]

    def _paid(self) -> bool:
        draft = self.draft
        return bool(draft and draft.payment
                    and draft.payment.status is PaymentStatus.succeeded)

    def _amount(self) -> list[ft.Control]:
        t, tokens = self.state.t, self.state.tokens
        draft, procedure = self.draft, self.procedure
        if draft is None or procedure is None:
            return self._missing()
        fee = draft.signed.fee_yen if draft.signed else 0
        controls: list[ft.Control] = [
            heading(procedure_title(procedure, self.state), tokens),
            ft.Text(t("Amount: {amount}", amount=t.yen(fee)),
                    style=tokens.text_style("heading_3", tokens.palette.text_strong)),
        ]
        payment = draft.payment
        if payment is not None and payment.status is PaymentStatus.succeeded:
            controls.append(banner(
                t("Paid"),
                t("{amount} paid with the card ending {last4} on {when}. Receipt number: "
                  "{number}.", amount=t.yen(payment.amount_yen), last4=payment.card_last4,
                  when=t.datetime(payment.created_at, "short"), number=payment.id[:12]),
                tokens, BannerKind.success, announce=True))
        return controls

    def _card(self) -> list[ft.Control]:
        if self.draft is None or self._paid():
            return []
        return [self.card_row]

    def _actions(self) -> list[ft.Control]:
        t, tokens, view = self.state.t, self.state.tokens, self.state.applications
        draft = self.draft
        if draft is None:
            return []
        controls: list[ft.Control] = []
        if view.pay_problem:
            controls.append(banner(t("Not paid"), t(view.pay_problem), tokens,
                                   BannerKind.error, announce=True))
        busy = self.actions.pay.running or self.actions.submit.running

        async def pay(_e: ft.Event) -> None:
            await self.pay()

        async def submit(_e: ft.Event) -> None:
            await self.actions.submit()

        if self._paid():
            controls.append(full_width(action_button(
                t("Sending…") if busy else t("Submit the application"),
                None if busy else submit, tokens, icon=ft.Icons.SEND, key="submit")))
        else:
            fee = draft.signed.fee_yen if draft.signed else 0
            controls.append(full_width(action_button(
                t("Paying…") if busy else t("Pay {amount}", amount=t.yen(fee)),
                None if busy else pay, tokens, icon=ft.Icons.PAYMENT, key="pay")))
        return controls
