"""`liveroom copy` reads its source without writing to it: a missing source is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.copy import copy_store
from store import StoreUnavailable, open_store
from tests.conftest import FakeClock


def test_a_missing_source_is_refused_and_nothing_is_created(tmp_path: Path) -> None:
    missing, destination = tmp_path / "missing.db", tmp_path / "x.db"
    with pytest.raises(StoreUnavailable, match="no liveroom store at"):
        copy_store(missing, destination)
    assert not missing.exists()
    assert not destination.exists()


def test_the_command_exits_2_naming_the_missing_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing, destination = tmp_path / "missing.db", tmp_path / "x.db"
    assert main(["copy", "--from", str(missing), "--to", str(destination)]) == 2
    captured = capsys.readouterr()
    assert f"no liveroom store at {missing}" in captured.err
    assert captured.out == ""
    assert sorted(tmp_path.iterdir()) == []


def test_the_source_is_left_byte_for_byte(tmp_path: Path, clock: FakeClock) -> None:
    source, destination = tmp_path / "source.db", tmp_path / "destination.db"
    with open_store(source, clock=clock) as store:
        store.create_interaction(name="Ambush", dm_user_id="dm")
    before = source.read_bytes()
    report = copy_store(source, destination)
    assert report.copied["interactions"] == 1 == report.verified["interactions"]
    assert source.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["destination.db", "source.db"]
