"""Going live, pausing, resuming, cleaning up, finalizing: the interaction's status moves.

Each move exists once as a private step taking a fetched interaction and
"now", so the dedicated operations, the low-level update_live_room_status and
the inactivity sweep all behave the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import peewee as pw

from store import initiative
from store.core import PreEncoded, writes
from store.errors import Conflict
from store.health import HealthOperations
from store.limits import MAX_ID_LENGTH, MAX_REASON_LENGTH, MAX_SNAPSHOT_BYTES, MAX_TIMESTAMP
from store.models import RUNNING_STATUSES, STATUSES, Interaction, LiveStatus
from store.room import RoomOperations
from store.validation import (
    check_choice,
    check_integer,
    check_interaction_id,
    check_interaction_ids,
    check_list,
    check_participants,
    check_settings,
    check_text,
    encode_json,
)

TRANSITIONS: dict[str, frozenset[str]] = {
    "idle": frozenset({"live", "cancelled"}),
    "live": frozenset({"paused", "completed", "cancelled"}),
    "paused": frozenset({"live", "completed", "cancelled"}),
    "completed": frozenset(),
    "cancelled": frozenset(),
}


MAX_SPARED_ROOMS = 1000
"""At most this many except_ids in one sweep: a screen has a room or two open, not thousands."""


class _StoredState:
    def __repr__(self) -> str:
        return "STORED_STATE"


STORED_STATE: Any = _StoredState()
"""initialize_for_live_play's initial_state that keeps the game state already stored.

