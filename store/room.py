"""A room's live fields: snapshots, participants, the turn timeout, settings, status."""

from __future__ import annotations

from typing import Any

from store.core import PreEncoded, StoreCore, load_json, writes
from store.errors import Conflict
from store.limits import MAX_ID_LENGTH, MAX_SNAPSHOT_BYTES, MAX_TIMESTAMP
from store.models import (
    Interaction,
    LiveInteractionSummary,
    LiveStatus,
    SnapshotSaved,
    StateSnapshot,
)
from store.validation import (
    check_choice,
    check_integer,
    check_interaction_id,
    check_participants,
    check_settings,
    check_text,
    encode_json,
)

PARTICIPANT_ACTIONS = ("join", "leave")


class RoomOperations(StoreCore):
    """Snapshots, participants, the turn timeout, turn and chat settings, status queries."""

    @writes
    def save_state_snapshot(
        self,
        interaction_id: int,
        state_snapshot: Any,
        connected_participants: list[str] | None = None,
    ) -> SnapshotSaved:
        """Store the game state; the participant list changes only when one is given."""
        check_interaction_id(interaction_id)
        state = PreEncoded(encode_json(state_snapshot, "state_snapshot", MAX_SNAPSHOT_BYTES))
        participants = (
            None if connected_participants is None else check_participants(connected_participants)
        )

        def write() -> SnapshotSaved:
            interaction = self._fetch_writable(interaction_id)
            now = self._now()
            self._save_snapshot(interaction, now, state, participants)
            return SnapshotSaved(interaction_id=interaction.id, timestamp=now)

        return self._write(write)

    @writes
    def checkpoint_state_snapshot(self, interaction_id: int) -> SnapshotSaved:
        """Stamp the stored game state as saved now: a checkpoint to come back to.

        The state is the one in the store, re-stamped in the same transaction
        that finds it: a game server's save a moment before is the one
        checkpointed, never overwritten by an older copy read earlier.
        """
        check_interaction_id(interaction_id)

        def write() -> SnapshotSaved:
            interaction = self._fetch_writable(interaction_id)
            if interaction.snapshot_timestamp is None:
                raise Conflict(f"interaction {interaction.id} has no saved state to checkpoint yet")
            now = self._now()
            self._update(interaction.id, now, snapshot_timestamp=now)
            return SnapshotSaved(interaction_id=interaction.id, timestamp=now)

        return self._write(write)

    def load_state_snapshot(self, interaction_id: int) -> StateSnapshot:
        """The last stored game state with when it was taken and who was connected."""
        interaction = self._read(lambda: self._fetch(interaction_id, with_snapshot=True))
        return StateSnapshot(
            interaction_id=interaction.id,
            state_snapshot=interaction.last_state_snapshot,
            timestamp=interaction.snapshot_timestamp,
            connected_participants=interaction.connected_participants,
            last_activity=interaction.last_activity,
        )

    @writes
    def update_connected_participants(
        self, interaction_id: int, participant_id: str, action: str
    ) -> list[str]:
        """Join or leave, idempotently; logs only when membership actually changed."""
        check_interaction_id(interaction_id)
        participant = check_text(participant_id, "participant_id", MAX_ID_LENGTH)
        check_choice(action, "action", PARTICIPANT_ACTIONS)

        def write() -> list[str]:
            interaction = self._fetch_writable(interaction_id)
            current = interaction.connected_participants
            if action == "join":
                wanted = current if participant in current else [*current, participant]
            else:
                wanted = [user for user in current if user != participant]
            return self._set_participants(interaction, self._now(), wanted)

        return self._write(write)

    @writes
    def set_current_turn_timeout(
        self, interaction_id: int, timeout_timestamp: int | None
    ) -> LiveStatus:
        """Set (or clear, with None) when the running turn times out."""
        check_interaction_id(interaction_id)
        if timeout_timestamp is not None:
            check_integer(timeout_timestamp, "timeout_timestamp", 0, MAX_TIMESTAMP)

        def write() -> LiveStatus:
            interaction = self._fetch_writable(interaction_id)
            self._require_status(interaction, ("idle", "live"), "set the turn timeout")
            self._update(interaction.id, self._now(), current_turn_timeout=timeout_timestamp)
            return self._status_of(interaction.id)

        return self._write(write)

    @writes
    def update_turn_settings(
        self,
        interaction_id: int,
        turn_time_limit: int | None = None,
        chat_enabled: bool | None = None,
        allow_private_chat: bool | None = None,
    ) -> LiveStatus:
        """Change only what is given; a new time limit applies from the next turn."""
        check_interaction_id(interaction_id)
        wanted = check_settings(turn_time_limit, chat_enabled, allow_private_chat)

        def write() -> LiveStatus:
            interaction = self._fetch_writable(interaction_id)
            changed = {
                name: value for name, value in wanted.items() if getattr(interaction, name) != value
            }
            if changed:
                now = self._now()
                self._update(interaction.id, now, **changed)
                self._log(interaction, now, "SETTINGS_UPDATED", changed)
            return self._status_of(interaction.id)

        return self._write(write)

    def get_live_interaction_status(self, interaction_id: int) -> LiveStatus:
        """Status, room, participants, activity, timeout and settings of one interaction."""
        return self._read(lambda: self._status_of(interaction_id))

    def get_all_live_interactions(self) -> list[LiveInteractionSummary]:
        """Every interaction whose status is live, by id."""
        table = self._tables.interactions

        def read() -> list[LiveInteractionSummary]:
            columns = [getattr(table, name) for name in LiveInteractionSummary.model_fields]
            query = table.select(*columns).where(table.status == "live").order_by(table.id)
            rows = self._plain_rows(query)
            for row in rows:
                row["connected_participants"] = load_json(row["connected_participants"]) or []
            return [LiveInteractionSummary.model_validate(row) for row in rows]

        return self._read(read)

    # -- shared steps ----------------------------------------------------

    def _status_of(self, interaction_id: object) -> LiveStatus:
        interaction = self._fetch(interaction_id)
        fields = interaction.model_dump(include=set(LiveStatus.model_fields))
        return LiveStatus(interaction_id=interaction.id, **fields)

    def _save_snapshot(
        self, interaction: Interaction, now: int, state: PreEncoded, participants: list[str] | None
    ) -> None:
        columns: dict[str, Any] = {"last_state_snapshot": state, "snapshot_timestamp": now}
        if participants is not None:
            columns["connected_participants"] = participants
        self._update(interaction.id, now, **columns)

    def _set_participants(self, interaction: Interaction, now: int, wanted: list[str]) -> list[str]:
        """Replace the participant list, logging each join and leave; no change, no log."""
        current = interaction.connected_participants
        joined = [user for user in wanted if user not in current]
        left = [user for user in current if user not in wanted]
        if not joined and not left:
            return current
        self._update(interaction.id, now, connected_participants=wanted)
        for user in joined:
            self._log(
                interaction, now, "PARTICIPANT_JOINED", {"participant_id": user}, user_id=user
            )
        for user in left:
            self._log(interaction, now, "PARTICIPANT_LEFT", {"participant_id": user}, user_id=user)
        return wanted
