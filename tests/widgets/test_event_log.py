"""EventLog: literal lines per event, following the bottom, paging older entries in.

Wrapping (long entries over several lines, narrow logs) is in test_event_wrap.
"""

from __future__ import annotations

from typing import Any

import pytest

from widgets.event_format import event_body, event_line, event_tag
from widgets.event_log import PREFETCH_SCREENS, EventLog

from .harness import HOSTILE, SIZE, WidgetApp, chat, log_entry, strip_is_inert

NAMES = {"u-bree": "Bree", "u-cid": "Cid", "u-ana": "Ana"}


def page(first: int, last: int) -> list[Any]:
    """Chat entries first..last as the store returns a page: newest first."""
    return [chat(i, f"message {i}") for i in range(last, first - 1, -1)]


def visible(log: EventLog) -> list[str]:
    return [log.render_line(y).text.rstrip() for y in range(log.size.height)]


def first_visible_id(log: EventLog) -> int:
    shown = log.entry_at(log.scroll_offset.y)
    assert shown is not None
    return shown[0].id


@pytest.mark.parametrize(
    ("entry", "summary"),
    [
        (chat(1, "I draw my bow."), "[party] Bree: I draw my bow."),
        (chat(1, "psst", channel="dm"), "[dm] Bree: psst"),
        (
            log_entry(
                1,
                "CHAT_MESSAGE",
                {"channel": "private", "content": "hi", "recipients": ["u-cid", "u-zed"]},
                user_id="u-ana",
            ),
            "🔒 private → Cid, u-zed  Ana: hi",
        ),
        (
            log_entry(1, "CHAT_MESSAGE", {"channel": "system", "content": "Round 2"}),
            "[system] Round 2",
        ),
        (
            log_entry(
                1,
                "TURN_STARTED",
                {
                    "round_number": 2,
                    "turn_number": 1,
                    "entity_id": "pc-bree",
                    "entity_name": "Bree",
                },
            ),
            "Bree's turn (round 2, turn 1)",
        ),
        (
            log_entry(
                1,
                "TURN_COMPLETED",
                {"round_number": 1, "turn_number": 2, "entity_name": "Gob", "duration_ms": 72_000},
            ),
            "Gob's turn completed after 1m 12s (round 1, turn 2)",
        ),
        (
            log_entry(1, "TURN_TIMEOUT", {"round_number": 1, "turn_number": 1, "entity_id": None}),
            "turn timed out (round 1, turn 1)",
        ),
        (
            log_entry(1, "PARTICIPANT_JOINED", {"participant_id": "u-bree"}, user_id="u-bree"),
            "Bree joined",
        ),
        (log_entry(1, "PARTICIPANT_LEFT", {"participant_id": "u-x"}), "u-x left"),
        (
            log_entry(1, "SETTINGS_UPDATED", {"turn_time_limit": 0, "allow_private_chat": True}),
            "untimed turns, private chat on",
        ),
        (log_entry(1, "ROUND_COMPLETED", {"round_number": 3}), "round 3 completed"),
        (log_entry(1, "DICE_ROLLED", {"d": 20, "result": [17]}), '{"d":20,"result":[17]}'),
        (log_entry(1, "ODD", "plain"), '"plain"'),
        (log_entry(1, "TURN_STARTED", None), ""),
    ],
)
def test_each_event_is_one_readable_line(entry: Any, summary: str) -> None:
    line = event_line(entry, NAMES).plain
    assert line == f"00:00:01 {event_tag(entry.event_type):<5} {summary}"


def test_event_types_are_coloured_by_family() -> None:
    def colour(event_type: str) -> str:
        return str(event_line(log_entry(1, event_type, {}), {}).spans[1].style)

    assert colour("TURN_SKIPPED") == "cyan"
    assert colour("PARTICIPANT_JOINED") == "green"
    assert colour("ROOM_CLEANUP") == "yellow"
    assert colour("INTERACTION_PAUSED") == "yellow"
    assert colour("SETTINGS_UPDATED") == "magenta"
    assert colour("SOMETHING_ELSE") == "dim"


