"""The room footer: rebuilt when the keys it shows change, and only then."""

from __future__ import annotations

from typing import Any

from app.app import LiveroomApp
from app.screens.room import RoomFooter
from store import LiveStore
from tests.ui.conftest import SIZE, open_room, settle
from tests.ui.scenes import Scene


def _keys(footer: RoomFooter) -> list[Any]:
    """The footer's key widgets (Textual keeps FooterKey in a private module)."""
    return list(footer.query("FooterKey"))


async def test_footer_is_rebuilt_only_when_its_keys_change(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    _, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        footer = pilot.app.screen.query_one(RoomFooter)
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
