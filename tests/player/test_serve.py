"""`liveroom serve`: loopback by default, a token anywhere else, Ctrl+C ends every player.

Each test starts the real command on a free loopback port and talks to it over
127.0.0.1 only; every wait is bounded, and the server is killed if a test fails.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from store import LiveStore
from tests.player.scene import Fight

pytestmark = pytest.mark.slow

START_S = 30.0
STOP_S = 5.0
"""From Ctrl+C to the server and every player process gone: a websocket's heartbeat
alone would take 15 s and more."""


@dataclass
class Served:
    process: subprocess.Popen[str]
    port: int
    output: list[str]

    @property
    def link(self) -> str:
        """The first link the server printed for the players."""
        return next(line.strip() for line in self.output if line.strip().startswith("http"))

    @property
    def token(self) -> str | None:
        found = re.search(r"token=([\w-]+)", self.link)
        return found.group(1) if found else None

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(db: Path, room: str, host: str = "127.0.0.1") -> Iterator[Served]:
    """`liveroom serve ROOM --db DB --host HOST` on a free port, until the block ends."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app.cli",
            "serve",
            room,
            "--db",
            str(db),
            "--host",
            host,
            "--port",
            str(port),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    started = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if "Ctrl+C" in line:
                started.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        if not started.wait(START_S):
            pytest.fail("liveroom serve did not start:\n" + "".join(output))
        _wait_listening(port)
        yield Served(process, port, output)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def _wait_listening(port: int) -> None:
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    pytest.fail(f"nothing listens on port {port}")


def status_of(url: str, cookie: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def children_of(pid: int) -> set[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_loopback_serves_without_a_token(
    fight_db: Path, fight_store: tuple[LiveStore, Fight]
) -> None:
    _, fight = fight_store
    with serving(fight_db, str(fight.live)) as served:
        assert served.token is None
        assert served.link == f"http://127.0.0.1:{served.port}/"
        with urllib.request.urlopen(served.url(), timeout=10) as response:
            page = response.read().decode()
        assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in page
        assert status_of(served.url("/static/js/textual.js")) == 200


@pytest.mark.usefixtures("fight_store")
def test_beyond_loopback_every_request_needs_the_token(fight_db: Path) -> None:
    with serving(fight_db, "room-tallow", host="0.0.0.0") as served:
        token = served.token
        assert token and len(token) >= 24
        for path in ("/", "/ws", "/static/js/textual.js", "/?token=wrong"):
            assert status_of(served.url(path)) == 403, path
        assert status_of(served.url(f"/?token={token}")) == 200
        cookie = f"liveroom_player_token={token}"
        assert status_of(served.url("/static/js/textual.js"), cookie) == 200


@pytest.mark.usefixtures("fight_store")
def test_an_unknown_room_is_one_line_before_serving(fight_db: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "404", "--db", str(fight_db)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "404" in done.stderr


def test_ctrl_c_stops_the_server_and_every_player_process(
    fight_db: Path, fight_store: tuple[LiveStore, Fight]
) -> None:
    _, fight = fight_store
    with serving(fight_db, str(fight.live)) as served:
        players, interrupted = asyncio.run(_open_tabs_then_interrupt(served, tabs=2))
        assert served.process.wait(STOP_S) == 0
        while any(alive(pid) for pid in players) and time.monotonic() < interrupted + STOP_S:
            time.sleep(0.05)
        assert not [pid for pid in players if alive(pid)]
        assert time.monotonic() - interrupted < STOP_S


async def _open_tabs_then_interrupt(served: Served, tabs: int) -> tuple[set[int], float]:
    """Open `tabs` websockets as browser tabs do, wait for each player's first frame,
    then press Ctrl+C (SIGINT) on the server alone while they are open: the players,
    and when (time.monotonic()) the server was interrupted."""
    async with aiohttp.ClientSession() as session:
        sockets = [
            await session.ws_connect(served.url("/ws?width=80&height=24")) for _ in range(tabs)
        ]
        for websocket in sockets:
            frame = await asyncio.wait_for(websocket.receive(), START_S)
            assert frame.type == aiohttp.WSMsgType.BINARY
        players = children_of(served.process.pid)
        assert len(players) == tabs
        served.process.send_signal(signal.SIGINT)
        interrupted = time.monotonic()
        for websocket in sockets:  # the server closes every tab as it stops
            while not websocket.closed:
                try:
                    await asyncio.wait_for(websocket.receive(), STOP_S)
                except aiohttp.ClientConnectionResetError:
                    break  # closed under the client's feet: closed all the same
    return players, interrupted
