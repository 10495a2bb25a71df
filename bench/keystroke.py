"""What one keystroke in the trip screen's stop field costs on the Python side.

Runs the real shell, controllers and trip screen in one in-process Flet session whose
connection encodes every message exactly as the web server does (msgpack) and counts its
bytes. Types "iwasehama" one key at a time into 出発地 and prints, per keystroke: the Python
time (event dispatch, stop search and redraw), the controls built, and the bytes sent.

Two ways of redrawing, measured in the same run on the same screen:
- targeted (the app): the keystroke's topic redraws the matches under the field;
- full rebuild (the app layer before issue 7): every change rebuilt the whole screen.

    .venv/bin/python bench/keystroke.py
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import flet as ft
import msgpack
from flet.controls.base_control import BaseControl, ControlId
from flet.messaging.connection import Connection
from flet.messaging.protocol import configure_encode_object_for_msgpack
from flet.messaging.session import Session
from flet.pubsub.pubsub_hub import PubSubHub

from app.config import AppConfig
from app.container import Container
from app.session import make_controllers
from app.shell import Shell
from app.state import AppState
from services.trips import TripEnd

WORD = "iwasehama"


class CountingConnection(Connection):
    """Encodes what the session sends as the web server does, and counts the bytes."""

    def __init__(self) -> None:
        super().__init__()
        self.sent = 0

    def send_message(self, message) -> None:
        body = msgpack.packb([message.action, message.body],
                             default=configure_encode_object_for_msgpack(BaseControl))
        self.sent += len(body) + 1


class MemoryStorage:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    async def get(self, key: str) -> str | None:
        return self.values.get(key)

    async def set(self, key: str, value: str) -> None:
        self.values[key] = value


class NoSharing:
    async def share_text(self, text: str, subject: str):
        raise NotImplementedError


class NoLocation:
    async def current(self) -> tuple[float, float]:
        raise NotImplementedError


def controls_made() -> int:
    """Flet numbers every control it creates: the counter's next value tells how many."""
    return ControlId.next()


async def session_on_trips(container: Container, full_rebuild: bool):
    loop = asyncio.get_running_loop()
    conn = CountingConnection()
    conn.loop = loop
    conn.pubsubhub = PubSubHub(loop=loop)
    session = Session(conn)
    page = session.page
    page.route = "/trips"
    # What registering a browser does first: the page's first patch, encoded (Flet keeps
    # its diff baseline while encoding) and every control in it indexed for events.
    msgpack.packb(session.get_page_patch(),
                  default=configure_encode_object_for_msgpack(BaseControl))
    state = AppState()
    state.width = 390
    services = container.session_services(MemoryStorage())
    controllers = make_controllers(state, services, lambda _route: None,
                                   sharing=NoSharing(), location=NoLocation())
    shell = Shell(page, state, controllers)
    if full_rebuild:
        state.subscribe(lambda _topics: shell.redraw_all())
    else:
        state.subscribe(shell.on_change)
    shell.apply_theme()
    shell.show_route()
    await controllers.trips.start()
    return session, conn, shell


async def type_word(session: Session, conn: CountingConnection, shell: Shell):
    screen = list(shell._shown.values())[-1].screen
    rows = []
    for n in range(1, len(WORD) + 1):
        field = screen.stop_fields[TripEnd.origin]  # the one on screen now
        text = WORD[:n]
        sent, made = conn.sent, controls_made()
        start = time.perf_counter()
        session.apply_patch(field._i, {"value": text})  # what the browser sends first
        await session.dispatch_event(field._i, "change", text)
        elapsed = time.perf_counter() - start
        await asyncio.sleep(0.05)  # Flet sends batched updates from its own task
        rows.append((text, elapsed * 1000, controls_made() - made - 1, conn.sent - sent))
        screen = list(shell._shown.values())[-1].screen
    return rows


async def main() -> None:
    with tempfile.TemporaryDirectory() as data:
        config = AppConfig(data_dir=Path(data), api_url="http://127.0.0.1:9")  # offline
        container = Container(config)
        if not await container.trips.wait_ready(120):
            raise SystemExit("timetables did not load")
        results = {}
        for name, full in (("full rebuild", True), ("targeted", False)):
            session, conn, shell = await session_on_trips(container, full)
            await type_word(session, conn, shell)  # warm-up: caches, first searches
            results[name] = await type_word(session, conn, shell)
        container.close()
    print(f"per keystroke typing '{WORD}' into 出発地 (390 px, standard text)")
    print(f"{'key':<11}" + "".join(f"{n + ' ms':>18}{'controls':>10}{'bytes':>9}"
                                  for n in results))
    for i in range(len(WORD)):
        line = f"{results['targeted'][i][0]:<11}"
        for rows in results.values():
            _, ms, made, sent = rows[i]
            line += f"{ms:>18.2f}{made:>10}{sent:>9}"
        print(line)
    full, targeted = results["full rebuild"], results["targeted"]
    for label, column in (("Python time", 1), ("controls built", 2), ("bytes sent", 3)):
        before = statistics.median(r[column] for r in full)
        after = statistics.median(r[column] for r in targeted)
        ratio = before / after if after else float("inf")
        print(f"median {label}: full rebuild {before:.2f}, targeted {after:.2f} "
              f"({ratio:.1f}x less)")


if __name__ == "__main__":
    ft.context  # noqa: B018 - flet's context must exist before a Session is made
    asyncio.run(main())
