"""Another process writes into the store; the dashboard shows it without being asked."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.app import LiveroomApp
from store import LiveStore
from tests.ui.conftest import SIZE, open_room, settle
from tests.ui.scenes import Scene
from widgets.event_log import EventLog
from widgets.participant_list import ParticipantList

WRITER = textwrap.dedent("""
    import sys
    from store import open_store

    path, interaction_id = sys.argv[1], int(sys.argv[2])
    with open_store(path) as store:
        store.update_connected_participants(interaction_id, "u-ivo", "join")
        for number in range(25):
            store.log_interaction_event(interaction_id, "DICE_ROLL",
                                        {"notation": "1d20", "result": number}, "room-tallow")
""")


def _write_from_another_process(path: str, interaction_id: int) -> None:
    root = Path(__file__).resolve().parents[2]
    subprocess.run(
        [sys.executable, "-c", WRITER, path, str(interaction_id)], check=True, cwd=root, timeout=60
    )


async def test_events_from_another_process_appear(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    store, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await open_room(pilot, scene.live)
        log = pilot.app.screen.query_one(EventLog)
        before = len(log.entries)
        _write_from_another_process(store.path, scene.live)
        await settle(pilot)
        rolls = [entry for entry in log.entries if entry.event_type == "DICE_ROLL"]
        assert len(log.entries) == before + 26
        assert [entry.event_data["result"] for entry in rolls[-25:]] == list(range(25))
        participants = pilot.app.screen.query_one(ParticipantList)
        assert "u-ivo" in participants.user_ids


async def test_rooms_screen_follows_status_changes(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene]
) -> None:
    from widgets.rooms_table import RoomsTable

    store, scene = scene_store
    async with dashboard.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")
        table = pilot.app.screen.query_one(RoomsTable)
        assert scene.live in table.interaction_ids
        store.pause_interaction(scene.live)
        await settle(pilot)
        assert scene.live not in table.interaction_ids


async def test_the_rooms_screen_re_reads_only_the_room_that_changed(
    dashboard: LiveroomApp, scene_store: tuple[LiveStore, Scene], monkeypatch: pytest.MonkeyPatch
) -> None:
    from widgets.rooms_table import RoomsTable

    store, scene = scene_store
    reads: list[object] = []
    list_room_summaries = store.list_room_summaries

    def recording(*args: object, **kwargs: object) -> object:
        reads.append(kwargs.get("ids"))
        return list_room_summaries(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "list_room_summaries", recording)
    async with dashboard.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert reads == [None]  # the first read takes every room at once
        _write_from_another_process(store.path, scene.live)
        await settle(pilot)
        assert reads[1:] == [[scene.live]]
        table = pilot.app.screen.query_one(RoomsTable)
        assert table.cells(scene.live)["players"].plain == "3"
