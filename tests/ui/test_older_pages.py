"""The room's log pages older events in from the store when the view nears the top: a page
a read, and the page above the last one handed over read ahead for the log's next request."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from app.app import LiveroomApp
from app.room_feed import EVENT_FILTERS, LOG_PAGE, RoomFeed
from store import LiveStore, StoreUnavailable
from tests.conftest import FakeClock
from tests.ui.conftest import SIZE, open_room, settle
from tests.ui.scenes import Scene
from widgets.event_log import EventLog

HISTORY = 4 * LOG_PAGE + 100
"""Events logged before the room is opened, dice rolls and chat in turn: the log holds
the newest page of all of them, the rest come in more pages, the last one short."""


def _log_history(store: LiveStore, clock: FakeClock, interaction_id: int) -> None:
    clock.advance(1_000)
    roll = {"event_type": "DICE_ROLL", "event_data": {"notation": "1d20", "result": 7}}
    chat = {"event_type": "CHAT_MESSAGE", "event_data": {"channel": "party", "content": "hi"}}
    store.batch_state_operations(
        interaction_id,
        [
            {"type": "log_event", "data": {**(chat if number % 2 else roll), "session_id": "r"}}
            for number in range(HISTORY)
        ],
    )


def _record_older_reads(store: LiveStore, monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The ids of the entries each read of older pages brought from the store."""
    reads: list[list[int]] = []
    get_interaction_logs = store.get_interaction_logs

    def recording(*args: Any, **kwargs: Any) -> Any:
        entries = get_interaction_logs(*args, **kwargs)
        if kwargs.get("before") is not None:
            reads.append([entry.id for entry in entries])
        return entries

    monkeypatch.setattr(store, "get_interaction_logs", recording)
    return reads


async def _until(pilot: Pilot[None], check: Callable[[], bool], timeout_s: float = 10.0) -> None:
    """Wait for `check` to hold (a page arriving): older pages come from a worker the
    polls do not count."""
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, "gave up waiting"
        await pilot.pause(0.01)


async def _scroll_to_the_very_top(pilot: Pilot[None], log: EventLog) -> None:
    while log.has_older:
        oldest = log.entries[0].id
        log.scroll_home(animate=False, immediate=True)
        await _until(pilot, lambda oldest=oldest: log.entries[0].id != oldest or not log.has_older)
        assert log.entry_at(log.scroll_offset.y)[0].id == oldest  # type: ignore[index]


async def test_scrolling_to_the_top_brings_every_older_page_once(
    dashboard: LiveroomApp,
    scene_store: tuple[LiveStore, Scene],
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, scene = scene_store
    _log_history(store, clock, scene.live)
    everything = [entry.id for entry in store.get_interaction_logs(scene.live, limit=1_000)]
    reads = _record_older_reads(store, monkeypatch)
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        log = pilot.app.screen.query_one(EventLog)
        await _scroll_to_the_very_top(pilot, log)
        assert [entry.id for entry in log.entries] == everything[::-1]
    assert [entry_id for read in reads for entry_id in read] == everything[LOG_PAGE:]
    assert len(reads) == 4  # four older pages, each read once (the last is short: none ahead)


async def test_a_failed_read_is_reported_and_asked_again_on_the_next_scroll_up(
    dashboard: LiveroomApp,
    scene_store: tuple[LiveStore, Scene],
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, scene = scene_store
    _log_history(store, clock, scene.live)
    get_interaction_logs = store.get_interaction_logs
    failures = [StoreUnavailable("the store is busy")]

    def failing_once(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("before") is not None and failures:
            raise failures.pop()
        return get_interaction_logs(*args, **kwargs)

    monkeypatch.setattr(store, "get_interaction_logs", failing_once)
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        log = pilot.app.screen.query_one(EventLog)
        oldest = log.oldest_id
        log.scroll_home(animate=False, immediate=True)
        await _until(pilot, lambda: not failures)
        await settle(pilot)
        assert log.oldest_id == oldest
        messages = [str(n.message) for n in pilot.app._notifications]
        assert "Lost the store: the store is busy" in messages

        log.scroll_to(y=log.max_scroll_y, animate=False, immediate=True)
        log.scroll_home(animate=False, immediate=True)
        await _until(pilot, lambda: log.oldest_id != oldest)


async def test_older_pages_under_a_filter_hold_only_what_it_admits(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene], clock: FakeClock
) -> None:
    store, scene = scene_store
    _log_history(store, clock, scene.live)
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("e")  # chat only
        await settle(pilot)
        log = pilot.app.screen.query_one(EventLog)
        await _scroll_to_the_very_top(pilot, log)
        assert len(log.entries) > HISTORY // 2
        assert {entry.event_type for entry in log.entries} == {"CHAT_MESSAGE"}


async def _direct(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """The feed's reads run right here, in the tests below."""
    return call(*args, **kwargs)


async def test_the_page_above_the_last_one_is_read_ahead_and_handed_over_without_a_read(
    scene_store: tuple[LiveStore, Scene], clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, scene = scene_store
    _log_history(store, clock, scene.live)
    newest = store.get_interaction_logs(scene.live, limit=LOG_PAGE)
    feed = RoomFeed(store, _direct, scene.live)
    reads = _record_older_reads(store, monkeypatch)

    first = await feed.older(newest[-1].id)
    assert first is not None and first.oldest_id is not None and first.has_older
    assert feed.kept_older(first.oldest_id) is None  # still being read
    await asyncio.sleep(0)  # the read ahead runs
    assert len(reads) == 2
    assert feed.kept_older(newest[-1].id) is None  # not the page read ahead
    second = feed.kept_older(first.oldest_id)
    assert second is not None and len(second.entries) == LOG_PAGE
    assert [entry.id for entry in first.entries + second.entries] == reads[0] + reads[1]
    assert second.oldest_id is not None
    await asyncio.sleep(0)
    third = await feed.older(second.oldest_id)  # read ahead when the second was handed over
    assert third is not None and [entry.id for entry in third.entries] == reads[2]
    await asyncio.sleep(0)
    assert len(reads) == 4  # the page above the third, read ahead in its turn
    feed.close()


async def test_a_page_read_under_a_filter_since_changed_is_not_current(
    scene_store: tuple[LiveStore, Scene], clock: FakeClock
) -> None:
    store, scene = scene_store
    _log_history(store, clock, scene.live)
    newest = store.get_interaction_logs(scene.live, limit=LOG_PAGE)
    feed = RoomFeed(store, _direct, scene.live)
    page = await feed.older(newest[-1].id)
    assert page is not None and feed.is_current(page)
    feed.set_filter(EVENT_FILTERS[1])  # the game master pressed e
    assert not feed.is_current(page)
    again = await feed.older(page.oldest_id or 0)  # not the page kept for the old filter
    assert again is not None
    assert {entry.event_type for entry in again.entries} == {"CHAT_MESSAGE"}
