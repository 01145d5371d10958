"""Older pages measured off the UI thread (measure_page) and inserted without a repaint.

The reader thread counts a page's lines against the LayoutBasis the log had
when it asked; the log takes those counts only while its basis is the same,
and a page inserted above the lines on screen moves the view with them
instead of painting it again.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.strip import Strip

from widgets.event_layout import (
    EventLayout,
    LayoutBasis,
    PageLayout,
    learn_entities,
    measure_page,
)
from widgets.event_log import EventLog

from .harness import SIZE, WidgetApp, chat, log_entry
from .test_event_wrap import STORY, mixed, visible

NAMES = {"u-bree": "Bree", "u-cid": "Cid"}


def counts(layout: EventLayout) -> list[int]:
    return [layout.line_count(index) for index in range(len(layout.entries))]


@pytest.mark.parametrize("width", [0, 40, 71, 75, 120])
def test_a_measured_page_counts_what_the_layout_counts(width: int) -> None:
    entries = list(reversed(mixed(1, 30)))
    counted = EventLayout()
    counted.set_width(width)
    counted.set_names(NAMES)
    counted.prepend(entries)
    measured = EventLayout()
    measured.set_width(width)
    measured.set_names(NAMES)
    layout = measure_page(entries, measured.basis())
    assert layout.basis == measured.basis()
    assert [layout.measured[entry.id][1] for entry in entries] == counts(counted)
    measured.prepend(entries, layout)
    assert counts(measured) == counts(counted)


def test_the_layout_trusts_a_page_measured_against_its_basis_only() -> None:
    entries = [chat(1, "hi"), chat(2, "there")]
    layout = EventLayout()
    layout.set_width(80)
    # Counts no wrap would give: taken as they are, proof that nothing was recounted.
    trusted = PageLayout(layout.basis(), {1: ("hi", 3), 2: ("there", 4)})
    layout.prepend(entries, trusted)
    assert counts(layout) == [3, 4]

    stale = PageLayout(LayoutBasis(60, {}, {}), {0: ("old", 5)})
    layout.prepend([chat(0, "older")], stale)  # measured at another width: counted here
    assert counts(layout) == [1, 3, 4]


def test_a_first_page_measured_against_the_basis_it_brings_is_taken_as_measured() -> None:
    """A log replaced with a page takes its counts when they were measured against the
    basis it has once it holds the page: the entity names that page teaches included."""
    turn = log_entry(
        1, "TURN_STARTED", {"entity_id": "gob-2", "entity_name": "Goblin", "round_number": 1}
    )
    entries = [turn, chat(2, "hi")]
    layout = EventLayout()
    layout.set_width(80)
    taught = LayoutBasis(80, {}, learn_entities({}, entries))
    assert taught.entities == {"gob-2": "Goblin"}
    layout.replace(entries, PageLayout(taught, {1: ("Goblin's turn", 2), 2: ("hi", 3)}))
    assert counts(layout) == [2, 3]  # taken as they are: nothing was recounted

    untaught = PageLayout(LayoutBasis(80, {}, {}), {1: ("turn", 5), 2: ("hi", 5)})
    layout.replace(entries, untaught)  # measured without the goblin's name: counted here
    assert counts(layout) == [1, 1]

    partial = PageLayout(taught, {1: ("Goblin's turn", 2)})
    layout.replace(entries, partial)  # one entry it does not cover: all counted here
    assert counts(layout) == [1, 1]


def test_a_page_measured_before_new_names_is_counted_again() -> None:
    layout = EventLayout()
    layout.set_width(80)
    basis = layout.basis()
    page = [chat(1, "x" * 40, user_id="u-bree")]
    measured = measure_page(page, basis)
    layout.set_names({"u-bree": "Bree the " + "very " * 6 + "long-named"})
    layout.prepend(page, measured)
    assert counts(layout) == [2]  # the long name pushes the message onto a second line


def test_a_basis_handed_out_does_not_change_when_the_layout_learns() -> None:
    layout = EventLayout()
    basis = layout.basis()
    turn = log_entry(
        1,
        "TURN_STARTED",
        {"round_number": 1, "turn_number": 1, "entity_id": "g", "entity_name": "Gob"},
    )
    layout.prepend([turn])
    assert basis.entities == {}
    assert layout.basis().entities == {"g": "Gob"}


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
        layout = measure_page(mixed(101, 300), log.layout_basis())
        log.prepend_older(mixed(101, 300), has_older=True, before_id=301, layout=layout)
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
