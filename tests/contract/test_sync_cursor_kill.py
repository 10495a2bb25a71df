"""Figure 17 (issue 9): the notice sync cursor moves only with the page it stands for. A real
client process (client_proc.py, "pull") pulls small pages from the real server process and is
SIGKILLed at random moments and from hooks just before and just after a store commit, while
the server's notices are added, edited and withdrawn between its lives. After every kill the
store holds, at its revision, every notice the server has at or below the stored cursor (no
gap behind it); the next pull resumes from that cursor, and afterwards the store is the
server's list.

Each seed starts the client 5-7 times, so `make test` runs 2 seeds; `make soak` runs
KITOKITO_SOAK_SEEDS // 50.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from server.core.db import make_engine
from server.models import Notice, NoticeCategory, NoticeText
from server.notices import upsert_notice, withdraw_notice
from services.api import ApiClient
from services.store import NOTICES_CURSOR, LocalStore
from services.sync import NoticeSync, PullOutcome
from tests.contract.forkserver import ForkServer, tail
from tests.contract.harness import (
    ServerProcess,
    first_line,
    report,
    seeds,
    server_process,
    until_gone,
)

SEEDS = seeds(2, soak_share=50)
POINTS = ("before_commit", "after_commit")


async def test_a_pull_killed_anywhere_resumes_with_no_gap(
    tmp_path: Path, server_launcher: ForkServer, client_launcher: ForkServer,
    request: pytest.FixtureRequest,
) -> None:
    kills: Counter[str] = Counter()
    failed: list[tuple[int, str]] = []
    (tmp_path / "server").mkdir()
    with server_process(server_launcher, tmp_path / "server", "") as server:
        for seed in SEEDS:
            try:
                await _one_run(server, client_launcher, kills, tmp_path / f"seed-{seed}", seed,
                               tmp_path / "client.log")
            except AssertionError as exc:
                failed.append((seed, first_line(exc)))
            server.stop()
    line = report(request.node, SEEDS, kills)
    assert not failed, f"failed seeds {failed}; {line}"
    assert sum(n for k, n in kills.items() if k.startswith("client_killed")) >= 3 * len(SEEDS), \
        line  # the test cannot pass without kills


async def _one_run(server: ServerProcess, launcher: ForkServer, kills: Counter[str],
                   folder: Path, seed: int, log: Path) -> None:
    rng = random.Random(seed)
    # A database of its own per seed: each seed's client pulls from 0.
    server.database_url = f"sqlite:///{folder / 'server.db'}"
    server.start()
    assert await server.ready(), server.tail()
    engine = make_engine(server.database_url)
    store_path = folder / "store.db"
    try:
        _change_notices(engine, rng, seed, new=rng.randint(15, 25))
        cursor = 0
        for life in range(rng.randint(5, 7)):
            plan = [rng.randint(1, 8), rng.choice(POINTS)] if rng.random() < 0.5 else None
            kills["client_starts"] += 1
            pid = launcher.spawn({"mode": "pull", "store": str(store_path), "url": server.url,
                                  "page_size": rng.randint(2, 4), "kill": plan,
                                  "life_seed": f"{seed}-{life}"}, log)
            ended = await until_gone(launcher, pid, None if plan else rng.uniform(0.02, 0.3), log)
            if ended == "killed":
                kills["client_killed:external"] += 1
            else:
                assert plan is not None, f"the client died on its own: {tail(log)}"
                kills[f"client_killed:{plan[1]}"] += 1
            cursor = _check_no_gap(engine, store_path, cursor)
            _change_notices(engine, rng, seed, new=rng.randint(0, 3))
        await _resume_and_compare(server, engine, store_path, cursor)
    finally:
        engine.dispose()


def _change_notices(engine: Engine, rng: random.Random, seed: int, *, new: int) -> None:
    """The prefecture's side, between the client's lives: new notices, an edit, a withdrawal."""
    with Session(engine) as db:
        live = db.exec(select(Notice).where(Notice.withdrawn == False)).all()  # noqa: E712
        existing = [n.external_id for n in live]
        for k in range(new):
            _upsert(db, f"harness-{seed}-{len(existing) + k}-{rng.getrandbits(32):08x}", rng)
        if existing and rng.random() < 0.7:
            _upsert(db, rng.choice(existing), rng)
        if live and rng.random() < 0.5:
            withdraw_notice(session=db, notice_id=rng.choice(live).id)
        db.commit()


def _upsert(db: Session, external_id: str, rng: random.Random) -> None:
    word = f"{rng.getrandbits(24):06x}"
    upsert_notice(session=db, external_id=external_id, category=NoticeCategory.general,
                  published_at=datetime(2026, 11, 1, tzinfo=UTC) + timedelta(
                      minutes=rng.randint(0, 10_000)),
                  texts={"ja": (f"お知らせ {word}", "本文"), "en": (f"Notice {word}", "Body")})


def _server_notices(engine: Engine) -> dict[int, tuple[int, bool, str]]:
    with Session(engine) as db:
        titles = {t.notice_id: t.title for t in db.exec(
            select(NoticeText).where(NoticeText.lang == "en"))}
        return {n.id: (n.revision, n.withdrawn, titles.get(n.id, ""))
                for n in db.exec(select(Notice)) if n.id is not None}


def _check_no_gap(engine: Engine, store_path: Path, previous: int) -> int:
    """After a kill: the cursor never went back, and everything the server holds at or below
    it is in the store at that revision (a withdrawn one is not). Returns the cursor."""
    store = LocalStore(store_path)
    try:
        cursor = store.cursor(NOTICES_CURSOR).cursor
        local = {n.id: n for n in store.notices()}
    finally:
        store.close()
    assert cursor >= previous, "the cursor went back"
    behind = {i: v for i, v in _server_notices(engine).items() if v[0] <= cursor}
    missing = [i for i, (rev, withdrawn, _) in behind.items()
               if (i in local) == withdrawn or (not withdrawn and
                                                 local[i].texts["en"]["title"] != behind[i][2])]
    assert not missing, f"behind cursor {cursor}, the store misses or holds stale {missing}"
    return cursor


async def _resume_and_compare(server: ServerProcess, engine: Engine, store_path: Path,
                              cursor: int) -> None:
    """The next pull starts at the stored cursor, and afterwards the store is the server's."""
    sinces: list[int] = []

    async def record(request: httpx.Request) -> None:
        sinces.append(int(request.url.params["since"]))

    store = LocalStore(store_path)
    api = ApiClient(server.url, retry_delay_s=0)
    api._client.event_hooks["request"].append(record)
    try:
        result = await NoticeSync(store, page_size=5).pull(api)
        assert result.outcome in (PullOutcome.updated, PullOutcome.unchanged), result
        assert sinces and sinces[0] == cursor, f"resumed from {sinces[:1]}, not {cursor}"
        local = {n.id: n.texts["en"]["title"] for n in store.notices()}
    finally:
        store.close()
        await api.aclose()
    server_side = {i: title for i, (_, withdrawn, title) in _server_notices(engine).items()
                   if not withdrawn}
    assert local == server_side, "the store is the server's list"

