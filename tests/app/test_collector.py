"""Young garbage collected between frames (app.collector): when, and which generations."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from app.collector import BETWEEN_FRAMES, YOUNG_GENERATION, collect_between_frames


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generation of each collection started while the test runs, with the
    dashboard's young threshold, so that no collection of CPython's own comes between a
    test's allocations and its call (each test starts from a clean slate: _fresh)."""
    thresholds, enabled = gc.get_threshold(), gc.isenabled()
    started: list[int] = []

    def note(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.enable()
    gc.set_threshold(YOUNG_GENERATION, *thresholds[1:])
    gc.callbacks.append(note)
    try:
        yield started
    finally:
        gc.callbacks.remove(note)
        gc.set_threshold(*thresholds)
        if not enabled:
            gc.disable()


def _fresh(collections: list[int]) -> None:
    """Everything collected, every count at 0, and nothing noted yet."""
    gc.collect()
    collections.clear()


def _survivors(count: int) -> list[list[int]]:
    """`count` young objects that stay alive (so no free offsets the allocations)."""
    return [[n] for n in range(count)]


def _collections_for_a_middle_one() -> int:
    """Young collections between frames after which the middle generation is due."""
    return gc.get_threshold()[1] * (YOUNG_GENERATION // BETWEEN_FRAMES)


def test_too_little_young_garbage_is_left_for_later(collections: list[int]) -> None:
    _fresh(collections)
    kept = _survivors(BETWEEN_FRAMES // 2)
    collect_between_frames()
    assert collections == [] and kept


def test_enough_young_garbage_is_collected_young(collections: list[int]) -> None:
    _fresh(collections)
    kept = _survivors(BETWEEN_FRAMES + 100)
    collect_between_frames()
    assert collections == [0] and kept
    assert gc.get_count()[0] < BETWEEN_FRAMES


@pytest.mark.parametrize("young_before", [0, 1], ids=["not-yet-due", "due"])
def test_the_middle_generation_comes_as_often_per_allocation_as_cpython_s(
    collections: list[int], young_before: int
) -> None:
    """Five times as many young collections, each a fifth the size of CPython's."""
    _fresh(collections)
    for _ in range(_collections_for_a_middle_one() + young_before - 1):
        gc.collect(0)
    kept = _survivors(BETWEEN_FRAMES + 100)
    collect_between_frames()  # the young collection that makes the count reach it
    assert collections[-1] == 0 and kept
    more = _survivors(BETWEEN_FRAMES + 100)
    collect_between_frames()
    assert collections[-1] == young_before and more


def test_the_oldest_generation_comes_after_its_threshold_of_middle_ones(
    collections: list[int],
) -> None:
    _fresh(collections)
    for _ in range(gc.get_threshold()[2] + 1):
        gc.collect(1)
    for _ in range(_collections_for_a_middle_one() + 1):
        gc.collect(0)
    kept = _survivors(BETWEEN_FRAMES + 100)
    collect_between_frames()
    assert collections[-1] == 2 and kept


def test_nothing_is_collected_while_collecting_is_off(collections: list[int]) -> None:
    _fresh(collections)
    gc.disable()
    try:
        kept = _survivors(BETWEEN_FRAMES * 2)
        collect_between_frames()
    finally:
        gc.enable()
    assert collections == [] and kept