def test_the_type_column_names_the_family_in_words_never_the_raw_type() -> None:
    entry = log_entry(1, "INTERACTION_INITIALIZED", {"live_room_id": "r"})
    assert event_line(entry, {}).plain == "00:00:01 room  went live in room r"
    assert event_line(entry, {}, seconds=False).plain == "00:00 room  went live in room r"
    words = {
        "TURN_STARTED": "turn",
        "ROUND_COMPLETED": "round",
        "PARTICIPANT_LEFT": "left",
        "ROOM_CLEANUP": "room",
        "SPELL_CAST": "spell",
        "INCANTATION_BEGUN": "incantation",
    }
    assert {kind: event_tag(kind) for kind in words} == words
    long = log_entry(1, "INCANTATION_BEGUN", {})
    assert event_line(long, {}).plain == "00:00:01 inca… {}"  # cut to the column


async def test_reset_takes_the_store_page_newest_first_and_shows_the_bottom() -> None:
    log = EventLog()
    async with WidgetApp(log).run_test(size=SIZE) as pilot:
        log.set_names(NAMES)
        log.reset(page(1, 100), has_older=False)
        await pilot.pause()
        assert [entry.id for entry in log.entries] == list(range(1, 101))
        assert log.virtual_size.height == 100
        assert log.at_bottom
        lines = visible(log)
        assert lines[-1].endswith("[party] Bree: message 100")
        assert lines[0].endswith(f"message {101 - log.size.height}")


async def test_append_at_the_bottom_follows() -> None:
    log = EventLog()
    async with WidgetApp(log).run_test(size=SIZE) as pilot:
        log.reset(page(1, 100), has_older=False)
        await pilot.pause()
        log.append([chat(101, "new one"), chat(102, "newest")])
        await pilot.pause()
        assert log.at_bottom
        assert log.pending_new == 0
        assert visible(log)[-1].endswith("newest")
        log.append([chat(102, "newest")])  # already held: ignored
        assert len(log.entries) == 102


async def test_append_while_scrolled_up_keeps_the_position_and_counts() -> None:
    log = EventLog()
    app = WidgetApp(log)
    async with app.run_test(size=SIZE) as pilot:
        log.reset(page(1, 100), has_older=False)
        await pilot.pause()
        log.scroll_to(y=40, animate=False, immediate=True)
        await pilot.pause()
        assert not log.at_bottom
        before = visible(log)

        log.append([chat(101, "a"), chat(102, "b"), chat(103, "c")])
        await pilot.pause()
        assert log.scroll_offset.y == 40
        assert visible(log) == before
        assert log.pending_new == 3
        assert [m.pending for m in app.of_type(EventLog.PendingChanged)] == [3]

        log.follow()
        await pilot.pause()
        assert log.at_bottom
        assert log.pending_new == 0
        assert visible(log)[-1].endswith(": c")
        assert [m.pending for m in app.of_type(EventLog.PendingChanged)] == [3, 0]


async def test_reaching_the_bottom_by_hand_clears_pending() -> None:
    log = EventLog()
    async with WidgetApp(log).run_test(size=SIZE) as pilot:
        log.reset(page(1, 100), has_older=False)
        log.focus()
        await pilot.pause()
        await pilot.press("pageup")
        log.append([chat(101, "x")])
        assert log.pending_new == 1
        await pilot.press("end")
        await pilot.wait_for_scheduled_animations()  # "end" scrolls with an animation
        await pilot.pause()
        assert log.pending_new == 0
        assert log.at_bottom


async def test_older_wanted_is_posted_once_before_the_top_and_prepend_keeps_the_view() -> None:
    log = EventLog()
    app = WidgetApp(log)
    async with app.run_test(size=SIZE) as pilot:
        log.reset(page(301, 500), has_older=True)
        await pilot.pause()
        assert app.of_type(EventLog.OlderWanted) == []
        near = PREFETCH_SCREENS * log.size.height

        log.scroll_to(y=near, animate=False, immediate=True)
        await pilot.pause()
        assert app.of_type(EventLog.OlderWanted) == []  # not near the top yet
        log.scroll_to(y=near - 1, animate=False, immediate=True)
        await pilot.pause()
        log.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        wanted = app.of_type(EventLog.OlderWanted)
        assert [m.before_id for m in wanted] == [301]  # once, and before the top

        top_before = visible(log)
        log.prepend_older(page(101, 300), has_older=True)
        await pilot.pause()
        assert log.entries[0].id == 101
        assert visible(log) == top_before
        assert first_visible_id(log) == 301
        assert len(app.of_type(EventLog.OlderWanted)) == 1  # 200 lines above: far enough

        log.scroll_to(y=near - 1, animate=False, immediate=True)
        await pilot.pause()
        assert [m.before_id for m in app.of_type(EventLog.OlderWanted)] == [301, 101]

        log.prepend_older(page(1, 100), has_older=False)
        log.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        assert len(app.of_type(EventLog.OlderWanted)) == 2
        assert not log.has_older


