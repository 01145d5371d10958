"""A throw-away PostgreSQL server of the test's own, for the tests that stop and restart one.

The shared server (LIVEROOM_TEST_POSTGRES_URL) must stay up for every other
test, so a restart test starts its own with initdb in a temporary directory,
listening on 127.0.0.1 only, on a free port. PostgreSQL refuses to run as
root: as root the server runs as the `postgres` user (Debian's package
creates it).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def find_bindir() -> Path | None:
    """The directory of initdb and pg_ctl: on PATH, or Debian's /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    candidates.sort(key=lambda path: int(v) if (v := Path(path).parts[-3]).isdigit() else 0)
    return Path(candidates[-1]).parent if candidates else None


def run_as() -> list[str] | None:
    """The command prefix that runs the server as a non-root user; None when there is none."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return None
    runuser = shutil.which("runuser")
    return [runuser, "-u", "postgres", "--"] if runuser else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PrivateServer:
    """initdb, start, stop and start again: one server in a temporary directory."""

    def __init__(self, bindir: Path, prefix: list[str]) -> None:
        self.bindir = bindir
        self.prefix = prefix
        self.directory = Path(tempfile.mkdtemp(prefix="liveroom-pg-"))
        self.data = self.directory / "data"
        self.port = free_port()
        if prefix:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "liveroom",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://liveroom@127.0.0.1:{self.port}/{dbname}"

    def start(self) -> None:
        # fsync=off survives the process crashes these tests cause (the OS keeps
        # the writes), synchronous_commit=off would not: a crash would lose commits.
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.directory} "
            "-c fsync=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.directory / "log"),
            "-w",
            "-o",
            options,
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: "fast" ends sessions cleanly, "immediate" is a crash."""
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", mode, "stop")

    def destroy(self) -> None:
        subprocess.run(
            [
                *self.prefix,
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-m",
                "immediate",
                "stop",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
            timeout=60,
        )
        shutil.rmtree(self.directory, ignore_errors=True)

    def _run(self, program: str, *arguments: str) -> None:
        # No pipes: the server inherits them from pg_ctl and would keep them open.
        subprocess.run(
            [*self.prefix, str(self.bindir / program), *arguments],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
            timeout=120,
        )
