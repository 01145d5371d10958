"""Finalizing a session (`f`): nothing happens until the game master confirms."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from app.screens.form import FieldError, FormScreen
from app.screens.settings import form_buttons
from store import Interaction
from store.limits import MAX_REASON_LENGTH
from widgets.text import safe_text


class FinalizeScreen(FormScreen[str, Any]):
    """Ask for the completion reason, then finalize."""

    STORE_FIELDS = {"completion_reason": "reason"}

    def __init__(self, interaction: Interaction, save: Callable[[str], Awaitable[Any]]) -> None:
        """`save` finalizes with the reason given."""
        super().__init__()
        self._interaction = interaction
        self._save = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Finalize the session?", classes="dialog-title")
            yield Static(
                f"“{safe_text(self._interaction.name)}” becomes completed: the room closes, "
                "players are disconnected and the interaction turns read-only. "
                "This cannot be undone.",
                classes="hint",
                markup=False,
            )
            yield Input(
                placeholder="completion reason, e.g. victory, party fled, TPK",
                id="reason",
                max_length=MAX_REASON_LENGTH,
                compact=True,
            )
            yield Static("", id="reason-error", classes="error field-error")
            yield from form_buttons("Finalize", "error")

    def collect(self) -> str:
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            raise FieldError("reason", "Give a completion reason to finalize.")
        return reason

    async def save(self, value: str) -> Any:
        return await self._save(value)
