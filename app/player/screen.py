"""The players' screen: round and whose turn (large), the timer, the order, who is here, chat."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Digits, RichLog, Static

from app.player.big_name import BigName
from app.player.view import (
    chat_line,
    connected_text,
    order_table,
    player_chat,
    remaining_ms,
    title_text,
    visible_order,
    waiting_message,
    whose_turn,
)
from app.recap import Recap, read_recap
from app.room_feed import EVENT_FILTERS, RoomFeed, RoomUpdate
from app.screens.recap import headline
from store import Interaction
from widgets.text import format_clock, literal, status_text
from widgets.turn_timer import EMPTY, FULL, bar_style

if TYPE_CHECKING:
    from app.player.app import PlayerApp

CHAT_FILTER = next(f for f in EVENT_FILTERS if f.label == "chat")
CHAT_LINES = 500
"""Chat lines kept on screen: a long session's chat does not grow memory."""


class PlayerScreen(Screen[None]):
    """One interaction as the players see it, following the store live.

    A single exclusive worker polls the store's change token and re-reads only
    after a commit (RoomFeed reads just the new chat), so polls never overlap.
    """

    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]

    def __init__(self, interaction_id: int) -> None:
        super().__init__()
        self.interaction_id = interaction_id
        self.interaction: Interaction | None = None
        self.polls_completed = 0
        """Finished change checks: lets a test wait until the screen caught up."""
        self._feed: RoomFeed | None = None
        self._generation: int | None = None
        self._recap: Recap | None = None

    @property
    def player_app(self) -> PlayerApp:
        return cast("PlayerApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        with Horizontal(id="band"):
            with Vertical(id="round-box"):
                yield Static("Round", classes="label")
                yield Digits("", id="round")
            with Vertical(id="now-box"):
                yield Static("Now", classes="label")
                yield BigName(id="now")
            with Vertical(id="timer-box"):
                yield Static("Time left", classes="label")
                yield Digits("", id="clock")
                yield Static(id="timer-bar")
        yield Static(id="waiting")
        yield Static(id="connected")
        with Horizontal(id="body"):
            yield Static(id="order")
            yield RichLog(id="chat", max_lines=CHAT_LINES, wrap=True, markup=False, min_width=20)

    def on_mount(self) -> None:
        self.query_one("#order").border_title = "Initiative"
        self.query_one("#chat").border_title = "Party chat"
        self.query_one("#band").display = False
        self.query_one("#waiting", Static).update(Text("Opening the room…", style="dim"))
        self._follow_store()
        self.set_interval(1.0, self._tick)

    # -- following the store ---------------------------------------------

    @work(exclusive=True, group="player-poll", exit_on_error=False)
    async def _follow_store(self) -> None:
        app = self.player_app
        loop = asyncio.get_running_loop()
        last_token: tuple[int, int] | None = None
        while True:
            started = loop.time()
            token = await app.store_read(app.source.change_token)
            if token is not None and token != last_token:
                last_token = token
                if token[0] != self._generation:  # a new store (or the first): read afresh
                    self._generation = token[0]
                    self._feed = RoomFeed(app.source.store, app.store_read, self.interaction_id)
                    self._feed.set_filter(CHAT_FILTER)
                await self._refresh_from_store()
            self.polls_completed += 1
            await asyncio.sleep(max(0.0, app.poll_interval - (loop.time() - started)))

    async def _refresh_from_store(self) -> None:
        assert self._feed is not None
        update = await self._feed.fetch()
        if update is None:
            return
        interaction = update.interaction
        if interaction.status == "completed" and self._recap is None:
            app = self.player_app
            store = app.source.store
            self._recap = await app.store_read(read_recap, store, interaction)
        self._apply(update)

    def _apply(self, update: RoomUpdate) -> None:
        interaction = self.interaction = update.interaction
        names = update.names
        title = title_text(interaction)
        title.append("  ")
        title.append_text(status_text(interaction.status))
        self.query_one("#title", Static).update(title)
        self._show_turn(interaction)
        self.query_one("#connected", Static).update(
            connected_text(interaction.connected_participants, names)
        )
        order = self.query_one("#order", Static)
        order.update(order_table(visible_order(interaction), interaction))
        chat = self.query_one("#chat", RichLog)
        if update.first_page is not None:
            chat.clear()
            for entry in player_chat(reversed(update.first_page)):
                chat.write(chat_line(entry, names))
        for entry in player_chat(update.new_entries):
            chat.write(chat_line(entry, names))

    def _show_turn(self, interaction: Interaction) -> None:
        waiting = waiting_message(interaction)
        band = self.query_one("#band")
        message = self.query_one("#waiting", Static)
        band.display = interaction.status == "live" and waiting is None
        message.display = not band.display
        if waiting is not None:
            text = Text(waiting, style="bold", end="")
            detail = self._waiting_detail(interaction)
            if detail is not None:
                text.append("\n")
                text.append_text(detail)
            message.update(text)
        self.query_one("#now", BigName).name_shown = whose_turn(interaction) or ""
        self.query_one("#round", Digits).update(str(interaction.round_number or ""))
        self._show_clock()

    def _waiting_detail(self, interaction: Interaction) -> Text | None:
        """The line under a waiting message: the recap's figures, or the turn on hold."""
        if interaction.status == "completed" and self._recap is not None:
            return headline(self._recap)
        name = whose_turn(interaction)
        if interaction.status == "paused" and name is not None:
            text = Text(f"Round {interaction.round_number} · ", end="")
            text.append_text(literal(name, "bold", limit=60))
            left = remaining_ms(interaction, self.player_app.clock())
            if left is not None:
                text.append(f" · {format_clock(left)} left")
            return text
        return None

    def _show_clock(self) -> None:
        interaction = self.interaction
        if interaction is None:
            return
        left = remaining_ms(interaction, self.player_app.clock())
        clock = self.query_one("#clock", Digits)
        bar = self.query_one("#timer-bar", Static)
        if left is None:
            clock.update("")
            bar.update(Text("untimed", style="dim"))
            return
        clock.update(format_clock(left))
        limit_ms = max(1, interaction.turn_time_limit * 1000)
        fraction = min(1.0, left / limit_ms)
        width = max(0, bar.size.width or 12)
        filled = round(fraction * width)
        text = Text(FULL * filled, style=bar_style(fraction), end="")
        text.append(EMPTY * (width - filled), style="bright_black")
        bar.update(text)

    def _tick(self) -> None:
        self._show_clock()

    def on_resize(self) -> None:
        self._show_clock()
