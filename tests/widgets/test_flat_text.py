"""flat_segments gives the segments Rich's Text.render gives, for every line of the log."""

from __future__ import annotations

from typing import Any

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text

from store import LogEntry
from widgets.event_layout import EventLayout
from widgets.flat_text import flat_segments

from .harness import HOSTILE, chat, log_entry

BASE = Style(color="#e0e0e0", bgcolor="#1e1e1e")
"""A background and colour like the log's own, under every line."""
CONSOLE = Console(width=200, color_system="truecolor", force_terminal=True)
NAMES = {"u-bree": "Bree", "u-ana": "Ana"}


def _entries() -> list[LogEntry]:
    """One entry of every kind the log words, with long, hostile and odd data."""
    turn = {"round_number": 2, "turn_number": 1, "entity_id": "gob-1", "entity_name": "Gob"}
    data: list[tuple[str, Any]] = [
        ("TURN_STARTED", turn),
        ("TURN_COMPLETED", {**turn, "duration_ms": 72_000}),
        ("TURN_SKIPPED", turn),
        ("TURN_TIMEOUT", turn),
        ("ROUND_COMPLETED", {"round_number": 3}),
        ("PARTICIPANT_JOINED", {"participant_id": "u-ana"}),
        ("PARTICIPANT_LEFT", {"participant_id": "u-zed"}),
        ("SETTINGS_UPDATED", {"turn_time_limit": 90, "chat_enabled": False, "odd": [1]}),
        ("DICE_ROLL", {"notation": "1d20+5", "result": 17, "label": "Longbow attack"}),
        ("DICE_ROLL", {"entity_id": "gob-1", "result": {"total": 3}}),
        ("INTERACTION_INITIALIZED", {"live_room_id": "r-12", "turn_time_limit": 60}),
        ("INTERACTION_PAUSED", {"reason": "inactivity_timeout", "remaining_ms": 68_000}),
        ("INTERACTION_RESUMED", {"live_room_id": "r-12"}),
        ("INTERACTION_COMPLETED", {"completion_reason": "victory"}),
        ("ROOM_CLEANUP", {"reason": "closed_by_game_master"}),
        ("SPELL_CAST", {"spell": "Fireball", "slots": [3]}),
        ("TURN_STARTED", ["not", "a", "dict"]),
        ("ROUND_COMPLETED", None),
    ]
    entries = [log_entry(i, kind, value) for i, (kind, value) in enumerate(data, 1)]
    entries += [
        chat(100, "I draw my bow and loose an arrow at the goblin by the door. " * 8),
        chat(101, "psst", channel="dm"),
        chat(102, "Round 2", channel="system"),
        log_entry(
            103,
            "CHAT_MESSAGE",
            {"channel": "private", "content": "meet me", "recipients": ["u-ana", "u-zed"]},
            user_id="u-bree",
        ),
        *(chat(110 + i, hostile) for i, hostile in enumerate(HOSTILE)),
    ]
    return entries


def _rich(text: Text, base: Style) -> list[Segment]:
    styled = text.copy()
    styled.stylize_before(base)
    return list(styled.render(CONSOLE))


@pytest.mark.parametrize("width", [40, 80, 140])
def test_every_line_of_the_log_renders_as_rich_renders_it(width: int) -> None:
    layout = EventLayout()
    layout.set_width(width)
    layout.set_names(NAMES)
    lines = [line for entry in _entries() for line in layout.lines(entry)]
    assert len(lines) > len(_entries())  # some entries wrapped
    for line in lines:
        assert flat_segments(line, BASE, CONSOLE) == _rich(line, BASE), line.plain


@pytest.mark.parametrize(
    "text",
    [
        Text("plain"),
        Text("all dim", style="dim"),
        Text(""),
        Text("", style="bold"),
        Text.assemble(("bold", "bold"), " and ", ("red", "red"), " end"),
        Text.assemble(("a", "bold"), ("b", "italic"), ("c", "bold")),
        Text("styled under its spans", style="italic", spans=[Span(0, 6, "bold")]),
        Text("colours of its own, over the base's", style="red on blue"),
        Text("a span's colours over the text's", style="red", spans=[Span(2, 7, "green")]),
        Text("a style name Rich cannot parse", spans=[Span(0, 5, "not-a-colour")]),
        Text("nor this one", style="not-a-colour either", spans=[Span(0, 3, "bold")]),
    ],
    ids=lambda text: repr(text.plain),
)
@pytest.mark.parametrize("base", [BASE, Style.null()], ids=["base", "no base"])
def test_flat_lines_render_as_rich_renders_them(text: Text, base: Style) -> None:
    assert flat_segments(text, base, CONSOLE) == _rich(text, base)


@pytest.mark.parametrize(
    "spans",
    [
        [Span(0, 8, "bold"), Span(4, 12, "red")],  # overlapping
        [Span(6, 10, "bold"), Span(0, 4, "red")],  # out of order
        [Span(0, 20, "bold"), Span(2, 4, "red")],  # nested
        [Span(3, 3, "bold")],  # empty
        [Span(10, 40, "bold")],  # past the end
    ],
    ids=["overlapping", "out of order", "nested", "empty", "past the end"],
)
def test_other_lines_are_left_to_rich(spans: list[Span]) -> None:
    text = Text("overlapping spans", spans=spans)
    assert flat_segments(text, BASE, CONSOLE) == _rich(text, BASE)


def test_the_text_is_not_changed() -> None:
    text = Text.assemble(("bold", "bold"), " plain")
    spans = list(text.spans)
    flat_segments(text, BASE, CONSOLE)
    assert text.spans == spans
