"""The history process: older pages read in a process of its own, the reader thread as fallback."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from app.gateway import StoreGateway
from app.history_process import HistoryProcess, HistoryProcessGone
from app.older_pages import LOG_PAGE, PackedPage, read_older_pages
from store import InvalidInput, LiveStore, open_store
from widgets.event_layout import LayoutBasis

BASIS = LayoutBasis(80, {}, {})
EVENTS = 3 * LOG_PAGE


def _pid(store: LiveStore) -> int:
    """Which process ran the call (a read that pickles, like every history read)."""
    return os.getpid()


def _noisy(store: LiveStore, answer: int) -> int:
    """A call that prints on its way: the answer must still come back whole."""
    print("x" * 10_000)
    return answer


def _refuse() -> None:
    raise ValueError("this side cannot rebuild it")


class Unrebuildable:
    """Pickles in the history process, but raises when the dashboard unpickles it."""

    def __reduce__(self) -> tuple[Callable[[], None], tuple[()]]:
        return _refuse, ()


def _unrebuildable(store: LiveStore) -> Unrebuildable:
    return Unrebuildable()


def _gone(pid: int) -> bool:
    """Whether the process has exited and been reaped (a zombie still answers kill 0)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


async def _until(check: Callable[[], bool], timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, "gave up waiting"
        await asyncio.sleep(0.01)


@pytest.fixture
def store(tmp_path: Path) -> LiveStore:
    """A store on disk holding one room with EVENTS chat messages and dice rolls."""
    store = open_store(tmp_path / "history.db")
    room = store.create_interaction(name="Crypt", dm_user_id="dm")
    chat = {"event_type": "CHAT_MESSAGE", "event_data": {"channel": "party", "content": "hi"}}
    roll = {"event_type": "DICE_ROLL", "event_data": {"notation": "1d20", "result": 7}}

    def extra(n: int) -> dict[str, str]:
        return {"user_id": f"u{n % 3}", "session_id": "s1"}

    store.batch_state_operations(
        room.id,
        [
            {"type": "log_event", "data": {**(chat if n % 2 else roll), **extra(n)}}
            for n in range(EVENTS)
        ],
    )
    return store


@pytest.fixture
async def gateway(store: LiveStore) -> AsyncIterator[StoreGateway]:
    """A gateway whose history process is up."""
    gateway = StoreGateway(store)
    gateway.start_history_process()
    try:
        await _until(lambda: gateway.history_ready)
        yield gateway
    finally:
        gateway.close()
        store.close()


def _newest(store: LiveStore) -> tuple[int, int]:
    """The room's id and the id of its newest entry (the `before` of the first older read)."""
    room = store.list_interactions()[0].id
    return room, store.get_interaction_logs(room, limit=1)[0].id


async def test_a_read_runs_in_the_process_and_brings_what_the_thread_would(
    gateway: StoreGateway, store: LiveStore
) -> None:
    room, newest = _newest(store)
    args = (room, newest, 2, None, frozenset[str](), BASIS)

    read = await gateway.read_history(read_older_pages, *args)

    assert read == read_older_pages(store, *args)
    assert [len(page.entries) for page in read.pages] == [LOG_PAGE, LOG_PAGE]
    assert read.names == store.display_names(["u0", "u1", "u2"])
    assert await gateway.read_history(_pid) != os.getpid()
    assert gateway.history is not None and gateway.history.reads == 2


async def test_pages_sent_packed_unpack_to_the_pages_read(
    gateway: StoreGateway, store: LiveStore
) -> None:
    room, newest = _newest(store)
    args = (room, newest, 2, None, frozenset[str](), BASIS)

    assert gateway.history is not None
    reads = gateway.history.reads
    read = await gateway.read_history(read_older_pages, *args, packed=True)
    assert gateway.history.reads == reads + 1  # read in the process, not on the thread

    pages = read_older_pages(store, *args).pages
    packed = [page for page in read.pages if isinstance(page, PackedPage)]
    assert len(packed) == len(pages) == 2
    assert [page.unpack() for page in packed] == pages
    assert [(p.before_id, p.oldest_id, p.has_older) for p in packed] == [
        (p.before_id, p.oldest_id, p.has_older) for p in pages
    ]


async def test_what_a_read_raises_in_the_process_is_raised_to_the_caller(
    gateway: StoreGateway, store: LiveStore
) -> None:
    room, _ = _newest(store)
    with pytest.raises(InvalidInput, match="before: no log entry 999999 in interaction"):
        await gateway.read_history(read_older_pages, room, 999_999, 2, None, frozenset(), BASIS)
    assert gateway.history_ready  # an error of the read, not of the process


async def test_output_printed_in_the_process_does_not_break_its_answers(
    gateway: StoreGateway,
) -> None:
    assert await gateway.read_history(_noisy, 7) == 7
    assert await gateway.read_history(_noisy, 8) == 8


async def test_when_the_process_dies_reads_go_back_to_the_reader_thread(
    gateway: StoreGateway, store: LiveStore
) -> None:
    history = gateway.history
    assert history is not None
    pid = await gateway.read_history(_pid)
    os.kill(pid, signal.SIGKILL)
    await _until(lambda: history.failed)
    await _until(lambda: _gone(pid))  # reaped at once, not left a zombie until quitting

    assert not gateway.history_ready
    assert await gateway.read_history(_pid) == os.getpid()
    with pytest.raises(HistoryProcessGone):
        await history.run(_pid)


async def test_an_answer_the_dashboard_cannot_unpickle_fails_only_its_own_read(
    gateway: StoreGateway,
) -> None:
    with pytest.raises(ValueError, match="cannot rebuild"):
        await gateway.read_history(_unrebuildable)
    assert gateway.history_ready
    assert await gateway.read_history(_noisy, 9) == 9


async def test_a_store_the_process_cannot_open_leaves_it_failed(tmp_path: Path) -> None:
    not_a_store = tmp_path / "notes.txt"
    not_a_store.write_text("not a database\n" * 100)
    history = HistoryProcess(str(not_a_store))
    history.start()
    try:
        await _until(lambda: history.failed)
        assert not history.ready
    finally:
        history.close()


async def test_closing_the_gateway_stops_the_process(store: LiveStore) -> None:
    gateway = StoreGateway(store)
    gateway.start_history_process()
    await _until(lambda: gateway.history_ready)
    pid = await gateway.read_history(_pid)

    gateway.close()

    assert _gone(pid)  # not even a zombie is left


def test_a_store_in_memory_or_a_gateway_told_not_to_keeps_to_the_thread(
    store: LiveStore,
) -> None:
    in_memory = StoreGateway(open_store(":memory:"))
    told_not_to = StoreGateway(store, history_process=False)
    for gateway in (in_memory, told_not_to):
        gateway.start_history_process()
        assert gateway.history is None and not gateway.history_ready
        gateway.close()
