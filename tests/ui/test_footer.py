"""The footers: rebuilt when the keys they show change, and only then."""

from __future__ import annotations

from typing import Any

from app.app import LiveroomApp
from store import LiveStore
from tests.ui.conftest import SIZE, open_room, settle
from tests.ui.scenes import Scene
from widgets.footer import SteadyFooter


def _keys(footer: SteadyFooter) -> list[Any]:
    """The footer's key widgets (Textual keeps FooterKey in a private module)."""
    return list(footer.query("FooterKey"))


async def test_footer_is_rebuilt_only_when_its_keys_change(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    _, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        footer = pilot.app.screen.query_one(SteadyFooter)
        keys = _keys(footer)
        assert "Pause" in [key.description for key in keys]

        await pilot.press("tab")  # the focus moves to a table: no key shown changes
        pilot.app.screen.refresh_bindings()
        await settle(pilot)
        assert _keys(footer) == keys

        await pilot.press("p")
        await settle(pilot)
        descriptions = [key.description for key in _keys(footer)]
        assert "Resume" in descriptions
        assert "Pause" not in descriptions


async def test_the_rooms_footer_survives_a_room_opening_over_it(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    _, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rooms = pilot.app.screen
        keys = _keys(rooms.query_one(SteadyFooter))
        assert "Open" in [key.description for key in keys]
        await open_room(pilot, scene.live)
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is rooms
        assert _keys(rooms.query_one(SteadyFooter)) == keys
