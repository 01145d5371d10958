"""The player view's window on the store: opened read-only, always.

A store opened read-only refuses every write (StoreUnavailable), so nothing a
player does can change the fight. One SQLite detail needs care: a file opened
read-only while no writer has it open is read "immutable" (store/sqlite.py),
which never sees a writer that starts later. The player view is often opened
before the game master's console, so the source reopens the store once a
writer's -wal file appears, and the screen then reads the room afresh. A writer
that opens, writes and closes between two polls (a short script) removes its
-wal again as it goes; the only trace is the database file itself, so while the
store is read immutable the source also watches the file's stat and reopens
when it moved.
"""

from __future__ import annotations

import os
import threading

from store import RUNNING_STATUSES, LiveStore, NotFound, open_store
from store.clock import Clock, system_clock


def resolve_room(store: LiveStore, room: str | int) -> int:
    """The interaction a player asks for: its id (the rooms table's #), or the id of the
    live room it holds while it is live or paused. NotFound names what was asked."""
    text = str(room).strip()
    if text.isdigit():
        interaction_id = int(text)
        store.get_interaction(interaction_id, with_snapshot=False)  # NotFound if unknown
        return interaction_id
    for summary in store.list_room_summaries():
        if summary.live_room_id == text and summary.status in RUNNING_STATUSES:
            return summary.id
    raise NotFound(f"no interaction {text!r}, and no live or paused room with that id")


class PlayerSource:
    """A read-only store for one player view, reopened when a SQLite writer appears.

    Built on the thread that opens it; after that only the app's reader thread
    calls it (change_token, and the store's reads through RoomFeed).
    """

    def __init__(self, target: str | os.PathLike[str] | None, *, clock: Clock = system_clock):
        self._target = target
        self._clock = clock
        self._lock = threading.Lock()
        self._wal: str | None = None
        self._blind = False
        """Maybe read immutable: then it sees no later commit until reopened."""
        self._seen: tuple[int, int, int] | None = None
        """The database file's stat from just before it was last opened."""
        self.store = self._open()
        self.store.close()  # this thread's connection: the reader thread opens its own
        self.generation = 0
        """Counts reopenings: a reader built on an older store starts afresh."""

    def _open(self, path: str | None = None) -> LiveStore:
        """Open the store read-only, noting whether it may be read immutable.

        On a reopening (`path` known) the file's stat and the -wal's absence are
        taken before opening, so a commit landing meanwhile moves the stat and is
        not missed, and a store that may have been opened immutable is watched. At
        worst that costs one needless reopening. On the first opening the reader
        thread connects later, so what is found just after opening is as good.
        """
        seen = _file_stat(path) if path else None
        wal_before = path is None or os.path.exists(f"{path}-wal")
        store = open_store(self._target, read_only=True, clock=self._clock)
        if not os.path.isfile(store.path):  # PostgreSQL: every read sees every commit
            self._wal, self._blind, self._seen = None, False, None
            return store
        self._wal = f"{store.path}-wal"
        self._blind = not (wal_before and os.path.exists(self._wal))
        self._seen = seen if path else _file_stat(store.path)
        return store

    def _stale(self) -> bool:
        """Whether an immutable store may miss a commit: a writer's -wal appeared, or a
        writer came and went (the file changed under it)."""
        if not self._blind or self._wal is None:
            return False
        return os.path.exists(self._wal) or _file_stat(self.store.path) != self._seen

    def change_token(self) -> tuple[int, int]:
        """(generation, the store's change token): moves when anything was committed, or
        when the store was reopened to see a writer that started after it was opened."""
        with self._lock:
            if self._stale():
                reopened = self._open(self.store.path)
                self.store.close()
                self.store = reopened
                self.generation += 1
            return self.generation, self.store.change_token()

    def close(self) -> None:
        """Close the calling thread's connection."""
        self.store.close()


def _file_stat(path: str) -> tuple[int, int, int] | None:
    """What moves when a writer changes the file: its mtime, size and inode."""
    try:
        stat = os.stat(path)
    except OSError:
        return None  # gone for now: the next read says so
    return stat.st_mtime_ns, stat.st_size, stat.st_ino
