"""LiveStore, the public face of the store, and open_store, which makes one.

LiveStore is the operation classes together (store/__init__.py says which
module holds each operation); this module holds the interactions' and users'.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterable, Sequence
from typing import Any

from store.batch import BatchOperations
from store.clock import Clock
from store.core import (
    SUMMARY_COLUMNS,
    encode_column,
    interactions_from_rows,
    summaries_from_rows,
    writes,
)
from store.engine import Engine
from store.errors import InvalidInput
from store.events import EventOperations
from store.lifecycle import LifecycleOperations
from store.limits import MAX_ID_LENGTH, MAX_NAME_LENGTH
from store.models import STATUSES, InitiativeEntry, Interaction, LiveState, RoomSummary, User
from store.sqlite import SqliteEngine, resolve_target
from store.transfer import TransferOperations
from store.validation import (
    NewInteraction,
    check_bool,
    check_choice,
    check_initiative_order,
    check_interaction_id,
    check_interaction_ids,
    check_text,
    check_user_ids,
    parse,
)

RECENT_LOGS = 50
_IDS_PER_QUERY = 500
"""Ids bound per IN (...) query: well inside both engines' parameter limits."""


class LiveStore(LifecycleOperations, BatchOperations, EventOperations, TransferOperations):
    """Every live interaction's data and the operations on it.

    One LiveStore per process is the rule (it keeps one connection per
    thread); several processes may open the same database at once.
    """

    @writes
    def create_interaction(
        self,
        *,
        name: str,
        dm_user_id: str,
        description: str | None = None,
        campaign_id: str | None = None,
        initiative_order: Sequence[InitiativeEntry | dict[str, Any]] | None = None,
        turn_time_limit: int = 90,
        chat_enabled: bool = True,
        allow_private_chat: bool = True,
    ) -> Interaction:
        """A new idle interaction; turns start when it goes live."""
        order = [] if initiative_order is None else check_initiative_order(initiative_order)
        new = parse(
            NewInteraction,
            {
                "name": name,
                "dm_user_id": dm_user_id,
                "description": description,
                "campaign_id": campaign_id,
                "turn_time_limit": turn_time_limit,
                "chat_enabled": chat_enabled,
                "allow_private_chat": allow_private_chat,
            },
        )

        def write() -> Interaction:
            now = self._now()
            columns = new.model_dump(exclude={"initiative_order"})
            interaction_id = self._tables.interactions.insert(
                **columns,
                status="idle",
                initiative_order=encode_column("initiative_order", order),
                connected_participants="[]",
                round_number=0,
                turn_number=0,
                created_at=now,
                updated_at=now,
                last_activity=now,
            ).execute()
            return self._fetch(interaction_id, with_snapshot=True)

        return self._write(write)

    def get_interaction(self, interaction_id: int, *, with_snapshot: bool = True) -> Interaction:
        """One interaction with all its fields; NotFound for an unknown id.

        with_snapshot=False leaves last_state_snapshot as None: a view polling
        the room need not read a snapshot of up to 8 MiB each time.
        """
        check_bool(with_snapshot, "with_snapshot")
        return self._read(lambda: self._fetch(interaction_id, with_snapshot=with_snapshot))

    def list_interactions(
        self,
        status: str | None = None,
        *,
        with_snapshot: bool = True,
        ids: Sequence[int] | None = None,
    ) -> list[Interaction]:
        """Every interaction (or those with one status, or those of `ids`), by id.

        with_snapshot=False leaves last_state_snapshot as None. A view listing
        many rooms wants list_room_summaries() instead: a fraction of the cost.
        """
        check_bool(with_snapshot, "with_snapshot")
        columns = self._interaction_columns(with_snapshot)
        return interactions_from_rows(self._interaction_rows(columns, status, ids))

    def list_room_summaries(
        self, status: str | None = None, *, ids: Sequence[int] | None = None
    ) -> list[RoomSummary]:
        """Every interaction as a list of rooms shows it (or those with one status, or of `ids`).

        `ids` reads just those (unknown ones are left out): with
        interaction_revisions(), a view re-reads only the rooms that changed.
        """
        table = self._tables.interactions
        columns = [getattr(table, name) for name in SUMMARY_COLUMNS]
        return summaries_from_rows(self._interaction_rows(columns, status, ids))

    def _interaction_rows(
        self, columns: Sequence[Any], status: object, ids: object
    ) -> list[dict[str, Any]]:
        """The columns of every interaction, of one status or of some ids, by id, in one view."""
        if status is not None:
            check_choice(status, "status", STATUSES)
        wanted = None if ids is None else check_interaction_ids(ids)
        table = self._tables.interactions

        def read() -> list[dict[str, Any]]:
            query = table.select(*columns)
            if status is not None:
                query = query.where(table.status == status)
            if wanted is None:
                return self._plain_rows(query.order_by(table.id))
            rows = []
            for start in range(0, len(wanted), _IDS_PER_QUERY):
                chunk = wanted[start : start + _IDS_PER_QUERY]
                rows.extend(self._plain_rows(query.where(table.id.in_(chunk))))
            rows.sort(key=lambda row: row["id"])
            return rows

        return self._read_consistent(read)

    def interaction_revisions(self) -> dict[int, int]:
        """Every interaction's id and revision: what a view compares to see what changed.

        One narrow query over two integer columns, no model built: cheap enough
        to poll, where reading every whole row is not.
        """
        table = self._tables.interactions
        return self._read(lambda: dict(table.select(table.id, table.revision).tuples()))

    @writes
    def set_initiative_order(
        self, interaction_id: int, entries: Sequence[InitiativeEntry | dict[str, Any]]
    ) -> Interaction:
        """Replace the order as given (the caller sorts); not while live: pause first."""
        check_interaction_id(interaction_id)
        order = check_initiative_order(entries)

        def write() -> Interaction:
            interaction = self._fetch_writable(interaction_id)
            self._require_status(interaction, ("idle", "paused"), "change the initiative order")
            columns: dict[str, Any] = {"initiative_order": order}
            index = interaction.current_initiative_index
            if index is not None:
                columns["current_initiative_index"] = _follow_current(interaction, order)
                if columns["current_initiative_index"] is None:
                    columns.update(paused_turn_remaining_ms=None, turn_started_at=None)
            self._update(interaction.id, self._now(), **columns)
            return self._fetch(interaction.id, with_snapshot=True)

        return self._write(write)

    def get_interaction_live_state(self, interaction_id: int) -> LiveState:
        """The interaction, its 50 newest events and the current round's turn records."""

        def read() -> LiveState:
            interaction = self._fetch(interaction_id, with_snapshot=True)
            logs = self.get_interaction_logs(interaction.id, limit=RECENT_LOGS)
            turns = self._turn_records(interaction.id, interaction.round_number)
            return LiveState(interaction=interaction, recent_logs=logs, current_round_turns=turns)

        return self._read_consistent(read)

    # -- users -----------------------------------------------------------

    @writes
    def upsert_user(self, user_id: str, display_name: str) -> User:
        """Create or rename a user, so screens can show a name for the id."""
        user = User(
            id=check_text(user_id, "user_id", MAX_ID_LENGTH),
            display_name=check_text(display_name, "display_name", MAX_NAME_LENGTH),
        )

        def write() -> User:
            table = self._tables.users
            table.insert(
                id=user.id, display_name=user.display_name, updated_at=self._now()
            ).on_conflict(
                conflict_target=[table.id],
                update={table.display_name: user.display_name, table.updated_at: self._now()},
            ).execute()
            return user

        return self._write(write)

    def display_names(self, user_ids: Iterable[str]) -> dict[str, str]:
        """Names for user ids; an unknown id maps to itself, so it still shows."""
        unique = check_user_ids(user_ids, "user_ids")
        table = self._tables.users

        def read() -> dict[str, str]:
            names = {user_id: user_id for user_id in unique}
            for start in range(0, len(unique), _IDS_PER_QUERY):
                chunk = unique[start : start + _IDS_PER_QUERY]
                query = table.select(table.id, table.display_name).where(table.id.in_(chunk))
                names.update(dict(query.tuples()))
            return names

        return self._read(read)


