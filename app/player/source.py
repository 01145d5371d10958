"""The player view's window on the store: opened read-only, always.

A store opened read-only refuses every write (StoreUnavailable), so nothing a
player does can change the fight. One SQLite detail needs care: a file opened
read-only while no writer has it open is read "immutable" (store/sqlite.py),
which never sees a writer that starts later. The player view is often opened
before the game master's console, so the source reopens the store once a
writer's -wal file appears, and the screen then reads the room afresh.
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
        self.store = open_store(target, read_only=True, clock=clock)
        self.store.close()  # this thread's connection: the reader thread opens its own
        self.generation = 0
        """Counts reopenings: a reader built on an older store starts afresh."""
        self._wal = self._wal_path()
        self._blind = self._wal is not None and not os.path.exists(self._wal)

    def _wal_path(self) -> str | None:
        path = self.store.path
        return f"{path}-wal" if os.path.isfile(path) else None  # None: PostgreSQL

    def change_token(self) -> tuple[int, int]:
        """(generation, the store's change token): moves when anything was committed, or
        when the store was reopened to see a writer that started after it was opened."""
        with self._lock:
            if self._blind and self._wal is not None and os.path.exists(self._wal):
                reopened = open_store(self._target, read_only=True, clock=self._clock)
                self.store.close()
                self.store = reopened
                self._blind = False
                self.generation += 1
            return self.generation, self.store.change_token()

    def close(self) -> None:
        """Close the calling thread's connection."""
        self.store.close()
