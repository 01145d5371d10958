"""The start screen: every interaction in one table, filtered by status and name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from app.screens.polling import PollingScreen
from widgets.footer import SteadyFooter
from widgets.rooms_table import RoomRow, RoomsTable
from widgets.text import safe_text
from widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from app.screens.encounter import NewEncounter
    from store import Interaction, RoomSummary

EMPTY_STORE = (
    "No encounters yet.\n\n"
    "Press n to create one: name it, add combatants, roll initiative and go live.\n"
    "Or run `liveroom demo` to look around a store full of fights."
)
NAME_FILTER_HINT = "room name…  (Enter: select, Escape: clear)"
STATUS_KEYS: dict[str, str | None] = {
    "0": None,
    "1": "live",
    "2": "paused",
    "3": "idle",
    "4": "completed",
    "5": "cancelled",
}


class RoomsScreen(PollingScreen):
    """Rooms with status, room id, players, whose turn and time left, round, activity."""

    BINDING_GROUP_TITLE = "Rooms"
    AUTO_FOCUS = "#rooms"
    BINDINGS = [
        Binding("enter", "open_room", "Open", tooltip="Open the selected room.", priority=True),
        Binding("n", "new_encounter", "New", tooltip="Create an encounter and open it."),
        Binding("slash", "filter_name", "Find", tooltip="Filter rooms by name."),
        Binding("0", "status_filter('all')", "All", tooltip="Show rooms in every status."),
        Binding("1", "status_filter('live')", "Live", tooltip="Show live rooms only."),
        Binding("2", "status_filter('paused')", "Paused", tooltip="Show paused rooms only."),
        Binding("3", "status_filter('idle')", "Idle", tooltip="Show idle rooms only.", show=False),
        Binding(
            "4",
            "status_filter('completed')",
            "Completed",
            tooltip="Show completed rooms only.",
            show=False,
        ),
        Binding(
            "5",
            "status_filter('cancelled')",
            "Cancelled",
            tooltip="Show cancelled rooms only.",
            show=False,
        ),
    ]
    PALETTE_GROUPS = {
        "open_room": "rooms",
        "new_encounter": "rooms",
        "filter_name": "rooms",
        "status_filter('all')": "filter",
        "status_filter('live')": "filter",
        "status_filter('paused')": "filter",
        "status_filter('idle')": "filter",
        "status_filter('completed')": "filter",
        "status_filter('cancelled')": "filter",
    }

    def __init__(self) -> None:
        super().__init__()
        self._rooms: dict[int, RoomSummary] = {}
        self._status: str | None = None
        self._name_filter = ""
        self._shown_once = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="rooms-filters")
        yield Static(EMPTY_STORE, id="rooms-empty")
        yield RoomsTable(id="rooms")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self._show_filters()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter belongs to the name filter while it is being typed into."""
        return not (action == "open_room" and isinstance(self.focused, Input))

    async def refresh_from_store(self) -> None:
        """Read every room the first time; then only the rooms whose revision moved."""
        app, store = self.liveroom, self.liveroom.store
        if not self._shown_once:
            every_room = await app.store_read(store.list_room_summaries)
            if every_room is None:
                self.request_refresh()  # the next poll tries again, whatever the token says
            else:
                self._rooms = {room.id: room for room in every_room}
                self._shown_once = True
                self._show_rooms()
            return
        revisions = await app.store_read(store.interaction_revisions)
        if revisions is None:
            return
        known = self._rooms
        changed = [
            interaction_id
            for interaction_id, revision in revisions.items()
            if interaction_id not in known or known[interaction_id].revision != revision
        ]
        gone = known.keys() - revisions.keys()
        if changed:
            # Most rooms changed: one scan beats a long list of ids.
            ids = None if len(changed) * 2 > len(revisions) else changed
            fresh = await app.store_read(store.list_room_summaries, ids=ids)
            if fresh is None:
                return
            known.update((room.id, room) for room in fresh)
        for interaction_id in gone:
            del known[interaction_id]
        if changed or gone:
            self._show_rooms()

    def tick(self, now_ms: int) -> None:
        self.query_one(RoomsTable).tick(now_ms)

    # -- filtering -------------------------------------------------------

    def _show_rooms(self) -> None:
        needle = self._name_filter.casefold()
        rows = [
            room_row(room)
            for room in sorted(self._rooms.values(), key=_listing_order)
            if (self._status is None or room.status == self._status)
            and needle in room.name.casefold()
        ]
        self.query_one(RoomsTable).update_rooms(rows, now_ms=self.liveroom.clock())
        empty = self._shown_once and not self._rooms
        self.query_one("#rooms-empty").display = empty
        self.query_one(RoomsTable).display = not empty
        self._show_filters(len(rows))

    def _show_filters(self, shown: int | None = None) -> None:
        bar = Text()
        for key, status in STATUS_KEYS.items():
            label = f" {key} {status or 'all'} "
            bar.append(label, style="reverse" if status == self._status else "")
            bar.append(" ")
        if shown is not None:
            bar.append(f"  {shown} of {len(self._rooms)} rooms", style="dim")
        if self._name_filter:
            bar.append("  name contains ", style="dim")
            bar.append(self._name_filter, style="bold")
        self.query_one("#rooms-filters", Static).update(bar)

    def action_status_filter(self, status: str) -> None:
        self._status = None if status == "all" else status
        self._show_rooms()

    async def action_filter_name(self) -> None:
        """Show the name filter (made on first use: most starts never need one) and type in it."""
        name_filter = self._filter_input()
        if name_filter is None:
            name_filter = Input(placeholder=NAME_FILTER_HINT, id="name-filter")
            await self.mount(name_filter, before=self.query_one(RoomsTable))
        name_filter.display = True
        name_filter.focus()

    def _filter_input(self) -> Input | None:
        found = self.query("#name-filter").results(Input)
        return next(found, None)

    @on(Input.Changed, "#name-filter")
    def _name_changed(self, event: Input.Changed) -> None:
        self._name_filter = event.value
        self._show_rooms()

    @on(Input.Submitted, "#name-filter")
    def _name_submitted(self) -> None:
        table = self.query_one(RoomsTable)
        table.focus()
        table.select_first()

    def key_escape(self) -> None:
        name_filter = self._filter_input()
        if name_filter is not None and name_filter.display:
            name_filter.value = ""
            name_filter.display = False
            self.query_one(RoomsTable).focus()

    # -- creating and opening a room -----------------------------------------

    def action_new_encounter(self) -> None:
        from app.screens.encounter import EncounterScreen  # on first use, not at start-up

        self.app.push_screen(EncounterScreen(self._create), self._open_created)

    async def _create(self, encounter: NewEncounter) -> Interaction:
        app = self.liveroom
        settings = encounter.settings
        return await app.store_call(
            app.store.create_interaction,
            name=encounter.name,
            dm_user_id=app.dm_user_id,
            description=encounter.description,
            campaign_id=encounter.campaign_id,
            turn_time_limit=settings.turn_time_limit,
            chat_enabled=settings.chat_enabled,
            allow_private_chat=settings.allow_private_chat,
            done=f"Created “{safe_text(encounter.name)}”.",
        )

    def _open_created(self, interaction: Interaction | None) -> None:
        if interaction is not None:
            from app.screens.room import RoomScreen

            self.request_refresh()
            self.app.push_screen(RoomScreen(interaction.id, interaction))

    # -- opening a room --------------------------------------------------

    @on(RoomsTable.RoomChosen, "#rooms")
    def _room_chosen(self) -> None:
        self.action_open_room()

    def action_open_room(self) -> None:
        interaction_id = self.query_one(RoomsTable).selected_interaction_id
        if interaction_id is None:
            return
        from app.screens.room import RoomScreen

        self.app.push_screen(RoomScreen(interaction_id))


STATUS_ORDER = {status: rank for rank, status in enumerate(STATUS_KEYS.values()) if status}


def _listing_order(room: RoomSummary) -> tuple[int, int]:
    """Live rooms first, then paused, idle, completed, cancelled; oldest first within each."""
    return STATUS_ORDER.get(room.status, len(STATUS_ORDER)), room.id


def room_row(room: RoomSummary) -> RoomRow:
    """What the rooms table shows of one interaction."""
    return RoomRow(
        interaction_id=room.id,
        name=room.name,
        status=room.status,
        live_room_id=room.live_room_id,
        participants=room.participant_count,
        current_turn=room.current_actor,
        timeout_ms=room.current_turn_timeout,
        paused_remaining_ms=room.paused_turn_remaining_ms,
        turn_time_limit=room.turn_time_limit,
        round_number=room.round_number,
        last_activity=room.last_activity,
    )
