"""Going live (`g`), or resuming a room that was closed (`p`): the room id, and for a new
room the settings it starts with."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from app.screens.form import FieldError, FormScreen, field_row
from app.screens.settings import (
    SETTINGS_STORE_FIELDS,
    TurnSettings,
    collect_settings,
    form_buttons,
    settings_fields,
)
from store import Interaction
from store.limits import MAX_ID_LENGTH


@dataclass(frozen=True)
class GoLiveRequest:
    """The room to open and, going live, its starting settings (None when resuming)."""

    live_room_id: str
    settings: TurnSettings | None


class GoLiveScreen(FormScreen[GoLiveRequest, Any]):
    """Open a live room: for an idle interaction (round 1 starts if it has an initiative
    order), or to resume a paused one whose room was closed (`resume`)."""

    STORE_FIELDS = {**SETTINGS_STORE_FIELDS, "live_room_id": "room-id"}

    def __init__(
        self,
        interaction: Interaction,
        save: Callable[[GoLiveRequest], Awaitable[Any]],
        *,
        room_id: str | None = None,
        resume: bool = False,
    ) -> None:
        """`room_id` prefills the field (default: room-ID); `save` opens the room."""
        super().__init__()
        self._interaction = interaction
        self._save = save
        self._room_id = room_id or f"room-{interaction.id}"
        self._resume = resume

    def compose(self) -> ComposeResult:
        order = len(self._interaction.initiative_order)
        with Vertical(classes="dialog"):
            if self._resume:
                yield Static("Resume in a room", classes="dialog-title")
                yield Static(
                    "The room was closed: give the room id players join to resume the fight.",
                    classes="hint",
                )
            else:
                yield Static("Go live", classes="dialog-title")
                yield Static(
                    f"Round 1 starts with {order} in the initiative order."
                    if order
                    else "No initiative order yet: the room opens without turns.",
                    classes="hint",
                )
            yield from field_row(
                "Room id",
                Input(self._room_id, id="room-id", max_length=MAX_ID_LENGTH, compact=True),
            )
            if not self._resume:
                yield from settings_fields(TurnSettings.of(self._interaction))
            yield from form_buttons("Resume" if self._resume else "Go live", "success")

    def collect(self) -> GoLiveRequest:
        room = self.query_one("#room-id", Input).value.strip()
        if not room:
            raise FieldError("room-id", "The room needs an id.")
        settings = None if self._resume else collect_settings(self)
        return GoLiveRequest(live_room_id=room, settings=settings)

    async def save(self, value: GoLiveRequest) -> Any:
        return await self._save(value)
