"""The start-up helper (app.first_rooms) and the dashboard as the command builds it.

The helper is forked, which the module allows only while one thread runs; the
tests that fork it run in a fresh interpreter, as the command does.
"""

from __future__ import annotations

import gc
import io
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from app.cli import dashboard_app
from app.first_rooms import FirstRooms, ListedRoom, write_rooms
from store import LiveStore, RoomSummary, StoreError, StoreUnavailable, open_store
from tests.conftest import FakeClock
from tests.ui.scenes import build_scene

ROOT = Path(__file__).resolve().parents[2]
needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this platform")


@pytest.fixture
def scene_db(tmp_path: Path) -> Path:
    path = tmp_path / "scene.db"
    clock = FakeClock()
    with open_store(path, clock=clock) as store:
        build_scene(store, clock)
    return path


@pytest.fixture
def not_a_store(tmp_path: Path) -> Path:
    path = tmp_path / "notes.db"
    path.write_text("a shopping list, not a database\n" * 200)
    return path


def listed(store: LiveStore) -> list[ListedRoom]:
    """The store's rooms as the helper should hand them over."""
    return [
        ListedRoom(*(getattr(room, field) for field in ListedRoom._fields))
        for room in store.list_room_summaries()
    ]


def in_fresh_python(code: str) -> str:
    """Run `code` in a new single-threaded interpreter, as the command runs; its stdout."""
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_listed_room_has_the_fields_of_a_room_summary_in_order() -> None:
    assert ListedRoom._fields == tuple(RoomSummary.model_fields)


def test_the_helper_writes_every_room_of_the_store(scene_db: Path) -> None:
    output = io.StringIO()
    write_rooms(str(scene_db), output)
    with open_store(scene_db) as store:
        expected = listed(store)
    assert len(expected) > 1
    assert [ListedRoom(*row) for row in json.loads(output.getvalue())["rooms"]] == expected


def test_a_store_the_helper_cannot_open_is_written_as_its_error(not_a_store: Path) -> None:
    output = io.StringIO()
    write_rooms(str(not_a_store), output)
    answer = json.loads(output.getvalue())
    assert answer["error"] == "StoreUnavailable"
    assert "not an SQLite file" in answer["message"]


@needs_fork
def test_the_dashboard_collects_the_rooms_from_a_forked_helper(scene_db: Path) -> None:
    rooms = in_fresh_python(
        "import json\n"
        "from app.first_rooms import FirstRooms\n"
        f"helper = FirstRooms.start({str(scene_db)!r})\n"
        "print(json.dumps(helper.rooms()))\n"
    )
    with open_store(scene_db) as store:
        assert [ListedRoom(*row) for row in json.loads(rooms)] == listed(store)


@needs_fork
def test_a_store_the_helper_cannot_open_raises_its_error_in_the_dashboard(
    not_a_store: Path,
) -> None:
    answer = in_fresh_python(
        "from app.first_rooms import FirstRooms\n"
        "from store.errors import StoreError\n"
        f"helper = FirstRooms.start({str(not_a_store)!r})\n"
        "try:\n"
        "    helper.rooms()\n"
        "except StoreError as error:\n"
        "    print(type(error).__name__, error)\n"
    )
    assert answer.startswith("StoreUnavailable ")
    assert "not an SQLite file" in answer


def test_no_helper_is_forked_while_other_threads_run(scene_db: Path) -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert FirstRooms.start(str(scene_db)) is None
    finally:
        release.set()
        other.join()


def stand_in_helper(written: bytes | None, code: int = 0) -> tuple[FirstRooms, int]:
    """A forked child that writes `written` and exits with `code` (None: hangs instead);
    the parent's FirstRooms for it, and its pid."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # nothing here but a write, a sleep and an exit
        if written is None:
            time.sleep(30)
        else:
            os.write(write_end, written)
        os._exit(code)
    os.close(write_end)
    return FirstRooms(pid, read_end), pid


def assert_reaped(pid: int) -> None:
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no process is left behind


@needs_fork
@pytest.mark.parametrize(
    ("written", "code"),
    [
        (None, 0),
        (b"not json", 0),
        (b"[[1, 2]]", 0),
        (b'{"rooms": [[1, 2]]}', 0),
        (b'{"rooms": []}', 70),
    ],
    ids=["hangs", "not-json", "wrong-shape", "short-rows", "crashed"],
)
def test_a_helper_that_hangs_crashes_or_talks_nonsense_gives_no_rooms(
    written: bytes | None, code: int
) -> None:
    helper, pid = stand_in_helper(written, code)
    assert helper.rooms(timeout=1.0) is None
    assert_reaped(pid)


@needs_fork
def test_an_error_the_store_does_not_define_is_raised_as_a_store_error() -> None:
    helper, _ = stand_in_helper(b'{"error": "SystemExit", "message": "the disk went away"}')
    with pytest.raises(StoreError, match="the disk went away") as raised:
        helper.rooms(timeout=5.0)
    assert type(raised.value) is StoreError


@needs_fork
def test_a_helper_stopped_before_its_rooms_are_in_is_not_left_behind() -> None:
    helper, pid = stand_in_helper(None)
    helper.stop()
    assert_reaped(pid)
    helper.stop()  # twice is harmless


@needs_fork
def test_the_dashboard_starts_on_the_helpers_rooms_with_the_store_not_yet_open(
    scene_db: Path,
) -> None:
    answer = in_fresh_python(
        "from app.cli import dashboard_app\n"
        f"app = dashboard_app({str(scene_db)!r})\n"
        "print(app.gateway.is_open, [room.id for room in app._first_rooms])\n"
        "app.gateway.close()\n"
    )
    with open_store(scene_db) as store:
        ids = [room.id for room in store.list_room_summaries()]
    assert answer.strip() == f"False {ids}"


def test_without_the_helpers_rooms_the_store_is_opened_first_and_its_error_raised(
    not_a_store: Path,
) -> None:
    try:
        with pytest.raises(StoreUnavailable, match="not an SQLite file"):
            dashboard_app(str(not_a_store))
    finally:
        gc.enable()  # dashboard_app paused it for a start-up that never came


def test_the_dashboard_paints_before_it_imports_pydantic_or_peewee() -> None:
    """What the rooms screen needs is plain Python and Textual: the store's dependencies
    load after the first paint, on the reader thread (app.first_rooms)."""
    loaded = in_fresh_python(
        "import sys\n"
        "import app.app, app.cli, app.first_rooms\n"
        "print(sorted({name.split('.')[0] for name in sys.modules} & {'pydantic', 'peewee'}))\n"
    )
    assert loaded.strip() == "[]"
