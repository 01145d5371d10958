"""The room's log pages older events in from the store, read ahead of the reader: on the reader
thread, or in the history process once a game master reads back through a long log."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from textual.pilot import Pilot

from app.app import LiveroomApp, make_app
from app.gateway import StoreGateway
from app.older_pages import LOG_PAGE, PackedPage
from app.room_feed import (
    EVENT_FILTERS,
    FIRST_PAGES_ABOVE,
    IN_HISTORY_PROCESS,
    ON_READER_THREAD,
    OlderPage,
    RoomFeed,
)
from app.screens.room import RoomScreen
from store import LiveStore, StoreError, StoreUnavailable
from tests.conftest import FakeClock
from tests.ui.conftest import POLL_S, SIZE, open_room, settle
from tests.ui.scenes import Scene
from widgets.event_layout import LayoutBasis
from widgets.event_log import MAX_ENTRIES, EventLog

HISTORY = 4 * LOG_PAGE + 100
"""Events logged before the room is opened, dice rolls and chat in turn: the log holds
the newest page of all of them, the rest come in more pages, the last one short."""


BASIS = LayoutBasis(80, {}, {})
"""What the log's lines are counted against in the feed-only tests."""


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


async def _nothing_read_ahead(*args: Any) -> AsyncIterator[OlderPage]:
    """RoomFeed.read_ahead reading nothing: only pages staged otherwise reach the log."""
    return
    yield


def _ids(reads: list[list[int]]) -> list[int]:
    return [entry_id for read in reads for entry_id in read]


def _ids_of(pages: list[OlderPage]) -> list[int]:
    return [entry.id for page in pages for entry in page.entries]


async def _until(pilot: Pilot[None], check: Callable[[], bool], timeout_s: float = 10.0) -> None:
    """Wait for `check` to hold (a page arriving), not for a number of polls: the
    older pages come from workers the polls do not count."""
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, "gave up waiting"
        await pilot.pause(0.01)


@pytest.fixture
def feed(scene_store: tuple[LiveStore, Scene]) -> Iterator[RoomFeed]:
    """The live room's feed on its own gateway, as a room screen holds one."""
    store, scene = scene_store
    gateway = StoreGateway(store)
    try:
        yield RoomFeed(gateway, scene.live)
    finally:
        gateway.close()


def _oldest_of_newest_page(store: LiveStore, clock: FakeClock, interaction_id: int) -> int:
    """Log the history, and return the `before` of the first older page."""
    _log_history(store, clock, interaction_id)
    return store.get_interaction_logs(interaction_id, limit=LOG_PAGE)[-1].id


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
        # A first page shorter than the prefetch distance brings the next one at once.
        assert len(log.entries) >= LOG_PAGE
        await _until(pilot, lambda: len(_ids(reads)) >= ON_READER_THREAD.pages * LOG_PAGE)
        assert reads[0][0] == everything[LOG_PAGE]  # read before anyone scrolls

        while log.has_older:
            oldest = log.entries[0].id
            log.scroll_home(animate=False, immediate=True)
            await _until(pilot, lambda oldest=oldest: log.entries[0].id != oldest)
            assert log.entry_at(log.scroll_offset.y)[0].id == oldest  # type: ignore[index]

        assert [entry.id for entry in log.entries] == everything[::-1]
        assert _ids(reads) == everything[LOG_PAGE:]  # each entry read once