async def test_a_short_log_with_older_entries_asks_for_them_at_once() -> None:
    log = EventLog()
    app = WidgetApp(log)
    async with app.run_test(size=SIZE) as pilot:
        log.reset(page(50, 52), has_older=True)
        await pilot.pause()
        assert [m.before_id for m in app.of_type(EventLog.OlderWanted)] == [50]


async def test_the_window_is_bounded() -> None:
    log = EventLog(max_entries=50)
    app = WidgetApp(log)
    async with app.run_test(size=SIZE) as pilot:
        log.reset(page(1, 80), has_older=False)
        await pilot.pause()
        assert [entry.id for entry in log.entries] == list(range(31, 81))
        assert log.has_older

        log.append([chat(i, "x") for i in range(81, 91)])  # at the bottom: drop the oldest
        await pilot.pause()
        assert log.entries[0].id == 41 and log.entries[-1].id == 90
        assert log.at_bottom

        log.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        assert app.of_type(EventLog.OlderWanted)[-1].before_id == 41
        log.prepend_older(page(31, 40), has_older=True)  # at the top: drop the newest
        await pilot.pause()
        assert log.entries[0].id == 31 and log.entries[-1].id == 80
        assert not log.at_bottom

        log.append([chat(91, "while away")])  # cannot join the held window: only counted
        assert log.entries[-1].id == 80
        assert log.pending_new == 1

        log.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert app.of_type(EventLog.NewerWanted)[-1].after_id == 80
        log.append_newer(page(81, 91), has_newer=False, after_id=80)
        await pilot.pause()
        assert log.entries[-1].id == 91 and log.entries[0].id == 42
        log.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert log.at_bottom


async def test_a_stale_older_page_is_ignored() -> None:
    log = EventLog()
    app = WidgetApp(log)
    async with app.run_test(size=SIZE) as pilot:
        log.reset(page(101, 103), has_older=True)
        await pilot.pause()
        [wanted] = app.of_type(EventLog.OlderWanted)
        log.reset(page(201, 203), has_older=True)  # e.g. the filter changed meanwhile
        log.prepend_older(page(1, 100), has_older=True, before_id=wanted.before_id)
        assert [entry.id for entry in log.entries] == [201, 202, 203]

        # Without before_id, only entries older than the oldest held are taken.
        log.prepend_older([chat(250, "newer"), chat(150, "older")], has_older=False)
        assert [entry.id for entry in log.entries] == [150, 201, 202, 203]


async def test_home_works_in_the_frame_after_a_page_made_the_log_overflow() -> None:
    log = EventLog()
    app = WidgetApp(log)
    async with app.run_test(size=SIZE) as pilot:
        log.reset(page(101, 103), has_older=True)  # fits: no scrollbar
        await pilot.pause()
        assert not log.show_vertical_scrollbar
        log.prepend_older(page(1, 100), has_older=False)
        log.scroll_home(animate=False, immediate=True)  # before a layout shows the scrollbar
        assert log.scroll_offset.y == 0
        await pilot.pause()
        assert first_visible_id(log) == 1 and log.show_vertical_scrollbar


async def test_names_update_the_rendered_lines() -> None:
    log = EventLog()
    async with WidgetApp(log).run_test(size=SIZE) as pilot:
        log.reset([chat(1, "hi")], has_older=False)
        await pilot.pause()
        assert visible(log)[0].endswith("u-bree: hi")
        log.set_names({"u-bree": "Bree"})
        await pilot.pause()
        assert visible(log)[0].endswith("Bree: hi")


async def test_hostile_chat_and_names_are_literal_and_inert() -> None:
    log = EventLog()
    app = WidgetApp(log)
    async with app.run_test(size=SIZE) as pilot:
        names = {f"u{i}": name for i, name in enumerate(HOSTILE)}
        log.set_names(names)
        entries = [chat(i + 1, name, user_id=f"u{i}") for i, name in enumerate(HOSTILE)]
        entries.append(chat(9, "two\nlines\x07", user_id="u9"))
        log.reset(entries, has_older=False)
        await pilot.pause()
        lines = visible(log)
        for name, line in zip(HOSTILE, lines, strict=False):
            shown = name.replace("\x1b", "\\x1b")
            assert line.endswith(f"[party] {shown}: {shown}")
        assert lines[len(HOSTILE)].endswith("u9: two⏎lines\\x07")
        assert lines[len(HOSTILE) + 1] == ""  # a newline in chat never makes a second line
        assert all(strip_is_inert(log.render_line(y)) for y in range(len(entries)))
        await pilot.click(EventLog, offset=(40, 1))
        await pilot.pause()
        assert app.is_running


