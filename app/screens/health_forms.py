"""Hit points (`d` damage, `h` heal) and conditions (`k`) of the selected combatant."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from app.screens.form import FieldError, FormScreen, field_row
from app.screens.settings import form_buttons
from store import InitiativeEntry
from widgets.health import conditions_text, hp_bar
from widgets.text import literal

NOBODY = "-"
"""The source choice for damage or healing nobody in the fight dealt (a trap, a fall)."""
CONDITIONS = (
    "blinded", "charmed", "concentrating", "deafened", "frightened", "grappled",
    "incapacitated", "invisible", "paralyzed", "petrified", "poisoned", "prone",
    "restrained", "stunned", "unconscious", "exhaustion",
)  # fmt: skip
"""The 5e conditions, offered as the name is typed (any other name is fine too)."""
MAX_CONDITION_NAME = 40


@dataclass(frozen=True)
class HpChange:
    amount: int
    """Always positive: the form's kind says whether it is damage or healing."""
    source_entity_id: str | None
    temporary: bool = False
    """Healing as temporary hit points (they replace any it has, never stack)."""


class HpScreen(FormScreen[HpChange, Any]):
    """How much damage (or healing), and who dealt it (the one whose turn it is, by default)."""

    STORE_FIELDS = {"delta": "amount", "source_entity_id": "source"}

    def __init__(
        self,
        target: InitiativeEntry,
        order: Sequence[InitiativeEntry],
        source: str | None,
        *,
        healing: bool,
        save: Callable[[HpChange], Awaitable[Any]],
    ) -> None:
        super().__init__()
        self._target = target
        self._order = list(order)
        self._source = source
        self._healing = healing
        self._save = save

    def compose(self) -> ComposeResult:
        target = self._target
        title = literal(f"{'Heal' if self._healing else 'Damage'} {target.name}", "bold")
        with Vertical(classes="dialog"):
            yield Static(title, classes="dialog-title")
            yield Static(hp_bar(target.current_hp, target.max_hp, target.temp_hp), classes="hint")
            yield from field_row(
                "Healing" if self._healing else "Damage",
                Input(
                    placeholder="hit points",
                    id="amount",
                    restrict=r"\d*",
                    max_length=5,
                    compact=True,
                ),
            )
            sources = [(entry.name, entry.entity_id) for entry in self._order]
            yield from field_row(
                "From",
                Select(
                    [*sources, ("nobody (a trap, a fall…)", NOBODY)],
                    value=self._source if self._source in {s[1] for s in sources} else NOBODY,
                    allow_blank=False,
                    id="source",
                    compact=True,
                ),
            )
            if self._healing:
                yield Checkbox("as temporary hit points (they replace, never stack)", id="temp")
            yield from form_buttons("Heal" if self._healing else "Damage")

    def collect(self) -> HpChange:
        text = self.query_one("#amount", Input).value.strip()
        if not text or int(text) <= 0:
            raise FieldError("amount", "Give a number of hit points above 0.")
        source = str(self.query_one("#source", Select).value)
        temporary = self._healing and self.query_one("#temp", Checkbox).value
        return HpChange(int(text), None if source == NOBODY else source, temporary)

    async def save(self, value: HpChange) -> Any:
        return await self._save(value)


@dataclass(frozen=True)
class NewCondition:
    name: str
    rounds: int | None
    """None: until removed."""


class ConditionsScreen(FormScreen[NewCondition, Any]):
    """The selected combatant's conditions: `delete` removes the highlighted one; the fields
    add one (a condition it has already gets the new duration)."""

    BINDINGS = [
        Binding("delete", "remove", "Remove", tooltip="Remove the highlighted condition."),
    ]
    STORE_FIELDS = {"name": "condition", "rounds": "rounds"}

    def __init__(
        self,
        target: InitiativeEntry,
        *,
        add: Callable[[NewCondition], Awaitable[Any]],
        remove: Callable[[str], Awaitable[InitiativeEntry | None]],
    ) -> None:
        super().__init__()
        self._target = target
        self._add = add
        self._remove = remove

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                literal(f"Conditions of {self._target.name}", "bold"), classes="dialog-title"
            )
            yield from field_row(
                "Add",
                Input(
                    placeholder="e.g. prone, poisoned",
                    id="condition",
                    max_length=MAX_CONDITION_NAME,
                    suggester=SuggestFromList(CONDITIONS, case_sensitive=False),
                    compact=True,
                ),
            )
            yield from field_row(
                "Rounds",
                Input(
                    placeholder="blank: until removed",
                    id="rounds",
                    restrict=r"\d*",
                    max_length=3,
                    compact=True,
                ),
            )
            yield Static("Held now (delete removes the highlighted one):", classes="hint")
            yield OptionList(id="held")
            yield from form_buttons("Add")

    def on_mount(self) -> None:
        self._show(self._target)

    def _show(self, target: InitiativeEntry) -> None:
        self._target = target
        held = self.query_one("#held", OptionList)
        held.clear_options()
        for condition in target.conditions:
            held.add_option(Option(conditions_text([condition]), id=condition.name))
        if target.conditions:
            held.highlighted = 0
        else:
            held.add_option(Option("none", disabled=True))

    def collect(self) -> NewCondition:
        name = self.query_one("#condition", Input).value.strip()
        if not name:
            raise FieldError("condition", "Name the condition.")
        rounds = self.query_one("#rounds", Input).value.strip()
        if rounds and int(rounds) < 1:
            raise FieldError("rounds", "At least 1 round, or blank for until removed.")
        return NewCondition(name, int(rounds) if rounds else None)

    async def save(self, value: NewCondition) -> Any:
        return await self._add(value)

    @on(OptionList.OptionSelected, "#held")
    async def action_remove(self) -> None:
        held = self.query_one("#held", OptionList)
        option = held.highlighted_option
        if option is None or option.id is None:
            return
        updated = await self._remove(option.id)
        if updated is not None:
            self._show(updated)