def _follow_current(interaction: Interaction, order: list[InitiativeEntry]) -> int | None:
    """Where the running turn's entity sits in a new order: same entity if still there."""
    current = interaction.current_entry
    if not order:
        return None
    if current is not None:
        for index, entry in enumerate(order):
            if entry.entity_id == current.entity_id:
                return index
    return min(interaction.current_initiative_index or 0, len(order) - 1)


def open_store(
    target: str | os.PathLike[str] | None = None,
    *,
    clock: Clock | None = None,
    rng: random.Random | None = None,
    read_only: bool = False,
) -> LiveStore:
    """Open the store at a path or URL (None: the per-user default), creating or upgrading it.

    A file path or sqlite:/// URL opens SQLite; postgresql://user@host:port/dbname
    (or postgres://) opens the tables in that PostgreSQL database, which
    needs the optional driver (pip install 'liveroom[postgres]').
    `clock` returns epoch milliseconds and defaults to the system clock;
    `rng` rolls every die the store rolls (default: a new random.Random()):
    tests and simulations inject their own, so a fight replays exactly.
    `read_only` creates and upgrades nothing: a missing file is StoreUnavailable
    naming it, SQLite reads with mode=ro and leaves the file byte for byte as
    it was, PostgreSQL runs read-only transactions, and every write raises
    StoreUnavailable ("the store is open read-only"). For commands that only read.
    """
    if clock is not None and not callable(clock):
        raise InvalidInput("clock: must be a zero-argument callable returning epoch milliseconds")
    if rng is not None and not isinstance(rng, random.Random):
        raise InvalidInput(f"rng: must be a random.Random, got {type(rng).__name__}")
    check_bool(read_only, "read_only")
    return LiveStore(open_engine(target, read_only=read_only), clock, rng)


def open_engine(target: str | os.PathLike[str] | None, *, read_only: bool = False) -> Engine:
    """The engine for a target: PostgreSQL for a postgresql:// URL, SQLite otherwise.

    store.postgres (and with it the optional psycopg driver) is imported only
    for a PostgreSQL URL.
    """
    if isinstance(target, str) and target.startswith(("postgresql://", "postgres://")):
        from store.postgres import PostgresEngine

        return PostgresEngine(target, read_only=read_only)
    return SqliteEngine(resolve_target(target), read_only=read_only)
