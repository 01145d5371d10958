"""The room screen's keys: each write queued in the order pressed, decided against the
room as this console knows it when it runs (app.room_writes).

A key is judged against the room as it will be when the key acts: at once
when nothing is queued, else when its turn in the queue comes (`_act`), so
`p n` typed together on a paused room resumes, then advances.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events, work
from textual.binding import Binding

from app.recap import read_recap
from app.room_feed import RoomFeed
from app.room_keys import action_name, allowed, reason, refusal
from app.room_writes import RoomWrites, Write
from app.screens.confirm import ConfirmScreen
from app.screens.finalize import FinalizeScreen
from app.screens.go_live import GoLiveRequest, GoLiveScreen
from app.screens.message import ChatDraft, MessageScreen
from app.screens.polling import PollingScreen
from app.screens.recap import RecapScreen
from app.screens.settings import SettingsScreen, TurnSettings
from app.screens.snapshot import SnapshotScreen
from store import STORED_STATE, Interaction, LogEntry
from widgets.text import format_utc_time, safe_text

TURN_KEYS: list[Binding] = [
    Binding("p", "pause", "Pause", tooltip="Pause the room; the turn keeps its time left."),
    Binding("p", "resume", "Resume", tooltip="Resume the room with the time that was left."),
    Binding("n", "advance", "Next", tooltip="Record the turn as completed and advance."),
    Binding("s", "skip", "Skip", tooltip="Record the turn as skipped and advance."),
]
ROOM_KEYS: list[Binding] = [
    Binding("t", "settings", "Settings", tooltip="Turn time limit and chat settings."),
    Binding("c", "toggle_chat", "Chat", tooltip="Turn chat on or off."),
    Binding("v", "toggle_private", "Private", tooltip="Allow or forbid private messages."),
    Binding("S", "save_snapshot", "Snapshot", tooltip="Mark the stored state as saved now."),
    Binding("g", "go_live", "Go live", tooltip="Open a live room for this interaction."),
    Binding("m", "message", "Message", tooltip="Send a message to the room."),
    Binding("f", "finalize", "Finalize", tooltip="End the session for good."),
    Binding("x", "cleanup", "Clean up", tooltip="Close the live room; the fight stays paused."),
    Binding("z", "view_snapshot", "State", tooltip="Browse the last state snapshot."),
    Binding("R", "recap", "Recap", tooltip="Turn times, damage and conditions, as charts."),
]
ROOM_PALETTE_GROUPS = {
    "pause": "room",
    "resume": "room",
    "advance": "turn",
    "skip": "turn",
    "settings": "room",
    "toggle_chat": "chat",
    "toggle_private": "chat",
    "save_snapshot": "room",
    "go_live": "session",
    "message": "chat",
    "finalize": "session",
    "cleanup": "session",
    "view_snapshot": "room",
    "recap": "session",
}


class RoomActions(PollingScreen):
    """The keys of one room's screen (RoomScreen shows the room; this acts on it)."""

    def __init__(self, interaction_id: int, interaction: Interaction | None = None) -> None:
        """`interaction`, when the opener already holds it, lets the keys fit its status at once."""
        super().__init__()
        self.interaction_id = interaction_id
        self.interaction: Interaction | None = interaction
        """The room as last read (polls); what the footer dims keys by."""
        self._feed: RoomFeed | None = None
        # Once the last write is done, the footer dims keys by the room it left.
        self._writes = RoomWrites(self._reread, settled=self.refresh_bindings)

    def on_mount(self) -> None:
        self._run_writes()

    @property
    def room_now(self) -> Interaction | None:
        """The newest state known: the last read, or the result of this console's last write."""
        return self._writes.known or self.interaction

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Dim keys the room's status forbids; `p` reads Pause or Resume as fits.

        While writes are queued nothing is refused here: the room may change
        before the key acts, so the key is queued and judged in its turn."""
        room = self.room_now
        if action == "pause" and room is not None and room.status == "paused":
            return False  # hidden: Resume stands in its place
        if action == "resume":
            return room is not None and room.status == "paused"
        return True if self._writes.busy or allowed(action, room) else None

    def why_not(self, action: str) -> str | None:
        """Why the room's status forbids `action` now, or None when it does not (`?` help)."""
        room = self.room_now
        if room is None or self.check_action(action, ()) is not None:
            return None
        return reason(action, room)

    def on_key(self, event: events.Key) -> None:
        """A dimmed key pressed anyway says why it does nothing.

        Only the screen's own keys: a key the focused widget binds is the
        widget's (Enter on the event log shows the entry), as in Textual.
        And only once the keys typed before it have acted: their bindings run
        in the app's queue, after this handler, so the key is judged behind
        them (`p n` typed together on a paused room resumes, then advances)."""
        active = self.active_bindings.get(event.key)
        if active is None or active.node is not self or active.enabled:
            return
        event.stop()
        self.app.call_later(self._judge_key, event.key)

    async def _judge_key(self, key: str) -> None:
        """Run a key that looked refused when pressed if the room (or a write still queued)
        allows it now; else say why."""
        if self.app.screen is not self:
            return  # a form an earlier key opened: the key was typed before it showed
        active = self.active_bindings.get(key)
        if active is None or active.node is not self:
            return
        if active.enabled:
            await self.run_action(active.binding.action)
        else:
            self.explain_refusal(action_name(active.binding.action), active.binding.description)

    def explain_refusal(
        self, action: str, description: str | None = None, room: Interaction | None = None
    ) -> None:
        """Say why the room's status (`room`'s, or the newest known) forbids `action`,
        the key named `description` (by default, as its binding names it)."""
        room = self.room_now if room is None else room
        if room is not None:
            self.notify(
                refusal(action, description or self._description(action), room),
                title="Not now",
                severity="warning",
                markup=False,
            )

    def _description(self, action: str) -> str:
        return next(
            (
                binding.description
                for binding in self.BINDINGS
                if isinstance(binding, Binding) and action_name(binding.action) == action
            ),
            action,
        )

    # -- writes, in the order the keys were pressed (app.room_writes) ----------

    @work(group="room-writes", exit_on_error=False)
    async def _run_writes(self) -> None:
        await self._writes.run()

    async def _reread(self) -> Interaction | None:
        store = self.liveroom.store
        return await self.liveroom.store_read(
            store.get_interaction, self.interaction_id, with_snapshot=False
        )

    def _queue(self, write: Write) -> None:
        """Run `write` after the writes asked for before it; a refusal is a notification."""
        self._writes.submit(write)

    def _act(self, action: str, write: Write) -> None:
        """Queue the key `action`'s `write`, judged when its turn comes: if the room as it is
        then forbids the key, say why instead."""

        async def judged(room: Interaction) -> Any:
            if not allowed(action, room):
                self.explain_refusal(action, room=room)
                return None
            return await write(room)

        self._queue(judged)

    def _open(self, action: str, show: Callable[[Interaction], object]) -> None:
        """Show the key `action`'s form or question for the room: at once when no write is
        queued (the keys typed next land in it), else once the writes before it have run,
        if the room then allows it."""
        room = self.room_now
        if room is not None and not self._writes.busy:
            show(room)
            return

        async def shown(room: Interaction) -> Interaction:
            show(room)
            return room  # unchanged: nothing to read again

        self._act(action, shown)

    async def _in_order(self, write: Write) -> Any:
        """Run `write` in order and return its result; a StoreError is raised (a form shows
        it beside its field)."""
        return await self._writes.submit(write)

    async def _write(self, call: Any, *args: Any, done: str | None = None, **kwargs: Any) -> Any:
        result = await self.liveroom.store_write(call, *args, done=done, **kwargs)
        self.request_refresh()
        return result

    async def _write_or_raise(
        self, call: Any, *args: Any, done: str | None = None, **kwargs: Any
    ) -> Any:
        try:
            return await self.liveroom.store_call(call, *args, done=done, **kwargs)
        finally:
            self.request_refresh()

    # -- keys ------------------------------------------------------------

    def action_pause(self) -> None:
        self._queue(self._pause_or_resume)

    def action_resume(self) -> None:
        self._queue(self._pause_or_resume)

    async def _pause_or_resume(self, room: Interaction) -> Any:
        """Pause a live room, resume a paused one: whichever the room is when this runs."""
        store = self.liveroom.store
        if room.status not in ("live", "paused"):
            self.explain_refusal("pause", room=room)
            return None
        if room.status == "live":
            return await self._write(
                store.pause_interaction, room.id, reason="paused by the game master", done="Paused."
            )
        if room.status == "paused" and room.live_room_id is None:
            await self._ask_for_room(room)
            return None
        return await self._write(store.resume_interaction, room.id, done="Resumed.")

    def action_advance(self) -> None:
        self._act("advance", lambda room: self._advance(room, "completed"))

    def action_skip(self) -> None:
        self._act("skip", lambda room: self._advance(room, "skipped"))

    async def _advance(self, room: Interaction, status: str) -> Any:
        expected = (room.round_number, room.turn_number)
        record = await self._write(
            self.liveroom.store.advance_turn, room.id, status, expected_turn=expected
        )
        if record is not None:
            name = entity_names(room).get(record.entity_id, record.entity_id)
            self.notify(f"Turn {status}: {safe_text(name)}", markup=False)
        return record

    def action_settings(self) -> None:
        self._open(
            "settings", lambda room: self.app.push_screen(SettingsScreen(room, self._save_settings))
        )

    async def _save_settings(self, settings: TurnSettings) -> Any:
        store = self.liveroom.store
        return await self._in_order(
            lambda room: self._write_or_raise(
                store.update_turn_settings,
                room.id,
                turn_time_limit=settings.turn_time_limit,
                chat_enabled=settings.chat_enabled,
                allow_private_chat=settings.allow_private_chat,
                done="Settings saved.",
            )
        )

    def action_toggle_chat(self) -> None:
        self._act("toggle_chat", self._toggle_chat)

    async def _toggle_chat(self, room: Interaction) -> Any:
        enabled = not room.chat_enabled
        return await self._write(
            self.liveroom.store.update_turn_settings,
            room.id,
            chat_enabled=enabled,
            done=f"Chat {'on' if enabled else 'off'}.",
        )

    def action_toggle_private(self) -> None:
        self._act("toggle_private", self._toggle_private)

    async def _toggle_private(self, room: Interaction) -> Any:
        allowed_now = not room.allow_private_chat
        return await self._write(
            self.liveroom.store.update_turn_settings,
            room.id,
            allow_private_chat=allowed_now,
            done=f"Private chat {'on' if allowed_now else 'off'}.",
        )

    def action_save_snapshot(self) -> None:
        """Stamp the stored state as saved now: a checkpoint to come back to."""
        self._act("save_snapshot", self._save_snapshot)

    async def _save_snapshot(self, room: Interaction) -> Any:
        saved = await self._write(self.liveroom.store.checkpoint_state_snapshot, room.id)
        if saved is not None:
            self.notify(f"Snapshot saved at {format_utc_time(saved.timestamp)}.", markup=False)
        return saved

    def action_go_live(self) -> None:
        room = self.room_now
        if room is not None and room.status == "idle" and not self._writes.busy:
            self.app.push_screen(
                GoLiveScreen(room, self._go_live)
            )  # the keys typed next land in it
        else:  # a paused room's last room id is read first
            self._act("go_live", self._offer_go_live)

    async def _offer_go_live(self, room: Interaction) -> Interaction:
        if room.status == "paused":
            await self._ask_for_room(room)
        else:
            self.app.push_screen(GoLiveScreen(room, self._go_live))
        return room  # unchanged: nothing to read again

    async def _ask_for_room(self, room: Interaction) -> None:
        """A paused room whose live room was closed: resume it in a room the game master
        names, the last one it had offered first."""
        last = await self.liveroom.store_read(
            self.liveroom.store.get_interaction_logs,
            room.id,
            limit=1,
            event_types=["INTERACTION_INITIALIZED", "INTERACTION_RESUMED"],
        )
        self.app.push_screen(
            GoLiveScreen(room, self._go_live, room_id=_room_id_of(last), resume=True)
        )

    async def _go_live(self, request: GoLiveRequest) -> Any:
        store = self.liveroom.store
        done = f"Live in room {safe_text(request.live_room_id)}."
        settings = request.settings
        if settings is None:
            return await self._in_order(
                lambda room: self._write_or_raise(
                    store.resume_interaction, room.id, request.live_room_id, done=done
                )
            )
        return await self._in_order(
            lambda room: self._write_or_raise(
                store.initialize_for_live_play,
                room.id,
                request.live_room_id,
                STORED_STATE,  # read as the room goes live: a save just before is kept
                turn_time_limit=settings.turn_time_limit,
                chat_enabled=settings.chat_enabled,
                allow_private_chat=settings.allow_private_chat,
                done=done,
            )
        )

    def action_message(self) -> None:
        self._open(
            "message",
            lambda room: self.app.push_screen(
                MessageScreen(room, self._recipients(room), self._send)
            ),
        )

    def _recipients(self, room: Interaction) -> dict[str, str]:
        """Who a private message can go to: the players connected, the game master left out."""
        names = self._feed.names if self._feed is not None else {}
        return {
            user: names.get(user, user)
            for user in room.connected_participants
            if user != room.dm_user_id
        }

    async def _send(self, message: ChatDraft) -> Any:
        data: dict[str, Any] = {
            "channel": message.channel,
            "content": message.content,
            "sender_name": "Game master",
        }
        if message.recipients:
            data["recipients"] = list(message.recipients)
        store = self.liveroom.store
        return await self._in_order(
            lambda room: self._write_or_raise(
                store.log_interaction_event,
                room.id,
                "CHAT_MESSAGE",
                data,
                room.live_room_id or "system",
                user_id=room.dm_user_id,
            )
        )

    def action_finalize(self) -> None:
        self._open(
            "finalize", lambda room: self.app.push_screen(FinalizeScreen(room, self._finalize))
        )

    async def _finalize(self, reason: str) -> Any:
        store = self.liveroom.store
        return await self._in_order(
            lambda room: self._write_or_raise(
                store.finalize_live_interaction, room.id, None, reason, done="Session finalized."
            )
        )

    def action_cleanup(self) -> None:
        self._open("cleanup", self._ask_cleanup)

    def _ask_cleanup(self, room: Interaction) -> None:
        live_room = safe_text(room.live_room_id or "(no room id)")
        question = ConfirmScreen(
            "Clean up the room?",
            f"Room {live_room} of “{safe_text(room.name)}” "
            "closes and its players are disconnected. The fight is paused with its turn time "
            "kept; resume it later.",
            "Clean up",
        )
        self.app.push_screen(question, self._cleanup)

    def _cleanup(self, confirmed: bool | None) -> None:
        if confirmed:
            self._act(
                "cleanup",
                lambda room: self._write(
                    self.liveroom.store.cleanup_inactive_room,
                    room.id,
                    reason="closed_by_game_master",
                    done="Room closed; the interaction is paused.",
                ),
            )

    async def action_recap(self) -> None:
        room = self.interaction
        if room is None:
            return
        recap = await self.liveroom.store_read(read_recap, self.liveroom.store, room)
        if recap is not None:
            self.app.push_screen(RecapScreen(room.name, recap))

    async def action_view_snapshot(self) -> None:
        store = self.liveroom.store
        snapshot = await self.liveroom.store_read(store.load_state_snapshot, self.interaction_id)
        if snapshot is not None:
            self.app.push_screen(SnapshotScreen(snapshot))


def entity_names(interaction: Interaction) -> dict[str, str]:
    return {entry.entity_id: entry.name for entry in interaction.initiative_order}


def _room_id_of(entries: list[LogEntry] | None) -> str | None:
    """The live room id the newest of these go-live or resume events named, if any."""
    for entry in entries or ():
        data = entry.event_data
        if isinstance(data, dict) and isinstance(data.get("live_room_id"), str):
            return str(data["live_room_id"])
    return None
