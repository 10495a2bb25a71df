"""End-to-end fixtures: the app started as `make run` starts it, and Debian's Chromium.

Browser tests skip when Chromium is missing, unless KITOKITO_REQUIRE_BROWSER=1 (CI), where a
missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run",
    # No WebGL: Flutter then paints on the CPU, without Chromium's GPU process. With its
    # SwiftShader WebGL, the page now and then stopped painting mid-frame (half-drawn
    # screenshots, steps timing out at random) in about one full run in four.
    "--disable-webgl",
]


# Generous: a headless renderer on a shared 2-core machine can pause for tens of seconds. A
# real hang still fails the test at its 4-minute limit (below).
TIMEOUT = 60_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead too; only its parent's wait() would remove it.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


@dataclass
class RunningApp:
    process: subprocess.Popen[str]
    url: str
    backend_pid: int
    data_dir: Path
    output: list[str] = field(default_factory=list)

    def stop_backend(self) -> None:
        os.kill(self.backend_pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while pid_alive(self.backend_pid) and time.monotonic() < deadline:
            time.sleep(0.1)


def start_app(data_dir: Path) -> RunningApp:
    env = {**os.environ, "KITOKITO_DATA_DIR": str(data_dir), "KITOKITO_PORT": str(free_port()),
           "KITOKITO_API_PORT": str(free_port()), "PYTHONUNBUFFERED": "1",
           "KITOKITO_LOG_LEVEL": "INFO"}
    env.pop("KITOKITO_API_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "app"], cwd=ROOT, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    output: list[str] = []
    found: dict[str, str] = {}
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line.rstrip())
            if match := re.match(r"Backend: \S+ \(pid (\d+)\)", line):
                found["pid"] = match.group(1)
            if re.fullmatch(r"http://127\.0\.0\.1:\d+\s*", line):
                found["url"] = line.strip()
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(60) or "url" not in found:
        process.kill()
        raise AssertionError("the app did not print its URL:\n" + "\n".join(output))
    return RunningApp(process, found["url"], int(found["pid"]), data_dir, output)


def stop_app(app: RunningApp) -> None:
    # Shown by pytest when a test failed: what the app said while it ran.
    print("\n".join(["--- app output ---", *app.output[-60:]]))
    if app.process.poll() is None:
        app.process.send_signal(signal.SIGTERM)
        try:
            app.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            app.process.kill()
            raise


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A browser test that hangs fails after 4 minutes (its evidence printed), instead of
    holding the whole run: headless Chromium's renderer was seen to stall now and then."""
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.timeout(240))


@pytest.fixture(scope="module")
def playwright_driver():
    # Module scope: Playwright's sync API keeps an event loop running while it is open, which
    # would break the asyncio tests of other modules (browser tests run last).
    if not Path(CHROMIUM).exists():
        if os.environ.get("KITOKITO_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required here (KITOKITO_REQUIRE_BROWSER=1) but missing")
        pytest.skip("Debian's chromium is not installed: browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture
def browser(playwright_driver, request, tmp_path):
    """A fresh Chromium for every test: one test's stalled renderer or GPU process never
    carries over into the next. A failed test leaves its evidence before the browser goes."""
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    if getattr(request.node, "e2e_failed", False):
        print_evidence(request, browser, tmp_path)
    browser.close()


@pytest.fixture(scope="module")
def running_app(tmp_path_factory) -> Iterator[RunningApp]:
    app = start_app(tmp_path_factory.mktemp("kitokito-data"))
    yield app
    stop_app(app)


def open_page(browser, url: str, *, context=None, width: int = 412, height: int = 900):
    """A new tab on `url` with Flutter's accessibility tree switched on."""
    if context is None:
        context = browser.new_context(viewport={"width": width, "height": height},
                                      locale="ja-JP")
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=60_000)
    page.locator("flt-semantics-placeholder").dispatch_event("click")
    return page


def clear_field(page, name: str):
    """Focus a text field and empty it as a person would, making sure the old text is really
    gone (a select-all sent before the field has focus would leave it). Returns the field."""
    from playwright.sync_api import Error as PlaywrightError

    box = page.get_by_role("textbox", name=name)
    for _ in range(10):
        try:
            # Flutter re-creates its accessibility nodes while a new screen slides in.
            box.scroll_into_view_if_needed(timeout=TIMEOUT)
            box.focus(timeout=TIMEOUT)
        except PlaywrightError:
            page.wait_for_timeout(300)
            continue
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")
        page.wait_for_timeout(100)
        if box.input_value() == "":
            break
        page.wait_for_timeout(300)
    assert box.input_value() == ""
    return box


def type_keys(box, text: str, delay_ms: int) -> None:
    """One key at a time, `delay_ms` apart: where redraw bugs live."""
    box.press_sequentially(text, delay=delay_ms)


def fill(page, name: str, text: str, delay_ms: int = 120) -> None:
    """Type as a person does: one key at a time, about 120 ms apart."""
    type_keys(clear_field(page, name), text, delay_ms)


def caret_at_end(page) -> bool:
    """The focused element is still the text input, with the caret after the last letter."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || !('selectionStart' in el) || el.value === undefined) return false;
            return el.selectionStart === el.value.length && el.selectionEnd === el.value.length;
        }""")


def set_text_size(context, label: str, url: str) -> None:
    """Choose a text size in Settings (saved in the browser, read by every new tab)."""
    page = open_page(None, url + "/settings", context=context)
    page.get_by_role("button", name=label).click(timeout=TIMEOUT)
    page.wait_for_timeout(500)
    page.close()


def wait_for_words(page, pattern: str, timeout_ms: int = TIMEOUT) -> None:
    """Wait until some node's text OR accessible name matches `pattern` (a JS regex).

    Flutter web renders some texts (live regions, merged nodes) as aria-label instead of DOM
    text, where Playwright's get_by_text does not look."""
    page.wait_for_function(
        """(source) => {
            const re = new RegExp(source);
            return [...document.querySelectorAll('flt-semantics, flt-semantics *')].some(
                (node) => re.test(node.getAttribute('aria-label') || '')
                    || re.test(node.textContent || ''));
        }""",
        arg=pattern,
        timeout=timeout_ms,
    )


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


def print_evidence(request, browser, tmp_path: Path) -> None:
    """A screenshot and the accessible texts of every open tab, and what the app said."""
    for c, context in enumerate(browser.contexts):
        for p, page in enumerate(context.pages):
            shot = tmp_path / f"failure-{c}-{p}.png"
            try:
                page.screenshot(path=str(shot), full_page=True, timeout=10_000)
                names = page.evaluate(
                    "() => [...document.querySelectorAll('[role=button], flt-semantics')]"
                    ".map(n => n.getAttribute('aria-label') || n.textContent).filter(Boolean)"
                    ".slice(0, 60)")
            except Exception as exc:  # noqa: BLE001 - evidence is best effort
                print(f"no evidence from tab {c}-{p}: {exc}")
                continue
            print(f"tab {c}-{p} at {page.url}: screenshot {shot}")
            print("  texts:", names)
    if "running_app" in request.fixturenames:  # what the app said around the failure
        app = request.getfixturevalue("running_app")
        print("\n".join(["--- app output (last 40 lines) ---", *app.output[-40:]]))
