"""EventLog wrapping: long entries over several lines, capped; y → entry; the view kept on
the same entry when line counts change; the same family words at every width."""

from __future__ import annotations

from typing import Any

from widgets.event_layout import MAX_ENTRY_LINES, EventLayout, prefix_width
from widgets.event_log import EventLog

from .harness import HOSTILE, SIZE, WidgetApp, chat, log_entry, strip_is_inert

NAMES = {"u-bree": "Bree"}
STORY = (
    "The goblin chieftain raises his rusty blade and bellows a war cry that echoes "
    "through the cavern while the torches gutter and the shaman starts to chant."
)
"""About 150 characters: two or three lines in the log at the test size."""


def visible(log: EventLog) -> list[str]:
    return [log.render_line(y).text.rstrip() for y in range(log.size.height)]


def top(log: EventLog) -> tuple[int, int]:
    shown = log.entry_at(log.scroll_offset.y)
    assert shown is not None
    return shown[0].id, shown[1]


def line_of(log: EventLog, entry_id: int) -> int:
    """The y of the entry's first line, found through the public y → entry mapping."""
    for y in range(log.virtual_size.height):
        shown = log.entry_at(y)
        if shown is not None and shown[0].id == entry_id:
            return y
    raise AssertionError(f"entry {entry_id} is not held")


def mixed(first: int, last: int) -> list[Any]:
    """Every third entry a long story, the rest one line, newest first like a store page."""
    return [
        chat(i, f"{i}: {STORY}" if i % 3 == 0 else f"message {i}")
        for i in range(last, first - 1, -1)
    ]


async def test_a_2000_character_message_spans_several_lines_and_is_capped() -> None:
    log = EventLog()
    async with WidgetApp(log).run_test(size=SIZE) as pilot:
        log.set_names(NAMES)
        log.reset([chat(1, "word " * 400), chat(2, "after")], has_older=False)
        await pilot.pause()
        assert log.virtual_size.height == MAX_ENTRY_LINES + 1
        lines = [log.render_line(y).text.rstrip() for y in range(MAX_ENTRY_LINES + 1)]
        width = log.scrollable_content_region.width
        indent = " " * prefix_width(True)  # a 98-cell log shows seconds
        assert lines[0].startswith("00:00:01 chat  [party] Bree: word word")
        for line in lines[1 : MAX_ENTRY_LINES - 1]:
            assert line.startswith(indent + "word") and len(line) <= width
        assert lines[MAX_ENTRY_LINES - 1] == indent + "…"
        assert lines[MAX_ENTRY_LINES].endswith("[party] Bree: after")
        assert log.entry_at(MAX_ENTRY_LINES - 1) == (log.entries[0], MAX_ENTRY_LINES - 1)


async def test_a_word_longer_than_a_line_is_folded_from_the_first_line() -> None:
    log = EventLog()
    async with WidgetApp(log).run_test(size=SIZE) as pilot:
        log.reset([chat(1, "x" * 100)], has_older=False)
        await pilot.pause()
        first, second = visible(log)[:2]
        assert first.endswith("u-bree: " + "x" * (len(first) - len(first.rstrip("x"))))
        assert len(first) == log.scrollable_content_region.width
        assert second.strip() == "x" * (100 - (len(first) - len(first.rstrip("x"))))
        assert log.virtual_size.height == 2


async def test_y_maps_to_the_entry_and_its_line() -> None:
    log = EventLog()
    async with WidgetApp(log).run_test(size=(60, 20)) as pilot:
        log.reset([chat(1, "short"), chat(2, STORY), chat(3, "also short")], has_older=False)
        await pilot.pause()
        story_lines = log.virtual_size.height - 2
        assert story_lines >= 3
        assert log.entry_at(0) == (log.entries[0], 0)
        assert log.entry_at(1) == (log.entries[1], 0)
        assert log.entry_at(story_lines) == (log.entries[1], story_lines - 1)
        assert log.entry_at(story_lines + 1) == (log.entries[2], 0)
        assert log.entry_at(story_lines + 2) is None
        assert log.entry_at(-1) is None
        lines = visible(log)
        assert lines[story_lines].endswith("chant.")
        assert lines[story_lines + 1].endswith("also short")


def test_the_layout_counts_lines_by_prefix_sums() -> None:
    layout = EventLayout()
    layout.replace([chat(1, "a"), chat(2, STORY), chat(3, "b")])
    assert layout.total_lines == 3  # not laid out yet: one line each
    layout.set_width(40)
    counts = [layout.line_count(i) for i in range(3)]
    assert counts[0] == counts[2] == 1 and counts[1] > 3
    assert layout.total_lines == sum(counts)
    assert [layout.first_line(i) for i in range(3)] == [0, 1, 1 + counts[1]]
    assert layout.locate(1 + counts[1]) == (2, 0)
    layout.drop_oldest(1)
    assert layout.locate(0) == (0, 0) and layout.entries[0].id == 2
    layout.prepend([chat(0, STORY)])
    assert layout.first_line(1) == counts[1]
    layout.drop_newest(2)
    assert [entry.id for entry in layout.entries] == [0]
    assert not layout.set_width(40)


async def test_following_shows_the_end_of_a_wrapped_entry() -> None:
    log = EventLog()
    async with WidgetApp(log).run_test(size=(60, 20)) as pilot:
        log.reset(mixed(1, 40), has_older=False)
        await pilot.pause()
        log.append([chat(41, STORY)])
        await pilot.pause()
        assert log.at_bottom
        assert visible(log)[-1].endswith("chant.")
        assert log.scroll_offset.y == log.max_scroll_y


