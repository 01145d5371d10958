"""The shared text helpers: literal, control-free text and the time formats."""

from __future__ import annotations

import pytest

from widgets.text import (
    clip,
    format_clock,
    format_duration,
    format_utc_time,
    literal,
    relative_time,
    safe_text,
    status_text,
    time_left,
)

from .harness import HOSTILE, T0


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b[31mred", "\\x1b[31mred"),
        ("bell\x07", "bell\\x07"),
        ("csi\x9b2J", "csi\\x9b2J"),
        ("del\x7f", "del\\x7f"),
        ("two\nlines\r\n", "two⏎lines⏎⏎"),
        ("tab\there", "tab here"),
        ("rtl\u202eevil", "rtl\\u202eevil"),
        ("lone\ud800", "lone\ufffd"),
        ("Brée 🐉 [bold]", "Brée 🐉 [bold]"),
    ],
)
def test_safe_text_makes_controls_visible(raw: str, shown: str) -> None:
    assert safe_text(raw) == shown


def test_safe_text_accepts_non_strings() -> None:
    assert safe_text(42) == "42"  # type: ignore[arg-type]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_literal_never_parses_markup(hostile: str) -> None:
    text = literal(hostile)
    assert text.plain == safe_text(hostile)
    assert not text.spans


def test_clip_ends_with_ellipsis() -> None:
    assert clip("abcdef", 4) == "abc…"
    assert clip("abc", 4) == "abc"
    assert literal("x" * 500, limit=10).plain == "x" * 9 + "…"


@pytest.mark.parametrize(
    ("ago_ms", "shown"),
    [
        (0, "just now"),
        (-5_000, "just now"),
        (42_000, "42s ago"),
        (125_000, "2m ago"),
        (3 * 3_600_000 + 59_000, "3h ago"),
        (5 * 86_400_000, "5d ago"),
    ],
)
def test_relative_time(ago_ms: int, shown: str) -> None:
    assert relative_time(T0 - ago_ms, T0) == shown


def test_relative_time_without_a_time() -> None:
    assert relative_time(None, T0) == "—"


@pytest.mark.parametrize(
    ("ms", "shown"),
    [
        (65_000, "1:05"),
        (9_000, "0:09"),
        (720_000, "12:00"),
        (300, "0:01"),
        (0, "0:00"),
        (-4_000, "0:00"),
        (3_600_000, "1:00:00"),
    ],
)
def test_format_clock_counts_down_rounding_up(ms: int, shown: str) -> None:
    assert format_clock(ms) == shown


def test_time_left_is_a_clock_reading() -> None:
    # Never "2m left": the rooms list and the room's timer read the same.
    assert time_left(89_000) == "1:29 left"
    assert time_left(209_000) == "3:29 left"
    assert time_left(3_600_000) == "1:00:00 left"


@pytest.mark.parametrize(
    ("ms", "shown"),
    [(45_999, "45s"), (72_000, "1m 12s"), (60_000, "1m 0s"), (7_500_000, "2h 5m"), (None, "—")],
)
def test_format_duration(ms: int | None, shown: str) -> None:
    assert format_duration(ms) == shown


def test_format_utc_time_is_utc() -> None:
    assert format_utc_time(T0 + 3_723_000) == "01:02:03"


@pytest.mark.parametrize(
    ("status", "colour"),
    [("live", "green"), ("paused", "yellow"), ("idle", "blue"), ("cancelled", "red")],
)
def test_status_badges_are_coloured(status: str, colour: str) -> None:
    badge = status_text(status)
    assert badge.plain == f" {status.upper()} "
    assert colour in str(badge.style)


def test_completed_and_unknown_statuses_are_dim_and_literal() -> None:
    assert str(status_text("completed").style) == "dim"
    assert status_text("[b]x").plain == " [B]X "
