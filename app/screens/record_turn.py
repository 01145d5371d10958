"""Recording the current turn with what was done (`r`), then advancing: one action a line."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from app.screens.form import FieldError, FormScreen
from app.screens.settings import form_buttons
from store import InitiativeEntry
from widgets.text import literal

ACTION_TYPES = ("move", "attack", "useItem", "cast", "interact", "end", "note")
MAX_DESCRIPTION = 500
HELP = (
    "One action a line: its type, then whom it targets, then a colon and what happened.\n"
    "  attack Goblin 1: longsword, 9 slashing\n"
    "  move: 30 ft to the door\n"
    "A line without a type is a note. Types: " + ", ".join(ACTION_TYPES) + ". "
    "Enter: new line · ctrl+s: record and advance."
)


def parse_actions(text: str, order: Sequence[InitiativeEntry]) -> list[dict[str, Any]]:
    """Actions from the form's lines (blank lines skipped); FieldError names a bad line."""
    by_name = {entry.name.casefold(): entry.entity_id for entry in order}
    by_name.update({entry.entity_id.casefold(): entry.entity_id for entry in order})
    types = {kind.casefold(): kind for kind in ACTION_TYPES}
    actions = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        head, _, description = line.partition(":")
        words = head.split(maxsplit=1)
        kind = types.get(words[0].casefold()) if words else None
        if kind is None:
            kind, target_text, description = "note", "", line
        else:
            target_text = words[1].strip() if len(words) > 1 else ""
        action: dict[str, Any] = {"type": kind, "description": description.strip()}
        if target_text:
            target = by_name.get(target_text.casefold())
            if target is None:
                raise FieldError("actions", f"Line {number}: nobody called {target_text!r}.")
            action["target"] = target
        if len(action["description"]) > MAX_DESCRIPTION:
            raise FieldError(
                "actions", f"Line {number}: at most {MAX_DESCRIPTION} characters after the colon."
            )
        actions.append(action)
    return actions


class RecordTurnScreen(FormScreen[list[dict[str, Any]], Any]):
    """What the current combatant did; recording it ends their turn."""

    STORE_FIELDS = {"actions": "actions"}

    def __init__(
        self,
        current: InitiativeEntry,
        order: Sequence[InitiativeEntry],
        save: Callable[[list[dict[str, Any]]], Awaitable[Any]],
    ) -> None:
        super().__init__()
        self._current = current
        self._order = list(order)
        self._save = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                literal(f"{self._current.name}'s turn: what happened?", "bold"),
                classes="dialog-title",
            )
            yield Static(HELP, classes="hint", markup=False)
            yield TextArea(id="actions", soft_wrap=True, show_line_numbers=False)
            yield Static("", id="actions-error", classes="error field-error")
            yield from form_buttons("Record and advance")

    def collect(self) -> list[dict[str, Any]]:
        return parse_actions(self.query_one("#actions", TextArea).text, self._order)

    async def save(self, value: list[dict[str, Any]]) -> Any:
        return await self._save(value)
