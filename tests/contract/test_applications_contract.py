"""E-applications end to end through the real client services and the real server (issue 9):
fill in, sign with the test card's 署名用 key, pay, submit through the outbox, staff review,
inbox, receipt code, withdrawal and correction; and exactly once through a faulty network."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session

from forms.bundled import load_catalogue
from forms.definition import Procedure
from server.api.staff import grant_staff
from services.application_models import ApplicationStatus, DraftStage, QueuedState
from services.applications import ApplicationService
from services.attachments import PickedFile
from services.auth_api import AuthApi
from services.crypto import MemoryKeyStore
from services.errors import ApiError, Rejected
from services.i18n import japan_today
from services.login import AuthSession, LoginFlow
from services.outbox import Outbox
from services.outbox_sender import RetryPolicy
from services.personal_cache import PersonalCache
from services.store import LocalStore
from tests.cardworld import PASSWORDS, PINS, STAFF_PIN, World
from tests.contract.faults import FaultTransport
from tests.unit.test_forms_catalogue import filled_in

CATALOGUE = {p.id: p for p in load_catalogue().procedures}
FAST = RetryPolicy(attempts=3, wait_initial_s=0, wait_max_s=0, wait_jitter_s=0)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@dataclass
class Resident:
    session: AuthSession
    service: ApplicationService
    password: str
    world: World
    demo_id: str

    def card(self):
        return self.world.card(self.demo_id)


async def resident(app: FastAPI, world: World, folder: Path, demo_id: str = "toyama-hanako",
                   transport: httpx.AsyncBaseTransport | None = None) -> Resident:
    api = AuthApi("http://backend", transport=transport or httpx.ASGITransport(app=app))
    session = await LoginFlow(api).login(world.card(demo_id), PINS[demo_id])
    cache = PersonalCache(folder / demo_id, session.user_id, MemoryKeyStore())
    store = LocalStore(folder / demo_id / "store.db")
    outbox = Outbox(store, session.user_id, sealer=cache.sealer)
    service = ApplicationService(session, cache, outbox, today=japan_today, retry=FAST)
    return Resident(session, service, PASSWORDS[demo_id], world, demo_id)


async def staff_session(app: FastAPI, world: World) -> AuthSession:
    api = AuthApi("http://backend", transport=httpx.ASGITransport(app=app))
    session = await LoginFlow(api).login(world.staff_card(), STAFF_PIN)
    with Session(app.state.engine) as db:
        grant_staff(db, user_id=session.user_id, display_name="窓口 職員")
    return session


async def advance(staff: AuthSession, application_id: str, to: str, comment: str | None = None):
    body = {"to": to, **({"comment": comment} if comment else {})}
    response = await staff.request(
        "POST", f"/v1/staff/applications/{application_id}/transitions", json=body)
    return response.json()


async def signed_draft(who: Resident, procedure: Procedure, **changes):
    service = who.service
    draft = service.edit(service.start(procedure, {}), {**filled_in(procedure), **changes})
    return service.sign(draft, procedure, who.card(), who.password)


async def test_apply_pay_submit_review_and_read_the_news(server, world, tmp_path) -> None:
    hanako = await resident(server, world, tmp_path)
    procedure = CATALOGUE["juminhyo_copy"]
    signed = await signed_draft(hanako, procedure, copies="2")
    assert signed.signed is not None and signed.signed.fee_yen == 600
    paid = await hanako.service.pay(signed, "4242 4242 4242 4242")
    hanako.service.submit(paid)
    await hanako.service.send()
    [summary] = await hanako.service.refresh()
    assert (summary.id, summary.status, summary.fee_yen) == (
        signed.id, ApplicationStatus.submitted, 600)
    assert hanako.service.queued() == [] and hanako.service.drafts() == []

    staff = await staff_session(server, world)
    detail = (await staff.request("GET", f"/v1/staff/applications/{signed.id}")).json()
    assert detail["signature"]["valid"] is True
    for step in ("received", "under_review", "approved"):
        await advance(staff, signed.id, step, "書類を確認しました" if step == "approved" else None)
    events = await hanako.service.check_inbox()
    assert [e.status for e in events] == [ApplicationStatus.submitted,
                                          ApplicationStatus.received,
                                          ApplicationStatus.under_review,
                                          ApplicationStatus.approved]
    assert await hanako.service.check_inbox() == []  # the cursor moved on
    shown = await hanako.service.detail(signed.id)
    assert shown.status is ApplicationStatus.approved
    assert shown.history[-1].comment == "書類を確認しました"

    receipt = await hanako.service.receipt_code(signed.id)
    assert len(receipt.code) == 8 and receipt.qr_png.startswith(b"\x89PNG")
    verified = await staff.request("POST", "/v1/staff/receipts/verify",
                                   json={"code": receipt.code})
    assert verified.json()["id"] == signed.id
    with pytest.raises(Rejected) as used:
        await staff.request("POST", "/v1/staff/receipts/verify", json={"code": receipt.code})
    assert used.value.status == 404  # single use


async def test_a_photo_report_reaches_the_staff_with_its_photo(server, world, tmp_path) -> None:
    hanako = await resident(server, world, tmp_path)
    procedure = CATALOGUE["road_damage_report"]
    service = hanako.service
    draft = service.edit(service.start(procedure, {}), filled_in(procedure))
    spec = next(a for a in procedure.attachments if a.required)
    draft = await service.attach(draft, spec, PickedFile("pothole.png", PNG))
    assert draft.attachments[0]["uploaded"] is True  # online: uploaded at once
    signed = service.sign(draft, procedure, hanako.card(), hanako.password)
    service.submit(signed)
    await service.send()
    staff = await staff_session(server, world)
    detail = (await staff.request("GET", f"/v1/staff/applications/{signed.id}")).json()
    [attachment] = detail["attachments"]
    photo = await staff.request(
        "GET", f"/v1/staff/applications/{signed.id}/attachments/{attachment['attachment_id']}")
    assert photo.content == PNG


async def test_withdrawal_before_review_and_a_refusal_after_it(server, world, tmp_path) -> None:
    hanako = await resident(server, world, tmp_path)
    procedure = CATALOGUE["bosai_receiver"]
    first = await signed_draft(hanako, procedure)
    second = await signed_draft(hanako, procedure)
    for signed in (first, second):
        hanako.service.submit(signed)
    await hanako.service.send()
    staff = await staff_session(server, world)
    await advance(staff, second.id, "received")
    await advance(staff, second.id, "under_review")
    hanako.service.withdraw(first.id)
    hanako.service.withdraw(second.id)
    await hanako.service.send()
    statuses = {a.id: a.status for a in await hanako.service.refresh()}
    assert statuses == {first.id: ApplicationStatus.withdrawn,
                        second.id: ApplicationStatus.under_review}
    [refused] = hanako.service.queued()
    assert (refused.application_id, refused.state, refused.code) == (
        second.id, QueuedState.needs_attention, "cannot_withdraw")


async def test_a_returned_application_is_corrected_signed_again_and_resubmitted(
        server, world, tmp_path) -> None:
    hanako = await resident(server, world, tmp_path)
    procedure = CATALOGUE["bosai_receiver"]
    signed = await signed_draft(hanako, procedure)
    hanako.service.submit(signed)
    await hanako.service.send()
    staff = await staff_session(server, world)
    for step in ("received", "under_review"):
        await advance(staff, signed.id, step)
    await advance(staff, signed.id, "returned", "電話番号を確認してください")
    detail = await hanako.service.detail(signed.id)
    assert detail.status is ApplicationStatus.returned
    from services.application_models import Draft
    draft = Draft(id=detail.id, procedure_id=detail.procedure_id,
                  procedure_version=detail.procedure_version, values=dict(detail.values),
                  updated_at=detail.updated_at, resubmission=True)
    hanako.service.save(draft)
    fixed = hanako.service.sign(draft, procedure, hanako.card(), hanako.password)
    hanako.service.submit(fixed)
    await hanako.service.send()
    again = await hanako.service.detail(signed.id)
    assert (again.status, again.revision) == (ApplicationStatus.submitted, 2)


async def test_another_resident_sees_none_of_it(server, world, tmp_path) -> None:
    hanako = await resident(server, world, tmp_path)
    other = await resident(server, world, tmp_path, "takaoka-kenta")
    signed = await signed_draft(hanako, CATALOGUE["bosai_receiver"])
    hanako.service.submit(signed)
    await hanako.service.send()
    with pytest.raises(Rejected) as hidden:
        await other.service.detail(signed.id)
    assert hidden.value.status == 404
    with pytest.raises(Rejected):
        await other.service.receipt_code(signed.id)
    assert await other.service.refresh() == []
    assert await other.service.check_inbox() == []


async def test_a_double_tap_on_pay_charges_once(server, world, tmp_path) -> None:
    import asyncio
    hanako = await resident(server, world, tmp_path)
    signed = await signed_draft(hanako, CATALOGUE["juminhyo_copy"], copies="1")
    # Two taps that both start before either is answered: the same saved key.
    first, second = await asyncio.gather(hanako.service.pay(signed, "4242424242424242"),
                                         hanako.service.pay(signed, "4242424242424242"),
                                         return_exceptions=True)
    paid = [r for r in (first, second) if not isinstance(r, BaseException)]
    assert paid and all(p.payment is not None for p in paid)
    assert len({p.payment.id for p in paid}) == 1
    # The app lost the answer and asks again with a new key: told it is paid already.
    kept = hanako.service.draft(signed.id)
    assert kept is not None and kept.payment is not None
    lost = kept.__class__(**{**kept.__dict__, "payment": None, "payment_key": None})
    again = await hanako.service.pay(lost, "4242424242424242")
    assert again.payment is not None and again.payment.id == paid[0].payment.id


SEEDS = 10


async def test_submissions_arrive_exactly_once_through_a_faulty_network(
        server, world, tmp_path) -> None:
    """Five applications, each sent as it is handed over and then until the queue is empty,
    through drops, lost answers, 503s, late
    copies and delays (tests/contract/faults.py): five on the server, none twice."""
    transport = FaultTransport(httpx.ASGITransport(app=server), random.Random(0))
    for seed in range(SEEDS):
        transport.rng = random.Random(seed)
        who = await resident(server, world, tmp_path / f"seed-{seed}", transport=transport)
        ids = []
        for _ in range(5):
            signed = await signed_draft(who, CATALOGUE["bosai_receiver"])
            who.service.submit(signed)
            ids.append(signed.id)
            try:  # one try each as it is handed over; whatever fails waits for the end
                await who.service.send()
            except ApiError:
                pass
        for _attempt in range(60):
            try:
                await who.service.send()
            except ApiError:
                continue
            if not who.service.queued():
                break
        await transport.settle()
        mine = {a.id for a in await who.service.refresh()}
        assert set(ids) <= mine, f"seed {seed}"
        assert who.service.queued() == [] and who.service.drafts() == [], f"seed {seed}"
        assert all(d.stage is not DraftStage.submitted for d in who.service.drafts())
    print(f"submissions through faults: seeds 0..{SEEDS - 1}, faults {dict(transport.seen)}")



async def test_a_draft_kept_on_the_server_comes_back_on_another_device(
        server, world, tmp_path) -> None:
    """Logout wipes the device's copy; the server's copy (sent through the outbox as the
    resident leaves each item) brings it back: drafts outlive restarts and logouts."""
    phone = await resident(server, world, tmp_path / "phone")
    procedure = CATALOGUE["bosai_receiver"]
    draft = phone.service.edit(phone.service.start(procedure, {}),
                               {"reason": "聞こえにくい", "household_size": "2"})
    phone.service.keep_on_server(draft)
    await phone.service.send()
    laptop = await resident(server, world, tmp_path / "laptop")
    assert laptop.service.drafts() == []
    assert await laptop.service.restore_from_server() == 1
    [back] = laptop.service.drafts()
    assert (back.id, back.values) == (draft.id, draft.values)
    # Submitted, it leaves the server's drafts too (a draft.delete follows the submission).
    signed = await signed_draft(phone, procedure)
    phone.service.keep_on_server(signed)
    phone.service.submit(signed)
    await phone.service.send()
    drafts = (await phone.session.request("GET", "/v1/drafts")).json()["data"]
    assert signed.id not in {d["id"] for d in drafts}
