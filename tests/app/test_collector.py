"""Young garbage collected between frames (app.collector): when, and which generations."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from app.collector import BETWEEN_FRAMES, YOUNG_GENERATION, collect_between_frames


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generation of each collection started while the test runs, from a clean slate:
    everything collected, and the dashboard's young threshold, so that no collection of
    CPython's own comes between the allocations and the call."""
    thresholds, enabled = gc.get_threshold(), gc.isenabled()
    started: list[int] = []

    def note(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.enable()
    gc.collect()
    gc.set_threshold(YOUNG_GENERATION, *thresholds[1:])
    gc.callbacks.append(note)
    try:
        yield started
    finally:
        gc.callbacks.remove(note)
        gc.set_threshold(*thresholds)
        if not enabled:
            gc.disable()


def _survivors(count: int) -> list[list[int]]:
    """`count` young objects that stay alive (so no free offsets the allocations)."""
    return [[n] for n in range(count)]


def test_too_little_young_garbage_is_left_for_later(collections: list[int]) -> None:
    kept = _survivors(BETWEEN_FRAMES // 2)
    collect_between_frames()
    assert collections == [] and kept


def test_enough_young_garbage_is_collected_young(collections: list[int]) -> None:
    kept = _survivors(BETWEEN_FRAMES + 100)
    collect_between_frames()
    assert collections == [0] and kept
    assert gc.get_count()[0] < BETWEEN_FRAMES


def test_a_collection_that_makes_an_older_generation_due_collects_it(
    collections: list[int],
) -> None:
    middle_threshold, old_threshold = gc.get_threshold()[1:]
    for _ in range(middle_threshold - 1):
        gc.collect(0)
    kept = _survivors(BETWEEN_FRAMES + 100)
    collect_between_frames()
    assert collections[-1] == 1 and kept

    for _ in range(old_threshold - 1):
        gc.collect(1)
    for _ in range(middle_threshold - 1):
        gc.collect(0)
    more = _survivors(BETWEEN_FRAMES + 100)
    collect_between_frames()
    assert collections[-1] == 2 and more


def test_nothing_is_collected_while_collecting_is_off(collections: list[int]) -> None:
    gc.disable()
    try:
        kept = _survivors(BETWEEN_FRAMES * 2)
        collect_between_frames()
    finally:
        gc.enable()
    assert collections == [] and kept
