"""One room, live: header, turn timer, initiative, participants, event log, turn history."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from app.room_feed import EVENT_FILTERS, OlderPage, RoomFeed, RoomUpdate
from app.screens.entry import EntryScreen
from app.screens.fight_actions import FIGHT_KEYS, FIGHT_PALETTE_GROUPS, FightActions
from app.screens.message import MessageScreen
from app.screens.room_actions import ROOM_KEYS, ROOM_PALETTE_GROUPS, TURN_KEYS, entity_names
from store import RUNNING_STATUSES, Interaction
from widgets.event_log import EventLog
from widgets.event_summaries import chat_sender, setting_text
from widgets.footer import SteadyFooter
from widgets.initiative_list import InitiativeList
from widgets.participant_list import ParticipantList
from widgets.text import safe_text, status_text
from widgets.title_bar import TitleBar
from widgets.turn_history import TurnHistory
from widgets.turn_timer import TurnTimer


class RoomScreen(FightActions):
    """Everything about one interaction, following the store live."""

    BINDING_GROUP_TITLE = "Room"
    AUTO_FOCUS = "#log"
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to the rooms."),
        *TURN_KEYS,
        *FIGHT_KEYS,
        *ROOM_KEYS,
        Binding("e", "cycle_filter", "Filter", tooltip="Cycle the event log filter."),
    ]
    PALETTE_GROUPS = {
        **ROOM_PALETTE_GROUPS,
        **FIGHT_PALETTE_GROUPS,
        "cycle_filter": "log",
        "back": "app",
    }
    HELP_SECTIONS = (("Event log", EventLog.BINDINGS),)
    """The log's own keys, listed by `?` after the room's."""

    def __init__(self, interaction_id: int, interaction: Interaction | None = None) -> None:
        super().__init__(interaction_id, interaction)
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

    def on_unmount(self) -> None:
        if self._feed is not None:
            self._feed.close()

    # -- following the store ---------------------------------------------

    async def refresh_from_store(self) -> None:
        assert self._feed is not None
        update = await self._feed.fetch()
        if update is not None:
            self._apply(update)

    def _apply(self, update: RoomUpdate) -> None:
        previous = self.interaction
        interaction = self.interaction = update.interaction
        self._writes.observe(interaction)
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
        initiative = self.query_one(InitiativeList)
        initiative.border_subtitle = "" if interaction.initiative_order else "a adds combatants"
        initiative.show_order(
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
                update.turn_records, entity_names(interaction), interaction.round_number
            )
        if previous is None or previous.status != interaction.status:
            # The footer greys keys by status: rebuild it only when the status moved.
            self.refresh_bindings()
        for form in self.app.screen_stack:
            if isinstance(form, MessageScreen):
                form.show_room(interaction, self._recipients(interaction))

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
            (f"#{interaction.id} ", "dim"),
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
            self._header = header
            self.query_one("#room-header", Static).update(header)
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
        assert self._feed is not None
        page = self._feed.kept_older(message.before_id)
        if page is None:
            self._load_older(message.before_id)
        else:  # read ahead: in before the next frame, so the scroll paints only once
            self._show_older(page)

    @work(exclusive=True, group="older-logs", exit_on_error=False)
    async def _load_older(self, before_id: int) -> None:
        """Read the page above `before_id` and put it in above what the log holds."""
        assert self._feed is not None
        page = await self._feed.older(before_id)
        if page is None:
            self.query_one(EventLog).older_failed()  # shown; the next scroll up asks again
        else:
            self._show_older(page)

    def _show_older(self, page: OlderPage) -> None:
        assert self._feed is not None
        if self._feed.is_current(page):
            log = self.query_one(EventLog)
            log.set_names(self._feed.names)
            log.prepend_older(page.entries, has_older=page.has_older, before_id=page.before_id)

    @on(EventLog.NewerWanted)
    def _newer_wanted(self, message: EventLog.NewerWanted) -> None:
        self._load_newer(message.after_id)

    @on(EventLog.OldestWanted)
    def _oldest_wanted(self) -> None:
        self._load_newer(0)

    @work(exclusive=True, group="newer-logs", exit_on_error=False)
    async def _load_newer(self, after_id: int) -> None:
        """Read the page after `after_id` (0: the log's first page) and put it in below
        what the log holds, or in its place for the first page."""
        assert self._feed is not None
        log = self.query_one(EventLog)
        page = await self._feed.newer(after_id)
        if page is None:
            log.older_failed()  # the error was shown; the next scroll asks again
            return
        if not self._feed.is_current(page):
            return
        log.set_names(self._feed.names)
        if after_id == 0:
            log.reset(page.entries, has_older=False, has_newer=page.has_newer)
        else:
            log.append_newer(page.entries, has_newer=page.has_newer, after_id=after_id)
        newest = log.newest_id
        if not page.has_newer and newest is not None:
            self._feed.tail_from(newest)  # the tail goes on from what the log now holds
            self.request_refresh()

    @on(EventLog.EntryChosen)
    def _entry_chosen(self, message: EventLog.EntryChosen) -> None:
        entry = message.entry
        names = self._feed.names if self._feed is not None else {}
        data = entry.event_data if isinstance(entry.event_data, dict) else {}
        sender = chat_sender(entry.user_id, data, names)
        self.app.push_screen(EntryScreen(entry, self.query_one(EventLog).describe(entry), sender))

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
