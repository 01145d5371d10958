"""The players' view in a real browser: headless Debian Chromium, driven by Playwright.

`liveroom serve` listens beyond loopback (so it asks for its token) on a free port;
the test opens the printed link on 127.0.0.1, reads the terminal's text through
xterm.js in the page (whose turn it is: the "Now" banner's large letters and the
order's ▶ row), writes to the store and sees it arrive, and checks that a page
without the token is refused. Skipped, with the reason, where Chromium or
Playwright cannot be had (.ci/run installs Debian's chromium package).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.player.big_name import big_lines
from store import LiveStore
from tests.player.scene import Fight, chat
from tests.player.test_serve import serving

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""As this machine's notes run it: the network flags stop Chromium's calls home."""
WAIT_MS = 30_000

CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, 'terminal', {
  configurable: true,
  set(value) {
    Object.defineProperty(this, 'terminal',
      {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && value.buffer.active) { window.__xterm = value; }
  },
});
"""
"""Keeps textual.js's xterm.js Terminal where the test can read it: textual.js assigns
it to `this.terminal`, which this setter sees before the property exists."""

READ_TERMINAL = """() => {
  const terminal = window.__xterm;
  if (!terminal) return "";
  const buffer = terminal.buffer.active, lines = [];
  for (let row = 0; row < buffer.length; row++) {
    const line = buffer.getLine(row);
    if (line) lines.push(line.translateToString(true));
  }
  return lines.join("\\n");
}"""


def _browser() -> Any:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: .ci/run installs Debian's chromium package")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright for Python: pip install -e '.[dev]'"
    )
    return sync_api.sync_playwright()


def _wait_until(page: Any, found: Callable[[str], bool], what: str) -> str:
    """Read the terminal every 100 ms until `found` holds for its text; fail after WAIT_MS."""
    deadline = time.monotonic() + WAIT_MS / 1000
    text = ""
    while time.monotonic() < deadline:
        text = str(page.evaluate(READ_TERMINAL))
        if found(text):
            return text
        page.wait_for_timeout(100)
    pytest.fail(f"{what} never showed in the browser's terminal:\n{text}")


def _wait_for_text(page: Any, wanted: str) -> str:
    return _wait_until(page, lambda text: wanted in text, repr(wanted))


def current_row(text: str) -> str | None:
    """The order's ▶ row: the one combatant whose turn it is (None: not exactly one)."""
    rows = [line for line in text.splitlines() if "▶" in line]
    return rows[0] if len(rows) == 1 else None


def shows_large(text: str, name: str) -> bool:
    """Whether `name` stands in the "Now" banner in BigName's three-row letters (its
    rows one above the other, in the same column)."""
    wanted = big_lines(name, 1_000)
    assert wanted is not None, name
    lines = text.splitlines()
    top = wanted[0].rstrip()
    for index, line in enumerate(lines[: -(len(wanted) - 1)]):
        column = line.find(top)
        if column >= 0 and all(
            lines[index + below][column:].startswith(row.rstrip())
            for below, row in enumerate(wanted)
        ):
            return True
    return False


def _wait_for_turn(page: Any, name: str) -> str:
    """Wait until it is `name`'s turn: in large letters under "Now", and ▶ on its row."""

    def current(text: str) -> bool:
        row = current_row(text)
        return row is not None and name in row and shows_large(text, name)

    return _wait_until(page, current, f"{name}'s turn")


def test_players_view_in_chromium(
    fight_db: Path, fight_store: tuple[LiveStore, Fight], tmp_path: Path
) -> None:
    store, fight = fight_store
    with _browser() as playwright, serving(fight_db, str(fight.live), host="0.0.0.0") as served:
        assert served.token
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS, timeout=WAIT_MS
        )
        try:
            refused = browser.new_page()
            response = refused.goto(served.url(), timeout=WAIT_MS)
            assert response is not None and response.status == 403
            assert "token" in refused.content()

            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.set_default_timeout(WAIT_MS)
            page.add_init_script(CATCH_TERMINAL)
            response = page.goto(
                served.url(f"/?token={served.token}"), wait_until="domcontentloaded"
            )
            assert response is not None and response.status == 200
            # Each part paints on its own: wait for each, never assert on one read.
            _wait_for_text(page, "Goblin Ambush at Tallow Ford")
            _wait_for_text(page, "Watch out, Bree!")
            text = _wait_for_turn(page, "Goblin Boss")
            assert not shows_large(text, "Tam")

            chat(store, fight.live, "room-tallow", None, "system", "The bridge collapses!")
            store.advance_turn(fight.live)
            _wait_for_text(page, "The bridge collapses!")
            text = _wait_for_turn(page, "Tam")
            row = current_row(text)
            assert row is not None and "Goblin Boss" not in row
            assert not shows_large(text, "Goblin Boss")
            page.screenshot(path=str(tmp_path / "players-view.png"))
            assert (tmp_path / "players-view.png").stat().st_size > 0
        finally:
            browser.close()
