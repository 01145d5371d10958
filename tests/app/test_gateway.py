"""The gateway runs reads and writes on a thread each, in the order they were asked for."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from app.gateway import StoreGateway
from store import open_store


async def test_reads_and_writes_run_on_their_own_threads(tmp_path: Path) -> None:
    gateway = StoreGateway(open_store(tmp_path / "game.db"))
    try:
        reader = await gateway.read(lambda: threading.current_thread().name)
        writer = await gateway.write(lambda: threading.current_thread().name)
    finally:
        gateway.close()
    assert reader.startswith("liveroom-read")
    assert writer.startswith("liveroom-write")


async def test_writes_are_applied_in_the_order_they_were_asked_for(tmp_path: Path) -> None:
    store = open_store(tmp_path / "game.db")
    gateway = StoreGateway(store)
    try:
        created = await gateway.write(store.create_interaction, name="Order", dm_user_id="u-dm")
        limits = [10, 20, 30, 40, 50]
        await asyncio.gather(
            *(
                gateway.write(store.update_turn_settings, created.id, turn_time_limit=limit)
                for limit in limits
            )
        )
        stored = await gateway.read(store.get_interaction, created.id)
    finally:
        gateway.close()
    assert stored.turn_time_limit == limits[-1]
