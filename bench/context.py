"""What every figure gets: the sizes, the number of runs, the data built for this run."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.data import BigStore
from bench.sizes import Sizes

ROOT = Path(__file__).resolve().parents[1]
"""The repository root: subprocesses run from here so `bench`, `app` and `store` import."""


@dataclass(frozen=True)
class Context:
    """Shared by the figure modules; `workdir` is the run's temporary directory."""

    sizes: Sizes
    runs: int
    seed: int
    workdir: Path
    big: BigStore

    def child_env(self) -> dict[str, str]:
        """The environment for a subprocess: per-user data redirected into the temp dir.

        Every store is opened by explicit path; pointing XDG_DATA_HOME into the
        temporary directory also guarantees nothing can reach the user's own
        database by accident.
        """
        env = dict(os.environ)
        env["XDG_DATA_HOME"] = str(self.workdir / "xdg-data")
        env.pop("LIVEROOM_DB", None)
        env["PYTHONPATH"] = os.pathsep.join(
            part for part in (str(ROOT), env.get("PYTHONPATH", "")) if part
        )
        return env

    @property
    def python(self) -> str:
        return sys.executable
