"""Creating an encounter (`n` on the rooms screen): its name, notes and room settings."""

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
from store.limits import MAX_DESCRIPTION_LENGTH, MAX_ID_LENGTH, MAX_NAME_LENGTH

NEW_ENCOUNTER_SETTINGS = TurnSettings(
    turn_time_limit=90, chat_enabled=True, allow_private_chat=True
)
"""What a new encounter starts with (the store's defaults)."""


@dataclass(frozen=True)
class NewEncounter:
    """What the form collects for create_interaction."""

    name: str
    description: str | None
    campaign_id: str | None
    settings: TurnSettings


class EncounterScreen(FormScreen[NewEncounter, Any]):
    """Name the encounter (the rest may stay blank) and create it."""

    STORE_FIELDS = {
        **SETTINGS_STORE_FIELDS,
        "name": "name",
        "description": "description",
        "campaign_id": "campaign",
    }

    def __init__(self, save: Callable[[NewEncounter], Awaitable[Any]]) -> None:
        """`save` creates the encounter (a StoreError keeps the form open)."""
        super().__init__()
        self._save = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("New encounter", classes="dialog-title")
            yield Static(
                "Add combatants in the room that opens, then roll and go live.", classes="hint"
            )
            yield from field_row(
                "Name",
                Input(
                    placeholder="e.g. Goblin ambush",
                    id="name",
                    max_length=MAX_NAME_LENGTH,
                    compact=True,
                ),
            )
            yield from field_row(
                "Description",
                Input(
                    placeholder="optional",
                    id="description",
                    max_length=MAX_DESCRIPTION_LENGTH,
                    compact=True,
                ),
            )
            yield from field_row(
                "Campaign",
                Input(
                    placeholder="optional", id="campaign", max_length=MAX_ID_LENGTH, compact=True
                ),
            )
            yield from settings_fields(NEW_ENCOUNTER_SETTINGS)
            yield from form_buttons("Create")

    def collect(self) -> NewEncounter:
        name = self.query_one("#name", Input).value.strip()
        if not name:
            raise FieldError("name", "The encounter needs a name.")
        return NewEncounter(
            name=name,
            description=self.query_one("#description", Input).value.strip() or None,
            campaign_id=self.query_one("#campaign", Input).value.strip() or None,
            settings=collect_settings(self),
        )

    async def save(self, value: NewEncounter) -> Any:
        return await self._save(value)
