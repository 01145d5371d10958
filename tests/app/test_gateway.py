"""StoreGateway with a store still to be opened: opened once, on the reader thread, when asked."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from app.gateway import StoreGateway
from store import LiveStore, StoreUnavailable, open_store


class Opener:
    """Opens the store at `path`, counting the calls and noting the thread."""

    def __init__(self, path: Path, error: Exception | None = None) -> None:
        self.path = path
        self.error = error
        self.threads: list[str] = []

    def __call__(self) -> LiveStore:
        self.threads.append(threading.current_thread().name)
        if self.error is not None:
            raise self.error
        return open_store(self.path)


def test_the_store_is_opened_once_on_the_reader_thread_when_first_asked_for(
    tmp_path: Path,
) -> None:
    opener = Opener(tmp_path / "late.db")
    gateway = StoreGateway(opener=opener)
    try:
        assert opener.threads == []
        assert not gateway.is_open
        store = gateway.store
        assert gateway.store is store
        assert gateway.is_open
        assert len(opener.threads) == 1
        assert opener.threads[0].startswith("liveroom-read")
    finally:
        gateway.close()


async def test_ready_opens_it_without_blocking_and_reads_follow(tmp_path: Path) -> None:
    opener = Opener(tmp_path / "late.db")
    gateway = StoreGateway(opener=opener)
    try:
        store = await gateway.ready()
        room = await gateway.write(store.create_interaction, name="Late", dm_user_id="dm")
        assert (await gateway.read(store.get_interaction, room.id)).name == "Late"
    finally:
        gateway.close()


async def test_a_store_that_fails_to_open_raises_each_time_it_is_asked_for(
    tmp_path: Path,
) -> None:
    opener = Opener(tmp_path / "late.db", StoreUnavailable("the disk went away"))
    gateway = StoreGateway(opener=opener)
    with pytest.raises(StoreUnavailable):
        await gateway.ready()
    with pytest.raises(StoreUnavailable):
        gateway.store  # noqa: B018 - the property is what is tested
    assert not gateway.is_open
    assert len(opener.threads) == 1
    gateway.close()  # nothing to close, and no error


def test_a_store_never_asked_for_is_never_opened(tmp_path: Path) -> None:
    opener = Opener(tmp_path / "late.db")
    StoreGateway(opener=opener).close()
    assert opener.threads == []
    assert not (tmp_path / "late.db").exists()


def test_a_gateway_takes_a_store_or_an_opener(tmp_path: Path) -> None:
    with open_store(tmp_path / "open.db") as store, pytest.raises(TypeError):
        StoreGateway(store, opener=lambda: store)
    with pytest.raises(TypeError):
        StoreGateway()


def test_quitting_while_the_store_opens_does_not_wait_and_the_store_is_closed_once_open(
    tmp_path: Path,
) -> None:
    go_on = threading.Event()
    closed_on: list[str] = []

    def slow_opener() -> LiveStore:
        assert go_on.wait(10.0)
        store = open_store(tmp_path / "slow.db")
        close = store.close

        def recorded_close() -> None:
            closed_on.append(threading.current_thread().name)
            close()

        store.close = recorded_close  # type: ignore[method-assign]
        return store

    gateway = StoreGateway(opener=slow_opener)
    gateway._open()  # asked for, as the first poll does
    started = time.monotonic()
    gateway.close()
    assert time.monotonic() - started < 1.0
    go_on.set()
    deadline = time.monotonic() + 10.0
    while not closed_on and time.monotonic() < deadline:
        time.sleep(0.01)
    assert closed_on and closed_on[0].startswith("liveroom-read")
