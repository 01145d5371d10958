"""Fixtures for the players' view: a seeded store on disk, a fixed clock, the app's factory."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import RichLog, Static

from app.player.app import PlayerApp, make_player_app
from app.player.big_name import BigName
from app.player.screen import PlayerScreen
from app.player.source import PlayerSource
from store import LiveStore, open_store
from tests.conftest import FakeClock
from tests.player.scene import Fight, build_fight

POLL_S = 0.05
SIZE = (80, 24)
TV = (160, 45)


@pytest.fixture
def fight_db(tmp_path: Path) -> Path:
    return tmp_path / "fight.db"


@pytest.fixture
def fight_store(fight_db: Path, clock: FakeClock) -> Iterator[tuple[LiveStore, Fight]]:
    """The scene's writer: open while the test runs, as a game master's console would be."""
    with open_store(fight_db, clock=clock) as store:
        yield store, build_fight(store, clock)


PlayerFactory = Callable[[int], PlayerApp]


@pytest.fixture
def player(fight_db: Path, clock: FakeClock) -> PlayerFactory:
    """The players' view of one interaction, as `liveroom player` builds it, polling fast."""

    def build(interaction_id: int) -> PlayerApp:
        source = PlayerSource(fight_db, clock=clock)
        return make_player_app(source, interaction_id, clock=clock, poll_interval=POLL_S)

    return build


async def settle(pilot: Pilot[None], polls: int = 2, timeout_s: float = 10.0) -> None:
    """Wait until the screen has finished `polls` more store checks: whatever was written
    before the call is on screen after it."""
    screen = pilot.app.screen
    assert isinstance(screen, PlayerScreen)
    target = screen.polls_completed + polls
    deadline = time.monotonic() + timeout_s
    while screen.polls_completed < target and time.monotonic() < deadline:
        await pilot.pause(POLL_S / 2)
    assert screen.polls_completed >= target, "the players' view stopped polling"
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def shown(app: PlayerApp) -> str:
    """Everything the players' screen shows as plain text on one line, spaces collapsed
    (hidden panels left out), for asserting what players can and cannot read."""
    screen = app.screen
    parts = []
    if screen.query_one("#band").display:
        parts.append(banner(app))
    for widget_id in ("title", "waiting", "connected", "order"):
        widget = screen.query_one(f"#{widget_id}", Static)
        if widget.display:
            parts.append(_plain(widget.content))
    parts.extend(strip.text for strip in screen.query_one("#chat", RichLog).lines)
    return " ".join(" ".join(parts).split())  # one line: wrapped chat reads as one message


def _plain(content: object) -> str:
    if isinstance(content, str):
        return content
    console = Console(width=100, file=io.StringIO(), color_system=None, record=True)
    console.print(content)
    return console.export_text()


def banner(app: PlayerApp) -> str:
    """Whose turn the large banner names ("" while it is not shown)."""
    screen = app.screen
    if not screen.query_one("#band").display:
        return ""
    return screen.query_one("#now", BigName).name_shown