async def test_home_and_end_put_the_cursor_on_the_entry_they_show() -> None:
    """Enter after Home shows the oldest entry, after End the newest: not the one that
    happens to sit at the bottom of the view."""
    log = EventLog()
    app = WidgetApp(log)
    async with app.run_test(size=SIZE) as pilot:
        log.reset(page(1, 100), has_older=False)
        log.focus()
        await pilot.pause()
        await pilot.press("home", "enter")
        assert log.cursor_entry is not None and log.cursor_entry.id == 1
        assert first_visible_id(log) == 1
        await pilot.press("end", "enter")
        await pilot.wait_for_scheduled_animations()
        assert log.cursor_entry is not None and log.cursor_entry.id == 100
        assert [message.entry.id for message in app.of_type(EventLog.EntryChosen)] == [1, 100]


async def test_home_and_end_put_the_cursor_on_the_page_the_store_brings() -> None:
    log = EventLog()
    app = WidgetApp(log)
    async with app.run_test(size=SIZE) as pilot:
        log.reset(page(101, 200), has_older=True)
        log.focus()
        await pilot.pause()
        await pilot.press("home")
        assert app.of_type(EventLog.OldestWanted)
        log.reset(page(1, 100), has_older=False, has_newer=True)  # the screen's answer
        await pilot.pause()
        assert log.cursor_entry is not None and log.cursor_entry.id == 1
        assert first_visible_id(log) == 1
        await pilot.press("end")
        assert app.of_type(EventLog.LatestWanted)
        log.reset(page(101, 200), has_older=True)
        await pilot.pause()
        assert log.cursor_entry is not None and log.cursor_entry.id == 200
        assert log.at_bottom


async def test_home_on_a_log_that_the_oldest_page_holds_whole_stays_at_the_top() -> None:
    """The page answering Home may be the whole log (no newer entries): the view still
    shows its first entry, with the cursor on it."""
    log = EventLog()
    app = WidgetApp(log)
    async with app.run_test(size=SIZE) as pilot:
        log.reset(page(51, 100), has_older=True)
        log.focus()
        await pilot.pause()
        await pilot.press("home")
        log.reset(page(1, 100), has_older=False, has_newer=False)
        await pilot.pause()
        assert log.cursor_entry is not None and log.cursor_entry.id == 1
        assert first_visible_id(log) == 1
        log.append([chat(101, "later")])  # read from the top: the view does not jump
        await pilot.pause()
        assert first_visible_id(log) == 1 and log.pending_new == 1


async def test_describe_gives_the_whole_entry_while_its_line_is_clipped() -> None:
    """A 5,273-character message is cut in the log (SUMMARY_LIMIT) and whole on its own."""
    long_message = "".join(f"word{n} " for n in range(900))[:5_273]
    log = EventLog()
    async with WidgetApp(log).run_test(size=SIZE) as pilot:
        log.set_names(NAMES)
        entry = chat(1, long_message)
        log.reset([entry], has_older=False)
        await pilot.pause()
        whole = log.describe(entry).plain
        assert whole == f"[party] Bree: {long_message}"
        assert event_body(entry, NAMES).plain.endswith("…")
        assert len(event_body(entry, NAMES).plain) < len(whole)


LONG = "x" * 3_000


@pytest.mark.parametrize(
    "entry",
    [
        log_entry(1, "SPELL_CAST", {"words": LONG}),  # unknown: its JSON
        log_entry(1, "INTERACTION_COMPLETED", {"completion_reason": LONG}),
        log_entry(1, "DICE_ROLL", {"notation": "1d20", "result": 4, "label": LONG}),
        log_entry(1, "TURN_STARTED", {"round_number": 1, "turn_number": 1, "entity_name": LONG}),
    ],
)
def test_an_unlimited_body_keeps_every_character(entry: Any) -> None:
    assert LONG in event_body(entry, {}, limit=None).plain
    assert LONG not in event_body(entry, {}).plain  # the log line stays clipped