Read in the same transaction that takes the room live, so a save just
before is the state the room starts from (the dashboard's go-live); a room
with no state saved starts from {}.
"""


class LifecycleOperations(HealthOperations, RoomOperations):
    """initialize, pause, resume, cleanup, finalize and the low-level status setter."""

    @writes
    def initialize_for_live_play(
        self,
        interaction_id: int,
        live_room_id: str,
        initial_state: Any,
        turn_time_limit: int | None = None,
        chat_enabled: bool | None = None,
        allow_private_chat: bool | None = None,
    ) -> Interaction:
        """Take an idle interaction live in a room; with an initiative order, round 1 turn 1 starts.

        Settings left as None keep the interaction's own; STORED_STATE as
        initial_state keeps the stored game state ({} when none was saved).
        Combatants not rolled yet are rolled for first, as roll_initiative does.
        """
        check_interaction_id(interaction_id)
        room = check_text(live_room_id, "live_room_id", MAX_ID_LENGTH)
        state = (
            None
            if initial_state is STORED_STATE
            else PreEncoded(encode_json(initial_state, "initial_state", MAX_SNAPSHOT_BYTES))
        )
        settings = check_settings(turn_time_limit, chat_enabled, allow_private_chat)

        def write() -> Interaction:
            interaction = self._fetch_writable(interaction_id)
            kept = state
            if kept is None and interaction.snapshot_timestamp is None:
                kept = PreEncoded("{}")  # nothing stored: a live room starts from a state
            self._initialize(interaction, self._now(), room, kept, settings)
            return self._fetch(interaction.id, with_snapshot=True)

        return self._write(write)

    @writes
    def pause_interaction(self, interaction_id: int, reason: str | None = None) -> Interaction:
        """Stop the turn clock, keeping the time left in the running turn."""
        check_interaction_id(interaction_id)
        if reason is not None:
            check_text(reason, "reason", MAX_REASON_LENGTH)

        def write() -> Interaction:
            interaction = self._fetch_writable(interaction_id)
            self._require_status(interaction, ("live",), "pause")
            self._pause(interaction, self._now(), reason)
            return self._fetch(interaction.id, with_snapshot=True)

        return self._write(write)

    @writes
    def resume_interaction(
        self, interaction_id: int, live_room_id: str | None = None
    ) -> Interaction:
        """Restart the turn clock with the time that was left, in a new room when one is given.

        A room that was cleaned up has no live room: it needs a live_room_id
        (a Conflict otherwise), and one another running interaction holds is a
        Conflict naming that interaction, so no two rooms ever share an id.
        """
        check_interaction_id(interaction_id)
        if live_room_id is not None:
            check_text(live_room_id, "live_room_id", MAX_ID_LENGTH)

        def write() -> Interaction:
            interaction = self._fetch_writable(interaction_id)
            self._require_status(interaction, ("paused",), "resume")
            self._resume(interaction, self._now(), live_room_id)
            return self._fetch(interaction.id, with_snapshot=True)

        return self._write(write)

    @writes
    def finalize_live_interaction(
        self, interaction_id: int, final_state: Any, completion_reason: str
    ) -> Interaction:
        """End a live or paused session for good: completed, room closed, final snapshot kept."""
        check_interaction_id(interaction_id)
        state = PreEncoded(encode_json(final_state, "final_state", MAX_SNAPSHOT_BYTES))
        reason = check_text(completion_reason, "completion_reason", MAX_REASON_LENGTH)

        def write() -> Interaction:
            interaction = self._fetch_writable(interaction_id)
            self._require_status(interaction, RUNNING_STATUSES, "finalize")
            self._finalize(
                interaction, self._now(), state if final_state is not None else None, reason
            )
            return self._fetch(interaction.id, with_snapshot=True)

        return self._write(write)

    @writes
    def cleanup_inactive_room(
        self,
        interaction_id: int,
        final_state_snapshot: Any = None,
        reason: str = "inactivity_timeout",
    ) -> LiveStatus:
        """Close an abandoned room: a live interaction becomes paused, resumable later."""
        check_interaction_id(interaction_id)
        state = None
        if final_state_snapshot is not None:
            state = PreEncoded(
                encode_json(final_state_snapshot, "final_state_snapshot", MAX_SNAPSHOT_BYTES)
            )
        reason = check_text(reason, "reason", MAX_REASON_LENGTH)

        def write() -> LiveStatus:
            interaction = self._fetch_writable(interaction_id)
            self._require_status(interaction, RUNNING_STATUSES, "clean up the room")
            self._cleanup(interaction, self._now(), state, reason)
            return self._status_of(interaction.id)

        return self._write(write)

    @writes
    def cleanup_inactive_rooms(
        self, max_idle_ms: int, *, except_ids: Sequence[int] = ()
    ) -> list[int]:
        """Clean up every live room with no activity for longer than max_idle_ms; their ids.

        `except_ids` are left alone however long they have been quiet: the
        dashboard passes the room open on its screen, which is not idle while a
        game master watches it.
        """
        check_integer(max_idle_ms, "max_idle_ms", 0, MAX_TIMESTAMP)
        check_list(except_ids, "except_ids", "interaction ids", MAX_SPARED_ROOMS)
        spared = check_interaction_ids(except_ids, "except_ids")
        table = self._tables.interactions

        def idle_at(now: int) -> pw.Expression:
            condition = (table.status == "live") & (table.last_activity < now - max_idle_ms)
            return condition & table.id.not_in(spared) if spared else condition

        def write() -> list[int]:
            now = self._now()
            # A room another writer holds (PostgreSQL's row locks) is busy, not idle: skip it.
            idle = self._engine.lock_rows(
                table.select(table.id).where(idle_at(now)).order_by(table.id), skip_locked=True
            )
            cleaned = []
            for (interaction_id,) in idle.tuples():
                interaction = self._fetch(interaction_id, for_update=True)
                if (
                    interaction.status == "live"
                    and (interaction.last_activity or 0) < now - max_idle_ms
                ):
                    self._cleanup(interaction, now, None, "inactivity_timeout")
                    cleaned.append(interaction.id)
            return cleaned

        if not self._any_interaction(idle_at(self._now())):
            return []
        return self._write(write)

    @writes
    def update_live_room_status(
        self,
        interaction_id: int,
        status: str,
        live_room_id: str | None = None,
        connected_participants: list[str] | None = None,
    ) -> LiveStatus:
        """The low-level status setter, along the allowed transitions only.

        Each move behaves like its dedicated operation: to live from idle as
        initialize_for_live_play, to paused and back as pause and resume, to
        completed as finalize. Participants, when given, replace the list
        afterwards (a completed or cancelled interaction has none).
        """
        check_interaction_id(interaction_id)
        check_choice(status, "status", STATUSES)
        if live_room_id is not None:
            check_text(live_room_id, "live_room_id", MAX_ID_LENGTH)
        participants = (
            None if connected_participants is None else check_participants(connected_participants)
        )

        def write() -> LiveStatus:
            interaction = self._fetch(interaction_id, for_update=True)
            if status not in TRANSITIONS[interaction.status]:
                final = "" if TRANSITIONS[interaction.status] else " (a final status)"
                raise Conflict(
                    f"cannot change interaction {interaction.id} "
                    f"from {interaction.status} to {status}{final}"
                )
            now = self._now()
            self._move(interaction, now, status, live_room_id)
            if participants is not None and status in RUNNING_STATUSES:
                self._set_participants(self._fetch(interaction.id), now, participants)
            return self._status_of(interaction.id)

        return self._write(write)

    # -- the moves -------------------------------------------------------

    def _move(self, interaction: Interaction, now: int, status: str, room: str | None) -> None:
        if status == "live" and interaction.status == "idle":
            self._initialize(interaction, now, room, None, {})
        elif status == "live":
            self._resume(interaction, now, room)
        elif status == "paused":
            self._pause(interaction, now, None, room)
        elif status == "completed":
            self._finalize(interaction, now, None, "completed")
        else:
            self._cancel(interaction, now)

    def _initialize(
        self,
        interaction: Interaction,
        now: int,
        room: str | None,
        state: PreEncoded | None,
        settings: dict[str, Any],
    ) -> None:
        self._require_status(interaction, ("idle",), "go live")
        self._check_room_free(interaction, room)
        columns: dict[str, Any] = {"status": "live", "live_room_id": room, **settings}
        pending = initiative.unrolled(interaction.initiative_order)
        if pending:  # roll for them first, as roll_initiative does: the highest roll goes first
            rolled = initiative.roll(interaction.initiative_order, pending, self._rng)
            self._log(interaction, now, "INITIATIVE_ROLLED", initiative.rolled_event(rolled))
            columns["initiative_order"] = rolled.order
        if state is not None:
            columns.update(last_state_snapshot=state, snapshot_timestamp=now)
        self._update(interaction.id, now, **columns)
        live = interaction.model_copy(
            update={name: columns[name] for name in columns if not name.startswith("last_state")}
        )
        self._log(
            live,
            now,
            "INTERACTION_INITIALIZED",
            {
                "live_room_id": room,
                "turn_time_limit": live.turn_time_limit,
                "chat_enabled": live.chat_enabled,
                "allow_private_chat": live.allow_private_chat,
            },
        )
        self._start_first_turn(live, now)

    def _pause(
        self, interaction: Interaction, now: int, reason: str | None, room: str | None = None
    ) -> None:
        stopped = _stopped_clock(interaction, now)
        remaining = stopped["paused_turn_remaining_ms"]
        columns: dict[str, Any] = {"status": "paused", "current_turn_timeout": None, **stopped}
        if room is not None:
            self._check_room_free(interaction, room)
            columns["live_room_id"] = room
        self._update(interaction.id, now, **columns)
        self._log(
            interaction,
            now,
            "INTERACTION_PAUSED",
            {"reason": reason, "remaining_ms": remaining},
            session_id=room,
        )

    def _resume(self, interaction: Interaction, now: int, room: str | None) -> None:
        if room is None and interaction.live_room_id is None:
            raise Conflict(
                f"interaction {interaction.id} has no live room: give a live_room_id to resume"
            )
        self._check_room_free(interaction, room or interaction.live_room_id)
        remaining = interaction.paused_turn_remaining_ms
        paused_since = interaction.turn_paused_at
        columns: dict[str, Any] = {
            "status": "live",
            "paused_turn_remaining_ms": None,
            "current_turn_timeout": None if remaining is None else now + remaining,
            # The pause is left out of the running turn's duration.
            "turn_paused_ms": interaction.turn_paused_ms
            + (0 if paused_since is None else max(0, now - paused_since)),
            "turn_paused_at": None,
        }
        if room is not None:
            columns["live_room_id"] = room
        self._update(interaction.id, now, **columns)
        live = interaction.model_copy(
            update={
                "status": "live",
                "live_room_id": room or interaction.live_room_id,
            }
        )
        self._log(
            live,
            now,
            "INTERACTION_RESUMED",
            {"live_room_id": live.live_room_id, "remaining_ms": remaining},
        )
        self._start_first_turn(live, now)

    def _check_room_free(self, interaction: Interaction, room: str | None) -> None:
        """Conflict when another live or paused interaction holds `room`.

        Serialized on the room id, so two writers taking one room at the same
        moment cannot both find it free (on PostgreSQL, where writers run side by side).
        """
        if room is None:
            return
        self._engine.serialize_on(f"live_room_id:{room}")
        table = self._tables.interactions
        holder = (
            table.select(table.id, table.name)
            .where(
                (table.live_room_id == room)
                & table.status.in_(RUNNING_STATUSES)
                & (table.id != interaction.id)
            )
            .order_by(table.id)
            .tuples()
            .first()
        )
        if holder is not None:
            raise Conflict(f"live_room_id: {room} is held by interaction {holder[0]} ({holder[1]})")

    def _cleanup(
        self, interaction: Interaction, now: int, state: PreEncoded | None, reason: str
    ) -> None:
        already_closed = (
            interaction.status == "paused"
            and interaction.live_room_id is None
            and not interaction.connected_participants
            and interaction.current_turn_timeout is None
        )
        if already_closed and state is None:
            return  # a call that changes nothing logs nothing
        columns: dict[str, Any] = {
            "status": "paused",
            "live_room_id": None,
            "connected_participants": [],
            "current_turn_timeout": None,
        }
        if interaction.status == "live":
            columns.update(_stopped_clock(interaction, now))
        if state is not None:
            columns.update(last_state_snapshot=state, snapshot_timestamp=now)
        self._update(interaction.id, now, **columns)
        self._log(interaction, now, "ROOM_CLEANUP", {"reason": reason})

    def _finalize(
        self, interaction: Interaction, now: int, state: PreEncoded | None, reason: str
    ) -> None:
        columns: dict[str, Any] = {
            "status": "completed",
            "live_room_id": None,
            "connected_participants": [],
            "current_turn_timeout": None,
            "paused_turn_remaining_ms": None,
        }
        if state is not None:
            columns.update(last_state_snapshot=state, snapshot_timestamp=now)
        self._update(interaction.id, now, **columns)
        self._log(interaction, now, "INTERACTION_COMPLETED", {"completion_reason": reason})

    def _cancel(self, interaction: Interaction, now: int) -> None:
        self._update(
            interaction.id,
            now,
            status="cancelled",
            live_room_id=None,
            connected_participants=[],
            current_turn_timeout=None,
            paused_turn_remaining_ms=None,
        )
        self._log(
            interaction, now, "INTERACTION_CANCELLED", {"previous_status": interaction.status}
        )


def _stopped_clock(interaction: Interaction, now: int) -> dict[str, Any]:
    """The columns that stop a live room's turn clock at `now`: the time left, and when the
    pause began.

    A turn past its deadline has timed out, only the sweep has not run yet:
    its pause counts from the deadline (never from before the turn began),
    so the timeout recorded after the resume lasts exactly its limit rather
    than the limit plus however long it ran over before the pause.
    """
    timeout = interaction.current_turn_timeout
    if timeout is None:
        return {"paused_turn_remaining_ms": None, "turn_paused_at": now}
    started = interaction.turn_started_at if interaction.turn_started_at is not None else now
    return {
        "paused_turn_remaining_ms": max(0, timeout - now),
        "turn_paused_at": min(now, max(timeout, started)),
    }
