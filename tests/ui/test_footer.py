"""The footer: the screen's keys on one line, redrawn when they change, and clickable."""

from __future__ import annotations

from textual.widgets import Input

from app.app import LiveroomApp
from store import LiveStore
from tests.ui.conftest import SIZE, open_room, settle
from tests.ui.scenes import Scene
from widgets.footer import SEPARATOR, FooterKey, SteadyFooter


def _descriptions(footer: SteadyFooter) -> list[str]:
    return [key.description for key in footer.keys]


def _column_of(footer: SteadyFooter, description: str) -> int:
    """A column inside the key with this description, found by asking the footer."""
    for x in range(footer.size.width):
        key = footer.key_at(x)
        if key is not None and key.description == description:
            return x
    raise AssertionError(f"{description!r} is not drawn in the footer")


async def test_footer_is_redrawn_only_when_its_keys_change(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    _, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        footer = pilot.app.screen.query_one(SteadyFooter)
        keys = footer.keys
        assert "Pause" in _descriptions(footer)

        await pilot.press("tab")  # the focus moves to a table: no key shown changes
        pilot.app.screen.refresh_bindings()
        await settle(pilot)
        assert footer.keys is keys

        await pilot.press("p")
        await settle(pilot)
        assert "Resume" in _descriptions(footer)
        assert "Pause" not in _descriptions(footer)


async def test_the_rooms_footer_survives_a_room_opening_over_it(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    _, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rooms = pilot.app.screen
        keys = rooms.query_one(SteadyFooter).keys
        assert "Open" in [key.description for key in keys]
        await open_room(pilot, scene.live)
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is rooms
        assert rooms.query_one(SteadyFooter).keys == keys


async def test_clicking_a_key_presses_it(dashboard: LiveroomApp) -> None:
    async with dashboard.run_test(size=SIZE) as pilot:
        await settle(pilot)
        footer = pilot.app.screen.query_one(SteadyFooter)
        assert not pilot.app.screen.query("#name-filter")
        await pilot.click(SteadyFooter, offset=(_column_of(footer, "Find"), 0))
        await settle(pilot)
        name_filter = pilot.app.screen.query_one("#name-filter", Input)
        assert name_filter.display and name_filter.has_focus


async def test_hovering_a_key_shows_its_tooltip(dashboard: LiveroomApp) -> None:
    async with dashboard.run_test(size=SIZE) as pilot:
        await settle(pilot)
        footer = pilot.app.screen.query_one(SteadyFooter)
        await pilot.hover(SteadyFooter, offset=(_column_of(footer, "Find"), 0))
        assert footer.tooltip == "Filter rooms by name."
        await pilot.hover(SteadyFooter, offset=(footer.size.width - 2, 0))
        assert footer.palette_key is not None
        assert footer.tooltip == footer.palette_key.tooltip


def _drawn_keys(footer: SteadyFooter) -> list[FooterKey]:
    """The keys the pointer finds in the footer, left to right (the palette's excluded)."""
    drawn: list[FooterKey] = []
    for x in range(footer.size.width):
        key = footer.key_at(x)
        if key is not None and key != footer.palette_key and key not in drawn:
            drawn.append(key)
    return drawn


def _assert_whole_keys_fit(footer: SteadyFooter, width: int) -> list[FooterKey]:
    """The line is exactly `width` cells: whole keys, padding, then the palette's key."""
    line = footer.render().plain
    assert len(line) == width, f"{line!r} is not {width} cells"
    keys_part, palette = line.rsplit(SEPARATOR, 1)
    assert palette == "^p palette"
    drawn = _drawn_keys(footer)
    assert keys_part.rstrip() == " ".join(f"{k.display} {k.description}" for k in drawn), (
        f"a key is cut in {keys_part!r}"
    )
    return drawn


async def test_keys_wider_than_the_screen_drop_whole_keys_refused_ones_first(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    """A paused room at 120 columns used to end its keys with a cut one ("x Clean")."""
    _, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.paused)
        footer = pilot.app.screen.query_one(SteadyFooter)
        drawn = _assert_whole_keys_fit(footer, SIZE[0])
        assert footer.key_at(SIZE[0] - 1) == footer.palette_key
        dropped = [key for key in footer.keys if key not in drawn]
        assert dropped, "the paused room's keys are wider than 120 columns"
        refused = [key for key in footer.keys if not key.enabled]
        assert refused and all(key in dropped for key in refused)
        assert drawn == [key for key in footer.keys if key in drawn]  # order kept


async def test_the_footer_fits_exactly_at_any_width(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    _, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        footer = pilot.app.screen.query_one(SteadyFooter)
        for width in (40, 60, 80, 109, 115, 121, 125, 150, 200):
            await pilot.resize_terminal(width, SIZE[1])
            await pilot.pause()
            assert footer.size.width == width
            drawn = _assert_whole_keys_fit(footer, width)
            # Refused keys go first, then the rightmost: the enabled keys drawn are the
            # first few, and no refused key is drawn while an enabled one is missing.
            enabled = [key for key in footer.keys if key.enabled]
            drawn_enabled = [key for key in drawn if key.enabled]
            assert drawn_enabled == enabled[: len(drawn_enabled)]
            if len(drawn_enabled) < len(enabled):
                assert drawn == drawn_enabled


async def test_a_refused_key_is_dim_and_a_click_on_it_only_beeps(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    _, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.completed)
        footer = pilot.app.screen.query_one(SteadyFooter)
        advance = next(key for key in footer.keys if key.description == "Next")
        assert not advance.enabled
        column = _column_of(footer, "Next")
        assert footer.render().get_style_at_offset(pilot.app.console, column).dim
        beeps: list[None] = []
        pilot.app.bell = lambda: beeps.append(None)  # type: ignore[method-assign]
        turn = pilot.app.screen.interaction
        await pilot.click(SteadyFooter, offset=(column, 0))
        await settle(pilot)
        assert beeps == [None]
        assert pilot.app.screen.interaction == turn