async def test_resizing_keeps_the_entry_at_the_top_in_view() -> None:
    log = EventLog()
    async with WidgetApp(log).run_test(size=SIZE) as pilot:
        log.reset(mixed(1, 120), has_older=False)
        await pilot.pause()
        log.scroll_to(y=line_of(log, 60), animate=False, immediate=True)
        await pilot.pause()
        assert top(log) == (60, 0) and not log.at_bottom
        wide_height = log.virtual_size.height

        await pilot.resize_terminal(60, 30)
        await pilot.pause()
        assert log.virtual_size.height > wide_height  # the stories wrap more
        assert top(log) == (60, 0)
        assert visible(log)[0].startswith("00:01 chat  [party] u-bree: 60: The goblin")
        assert not log.at_bottom

        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert top(log) == (60, 0)
        assert log.scroll_offset.y == line_of(log, 60)


async def test_resizing_at_the_bottom_stays_at_the_bottom() -> None:
    log = EventLog()
    async with WidgetApp(log).run_test(size=SIZE) as pilot:
        log.reset(mixed(1, 60), has_older=False)
        await pilot.pause()
        await pilot.resize_terminal(60, 30)
        await pilot.pause()
        assert log.at_bottom
        assert log.scroll_offset.y == log.max_scroll_y
        assert visible(log)[-1].endswith("chant.")  # entry 60 is a story


async def test_an_older_page_of_long_entries_keeps_the_entry_in_place() -> None:
    log = EventLog()
    app = WidgetApp(log)
    async with app.run_test(size=(60, 20)) as pilot:
        log.reset(mixed(101, 130), has_older=True)
        await pilot.pause()
        log.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        before = visible(log)
        log.prepend_older([chat(i, STORY) for i in range(100, 90, -1)], has_older=True)
        await pilot.pause()
        assert top(log) == (101, 0)
        assert visible(log) == before
        assert log.scroll_offset.y == line_of(log, 101) > 10  # ten stories above


async def test_every_width_shows_the_same_family_words_never_raw_event_types() -> None:
    """Issue 19: INTERACTION_INITIALIZED and TURN_STARTED showed at 200 columns."""
    log = EventLog()
    async with WidgetApp(log).run_test(size=(60, 20)) as pilot:
        log.reset(
            [
                chat(1, "hi"),
                log_entry(
                    2, "TURN_STARTED", {"round_number": 1, "turn_number": 1, "entity_name": "Gob"}
                ),
                log_entry(3, "PARTICIPANT_JOINED", {"participant_id": "u-bree"}),
                log_entry(4, "INTERACTION_PAUSED", {"reason": None, "remaining_ms": 68_000}),
                log_entry(5, "SETTINGS_UPDATED", {"chat_enabled": False}),
                log_entry(6, "DICE_ROLL", {"notation": "1d20", "result": 7}),
                log_entry(7, "SPELL_CAST", {"spell": "light"}),
            ],
            has_older=False,
        )
        await pilot.pause()
        assert visible(log)[:7] == [
            "00:00 chat  [party] u-bree: hi",
            "00:00 turn  Gob's turn (round 1, turn 1)",
            "00:00 join  u-bree joined",
            "00:00 room  paused · 1:08 left",
            "00:00 set   chat off",
            "00:00 roll  someone rolled 1d20 = 7",
            '00:00 spell {"spell":"light"}',
        ]
        tag_style = list(log.render_line(1))[2].style  # "turn", after "00:00" and " "
        assert tag_style is not None and tag_style.color is not None
        assert tag_style.color.name == "cyan"

        narrow = [line.split(" ", 1)[1] for line in visible(log)[:7]]
        for size in (SIZE, (200, 50)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            lines = visible(log)[:7]
            assert [line.split(" ", 1)[1] for line in lines] == narrow
            assert all(line.startswith("00:00:0") for line in lines)  # with seconds
            assert not any("_" in line.split()[1] for line in lines)


async def test_dice_rolls_name_the_entity_learned_from_turn_events() -> None:
    log = EventLog()
    async with WidgetApp(log).run_test(size=SIZE) as pilot:
        log.set_names({"u-dm": "Mira"})
        roll = log_entry(
            2, "DICE_ROLL", {"notation": "1d20+4", "result": 11}, user_id="u-dm", entity_id="gob-1"
        )
        log.reset([roll], has_older=False)
        await pilot.pause()
        assert visible(log)[0].endswith("Mira rolled 1d20+4 = 11")
        turn = log_entry(
            1,
            "TURN_STARTED",
            {"round_number": 1, "turn_number": 1, "entity_id": "gob-1", "entity_name": "Goblin 1"},
        )
        log.prepend_older([turn], has_older=False)
        await pilot.pause()
        assert visible(log)[1].endswith("Goblin 1 rolled 1d20+4 = 11")


async def test_wrapped_hostile_text_stays_literal_and_inert() -> None:
    log = EventLog()
    async with WidgetApp(log).run_test(size=(60, 20)) as pilot:
        log.reset([chat(1, " ".join(HOSTILE * 3) + "\nfake line")], has_older=False)
        await pilot.pause()
        height = log.virtual_size.height
        assert height > 1
        strips = [log.render_line(y) for y in range(height)]
        assert all(strip_is_inert(strip) for strip in strips)
        text = " ".join(strip.text.strip() for strip in strips)
        assert "[@click=app.quit]x[/]" in text and "\\x1b[31mred" in text
        assert "⏎fake line" in text
