"""The `liveroom` command line, run as a user runs it: a separate process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from store import open_store
from tests.conftest import FakeClock
from tests.ui.scenes import build_scene

ROOT = Path(__file__).resolve().parents[2]


def liveroom(
    *arguments: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *arguments],
        cwd=ROOT,
        text=True,
        capture_output=True,
        timeout=120,
        env=env,
    )


def test_simulate_plays_an_empty_store_for_a_while(tmp_path: Path) -> None:
    db = tmp_path / "sim.db"
    result = liveroom(
        "simulate", "--db", str(db), "--rooms", "2", "--rate", "40", "--duration", "1"
    )
    assert result.returncode == 0, result.stderr
    assert "simulated" in result.stdout
    with open_store(db) as store:
        live = store.get_all_live_interactions()
        assert len(live) == 2
        assert sum(len(store.get_interaction_logs(room.id, limit=1000)) for room in live) > 10


def test_export_writes_a_session_as_json_lines(tmp_path: Path) -> None:
    db = tmp_path / "export.db"
    with open_store(db, clock=FakeClock()) as store:
        scene = build_scene(store, FakeClock())
    result = liveroom("export", str(scene.live), "--db", str(db), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    kinds = [json.loads(line)["kind"] for line in result.stdout.splitlines()]
    assert kinds.count("turn") == 2
    assert kinds[0] == "event"


def test_liveroom_db_environment_variable_picks_the_store(tmp_path: Path) -> None:
    db = tmp_path / "from-env.db"
    with open_store(db) as store:
        created = store.create_interaction(name="Env room", dm_user_id="dm")
    env = {"PATH": "/usr/bin:/bin", "LIVEROOM_DB": str(db), "HOME": str(tmp_path)}
    result = liveroom("export", str(created.id), "--format", "md", env=env)
    assert result.returncode == 0, result.stderr
    assert "Env room" in result.stdout


def test_export_of_an_unknown_interaction_is_one_line_and_fails(tmp_path: Path) -> None:
    open_store(tmp_path / "empty.db").close()
    result = liveroom("export", "999", "--db", str(tmp_path / "empty.db"))
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == ["liveroom: interaction 999 not found"]


def test_idle_minutes_below_one_is_a_usage_error(tmp_path: Path) -> None:
    for value in ("0", "-5", "0.5", "nan", "soon"):
        result = liveroom("--db", str(tmp_path / "game.db"), "--idle-minutes", value, "export", "1")
        assert result.returncode == 2, value
        assert "--idle-minutes" in result.stderr
    assert not (tmp_path / "game.db").exists()


def test_export_never_creates_a_store(tmp_path: Path) -> None:
    typo = tmp_path / "typo.db"
    result = liveroom("export", "1", "--db", str(typo))
    assert result.returncode == 2
    assert str(typo) in result.stderr
    assert not typo.exists()
    assert list(tmp_path.iterdir()) == []
