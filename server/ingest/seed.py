"""First-start seeding from the bundled data files in server/seed/."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from server.models import NoticeCategory
from server.notices import count_notices, upsert_notice

SEED_DIR = Path(__file__).resolve().parent.parent / "seed"


def load_notice_seed(path: Path = SEED_DIR / "notices.json") -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def seed_notices(engine: Engine, path: Path = SEED_DIR / "notices.json") -> int:
    """Insert the bundled notices if the table is empty; returns how many were added."""
    with Session(engine) as session:
        if count_notices(session=session) > 0:
            return 0
        items = load_notice_seed(path)
        for item in items:
            upsert_notice(
                session=session,
                external_id=item["external_id"],
                category=NoticeCategory(item["category"]),
                published_at=datetime.fromisoformat(item["published_at"]),
                texts={lang: (t["title"], t["body"]) for lang, t in item["texts"].items()},
                municipality=item.get("municipality"),
            )
        session.commit()
        return len(items)
