"""The benchmark suite still runs end to end: a tiny run of `python -m bench`, checked for shape.

The structure of the JSON is asserted, and that the dashboard ran as one
process, never a speed: a slow machine makes figures miss their targets,
and that must not fail the test suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

EXPECTED_KEYS = {
    "1.startup_paint",
    "2.store_call",
    "2.paint",
    "3.store_page_max",
    "3.store_page_p95",
    "3.store_rss",
    "3.widget_page_max",
    "3.widget_page_p95",
    "3.widget_rss",
    "4.single_event_rate",
    "5.batch_event_rate",
    "6.live_latency_p95",
    "6.live_missing",
    "7.idle_cpu.rooms",
    "7.idle_cpu.room",
    "8.rss.rooms",
    "8.rss.room",
    "9.expire_all_overdue",
    "9.expire_none_overdue",
}
ROW_FIELDS = {
    "key",
    "figure",
    "what",
    "value",
    "unit",
    "target",
    "baseline",
    "baseline_what",
    "ratio",
    "pass",
    "runs",
    "details",
}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict:
    output = tmp_path_factory.mktemp("bench") / "latest.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--profile",
            "tiny",
            "--runs",
            "1",
            "--output",
            str(output),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(output.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_every_figure_is_reported(results: dict) -> None:
    keys = [row["key"] for row in results["figures"]]
    assert set(keys) == EXPECTED_KEYS
    assert len(keys) == len(set(keys))
    assert {row["figure"] for row in results["figures"]} == set(range(1, 10))


@pytest.mark.slow
def test_each_row_has_value_target_baseline_and_verdict(results: dict) -> None:
    for row in results["figures"]:
        assert row.keys() >= ROW_FIELDS, row["key"]
        assert isinstance(row["pass"], bool)
        assert row["target"]["kind"] in {"at_most", "at_least", "ratio_at_most"}
        assert row["target"]["text"]
        assert row["baseline_what"]
        assert len(row["runs"]) >= 1
        assert row["value"] is None or isinstance(row["value"], int | float)


@pytest.mark.slow
def test_dashboard_counts_every_process_it_starts(results: dict) -> None:
    rows = {row["key"]: row for row in results["figures"]}
    assert rows["1.startup_paint"]["details"]["processes"] == 1
    assert rows["8.rss.room"]["details"]["processes"] >= 1


@pytest.mark.slow
def test_run_metadata(results: dict) -> None:
    assert results["sizes"]["name"] == "tiny"
    assert results["runs"] == 1
    assert results["machine"]["nproc"] >= 1
    assert results["machine"]["python"]
    assert results["data"]["events"] > 0
    assert "keyset_page" in results["diagnosis"]["big_room_query_plans"]
    assert results["duration_s"] >= 0