async def test_the_first_pages_up_go_in_at_once_read_with_the_room(
    dashboard: LiveroomApp,
    scene_store: tuple[LiveStore, Scene],
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pages above the newest come in the room's first read: paging up right after
    the room opens, they go in with the scroll, before any read-ahead has come back."""
    store, scene = scene_store
    _log_history(store, clock, scene.live)
    everything = [entry.id for entry in store.get_interaction_logs(scene.live, limit=1_000)]

    monkeypatch.setattr(RoomFeed, "read_ahead", _nothing_read_ahead)
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        log = pilot.app.screen.query_one(EventLog)
        for page in range(1, FIRST_PAGES_ABOVE + 1):
            log.scroll_home(animate=False, immediate=True)
            assert log.oldest_id == everything[(page + 1) * LOG_PAGE - 1]


async def test_the_first_read_brings_the_pages_above_measured_and_reads_them_once(
    scene_store: tuple[LiveStore, Scene],
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    feed: RoomFeed,
) -> None:
    store, scene = scene_store
    _log_history(store, clock, scene.live)
    everything = [entry.id for entry in store.get_interaction_logs(scene.live, limit=1_000)]
    above = everything[LOG_PAGE : LOG_PAGE * (1 + FIRST_PAGES_ABOVE)]
    reads = _record_older_reads(store, monkeypatch)

    update = await feed.fetch(BASIS)

    assert [entry.id for entry in update.first_page or []] == everything[:LOG_PAGE]
    assert update.first_layout is not None
    assert set(update.first_layout.measured) == set(everything[:LOG_PAGE])
    assert len(update.pages_above) == FIRST_PAGES_ABOVE
    assert _ids_of(update.pages_above) == above == _ids(reads)
    for page in update.pages_above:
        assert set(page.layout.measured) == {entry.id for entry in page.entries}
    reads.clear()
    ahead = await _pages_read_ahead(feed, everything[LOG_PAGE - 1])
    assert ahead[:FIRST_PAGES_ABOVE] == update.pages_above  # the same pages, not read again
    assert not set(_ids(reads)) & set(above)


async def test_a_page_that_could_not_be_read_is_asked_for_again_on_the_next_scroll(
    dashboard: LiveroomApp,
    scene_store: tuple[LiveStore, Scene],
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A read of an older page fails (the store was busy): the game master is told, and
    scrolling back up asks for the page again instead of never asking."""
    store, scene = scene_store
    _log_history(store, clock, scene.live)

    older = RoomFeed.older
    failures = [StoreUnavailable("the store is busy")]

    async def failing_once(feed: RoomFeed, *args: Any) -> OlderPage:
        if failures:
            raise failures.pop()
        return await older(feed, *args)

    monkeypatch.setattr(RoomFeed, "read_ahead", _nothing_read_ahead)
    monkeypatch.setattr(RoomFeed, "older", failing_once)
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        log = pilot.app.screen.query_one(EventLog)
        for _ in range(FIRST_PAGES_ABOVE):  # staged with the room: no read
            log.scroll_home(animate=False, immediate=True)
        oldest = log.oldest_id
        log.scroll_home(animate=False, immediate=True)
        await _until(pilot, lambda: not failures)
        await settle(pilot)
        assert log.oldest_id == oldest
        assert "the store is busy" in [str(n.message) for n in pilot.app._notifications]

        log.scroll_to(y=log.max_scroll_y, animate=False, immediate=True)
        log.scroll_home(animate=False, immediate=True)
        await _until(pilot, lambda: log.oldest_id != oldest)


async def test_reading_back_through_a_long_log_moves_its_reads_to_the_history_process(
    scene_store: tuple[LiveStore, Scene], clock: FakeClock
) -> None:
    """Three pages in, the history process starts; once it is up, it reads the rest, and
    the log still ends up holding every entry in order (up to the window it keeps)."""
    store, scene = scene_store
    for _ in range(3):
        _log_history(store, clock, scene.live)
    app = make_app(store, clock=clock, poll_interval=POLL_S, housekeeping=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        log = pilot.app.screen.query_one(EventLog)
        gateway = app.gateway
        while log.has_older:
            oldest = log.entries[0].id
            log.scroll_home(animate=False, immediate=True)
            await _until(
                pilot, lambda oldest=oldest: log.entries[0].id != oldest or not log.has_older
            )
            if gateway.history is not None and not gateway.history_ready:
                await _until(pilot, lambda: gateway.history_ready)
        assert gateway.history is not None and gateway.history.reads > 0
        held = [entry.id for entry in log.entries]
        assert len(held) == MAX_ENTRIES  # the oldest entries: the newest made room for them
        assert held == [
            entry.id for entry in store.get_logs_after(scene.live, 0, limit=MAX_ENTRIES)
        ]


async def test_older_pages_under_a_filter_hold_only_what_it_admits(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene], clock: FakeClock
) -> None:
    store, scene = scene_store
    _log_history(store, clock, scene.live)
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        await pilot.press("e")  # chat only: the dice rolls read ahead do not belong
        await settle(pilot)
        log = pilot.app.screen.query_one(EventLog)
        while log.has_older:
            oldest = log.entries[0].id
            log.scroll_home(animate=False, immediate=True)
            await _until(
                pilot, lambda oldest=oldest: log.entries[0].id != oldest or not log.has_older
            )
        assert len(log.entries) > HISTORY // 2
        assert {entry.event_type for entry in log.entries} == {"CHAT_MESSAGE"}


async def _pages_read_ahead(feed: RoomFeed, before_id: int) -> list[OlderPage]:
    return [page async for page in feed.read_ahead(before_id, BASIS)]


async def test_a_page_being_read_ahead_is_waited_for_not_read_twice(
    scene_store: tuple[LiveStore, Scene],
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    feed: RoomFeed,
) -> None:
    store, scene = scene_store
    before = _oldest_of_newest_page(store, clock, scene.live)
    reads = _record_older_reads(store, monkeypatch)
    ahead = asyncio.ensure_future(_pages_read_ahead(feed, before))
    await asyncio.sleep(0)  # the read is on its way
    page = await feed.older(before, BASIS)
    pages = await ahead
    assert _ids(reads) == _ids_of(pages)  # each page once
    assert [p.before_id for p in pages] == [before, page.entries[-1].id]
    assert pages[0] is page
    assert [entry.id for entry in page.entries] == [
        entry.id for entry in store.get_interaction_logs(scene.live, limit=LOG_PAGE, before=before)
    ]
    assert page.has_older
    assert set(page.layout.measured) == {entry.id for entry in page.entries}

    reads.clear()
    again = await _pages_read_ahead(feed, before)  # the same pages, handed over again
    assert [p.before_id for p in again] == [p.before_id for p in pages]
    assert len(again) == ON_READER_THREAD.pages and reads == []


async def test_pages_the_history_process_reads_ahead_wait_packed_beyond_those_staged(
    scene_store: tuple[LiveStore, Scene],
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    feed: RoomFeed,
) -> None:
    """Read ahead as deep as the process reads, but only the nearest handed over to stage:
    the pages above wait in the feed, and are not read again when the log gets to them."""
    store, scene = scene_store
    for _ in range(2):
        _log_history(store, clock, scene.live)
    before = _oldest_of_newest_page(store, clock, scene.live)
    monkeypatch.setattr(StoreGateway, "history_ready", property(lambda gateway: True))
    reads = _record_older_reads(store, monkeypatch)

    staged = await _pages_read_ahead(feed, before)

    assert len(staged) == IN_HISTORY_PROCESS.staged
    assert len(reads) == IN_HISTORY_PROCESS.pages // IN_HISTORY_PROCESS.pages_per_read
    assert len(_ids(reads)) == IN_HISTORY_PROCESS.pages * LOG_PAGE
    waiting = [ahead.page for ahead in feed._ahead if ahead.page not in (None, *staged)]
    assert len(waiting) == IN_HISTORY_PROCESS.pages - IN_HISTORY_PROCESS.staged
    assert all(isinstance(page._page, PackedPage) for page in waiting if page is not None)
    pages = list(staged)
    while len(pages) < IN_HISTORY_PROCESS.pages:
        oldest = pages[-1].oldest_id
        assert oldest is not None and oldest == pages[-1].entries[-1].id
        pages.append(await feed.older(oldest, BASIS))
    assert _ids_of(pages) == _ids(reads)  # the same pages, none read twice


async def test_a_page_read_ahead_that_comes_back_broken_is_reported_and_read_again(
    scene_store: tuple[LiveStore, Scene],
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    feed: RoomFeed,
) -> None:
    store, scene = scene_store
    for _ in range(2):
        _log_history(store, clock, scene.live)
    before = _oldest_of_newest_page(store, clock, scene.live)
    monkeypatch.setattr(StoreGateway, "history_ready", property(lambda gateway: True))
    staged = await _pages_read_ahead(feed, before)
    oldest = staged[-1].oldest_id
    assert oldest is not None
    waiting = next(ahead.page for ahead in feed._ahead if ahead.before_id == oldest)
    assert waiting is not None
    waiting._page = PackedPage(oldest, waiting.oldest_id, True, b"?")  # broken on its way

    with pytest.raises(StoreError, match="came back broken"):
        await feed.older(oldest, BASIS)
    page = await feed.older(oldest, BASIS)  # forgotten, so read again
    assert [entry.id for entry in page.entries] == [
        entry.id for entry in store.get_interaction_logs(scene.live, limit=LOG_PAGE, before=oldest)
    ]


def test_a_packed_page_is_unpacked_only_for_its_entries() -> None:
    """Where a page sits in the log's chain is known without unpacking it."""
    page = OlderPage(PackedPage(before_id=9, oldest_id=5, has_older=True, content=b"?"), 0)
    assert (page.before_id, page.oldest_id, page.has_older) == (9, 5, True)
    with pytest.raises(StoreError, match="came back broken"):
        page.entries  # noqa: B018


async def test_a_request_for_a_page_that_went_in_meanwhile_neither_reads_nor_waits(
    dashboard: LiveroomApp,
    scene_store: tuple[LiveStore, Scene],
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The log asks for the page above its oldest entry, and the read-ahead stages it
    before the request is handled: the page is in, so the request has nothing to do (it
    used to read the page again, holding the frame that shows it for the read)."""
    store, scene = scene_store
    _log_history(store, clock, scene.live)
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        screen = pilot.app.screen
        assert isinstance(screen, RoomScreen)
        log = screen.query_one(EventLog)
        await _until(pilot, lambda: log.has_older and log.oldest_id is not None)
        held = [entry.id for entry in log.entries]
        reads = _record_older_reads(store, monkeypatch)
        gone_in = held[1]  # the log has older entries than this one by now

        await screen._load_older(gone_in).wait()

        assert reads == []
        assert [entry.id for entry in log.entries] == held


async def test_a_page_the_log_asked_for_is_not_read_again_by_the_read_ahead(
    scene_store: tuple[LiveStore, Scene],
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    feed: RoomFeed,
) -> None:
    store, scene = scene_store
    before = _oldest_of_newest_page(store, clock, scene.live)
    reads = _record_older_reads(store, monkeypatch)
    asked = asyncio.ensure_future(feed.older(before, BASIS))
    await asyncio.sleep(0)  # the log's own request is on its way
    pages = await _pages_read_ahead(feed, before)
    assert await asked is pages[0]
    assert _ids(reads) == _ids_of(pages)  # each page once


@pytest.mark.parametrize("beyond", [0, 1], ids=["ends-at-a-trip", "one-more"])
async def test_paging_near_a_trip_boundary_brings_every_older_entry(
    scene_store: tuple[LiveStore, Scene], clock: FakeClock, feed: RoomFeed, beyond: int
) -> None:
    """One read brings ON_READER_THREAD.pages_per_read pages: a full read cannot tell
    whether it took the last entry, so its last page must not say there is nothing older."""
    store, scene = scene_store
    _log_history(store, clock, scene.live)
    everything = [entry.id for entry in store.get_interaction_logs(scene.live, limit=1_000)]
    assert len(everything) < 1_000  # the whole log
    older_count = LOG_PAGE * ON_READER_THREAD.pages_per_read + beyond
    before = everything[-older_count - 1]
    pages = [await feed.older(before, BASIS)]
    while pages[-1].has_older:
        assert len(pages) <= ON_READER_THREAD.pages_per_read + 1, "paging went past the oldest"
        pages.append(await feed.older(pages[-1].entries[-1].id, BASIS))
    assert _ids_of(pages) == everything[-older_count:]


async def test_a_failed_read_ahead_is_read_again_and_reported(feed: RoomFeed) -> None:
    unknown = 10**9
    assert await _pages_read_ahead(feed, unknown) == []  # not an entry of this room
    with pytest.raises(StoreError):
        await feed.older(unknown, BASIS)


async def test_a_page_read_under_another_filter_is_not_current(
    scene_store: tuple[LiveStore, Scene], clock: FakeClock, feed: RoomFeed
) -> None:
    store, scene = scene_store
    before = _oldest_of_newest_page(store, clock, scene.live)
    page = await feed.older(before, BASIS)
    assert feed.is_current(page)
    feed.set_filter(EVENT_FILTERS[1])  # the game master pressed e meanwhile
    assert not feed.is_current(page)


async def test_a_new_filter_stops_the_read_ahead_of_the_old_log(
    scene_store: tuple[LiveStore, Scene],
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    feed: RoomFeed,
) -> None:
    store, scene = scene_store
    before = _oldest_of_newest_page(store, clock, scene.live)
    reads = _record_older_reads(store, monkeypatch)
    ahead = asyncio.ensure_future(_pages_read_ahead(feed, before))
    await asyncio.sleep(0)  # the first page is on its way
    feed.set_filter(EVENT_FILTERS[1])  # the game master presses e
    assert await ahead == []  # not even the page on its way: it belongs to the old log
    assert len(reads) == 1  # and nothing above it
