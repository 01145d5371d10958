"""The start-up helper (app.first_rooms) and the dashboard as the command builds it."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from app.cli import dashboard_app
from app.first_rooms import FirstRooms, ListedRoom, main
from store import LiveStore, RoomSummary, StoreUnavailable, open_store
from tests.conftest import FakeClock
from tests.ui.scenes import build_scene

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def scene_db(tmp_path: Path) -> Path:
    path = tmp_path / "scene.db"
    clock = FakeClock()
    with open_store(path, clock=clock) as store:
        build_scene(store, clock)
    return path


def listed(store: LiveStore) -> list[ListedRoom]:
    """The store's rooms as the helper should hand them over."""
    return [
        ListedRoom(*(getattr(room, field) for field in ListedRoom._fields))
        for room in store.list_room_summaries()
    ]


def test_a_listed_room_has_the_fields_of_a_room_summary_in_order() -> None:
    assert ListedRoom._fields == tuple(RoomSummary.model_fields)


def test_the_helper_prints_every_room_of_the_store(scene_db: Path) -> None:
    output = io.StringIO()
    with redirect_stdout(output):
        assert main([str(scene_db)]) == 0
    with open_store(scene_db) as store:
        expected = listed(store)
    assert len(expected) > 1
    assert [ListedRoom(*row) for row in json.loads(output.getvalue())] == expected


def test_the_dashboard_collects_the_rooms_from_a_helper_process(scene_db: Path) -> None:
    helper = FirstRooms.start(str(scene_db))
    assert helper is not None
    with open_store(scene_db) as store:
        assert helper.rooms() == listed(store)


def test_a_store_the_helper_cannot_open_gives_no_rooms(tmp_path: Path) -> None:
    not_a_store = tmp_path / "notes.db"
    not_a_store.write_text("a shopping list, not a database\n" * 200)
    helper = FirstRooms.start(str(not_a_store))
    assert helper is not None
    assert helper.rooms() is None


@pytest.mark.parametrize(
    "script",
    ["import time; time.sleep(30)", "print('not json')", "print('[[1, 2]]')"],
    ids=["too-slow", "not-json", "wrong-shape"],
)
def test_a_helper_that_hangs_or_talks_nonsense_gives_no_rooms(script: str) -> None:
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    assert FirstRooms(process).rooms(timeout=2.0) is None
    assert process.poll() is not None  # a hung helper is stopped, not left behind


def test_the_dashboard_starts_on_the_helpers_rooms_with_the_store_not_yet_open(
    scene_db: Path,
) -> None:
    app = dashboard_app(str(scene_db))
    try:
        assert not app.gateway.is_open
        with open_store(scene_db) as store:
            assert list(app._first_rooms) == listed(store)
    finally:
        app.gateway.close()


def test_when_the_helper_fails_the_store_is_opened_first_and_its_error_raised(
    tmp_path: Path,
) -> None:
    not_a_store = tmp_path / "notes.db"
    not_a_store.write_text("a shopping list, not a database\n" * 200)
    with pytest.raises(StoreUnavailable, match="not an SQLite file"):
        dashboard_app(str(not_a_store))


def test_the_dashboard_paints_before_it_imports_pydantic_or_peewee() -> None:
    """What the rooms screen needs is plain Python and Textual: the store's dependencies
    load after the first paint, on the reader thread (app.first_rooms)."""
    code = (
        "import sys\n"
        "import app.app, app.cli, app.first_rooms\n"
        "print(sorted({name.split('.')[0] for name in sys.modules} & {'pydantic', 'peewee'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "[]", result.stderr
