"""Line counts that follow names and pages, and older pages inserted without a repaint:
a page inserted above the lines on screen moves the view with them instead of
painting it again."""

from __future__ import annotations

from typing import Any

from textual.strip import Strip

from widgets.event_layout import EventLayout
from widgets.event_log import EventLog

from .harness import SIZE, WidgetApp, chat, log_entry
from .test_event_wrap import STORY, mixed, visible

NAMES = {"u-bree": "Bree", "u-cid": "Cid"}


def counts(layout: EventLayout) -> list[int]:
    return [layout.line_count(index) for index in range(len(layout.entries))]


def test_new_names_recount_the_lines_held() -> None:
    layout = EventLayout()
    layout.set_width(80)
    layout.prepend([chat(1, "x" * 20, user_id="u-bree")])
    assert counts(layout) == [1]
    layout.set_names({"u-bree": "Bree the " + "very " * 6 + "long-named"})
    assert counts(layout) == [2]  # the long name pushes the message onto a second line


def test_an_entity_name_learned_from_a_newer_page_renames_older_entries() -> None:
    roll = log_entry(1, "DICE_ROLL", {"entity_id": "gob-2", "notation": "1d20", "result": 7})
    layout = EventLayout()
    layout.set_width(80)
    layout.append([roll])
    before = layout.lines(roll)[0].plain
    turn = log_entry(
        2, "TURN_STARTED", {"entity_id": "gob-2", "entity_name": "Goblin", "round_number": 1}
    )
    layout.append([turn])
    assert "Goblin" in layout.lines(roll)[0].plain and "Goblin" not in before


async def test_a_page_inserted_above_the_top_moves_the_view_without_a_repaint() -> None:
    log = EventLog()
    async with WidgetApp(log).run_test(size=SIZE) as pilot:
        log.reset(mixed(301, 500), has_older=True)
        await pilot.pause()
        log.scroll_home(animate=False, immediate=True)
        await pilot.pause()
        before = visible(log)
        rendered: list[int] = []
        render_line = log.render_line

        def counting(y: int) -> Strip:
            rendered.append(y)
            return render_line(y)

        log.render_line = counting  # type: ignore[method-assign]
        log.prepend_older(mixed(101, 300), has_older=True, before_id=301)
        await pilot.pause()
        assert rendered == []  # nothing on screen changed but the scrollbar
        assert visible(log) == before
        assert log.scroll_offset.y > 200
        scrollbar = log.vertical_scrollbar
        assert scrollbar.window_virtual_size == log.virtual_size.height
        assert scrollbar.position == log.scroll_offset.y


async def test_a_page_that_changes_what_is_on_screen_repaints_it() -> None:
    log = EventLog()
    async with WidgetApp(log).run_test(size=SIZE) as pilot:
        log.reset([chat(302, "only one")], has_older=True)
        await pilot.pause()
        turn = log_entry(
            301,
            "TURN_STARTED",
            {"round_number": 1, "turn_number": 1, "entity_id": "g", "entity_name": "Gob"},
        )
        older: list[Any] = [chat(i, STORY) for i in range(300, 250, -1)]
        log.prepend_older([turn, *older], has_older=False, before_id=302)
        await pilot.pause()
        shown = visible(log)
        assert shown[-1].endswith("[party] u-bree: only one")
        assert log.vertical_scrollbar.window_virtual_size == log.virtual_size.height


def test_an_added_combatant_names_the_hits_it_takes() -> None:
    added = log_entry(
        1, "COMBATANT_ADDED", {"entry": {"entity_id": "gob-2", "name": "Goblin 2"}, "index": 0}
    )
    hit = log_entry(2, "HP_CHANGED", {"entity_id": "gob-2", "delta": -3, "current_hp": 4,
                                      "max_hp": 7})  # fmt: skip
    layout = EventLayout()
    layout.set_width(80)
    layout.append([added, hit])
    assert "Goblin 2 takes 3" in layout.lines(hit)[0].plain
