"""One room, live: header, turn timer, initiative, participants, event log, turn history."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from app.room_feed import EVENT_FILTERS, RoomFeed, RoomUpdate
from app.screens.cleanup import CleanupScreen
from app.screens.finalize import FinalizeScreen
from app.screens.go_live import GoLiveRequest, GoLiveScreen
from app.screens.message import ChatDraft, MessageScreen
from app.screens.polling import PollingScreen
from app.screens.settings import SettingsScreen, TurnSettings
from app.screens.snapshot import SnapshotScreen
from store import RUNNING_STATUSES, STORED_STATE, Interaction
from widgets.event_log import EventLog
from widgets.event_summaries import setting_text
from widgets.footer import SteadyFooter
from widgets.initiative_list import InitiativeList
from widgets.participant_list import ParticipantList
from widgets.text import format_utc_time, safe_text, status_text
from widgets.title_bar import TitleBar
from widgets.turn_history import TurnHistory
from widgets.turn_timer import TurnTimer

NEEDS_STATUS: dict[str, tuple[str, ...]] = {
    "pause": ("live",),
    "advance": ("live",),
    "skip": ("live",),
    "go_live": ("idle",),
    "finalize": RUNNING_STATUSES,
    "cleanup": RUNNING_STATUSES,
    "settings": ("idle", *RUNNING_STATUSES),
    "toggle_chat": ("idle", *RUNNING_STATUSES),
    "toggle_private": ("idle", *RUNNING_STATUSES),
    "save_snapshot": ("idle", *RUNNING_STATUSES),
    "message": ("idle", *RUNNING_STATUSES),
}
"""Keys that only make sense in some statuses are greyed out in the others."""


class RoomScreen(PollingScreen):
    """Everything about one interaction, following the store live."""

    BINDING_GROUP_TITLE = "Room"
    AUTO_FOCUS = "#log"
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to the rooms."),
        Binding("p", "pause", "Pause", tooltip="Pause the room; the turn keeps its time left."),
        Binding("p", "resume", "Resume", tooltip="Resume the room with the time that was left."),
        Binding("n", "advance", "Next", tooltip="Record the turn as completed and advance."),
        Binding("s", "skip", "Skip", tooltip="Record the turn as skipped and advance."),
        Binding("t", "settings", "Settings", tooltip="Turn time limit and chat settings."),
        Binding("c", "toggle_chat", "Chat", tooltip="Turn chat on or off."),
        Binding("v", "toggle_private", "Private", tooltip="Allow or forbid private messages."),
        Binding("S", "save_snapshot", "Snapshot", tooltip="Mark the stored state as saved now."),
        Binding("g", "go_live", "Go live", tooltip="Open a live room for this interaction."),
        Binding("m", "message", "Message", tooltip="Send a message to the room."),
        Binding("f", "finalize", "Finalize", tooltip="End the session for good."),
        Binding("x", "cleanup", "Clean up", tooltip="Close the live room; the fight stays paused."),
        Binding("z", "view_snapshot", "State", tooltip="Browse the last state snapshot."),
        Binding("e", "cycle_filter", "Filter", tooltip="Cycle the event log filter."),
    ]
    PALETTE_GROUPS = {
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
        "cycle_filter": "log",
        "back": "app",
    }

    def __init__(self, interaction_id: int, interaction: Interaction | None = None) -> None:
        """`interaction`, when the opener already holds it, lets the keys fit its status at once."""
        super().__init__()
        self.interaction_id = interaction_id
        self.interaction: Interaction | None = interaction
        self._feed: RoomFeed | None = None
        self._log_status: Text | None = None
        self._header: Text | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="room-header")
        with Horizontal(id="room-body"):
            with Vertical(id="room-side"):
                yield TurnTimer(id="timer")
                yield InitiativeList(id="initiative")
                yield ParticipantList(id="participants")
                yield TurnHistory(id="history")
            with Vertical(id="room-log"):
                yield EventLog(id="log")
                yield Static(id="log-status")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self._feed = RoomFeed(self.liveroom.store, self.liveroom.store_read, self.interaction_id)
        self.query_one("#initiative").border_title = "Initiative"
        self.query_one("#participants").border_title = "Connected"
        self.query_one("#history").border_title = "Turn history"
        self.query_one("#log").border_title = "Event log"
        super().on_mount()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out keys the room's status forbids; `p` reads Pause or Resume as fits."""
        status = None if self.interaction is None else self.interaction.status
        if action == "resume":
            return status == "paused"
        if action == "pause" and status == "paused":
            return False
        allowed = NEEDS_STATUS.get(action)
        if allowed is None or status is None:
            return True
        return True if status in allowed else None

    # -- following the store ---------------------------------------------

    async def refresh_from_store(self) -> None:
        assert self._feed is not None
        update = await self._feed.fetch()
        if update is not None:
            self._apply(update)

    def _apply(self, update: RoomUpdate) -> None:
        previous = self.interaction
        interaction = self.interaction = update.interaction
        names = update.names
        log = self.query_one(EventLog)
        log.set_names(names)
        if update.first_page is not None:
            log.reset(update.first_page, has_older=update.has_older)
        elif update.new_entries:
            log.append(update.new_entries)
        self._show_header(interaction)
        self._show_log_status()
        entry = interaction.current_entry if interaction.status in RUNNING_STATUSES else None
        self.query_one(TurnTimer).show_turn(
            status=interaction.status,
            timeout_ms=interaction.current_turn_timeout,
            limit_s=interaction.turn_time_limit,
            paused_remaining_ms=interaction.paused_turn_remaining_ms,
            entity_name=None if entry is None else entry.name,
            now_ms=self.liveroom.clock(),
        )
        self.query_one(InitiativeList).show_order(
            interaction.initiative_order,
            interaction.current_initiative_index
            if interaction.status in RUNNING_STATUSES
            else None,
            interaction.connected_participants,
            names,
        )
        self.query_one(ParticipantList).show_participants(interaction.connected_participants, names)
        if update.turn_records is not None:
            self.query_one(TurnHistory).show_records(
                update.turn_records, _entity_names(interaction), interaction.round_number
            )
        if previous is None or previous.status != interaction.status:
            # The footer greys keys by status: rebuild it only when the status moved.
            self.refresh_bindings()

    def _show_header(self, interaction: Interaction) -> None:
        turn = (
            f"Round {interaction.round_number} · Turn {interaction.turn_number}"
            if interaction.round_number
            else "not started"
        )
        # Said as the event log says it ("chat on · private chat off").
        chat = setting_text("chat_enabled", interaction.chat_enabled)
        private = setting_text("allow_private_chat", interaction.allow_private_chat)
        header = Text.assemble(
            (safe_text(interaction.name), "bold"),
            "  ",
            status_text(interaction.status),
            "  ",
            turn,
            "   ",
            (
                f"room {safe_text(interaction.live_room_id)}"
                if interaction.live_room_id
                else "no room",
                "dim",
            ),
            "   ",
            (f"{chat} · {private}", "dim"),
        )
        if header != self._header:
            # One line of fixed height: repainting it needs no new layout of the screen.
            self._header = header
            self.query_one("#room-header", Static).update(header, layout=False)
        self.sub_title = safe_text(interaction.name)

    def _show_log_status(self) -> None:
        log = self.query_one(EventLog)
        event_filter = EVENT_FILTERS[0] if self._feed is None else self._feed.event_filter
        status = Text.assemble(("filter: ", "dim"), event_filter.label, ("  (e to change)", "dim"))
        if log.pending_new:
            status.append(f"   ↓ {log.pending_new} new", style="bold yellow")
        if status != self._log_status:
            self._log_status = status
            self.query_one("#log-status", Static).update(status, layout=False)

    def tick(self, now_ms: int) -> None:
        self.query_one(TurnTimer).tick(now_ms)

    @on(EventLog.OlderWanted)
    def _older_wanted(self, message: EventLog.OlderWanted) -> None:
        self._load_older(message.before_id)

    @work(exclusive=True, group="older-logs", exit_on_error=False)
    async def _load_older(self, before_id: int) -> None:
        """Read the page above `before_id` and put it in above what the log holds."""
        assert self._feed is not None
        log = self.query_one(EventLog)
        page = await self._feed.older(before_id)
        if page is None:
            log.older_failed()  # the error was shown; the next scroll up asks again
        elif self._feed.is_current(page):
            log.set_names(self._feed.names)
            log.prepend_older(page.entries, has_older=page.has_older, before_id=page.before_id)

    @on(EventLog.LatestWanted)
    def _latest_wanted(self) -> None:
        """The log let go of its newest lines while the user read old ones: reload the newest."""
        assert self._feed is not None
        self._feed.reload()
        self.request_refresh()

    @on(EventLog.PendingChanged)
    def _pending_changed(self) -> None:
        self._show_log_status()

    # -- actions ---------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_cycle_filter(self) -> None:
        assert self._feed is not None
        following = EVENT_FILTERS.index(self._feed.event_filter) + 1
        self._feed.set_filter(EVENT_FILTERS[following % len(EVENT_FILTERS)])
        self._show_log_status()
        self.request_refresh()

    async def _write(self, call: Any, *args: Any, done: str | None = None, **kwargs: Any) -> Any:
        result = await self.liveroom.store_write(call, *args, done=done, **kwargs)
        self.request_refresh()
        return result

    async def action_pause(self) -> None:
        await self._write(
            self.liveroom.store.pause_interaction,
            self.interaction_id,
            reason="paused by the game master",
            done="Paused.",
        )

    async def action_resume(self) -> None:
        await self._write(
            self.liveroom.store.resume_interaction, self.interaction_id, done="Resumed."
        )

    async def action_advance(self) -> None:
        await self._advance("completed")

    async def action_skip(self) -> None:
        await self._advance("skipped")

    async def _advance(self, status: str) -> None:
        interaction = self.interaction
        if interaction is None:
            return
        expected = (interaction.round_number, interaction.turn_number)
        record = await self._write(
            self.liveroom.store.advance_turn, self.interaction_id, status, expected_turn=expected
        )
        if record is not None:
            name = _entity_names(interaction).get(record.entity_id, record.entity_id)
            self.notify(f"Turn {status}: {safe_text(name)}", markup=False)

    def action_settings(self) -> None:
        if self.interaction is not None:
            self.app.push_screen(SettingsScreen(self.interaction), self._apply_settings)

    async def _apply_settings(self, settings: TurnSettings | None) -> None:
        if settings is not None:
            await self._write(
                self.liveroom.store.update_turn_settings,
                self.interaction_id,
                turn_time_limit=settings.turn_time_limit,
                chat_enabled=settings.chat_enabled,
                allow_private_chat=settings.allow_private_chat,
                done="Settings saved.",
            )

    async def action_toggle_chat(self) -> None:
        if self.interaction is not None:
            enabled = not self.interaction.chat_enabled
            await self._write(
                self.liveroom.store.update_turn_settings,
                self.interaction_id,
                chat_enabled=enabled,
                done=f"Chat {'on' if enabled else 'off'}.",
            )

    async def action_toggle_private(self) -> None:
        if self.interaction is not None:
            allowed = not self.interaction.allow_private_chat
            await self._write(
                self.liveroom.store.update_turn_settings,
                self.interaction_id,
                allow_private_chat=allowed,
                done=f"Private chat {'on' if allowed else 'off'}.",
            )

    async def action_save_snapshot(self) -> None:
        """Stamp the stored state as saved now: a checkpoint to come back to."""
        store = self.liveroom.store
        saved = await self._write(store.checkpoint_state_snapshot, self.interaction_id)
        if saved is not None:
            self.notify(f"Snapshot saved at {format_utc_time(saved.timestamp)}.", markup=False)

    def action_go_live(self) -> None:
        if self.interaction is not None:
            self.app.push_screen(GoLiveScreen(self.interaction), self._go_live)

    async def _go_live(self, request: GoLiveRequest | None) -> None:
        if request is None:
            return
        await self._write(
            self.liveroom.store.initialize_for_live_play,
            self.interaction_id,
            request.live_room_id,
            STORED_STATE,  # read as the room goes live: a save just before is kept
            turn_time_limit=request.settings.turn_time_limit,
            chat_enabled=request.settings.chat_enabled,
            allow_private_chat=request.settings.allow_private_chat,
            done=f"Live in room {safe_text(request.live_room_id)}.",
        )

    def action_message(self) -> None:
        if self.interaction is not None:
            participants = {
                user: self._feed.names.get(user, user) if self._feed else user
                for user in self.interaction.connected_participants
            }
            self.app.push_screen(MessageScreen(self.interaction, participants), self._send)

    async def _send(self, message: ChatDraft | None) -> None:
        if message is None or self.interaction is None:
            return
        data: dict[str, Any] = {
            "channel": message.channel,
            "content": message.content,
            "sender_name": "Game master",
        }
        if message.recipients:
            data["recipients"] = list(message.recipients)
        await self._write(
            self.liveroom.store.log_interaction_event,
            self.interaction_id,
            "CHAT_MESSAGE",
            data,
            self.interaction.live_room_id or "system",
            user_id=self.interaction.dm_user_id,
        )

    def action_finalize(self) -> None:
        if self.interaction is not None:
            self.app.push_screen(FinalizeScreen(self.interaction), self._finalize)

    async def _finalize(self, reason: str | None) -> None:
        if reason is not None:
            await self._write(
                self.liveroom.store.finalize_live_interaction,
                self.interaction_id,
                None,
                reason,
                done="Session finalized.",
            )

    def action_cleanup(self) -> None:
        if self.interaction is not None:
            self.app.push_screen(CleanupScreen(self.interaction), self._cleanup)

    async def _cleanup(self, confirmed: bool | None) -> None:
        if confirmed:
            await self._write(
                self.liveroom.store.cleanup_inactive_room,
                self.interaction_id,
                reason="closed_by_game_master",
                done="Room closed; the interaction is paused.",
            )

    async def action_view_snapshot(self) -> None:
        store = self.liveroom.store
        snapshot = await self.liveroom.store_read(store.load_state_snapshot, self.interaction_id)
        if snapshot is not None:
            self.app.push_screen(SnapshotScreen(snapshot))


def _entity_names(interaction: Interaction) -> dict[str, str]:
    return {entry.entity_id: entry.name for entry in interaction.initiative_order}
