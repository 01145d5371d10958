"""A painted line cut at its own end, or cropped to itself, keeps no reference to itself
(app.strip_cycles)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from app import strip_cycles
from app.app import make_app
from store import LiveStore
from tests.ui.scenes import Scene

Divide = Callable[[Strip, list[int]], Sequence[Strip]]
CropExtend = Callable[[Strip, int, int, Style | None], Strip]


def _line() -> Strip:
    """Twelve cells in three segments: cuts can fall inside and between them."""
    bold = Style(bold=True)
    return Strip([Segment("12:00 ", bold), Segment("turn"), Segment("  ", bold)], 12)


def _references_kept(divide: Divide) -> int:
    """How many references to a strip its own divide at its end leaves behind."""
    strip = _line()
    before = sys.getrefcount(strip)
    divide(strip, [strip.cell_length])
    return sys.getrefcount(strip) - before


def test_a_line_cut_at_its_end_is_freed_when_dropped() -> None:
    assert _references_kept(strip_cycles._divide) == 0


def test_textual_still_keeps_a_line_in_its_own_cache() -> None:
    """Why app/strip_cycles.py exists. When this fails, Textual no longer makes the
    cycle: delete the module and its install() in LiveroomApp."""
    assert _references_kept(strip_cycles._textual_divide) == 1


def _references_kept_by_crop(crop_extend: CropExtend) -> int:
    """How many references to a strip its own crop to itself leaves behind."""
    strip = _line()
    before = sys.getrefcount(strip)
    crop_extend(strip, 0, strip.cell_length, None)
    return sys.getrefcount(strip) - before


def test_a_line_cropped_to_itself_is_freed_when_dropped() -> None:
    assert _references_kept_by_crop(strip_cycles._crop_extend) == 0


def test_textual_still_keeps_a_line_cropped_to_itself_in_its_own_cache() -> None:
    """See test_textual_still_keeps_a_line_in_its_own_cache."""
    assert _references_kept_by_crop(strip_cycles._textual_crop_extend) == 1


@pytest.mark.parametrize(
    ("start", "end"),
    [(0, 12), (-2, 12), (0, 15), (0, 6), (3, 12), (3, 20), (12, 14), (5, 5)],
    ids=str,
)
@pytest.mark.parametrize("style", [None, Style(bgcolor="red")], ids=["no style", "style"])
def test_crops_give_what_textuals_crop_extend_gives(
    start: int, end: int, style: Style | None
) -> None:
    ours = strip_cycles._crop_extend(_line(), start, end, style)
    textuals = strip_cycles._textual_crop_extend(_line(), start, end, style)
    assert (ours.text, ours.cell_length, list(ours)) == (
        textuals.text,
        textuals.cell_length,
        list(textuals),
    )


@pytest.mark.parametrize(
    "cuts",
    [[], [12], [12, 15], [15], [3], [6, 12], [0, 6], [2, 7, 9, 12], [6, 6]],
    ids=str,
)
def test_cuts_give_what_textuals_divide_gives(cuts: list[int]) -> None:
    ours = strip_cycles._divide(_line(), cuts)
    textuals = strip_cycles._textual_divide(_line(), cuts)
    assert [(s.text, s.cell_length, list(s)) for s in ours] == [
        (s.text, s.cell_length, list(s)) for s in textuals
    ]


def test_the_dashboard_installs_it(
    scene_store: tuple[LiveStore, Scene], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Strip, "divide", strip_cycles._textual_divide)
    monkeypatch.setattr(Strip, "crop_extend", strip_cycles._textual_crop_extend)
    make_app(scene_store[0], housekeeping=False)
    assert Strip.divide is strip_cycles._divide
    assert Strip.crop_extend is strip_cycles._crop_extend
